import { lazy, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { CONFIG_INVALID, defaultDataSourceOf } from '../../config/schema';
import { useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { Deferred } from '../common/Deferred';
import { DropZone } from '../local/LocalFiles';
import { LAUNCH_PATH, VIEWER_PATH } from '../../routes';
import { navigate, uidsFromLink, useLocation } from './router';
import { useAuthStore } from '../../store/auth';
import { isCallback } from '../../auth/config';
import { SessionExpired, SignInGate } from './Account';
import { useLaunchStore } from '../../store/launch';
import { LaunchPage } from './LaunchPage';
import { useLanguage } from '../common/LanguageMenu';

/**
 * A launch from another system (IID or the short forms, model/launch.ts) leaves the address bar before anything
 * else: its patient ID or accession numbers are PHI. The entry is replaced, so the history keeps no copy either.
 */
function takeLaunch(location: string): boolean {
  const url = new URL(location, window.location.origin);
  if (!useLaunchStore.getState().capture(url.pathname, url.search)) return false;
  navigate(LAUNCH_PATH, true);
  return true;
}
takeLaunch(window.location.pathname + window.location.search);

// The viewer (and Cornerstone with it) is a separate chunk: the worklist paints without it. A viewer link asks for
// it at once, alongside config.json, rather than after the configuration has been read.
const loadViewer = () => import('../viewer/ViewerPage');
if (window.location.pathname === VIEWER_PATH) void loadViewer();
const ViewerPage = lazy(loadViewer);
// The study list is a chunk too: a viewer link (the path to the first image) does not carry it.
const loadWorklist = () => import('../worklist/WorklistPage').then((m) => ({ default: m.WorklistPage }));
if (window.location.pathname !== VIEWER_PATH) void loadWorklist();
const WorklistPage = lazy(loadWorklist);
// config.json as soon as this code runs, not after React's first render (~0.1 s later): a viewer link's study
// requests wait for it.
void useConfigStore.getState().load();

export function App() {
  const { status, error, config } = useConfigStore();
  const { t } = useTranslation('app');
  useLanguage();
  const { pathname, search } = useLocation();
  const auth = useAuthStore((s) => s.status);
  // With sign-in configured nothing is asked of the PACS before the user is signed in.
  const signedIn = !config?.oidc || auth === 'signed-in' || auth === 'expired';

  // Sign-in starts once the configuration says it is on; coming back from the provider, the page shown before.
  // A launch rides to the provider and back only in the sign-in request's state (sessionStorage, removed at the
  // callback), and is taken out again on return without passing through the address bar.
  useEffect(() => {
    if (!config?.oidc) return;
    void useAuthStore
      .getState()
      .start(config.oidc, useLaunchStore.getState().pending?.location)
      .then((to) => to && (takeLaunch(to) || navigate(to, true)));
  }, [config]);

  // A viewer link starts fetching its studies while the viewer's code is still downloading.
  useEffect(() => {
    if (!config || !signedIn || pathname !== VIEWER_PATH) return;
    // A link with an invalid UID names no study here: the viewer says why.
    const { studyUIDs, seriesUID } = uidsFromLink(search);
    const source = search.get('datasource') || defaultDataSourceOf(config).name;
    if (studyUIDs.length && config.dataSources.some((d) => d.name === source)) {
      void useStudyStore.getState().open(source, studyUIDs, seriesUID);
    }
  }, [config, signedIn, pathname, search]);

  if (status === 'loading') return <div className="center-message">{t('loadingConfiguration')}</div>;
  if (status === 'error') {
    return (
      <div className="center-message error" role="alert" data-testid="config-error">
        {/* Two ways to fail (store/config.ts): the file does not match the schema, or it could not be read. */}
        <h1>{error?.message === CONFIG_INVALID ? t('configInvalid') : t('couldNotStart')}</h1>
        <ul>
          {error?.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
        {/* The problems themselves stay as the schema words them: paths and field names are English in config.json too. */}
        <p>{t('configFix')}</p>
      </div>
    );
  }
  // The sign-in callback's page shows nothing else: the page asked for follows at once (no search from here).
  const atCallback = !!config?.oidc && isCallback(config.oidc, pathname);
  if (!signedIn || atCallback) return <SignInGate />;
  if (pathname === LAUNCH_PATH) return <LaunchPage />;
  if (pathname === VIEWER_PATH) {
    return (
      <>
        <SessionExpired />
        <DropZone />
        <Deferred what={t('theViewer')} loading={<div className="center-message">{t('loadingViewer')}</div>}>
          <ViewerPage />
        </Deferred>
      </>
    );
  }
  return (
    <>
      <SessionExpired />
      <DropZone />
      <Deferred what={t('theStudyList')} loading={<div className="center-message">{t('loadingStudyList')}</div>}>
        <WorklistPage />
      </Deferred>
    </>
  );
}

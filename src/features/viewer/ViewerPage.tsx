import { lazy, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import { LanguageMenu } from '../common/LanguageMenu';
import { useFormat } from '../common/useFormat';
import { defaultDataSourceOf } from '../../config/schema';
import { ImagingSession, initImaging, setFrameRequestPolicies, setFrameUrlResolver, type StackController } from '../../imaging';
import { localFrameUrl } from '../../local/localSource';
import { useMeasurementStore } from '../../store/measurements';
import { openReport, REPORT_DESCRIPTION } from '../../app/reports';
import { MeasurementPanel } from '../measurements/MeasurementPanel';
import { TextPromptDialog } from '../measurements/TextPromptDialog';
import { usePromptStore } from '../../store/prompt';
import { formatPersonName } from '../../model/format';
import { isNonImageModality } from '../../model/modalities';
import { isMeasurementReport } from '../../model/srDocument';
import { useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { navigate, uidsFromLink, useLocation } from '../app/router';
import { commandForKey, type CommandContext, type ViewerDialog } from './commands';
import { AccountMenu } from '../app/Account';
import { SidePanel } from './SidePanel';
import { PREFERENCES_KEY, usePreferencesStore } from '../../store/preferences';
import { useViewportSync } from './useSync';
import { fillFromProtocol, hangByProtocol } from '../../app/protocols';
import { sharedViewports } from '../../model/shareLink';
import { SeriesPanel } from './SeriesPanel';
import { Toolbar } from './Toolbar';
import { ViewportPane } from './ViewportPane';
import { ControllersContext, ImagingSessionContext } from './controllers';
import { useViewStates } from '../../store/viewStates';
import { Deferred } from '../common/Deferred';
import { useSegmentationStore } from '../../store/segmentations';
import { ExportDialog } from '../transfer/lazyExportDialog';
import { matchesNow, PHONE_QUERY, TOUCH_ONLY_QUERY, useMediaQuery } from '../common/useMediaQuery';

// The tag browser brings dcmjs's dictionary (about half a megabyte): loaded when first opened, not before the first image.
// MPR and 3D (their view, controller and tools) load when MPR is first opened.
const MprView = lazy(() => import('./MprView').then((m) => ({ default: m.MprView })));
// The segments panel loads with the first segmentation opened.
const SegmentsPanel = lazy(() => import('../objects/seg/SegmentsPanel'));
// Dialogs opened on demand: chunks of their own, fetched when first opened (not before the first image).
const HelpDialog = lazy(() => import('./HelpDialog').then((m) => ({ default: m.HelpDialog })));
const SettingsDialog = lazy(() => import('./SettingsDialog').then((m) => ({ default: m.SettingsDialog })));
const ShareDialog = lazy(() => import('./ShareDialog').then((m) => ({ default: m.ShareDialog })));
const TagBrowser = lazy(() => import('./TagBrowser').then((m) => ({ default: m.TagBrowser })));

const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** The text prompts of imaging/annotations.ts, by their English title. */
const PROMPTS: Record<string, string> = { 'Text annotation': 'textAnnotation', 'Arrow annotation': 'arrowAnnotation' };

export default function ViewerPage() {
  const config = useConfigStore((s) => s.config)!;
  const { t } = useTranslation('viewer');
  const format = useFormat();
  const { search } = useLocation();
  // Checked UIDs only: a link with an invalid one opens nothing (its message is below).
  const link = useMemo(() => uidsFromLink(search), [search]);
  const studyUIDs = link.studyUIDs;
  /** The link's studies and the priors opened since. */
  const openStudyUIDs = useStudyStore((s) => s.studyUIDs);
  const seriesParam = link.seriesUID;
  const dataSource = search.get('datasource') || defaultDataSourceOf(config).name;
  // A link can ask for viewing only; it cannot lift a read-only configuration.
  const readOnly = config.readOnly || /^(1|true|yes)$/i.test(search.get('readonly') ?? '');
  const knownSource = config.dataSources.some((d) => d.name === dataSource);
  const [imagingReady, setImagingReady] = useState(false);
  const [imagingError, setImagingError] = useState<string>();
  const [controllers] = useState(() => new Map<number, StackController>());
  /** This viewer's imaging session, handed to the controllers it makes (ImagingSessionContext). */
  const overlays = useSegmentationStore((s) => Object.keys(s.sets).length > 0);
  const [session] = useState(
    // The drawing layer names its prompts in English ("Arrow annotation"): asked in the reader's language at the time.
    () => new ImagingSession({ textPrompt: (title, initial) => usePromptStore.getState().ask(i18next.t(`viewer:prompt.${PROMPTS[title] ?? ''}`, { defaultValue: title }), initial) }),
  );
  useEffect(() => session.attach(), [session]);
  useViewportSync(session, controllers);
  const [showTags, setShowTags] = useState(false);
  const [showHelp, setShowHelp] = useState(false);
  const [showShare, setShowShare] = useState(false);
  const [showExport, setShowExport] = useState(false);
  const [showSettings, setShowSettings] = useState(false);
  const { layout, slots, active, primaryTool, mpr, maximized } = useViewerStore();
  const keyBindings = usePreferencesStore((s) => s.keyBindings);
  const layoutParam = search.get('layout');
  const prompting = usePromptStore((s) => !!s.request);
  const studies = useStudyStore((s) => s.studies);
  const seriesOrder = useStudyStore((s) => s.seriesOrder);
  const seriesEntries = useStudyStore((s) => s.series);
  const activeState = useViewStates((s) => s.states[active]);
  /** Phones: one viewport, the series list as a sheet over it, the toolbar's common tools. */
  const phone = useMediaQuery(PHONE_QUERY);
  const [seriesSheet, setSeriesSheet] = useState(false);

  useEffect(() => {
    const clients = useConfigStore.getState().clients;
    setFrameRequestPolicies(
      Object.values(clients).map((c) => ({
        wadoRoot: c.wadoRoot,
        headers: () => c.headers(),
        accept: c.frameAcceptHeader(),
        fallbackAccept: c.frameAcceptHeader(EXPLICIT_VR_LITTLE_ENDIAN),
      })),
    );
    // Local files' frames are Blob URLs in memory.
    setFrameUrlResolver(localFrameUrl);
    initImaging(config.maxWebWorkers, config.decodeTimeoutSeconds * 1000, config.cacheBudgetMB, config.stackRendering).then(
      () => setImagingReady(true),
      (e: unknown) => setImagingError(e instanceof Error ? e.message : String(e)),
    );
  }, [config]);

  useEffect(() => {
    useViewerStore.getState().setReadOnly(readOnly);
  }, [readOnly]);

  // Keys or presets changed in another tab of this viewer: take them here too.
  useEffect(() => {
    const onStorage = (e: StorageEvent) => {
      if (e.key === PREFERENCES_KEY) usePreferencesStore.getState().reload();
    };
    window.addEventListener('storage', onStorage);
    return () => window.removeEventListener('storage', onStorage);
  }, []);

  useEffect(() => {
    if (!imagingReady) return;
    session.setMeasurementsEditable(!readOnly);
    session.setPrimaryTool(primaryTool);
  }, [session, imagingReady, primaryTool, readOnly]);

  // The drawing layer's measurements, mirrored into the store the panel reads.
  useEffect(() => {
    if (!imagingReady) return;
    return session.measurements.watch((snapshot) => useMeasurementStore.getState().sync(snapshot));
  }, [session, imagingReady]);

  useEffect(() => {
    if (!knownSource || studyUIDs.length === 0) return;
    useViewerStore.getState().reset();
    // On a touch screen without a mouse, one finger scrolls through the images until another tool is chosen.
    if (matchesNow(TOUCH_ONLY_QUERY)) useViewerStore.getState().setPrimaryTool('scroll');
    useViewStates.setState({ states: {} });
    setMprFromLink(false);
    // Measurements belong to the studies they were drawn on.
    if (imagingReady) session.measurements.clear();
    useMeasurementStore.getState().reset();
    // So do the segmentations opened over them.
    useSegmentationStore.getState().reset();
    // A shared view: its layout and viewports before any series is hung (empty ones are filled as usual).
    const shared = sharedViewports(search);
    if (shared) {
      const grid = /^(\d)x(\d)$/.exec(shared.layout ?? '');
      const layout = grid ? { rows: Number(grid[1]), cols: Number(grid[2]) } : { rows: 1, cols: 1 };
      useViewerStore.getState().restoreView(
        layout,
        shared.viewports.map((v) => (v ? { seriesInstanceUID: v.seriesInstanceUID, initialIndex: v.imageIndex, initialWindow: v.window } : {})),
      );
    } else {
      // A link naming a grid (`&layout=2x2`) gets it, filled in panel order, instead of a hanging protocol.
      const grid = /^([1-3])x([1-3])$/.exec(layoutParam ?? '');
      if (grid) useViewerStore.getState().restoreView({ rows: Number(grid[1]), cols: Number(grid[2]) }, []);
    }
    void useStudyStore.getState().open(dataSource, studyUIDs, seriesParam);
    // imagingReady: not a reason to reopen; read when the link changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [dataSource, knownSource, studyUIDs, seriesParam]);

  // `&layout=mpr` (or `mpr3d`, with a 3D view): the first series opens in MPR once it is hung.
  const firstSlotSeries = slots[0]?.seriesInstanceUID;
  const [mprFromLink, setMprFromLink] = useState(false);
  // Until the effect below has opened it, the stack panes stay unmounted: they would fetch and draw frames only to
  // be replaced by MPR in the next render.
  const mprLinkPending = (layoutParam === 'mpr' || layoutParam === 'mpr3d') && !mprFromLink && !!firstSlotSeries;
  useEffect(() => {
    if (!mprLinkPending || !firstSlotSeries || !imagingReady) return;
    setMprFromLink(true);
    // A link straight to MPR starts in the middle of the volume, or at the image and window a shared view names.
    const first = useViewerStore.getState().slots[0];
    useViewerStore.getState().openMpr(firstSlotSeries, first?.initialIndex ?? -1, 0, first?.initialWindow, layoutParam === 'mpr3d');
  }, [layoutParam, mprLinkPending, firstSlotSeries, imagingReady]);

  // Configured to: the newest measurement report of each study opens with it.
  const autoLoad = config.autoLoadMeasurementReports;
  useEffect(() => {
    if (!autoLoad || !imagingReady) return;
    for (const uid of studyUIDs) {
      // Measurement reports (TID 1500) only, once their metadata says so: other reports are for reading.
      const reports = (seriesOrder[uid] ?? [])
        .filter((sid) => seriesEntries[sid]?.displaySet?.objects.some((o) => isMeasurementReport(o.raw)))
        .map((sid) => seriesEntries[sid]?.summary)
        .filter((x) => x?.modality === 'SR');
      // Our own report series first (dose reports and others are SR too, often with high series numbers).
      const own = (x: (typeof reports)[number]) => (x?.description === REPORT_DESCRIPTION ? 1 : 0);
      const newest = reports.sort((a, b) => own(b) - own(a) || (b!.seriesNumber ?? 0) - (a!.seriesNumber ?? 0))[0];
      if (newest && !useMeasurementStore.getState().reports[newest.seriesInstanceUID]) void openReport(session.measurements, newest.seriesInstanceUID);
    }
  }, [session, autoLoad, imagingReady, studyUIDs, seriesOrder, seriesEntries]);

  // A hanging protocol lays the studies out once their series are listed, unless the link says what to show.
  const studyEntries = useStudyStore((s) => s.studies);
  const [hungFor, setHungFor] = useState<string>();
  useEffect(() => {
    const key = `${dataSource}|${studyUIDs.join(',')}`;
    if (hungFor === key || studyUIDs.length === 0) return;
    if (!studyUIDs.every((uid) => seriesOrder[uid] || studyEntries[uid]?.status === 'error')) return;
    setHungFor(key);
    if (seriesParam || layoutParam || sharedViewports(search)) return;
    hangByProtocol();
  }, [dataSource, studyUIDs, seriesOrder, studyEntries, hungFor, seriesParam, layoutParam, search]);

  // Hang series in empty viewports: the linked series first, then the others in panel order.
  useEffect(() => {
    // The current study's series first: a prior listed sooner must not take the first viewport.
    const current = studyUIDs[0];
    if (current && !seriesOrder[current] && studyEntries[current]?.status !== 'error') return;
    const ordered = studyUIDs.flatMap((uid) => seriesOrder[uid] ?? []);
    const candidates = ordered.filter((uid) => !isNonImageModality(seriesEntries[uid]?.summary.modality));
    // Once every study's series are known, a viewport (from a link) showing some other series is emptied; the
    // series of priors opened since (not in the link) are known too.
    // …and so are the display sets the viewer made from them (a key-image stack).
    const derived = Object.keys(seriesEntries).filter((uid) => seriesEntries[uid]?.derived);
    const known = [...openStudyUIDs.flatMap((uid) => seriesOrder[uid] ?? []), ...derived];
    if (studyUIDs.every((uid) => seriesOrder[uid])) useViewerStore.getState().dropUnknown(known);
    const linked = seriesParam && ordered.includes(seriesParam) ? [seriesParam] : [];
    useViewerStore.getState().fillEmpty([...linked, ...candidates.filter((uid) => uid !== seriesParam)]);
    // Panes still empty (more panes than series): the protocol's other views of the series shown, if it has any.
    fillFromProtocol();
  }, [seriesOrder, studyUIDs, openStudyUIDs, seriesParam, layout, seriesEntries, studyEntries]);

  const closeTags = useCallback(() => setShowTags(false), []);
  const openDialog = useCallback((dialog: ViewerDialog) => {
    if (dialog === 'tags') setShowTags(true);
    else if (dialog === 'help') setShowHelp(true);
    else setShowSettings(true);
  }, []);
  const context = useCallback(
    (): CommandContext => ({ controller: controllers.get(useViewerStore.getState().active), controllers, mpr: session.mpr, openDialog }),
    [controllers, session, openDialog],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && /^(INPUT|SELECT|TEXTAREA)$/.test(target.tagName) && (target as HTMLInputElement).type !== 'range') return;
      // Space and Enter press the focused button (keyboard use of the toolbar), not the viewer's Space (reset).
      if (target?.tagName === 'BUTTON' && (e.key === ' ' || e.key === 'Enter')) return;
      if (showTags || showHelp || showShare || showSettings || showExport || prompting) return; // the open dialog has the keyboard
      if (e.key === 'Escape' && seriesSheet) {
        setSeriesSheet(false);
        return;
      }
      const command = commandForKey(e, readOnly, keyBindings);
      if (!command) return;
      // preventDefault: also keeps the key that opens a dialog out of its filter field.
      e.preventDefault();
      command.run(context());
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [context, showTags, showHelp, showShare, showSettings, showExport, prompting, readOnly, keyBindings, seriesSheet]);

  // One viewport shown alone (double-click, or its key): the grid is 1×1 and the others wait, hidden, as they were.
  // On a phone only the active viewport shows (the others wait, hidden, as for a maximized one).
  const alone = mpr ? undefined : phone && active < slots.length ? active : maximized !== undefined && maximized < slots.length ? maximized : undefined;
  const grid = alone !== undefined ? { rows: 1, cols: 1 } : layout;
  const firstStudy = studyUIDs.map((uid) => studies[uid]?.summary).find(Boolean);
  const activeSeries = slots[active]?.seriesInstanceUID;
  const activeFrame = activeSeries ? seriesEntries[activeSeries]?.displaySet?.frames[activeState?.imageIndex ?? 0] : undefined;

  if (!knownSource) {
    return (
      <div className="center-message error" role="alert">
        {t('page.unknownSource', { source: dataSource })} <a href="/">{t('page.back')}</a>
      </div>
    );
  }
  if (link.invalid.length) {
    const shown = link.invalid.map((v) => `“${v.length > 70 ? `${v.slice(0, 70)}…` : v}”`).join(', ');
    return (
      <div className="center-message error" role="alert" data-testid="invalid-link">
        {t('page.invalidLink', { count: link.invalid.length, values: shown })} <a href="/">{t('page.back')}</a>
      </div>
    );
  }
  if (studyUIDs.length === 0) {
    return (
      <div className="center-message" role="alert">
        {t('page.noStudy')} <a href="/">{t('page.back')}</a>
      </div>
    );
  }

  return (
    <ImagingSessionContext.Provider value={session}>
      <ControllersContext.Provider value={controllers}>
        <div className="viewer">
          <header className="app-header">
            <nav aria-label={t('page.pages')}>
              <button type="button" className="link" onClick={() => navigate('/')} data-testid="back-to-worklist">
                {t('page.studyList')}
              </button>
            </nav>
            <h1 className="visually-hidden">{t('page.viewer')}</h1>
            {firstStudy && (
              <span className="patient-banner" data-testid="patient-banner">
                <strong>
                  <bdi>{formatPersonName(firstStudy.patientName)}</bdi>
                </strong>
                <span>
                  {t('page.id')} <bdi>{firstStudy.patientId}</bdi>
                </span>
                {firstStudy.patientBirthDate && <span>{t('page.dob', { date: format.date(firstStudy.patientBirthDate) })}</span>}
                {firstStudy.patientSex && <span>{t(`page.sex.${firstStudy.patientSex}`, { defaultValue: firstStudy.patientSex })}</span>}
              </span>
            )}
            <LanguageMenu />
            <AccountMenu />
          </header>
          {/* The toolbar in a landmark of its own, so that nothing of the page lies outside one. */}
          <section aria-label={t('page.tools')}>
          <Toolbar
            context={context}
            onShowTags={() => setShowTags(true)}
            onShowHelp={() => setShowHelp(true)}
            onShowSettings={() => setShowSettings(true)}
            onShare={() => setShowShare(true)}
            onExport={() => setShowExport(true)}
            compact={phone ? { seriesOpen: seriesSheet, onToggleSeries: () => setSeriesSheet(!seriesSheet) } : undefined}
          />
          </section>
          <div className="viewer-body">
            {phone ? (
              // Over the image, closed once a series is chosen (or by its button, or Escape).
              <div id="series-sheet" className="series-sheet" role="dialog" aria-label={t('page.series')} hidden={!seriesSheet} data-testid="series-sheet">
                <SeriesPanel imagingReady={imagingReady} onChosen={() => setSeriesSheet(false)} />
              </div>
            ) : (
              <SidePanel panel="series" side="left">
                <SeriesPanel imagingReady={imagingReady} />
              </SidePanel>
            )}
            <main
              className="viewport-grid"
              style={{ gridTemplateColumns: `repeat(${grid.cols}, 1fr)`, gridTemplateRows: `repeat(${grid.rows}, 1fr)` }}
              data-testid="viewport-grid"
              data-layout={`${grid.rows}x${grid.cols}`}
              data-maximized={alone ?? ''}
              // The viewports keep their places in a right-to-left language: viewport 1 at the top left, as hanging
              // protocols, shared links and the arrow keys (→ the next viewport) place them; each is left to right too.
              dir="ltr"
            >
              {imagingError && (
                <div className="viewport-message error" role="alert" dir="auto">
                  {t('page.imagingFailed', { error: imagingError })}
                </div>
              )}
              {imagingReady && !mpr && !mprLinkPending && slots.map((slot, i) => <ViewportPane key={i} index={i} slot={slot} hidden={alone !== undefined && alone !== i} />)}
              {imagingReady && mpr && (
                <Deferred what={t('page.theMpr')} loading={<div className="viewport-message" role="status" dir="auto">{t('page.openingMpr')}</div>}>
                  <MprView seriesUID={mpr.seriesInstanceUID} fromIndex={mpr.fromIndex} window={mpr.window} with3d={mpr.with3d} center={mpr.center} />
                </Deferred>
              )}
            </main>
            {/* Phones have no room beside the image: the measurements' values are drawn on it. */}
            {!phone && (
              <SidePanel panel="measurements" side="right">
                <div className="side-column">
                  {overlays && (
                    <Deferred what={t('page.theSegmentsPanel')}>
                      <SegmentsPanel />
                    </Deferred>
                  )}
                  <MeasurementPanel controllers={controllers} />
                </div>
              </SidePanel>
            )}
          </div>
          {showTags && activeFrame && activeSeries && (
            <Deferred what={t('page.theTagBrowser')} onClose={closeTags}>
              <TagBrowser seriesUID={activeSeries} imageIndex={activeState?.imageIndex ?? 0} onClose={closeTags} />
            </Deferred>
          )}
          {showHelp && (
            <Deferred what={t('page.theHelp')} onClose={() => setShowHelp(false)}>
              <HelpDialog
                onClose={() => setShowHelp(false)}
                onSettings={() => {
                  setShowHelp(false);
                  setShowSettings(true);
                }}
              />
            </Deferred>
          )}
          {showSettings && (
            <Deferred what={t('page.theSettings')} onClose={() => setShowSettings(false)}>
              <SettingsDialog onClose={() => setShowSettings(false)} />
            </Deferred>
          )}
          {showShare && (
            <Deferred what={t('page.theShareDialog')} onClose={() => setShowShare(false)}>
              <ShareDialog studyInstanceUIDs={studyUIDs} onClose={() => setShowShare(false)} />
            </Deferred>
          )}
          {showExport && (
            <Deferred what={t('page.theExportDialog')} onClose={() => setShowExport(false)}>
              <ExportDialog onClose={() => setShowExport(false)} />
            </Deferred>
          )}
          <TextPromptDialog />
        </div>
      </ControllersContext.Provider>
    </ImagingSessionContext.Provider>
  );
}

import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import i18next from 'i18next';
import { useFormat } from '../common/useFormat';
import { afterChoice, resolveLaunch, type LaunchResult } from '../../app/launch';
import { defaultDataSourceOf } from '../../config/schema';
import { formatPersonName } from '../../model/format';
import { chooseStudy, describePatient, keepsDiagnosticQuality } from '../../model/launch';
import { clientFor, useConfigStore } from '../../store/config';
import { useLaunchStore } from '../../store/launch';
import { useWorklistStore } from '../../store/worklist';
import { navigate, viewerLink } from './router';

/**
 * A launch from another system (model/launch.ts), shown at /launch while it resolves: its identifiers are already
 * out of the address bar. Opens the viewer or the study list with UIDs only, or says why it cannot.
 */
export function LaunchPage() {
  const config = useConfigStore((s) => s.config)!;
  const { t } = useTranslation('app');
  const format = useFormat();
  const pending = useLaunchStore((s) => s.pending);
  const [result, setResult] = useState<LaunchResult>();
  const source = (pending?.parsed.ok && pending.parsed.request.dataSource) || defaultDataSourceOf(config).name;
  const sourceConfig = config.dataSources.find((d) => d.name === source);
  const sourceLabel = sourceConfig?.label ?? source;

  const lossy = !!(pending?.parsed.ok && pending.parsed.request.diagnosticQuality && sourceConfig && !keepsDiagnosticQuality(sourceConfig.requestTransferSyntaxUID));

  useEffect(() => {
    if (!pending?.parsed.ok || lossy) return;
    const client = clientFor(source);
    if (!sourceConfig || !client) return;
    const controller = new AbortController();
    void resolveLaunch(pending.parsed.request.target, client, sourceLabel, controller.signal)
      .then((r) => !controller.signal.aborted && setResult(r))
      .catch(() => undefined);
    return () => controller.abort();
  }, [pending, source, sourceConfig, sourceLabel, lossy]);

  // The outcome: the viewer or the list open in place of this page (the history entry is replaced, so Back does
  // not come here); a refusal or a choice stays.
  useEffect(() => {
    if (!result) return;
    const isDefaultSource = source === defaultDataSourceOf(config).name;
    if (result.kind === 'viewer') {
      useLaunchStore.getState().clear();
      navigate(viewerLink(result.studyUIDs, { dataSource: source, isDefaultSource }), true);
    } else if (result.kind === 'list') {
      useLaunchStore.getState().clear();
      const n = result.studies.length;
      useWorklistStore
        .getState()
        // Said once, in the language of the moment (the study list keeps the sentence).
        .showLaunched(source, { patientId: result.patient.id }, result.studies, i18next.t('launch.opened', { ns: 'app', count: n, patient: describePatient(result.patient) }));
      navigate('/', true);
    } else if (result.kind === 'error') {
      useLaunchStore.getState().clear();
    }
  }, [result, source, config]);

  if (!pending && !result) {
    return (
      <Refusal
        message={t('launch.handled')}
        hint={t('launch.openAgain')}
      />
    );
  }
  if (pending && !pending.parsed.ok) return <Refusal message={t('launch.cannotHonour', { reason: pending.parsed.error })} />;
  if (!sourceConfig) return <Refusal message={t('launch.unknownSource', { source })} />;
  if (lossy) {
    return <Refusal message={t('launch.lossy', { source: sourceLabel })} />;
  }
  if (result?.kind === 'error') return <Refusal message={result.message} />;
  if (result?.kind === 'choose') {
    return (
      <div className="center-message" data-testid="launch-choose">
        <h1>
          {t('launch.choose', { count: result.studies.length, accession: result.accessionNumber })}
        </h1>
        <ul className="launch-choices">
          {result.studies.map((s) => (
            <li key={s.studyInstanceUID}>
              <button type="button" data-testid="launch-choice" data-study-uid={s.studyInstanceUID} onClick={() => setResult(afterChoice(chooseStudy(result.matches, result.accessionNumber, s.studyInstanceUID), sourceLabel))}>
                {format.date(s.studyDate) || t('launch.noDate')} · {s.modalities.join(', ') || '—'} · <bdi>{s.description || t('launch.noDescription')}</bdi> ·{' '}
                <bdi>{formatPersonName(s.patientName)}</bdi> (<bdi>{s.patientId}</bdi>)
              </button>
            </li>
          ))}
        </ul>
        <p>
          <a href="/">{t('launch.toStudyList')}</a>
        </p>
      </div>
    );
  }
  return (
    <div className="center-message" data-testid="launch-resolving">
      {t('launch.finding', { source: sourceLabel })}
    </div>
  );
}

function Refusal({ message, hint }: { message: string; hint?: string }) {
  const { t } = useTranslation('app');
  return (
    <div className="center-message error" role="alert" data-testid="launch-error">
      <h1>{message}</h1>
      {hint && <p>{hint}</p>}
      <p>
        <a href="/">{t('launch.toStudyList')}</a>
      </p>
    </div>
  );
}

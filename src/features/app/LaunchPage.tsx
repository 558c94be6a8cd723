import { useEffect, useState } from 'react';
import { afterChoice, resolveLaunch, type LaunchResult } from '../../app/launch';
import { defaultDataSourceOf } from '../../config/schema';
import { formatDate, formatPersonName } from '../../model/format';
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
        .showLaunched(source, { patientId: result.patient.id }, result.studies, `Opened from another system: ${n} ${n === 1 ? 'study' : 'studies'} of ${describePatient(result.patient)}. Search to see others.`);
      navigate('/', true);
    } else if (result.kind === 'error') {
      useLaunchStore.getState().clear();
    }
  }, [result, source, config]);

  if (!pending && !result) {
    return (
      <Refusal
        message="This launch has already been handled, or the page was reloaded: the identifiers it carried are not kept."
        hint="Open it again from the system that sent it."
      />
    );
  }
  if (pending && !pending.parsed.ok) return <Refusal message={`This launch request cannot be honoured: ${pending.parsed.error}`} />;
  if (!sourceConfig) return <Refusal message={`The data source "${source}" is not configured here.`} />;
  if (lossy) {
    return <Refusal message={`diagnosticQuality=true cannot be honoured: ${sourceLabel} is set to send images in a lossy transfer syntax. Leave diagnosticQuality out or send false.`} />;
  }
  if (result?.kind === 'error') return <Refusal message={result.message} />;
  if (result?.kind === 'choose') {
    return (
      <div className="center-message" data-testid="launch-choose">
        <h1>
          {result.studies.length} studies have accession number {result.accessionNumber}: choose one
        </h1>
        <ul className="launch-choices">
          {result.studies.map((s) => (
            <li key={s.studyInstanceUID}>
              <button type="button" data-testid="launch-choice" data-study-uid={s.studyInstanceUID} onClick={() => setResult(afterChoice(chooseStudy(result.matches, result.accessionNumber, s.studyInstanceUID), sourceLabel))}>
                {formatDate(s.studyDate) || 'No date'} · {s.modalities.join(', ') || '—'} · {s.description || 'No description'} · {formatPersonName(s.patientName)} ({s.patientId})
              </button>
            </li>
          ))}
        </ul>
        <p>
          <a href="/">Go to the study list</a>
        </p>
      </div>
    );
  }
  return (
    <div className="center-message" data-testid="launch-resolving">
      Finding the studies on {sourceLabel}…
    </div>
  );
}

function Refusal({ message, hint }: { message: string; hint?: string }) {
  return (
    <div className="center-message error" role="alert" data-testid="launch-error">
      <h1>{message}</h1>
      {hint && <p>{hint}</p>}
      <p>
        <a href="/">Go to the study list</a>
      </p>
    </div>
  );
}

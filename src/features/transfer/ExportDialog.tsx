import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../common/ErrorText';
import { useFormat } from '../common/useFormat';
// The capture module itself, not the imaging index: the study list opens this dialog without Cornerstone.
import { captureViewport } from '../../imaging/capture';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useAllowed } from '../app/Account';
import type { DeidOptions } from '../../deid/deidentify';
import { useConfigStore } from '../../store/config';
import { useStudyStore } from '../../store/study';
import { useTransferStore, type TransferJob } from '../../store/transfer';
import { useViewerStore } from '../../store/viewer';
import { Modal } from '../common/Modal';

function download(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
}

/** The element of the active viewport (or the first MPR plane), whose picture "Save PNG" takes. */
function activeElement(): HTMLElement | null {
  return document.querySelector<HTMLElement>('.viewport-pane.active .viewport-element') ?? document.querySelector<HTMLElement>('.mpr-pane .viewport-element');
}

/**
 * Export and send: the active viewport as PNG; the active series or the study as a zip of DICOM files, or stored
 * into another data source (upload of local files; a de-identified copy for research), de-identified on request.
 */
export function ExportDialog({ onClose, selection }: { onClose: () => void; selection?: { dataSource: string; studyInstanceUIDs: string[] } }) {
  const viewerSource = useStudyStore((s) => s.dataSource);
  const dataSource = selection?.dataSource ?? viewerSource;
  const studies = useStudyStore((s) => s.studies);
  const seriesEntries = useStudyStore((s) => s.series);
  const { slots, active, mpr } = useViewerStore();
  const clients = useConfigStore((s) => s.clients);
  const config = useConfigStore((s) => s.config)!;
  const activeSeries = selection ? undefined : (mpr?.seriesInstanceUID ?? slots[active]?.seriesInstanceUID);
  const series = activeSeries ? seriesEntries[activeSeries] : undefined;
  const studyUIDs = selection?.studyInstanceUIDs ?? [series?.summary.studyInstanceUID ?? Object.keys(studies)[0]].filter((u) => u !== undefined);
  const [scope, setScope] = useState<'series' | 'study'>(series ? 'series' : 'study');
  const [deid, setDeid] = useState(false);
  const [shift, setShift] = useState(false);
  const [days, setDays] = useState(-365);
  const [keepCharacteristics, setKeepCharacteristics] = useState(false);
  const local = dataSource === LOCAL_SOURCE_NAME;
  // With sign-in, what the account may do (the gateway enforces it; this shows only what it allows).
  const mayExport = useAllowed('export');
  const mayUpload = useAllowed('upload');
  const mayWrite = local ? mayUpload : mayExport;
  const targets = mayWrite ? config.dataSources.filter((d) => d.name !== dataSource && d.kind !== 'local' && clients[d.name]?.canStore) : [];
  const [target, setTarget] = useState(targets[0]?.name ?? '');
  const [withAnnotations, setWithAnnotations] = useState(true);
  const [pngError, setPngError] = useState<string>();
  const { t } = useTranslation('transfer');
  const { job, startZip, startSend, retryFailed, cancel, dismiss } = useTransferStore();
  const busy = job?.status === 'running' || job?.status === 'listing';
  // A finished zip is saved once by itself; "Save" offers it again.
  useEffect(() => {
    if (job?.status === 'done' && job.download && !job.autoSaved) {
      useTransferStore.getState().markAutoSaved();
      download(job.download.url, job.download.name);
    }
  }, [job]);

  const options = (): DeidOptions | undefined =>
    deid ? { shiftDatesByDays: shift ? Math.round(days) : undefined, keepPatientCharacteristics: keepCharacteristics } : undefined;
  const what = () => ({
    dataSource,
    studyInstanceUIDs: studyUIDs,
    seriesInstanceUIDs: scope === 'series' && activeSeries ? [activeSeries] : undefined,
  });
  const savePng = async () => {
    setPngError(undefined);
    const element = activeElement();
    try {
      if (!element) throw new Error(t('noViewport'));
      const blob = await captureViewport(element, withAnnotations);
      const url = URL.createObjectURL(blob);
      download(url, `viewport-${new Date().toISOString().slice(0, 10)}.png`);
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setPngError(e instanceof Error ? e.message : String(e));
    }
  };

  return (
    <Modal title={local ? t('titleLocal') : t('title')} onClose={onClose} className="export" testId="export-dialog">
      <div className="export-body">
        {!mayExport && (
          <p className="muted" data-testid="export-not-allowed">
            {local && mayUpload ? t('mayOnlyUpload') : t('mayNotExport')}
          </p>
        )}
        {!selection && mayExport && (
        <section>
          <h3>{t('image')}</h3>
          <div className="group">
            <button type="button" data-testid="save-png" onClick={() => void savePng()}>
              {t('savePng')}
            </button>
            <label>
              <input type="checkbox" checked={withAnnotations} onChange={(e) => setWithAnnotations(e.target.checked)} data-testid="png-annotations" /> {t('withMeasurements')}
            </label>
          </div>
          {pngError && (
            <p className="error-text" role="alert">
              <ErrorText message={pngError} />
            </p>
          )}
          <p className="muted">{t('pngHint')}</p>
        </section>
        )}
        <section>
          <h3>{t('dicomFiles')}</h3>
          {selection ? (
            <p data-testid="export-selection">{t('selected', { count: selection.studyInstanceUIDs.length })}</p>
          ) : (
          <div className="group" role="radiogroup" aria-label={t('what')}>
            <label>
              <input type="radio" name="scope" checked={scope === 'series'} disabled={!series} onChange={() => setScope('series')} data-testid="scope-series" /> {t('thisSeries')}
              {series && (
                <>
                  {' ('}
                  <bdi>{series.summary.description || t('seriesNumber', { n: series.summary.seriesNumber ?? '' })}</bdi>
                  {t('instances', { count: series.summary.numInstances ?? 0, n: series.summary.numInstances ?? '?' })})
                </>
              )}
            </label>
            <label>
              <input type="radio" name="scope" checked={scope === 'study'} onChange={() => setScope('study')} data-testid="scope-study" /> {t('wholeStudy')}
            </label>
          </div>
          )}
          <label className="block">
            <input type="checkbox" checked={deid} onChange={(e) => setDeid(e.target.checked)} data-testid="deid" /> {t('deid')}
          </label>
          {deid && (
            <div className="deid-options">
              <label className="block">
                <input type="checkbox" checked={shift} onChange={(e) => setShift(e.target.checked)} data-testid="deid-shift" /> {t('shiftBefore')}{' '}
                <input type="number" value={days} onChange={(e) => setDays(Number(e.target.value))} disabled={!shift} data-testid="deid-days" className="days" /> {t('shiftAfter')}
              </label>
              <label className="block">
                <input type="checkbox" checked={keepCharacteristics} onChange={(e) => setKeepCharacteristics(e.target.checked)} data-testid="deid-keep-characteristics" /> {t('keepCharacteristics')}
              </label>
              <p className="muted">{t('burnedIn')}</p>
            </div>
          )}
          <div className="group">
            {mayExport && (
              <button type="button" className="primary" disabled={busy || studyUIDs.length === 0} onClick={() => void startZip(what(), options())} data-testid="export-zip">
                {t('downloadZip')}
              </button>
            )}
            {targets.length > 0 && (
              <>
                {mayExport && <span className="muted">{t('or')}</span>}
                <label>
                  {local ? t('uploadTo') : t('sendTo')}{' '}
                  <select value={target} onChange={(e) => setTarget(e.target.value)} data-testid="send-target">
                    {targets.map((t) => (
                      <option key={t.name} value={t.name}>
                        {t.label ?? t.name}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="button" disabled={busy || studyUIDs.length === 0 || !target} onClick={() => void startSend(what(), target, options())} data-testid="send">
                  {local ? t('upload') : t('send')}
                </button>
              </>
            )}
          </div>
        </section>
        {job && <JobStatus job={job} onRetry={() => void retryFailed()} onCancel={cancel} onDismiss={dismiss} targetLabel={config.dataSources.find((d) => d.name === job.target)?.label ?? job.target} />}
      </div>
    </Modal>
  );
}

function JobStatus({ job, onRetry, onCancel, onDismiss, targetLabel }: { job: TransferJob; onRetry: () => void; onCancel: () => void; onDismiss: () => void; targetLabel?: string }) {
  const r = job.report;
  const failed = Object.entries(r.failed);
  const running = job.status === 'running' || job.status === 'listing';
  const { t } = useTranslation('transfer');
  const format = useFormat();
  const n = format.number;
  return (
    <section className="job" data-testid="transfer-status" data-status={job.status}>
      <h3>
        {job.kind === 'zip' ? t('job.zip') : t('job.sending', { target: targetLabel })}
        {job.deidentified && t('job.deidentified')}
      </h3>
      {job.status === 'listing' && <p>{t('job.listing')}</p>}
      {job.status !== 'listing' && (
        <>
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={r.total} aria-valuenow={r.done}>
            <div className="progress-bar" style={{ width: `${(100 * r.done) / Math.max(1, r.total)}%` }} />
          </div>
          <p data-testid="transfer-summary">
            {running ? t('job.progress', { done: n(r.done), total: n(r.total) }) : ''}
            {t(job.kind === 'zip' ? 'job.zipped' : 'job.stored', { n: n(r.stored.length) })}
            {r.present.length > 0 && t('job.present', { n: n(r.present.length) })}
            {failed.length > 0 && t('job.failed', { n: n(failed.length) })}
            {job.status === 'done' && t('job.ofTotal', { total: n(r.total) })}
            {job.status === 'cancelled' && t('job.cancelled')}
          </p>
        </>
      )}
      {job.error && (
        <p className="error-text" role="alert">
          <ErrorText message={job.error} />
        </p>
      )}
      {r.warnings.length > 0 && (
        <ul className="warning-text" data-testid="transfer-warnings">
          {r.warnings.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {failed.length > 0 && (
        <details open={!running}>
          <summary>{t('job.failedInstances')}</summary>
          <ul data-testid="transfer-failed">
            {failed.map(([uid, why]) => (
              <li key={uid}>
                <code dir="ltr">{uid}</code>: <ErrorText message={why} />
              </li>
            ))}
          </ul>
        </details>
      )}
      <div className="group">
        {running && (
          <button type="button" onClick={onCancel} data-testid="transfer-cancel">
            {t('common:cancel')}
          </button>
        )}
        {job.download && (
          <button type="button" className="primary" onClick={() => download(job.download!.url, job.download!.name)} data-testid="save-zip">
            {t('job.save', { name: job.download.name })}
          </button>
        )}
        {!running && job.kind === 'send' && failed.length > 0 && (
          <button type="button" onClick={onRetry} data-testid="transfer-retry">
            {t('job.retry')}
          </button>
        )}
        {!running && (
          <button type="button" onClick={onDismiss}>
            {t('job.clear')}
          </button>
        )}
      </div>
    </section>
  );
}

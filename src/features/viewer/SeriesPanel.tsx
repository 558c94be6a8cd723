import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTranslation } from 'react-i18next';
import { imageIdsFor, renderThumbnail } from '../../imaging';
import { formatDate } from '../../model/format';
import type { DisplaySet } from '../../model/types';
import { clientFor } from '../../store/config';
import { useStudyStore, type SeriesEntry } from '../../store/study';
import { useMeasurementStore } from '../../store/measurements';
import { useViewerStore } from '../../store/viewer';
import { openReportSeries } from '../../app/documents';
import { useImagingSession } from './controllers';
import { SERIES_DRAG_TYPE } from './ViewportPane';
import { kindFromModality } from '../../model/objectKinds';
import type { ObjectKind } from '../../model/types';
import { kindLook } from '../objects/kinds';

/** A series of objects (report, document, waveform…): what it is, as an icon and a word, instead of a thumbnail. */
function KindThumbnail({ kind }: { kind: Exclude<ObjectKind, 'image'> }) {
  const { t } = useTranslation('objects');
  const { label: key, icon: Icon } = kindLook(kind);
  const label = t(key);
  return (
    <div className="thumb-kind" data-testid="series-kind" data-kind={kind}>
      <Icon size={32} aria-hidden="true" />
      <span>{label}</span>
    </div>
  );
}

function Thumbnail({ displaySet, dataSource }: { displaySet: DisplaySet; dataSource: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    const client = clientFor(dataSource);
    // The middle image represents a series better than its first (often a scout edge).
    const frame = displaySet.frames[Math.floor(displaySet.frames.length / 2)];
    if (!client || !frame || !canvasRef.current) return;
    const [imageId] = imageIdsFor(client, [frame]);
    renderThumbnail(canvasRef.current, imageId!).catch(() => setFailed(true));
  }, [displaySet, dataSource]);
  if (displaySet.frames.length === 0) return <div className="thumb-placeholder">No images</div>;
  return (
    <>
      <canvas ref={canvasRef} width={96} height={96} className="thumbnail" data-testid="thumbnail" />
      {failed && <div className="thumb-placeholder error-text">Preview failed</div>}
    </>
  );
}

function SeriesItem({ uid, entry, dataSource, imagingReady }: { uid: string; entry: SeriesEntry; dataSource: string; imagingReady: boolean }) {
  const session = useImagingSession();
  const progress = useStudyStore((s) => s.progress[uid]);
  const shownIn = useViewerStore(
    useShallow((s) => s.slots.flatMap((slot, i) => (slot.seriesInstanceUID === uid ? [i + 1] : []))),
  );
  const s = entry.summary;
  const isReport = s.modality === 'SR';
  const report = useMeasurementStore((st) => st.reports[uid]);
  // What the series is: known from its metadata once read, guessed from its modality until then.
  const kind: ObjectKind = entry.displaySet?.kind ?? kindFromModality(s.modality) ?? 'image';
  const count = kind !== 'image' ? (entry.displaySet?.objects.length ?? s.numInstances) : (entry.displaySet?.frames.length ?? s.numInstances);
  const { t } = useTranslation('objects');
  return (
    <li
      className={`series-item${shownIn.length ? ' shown' : ''}`}
      data-testid="series-item"
      data-series-uid={uid}
      draggable
      onDragStart={(e) => {
        e.dataTransfer.setData(SERIES_DRAG_TYPE, uid);
        e.dataTransfer.effectAllowed = 'copy';
      }}
      onClick={() => {
        // A measurement report's measurements go onto the images; any other report opens in the active viewport.
        if (isReport) {
          void openReportSeries(imagingReady ? session.measurements : undefined, uid);
          return;
        }
        const viewer = useViewerStore.getState();
        viewer.showSeries(viewer.active, uid);
      }}
      title={
        isReport
          ? 'Click to open the report (a measurement report: its measurements on the images), or drag into a viewport to read it'
          : 'Click to show in the active viewport, or drag into a viewport'
      }
    >
      <div className="thumb-box">
        {kind !== 'image' ? (
          <KindThumbnail kind={kind} />
        ) : entry.displaySet && imagingReady ? (
          <Thumbnail displaySet={entry.displaySet} dataSource={dataSource} />
        ) : entry.status === 'error' ? (
          <div className="thumb-placeholder error-text">Error</div>
        ) : (
          <div className="thumb-placeholder">…</div>
        )}
      </div>
      <div className="series-text">
        <div className="series-desc" data-testid="series-description">
          {s.description || '(no description)'}
        </div>
        <div className="muted">
          <span className="modality-badge">{s.modality}</span>
          {s.seriesNumber !== undefined && <> Se {s.seriesNumber}</>} · {kind !== 'image' ? t('count', { count: count ?? 0 }) : `${count ?? '?'} ${count === 1 ? 'image' : 'images'}`}
          {shownIn.length > 0 && <> · in {shownIn.join(', ')}</>}
        </div>
        {entry.status === 'error' && <div className="error-text" role="alert">{entry.error}</div>}
        {report && (
          <div className={report.state === 'error' ? 'error-text' : 'muted'} data-testid="report-status" role={report.state === 'error' ? 'alert' : undefined}>
            {report.state === 'loading'
              ? 'Opening the report…'
              : report.state === 'error'
                ? report.message
                : `${report.restored} measurement${report.restored === 1 ? '' : 's'} shown${report.skipped ? `, ${report.skipped} could not be placed` : ''}`}
          </div>
        )}
        {!isReport && entry.displaySet?.notes
          .filter((n) => n.kind === 'non-image-skipped' || n.kind === 'no-images')
          .map((n) => (
            <div key={n.kind} className="muted">
              {n.message}
            </div>
          ))}
        {progress && progress.total > 0 && (
          <div className="progress" title={`${progress.loaded} of ${progress.total} images loaded`}>
            <div
              className="progress-bar"
              data-testid="series-progress"
              data-loaded={progress.loaded}
              data-done={progress.loaded + progress.failed}
              data-total={progress.total}
              style={{ width: `${(100 * (progress.loaded + progress.failed)) / progress.total}%` }}
            />
          </div>
        )}
      </div>
    </li>
  );
}

/**
 * The open studies and their series, with thumbnails rendered from a real frame once the imaging layer has
 * started (series metadata can arrive before it: loading starts with the link, not with the viewer).
 */
export function SeriesPanel({ imagingReady }: { imagingReady: boolean }) {
  const { studyUIDs, studies, seriesOrder, series, dataSource, priors, addStudies } = useStudyStore();
  return (
    <aside className="series-panel" data-testid="series-panel">
      {studyUIDs.map((uid, i) => {
        const study = studies[uid];
        return (
          <section key={uid} data-testid="open-study" data-study-uid={uid}>
            <h2 className="study-heading">
              <span className={`study-role${i === 0 ? ' current' : ''}`}>{i === 0 ? 'Current' : 'Prior'}</span>{' '}
              {study?.summary ? `${formatDate(study.summary.studyDate)} ${study.summary.description}` : 'Study'}
            </h2>
            {study?.status === 'loading' && <div className="muted">Loading study…</div>}
            {study?.status === 'error' && (
              <div className="error-text" role="alert" data-testid="study-error">
                {study.error}
              </div>
            )}
            <ul className="series-items">
              {(seriesOrder[uid] ?? []).map((sid) => {
                const entry = series[sid];
                return entry ? <SeriesItem key={sid} uid={sid} entry={entry} dataSource={dataSource} imagingReady={imagingReady} /> : null;
              })}
            </ul>
          </section>
        );
      })}
      <section className="priors" data-testid="priors">
        <h2 className="study-heading">Other studies of this patient</h2>
        {priors.status === 'loading' && <div className="muted">Looking for other studies…</div>}
        {priors.status === 'error' && (
          <div className="error-text" role="alert">
            {priors.error}
          </div>
        )}
        {priors.status === 'ready' && priors.studies.length === 0 && <div className="muted" data-testid="no-priors">None on this data source.</div>}
        {priors.note && (
          <div className="warning-text" role="status" data-testid="compare-note">
            {priors.note}
          </div>
        )}
        <ul className="prior-items">
          {priors.studies.map((p) => (
            <li key={p.studyInstanceUID}>
              <button type="button" className="prior-item" data-testid="prior-item" data-study-uid={p.studyInstanceUID} onClick={() => void addStudies([p.studyInstanceUID])} title="Open this study beside the current one">
                <span className="prior-date">{formatDate(p.studyDate) || 'no date'}</span>
                <span className="modality-badge">{p.modalities.join(', ') || '?'}</span>
                <span className="prior-desc">{p.description || '(no description)'}</span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}

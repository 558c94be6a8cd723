import { useEffect, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useTranslation } from 'react-i18next';
import { imageIdsFor, renderThumbnail } from '../../imaging';
import { useFormat } from '../common/useFormat';
import { ErrorText } from '../common/ErrorText';
import type { DisplaySet } from '../../model/types';
import { clientFor } from '../../store/config';
import { useStudyStore, type SeriesEntry } from '../../store/study';
import { useMeasurementStore } from '../../store/measurements';
import { useViewerStore } from '../../store/viewer';
import { COMPARE_NOTES } from '../../app/compare';
import { openReportSeries } from '../../app/documents';
import { useImagingSession } from './controllers';
import { SERIES_DRAG_TYPE } from './ViewportPane';
import { kindFromModality } from '../../model/objectKinds';
import type { ObjectKind } from '../../model/types';
import { kindLook } from '../objects/kinds';

/** The key of a note of "compare with prior" (app/compare.ts), by its English. */
const noteKey = (note: string) => (Object.keys(COMPARE_NOTES) as (keyof typeof COMPARE_NOTES)[]).find((k) => COMPARE_NOTES[k] === note);

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
  const { t } = useTranslation('viewer');
  useEffect(() => {
    const client = clientFor(dataSource);
    // The middle image represents a series better than its first (often a scout edge).
    const frame = displaySet.frames[Math.floor(displaySet.frames.length / 2)];
    if (!client || !frame || !canvasRef.current) return;
    const [imageId] = imageIdsFor(client, [frame]);
    renderThumbnail(canvasRef.current, imageId!).catch(() => setFailed(true));
  }, [displaySet, dataSource]);
  if (displaySet.frames.length === 0) return <div className="thumb-placeholder">{t('series.noImages')}</div>;
  return (
    <>
      <canvas ref={canvasRef} width={96} height={96} className="thumbnail" data-testid="thumbnail" />
      {failed && <div className="thumb-placeholder error-text">{t('series.previewFailed')}</div>}
    </>
  );
}

function SeriesItem({ uid, entry, dataSource, imagingReady, onChosen }: { uid: string; entry: SeriesEntry; dataSource: string; imagingReady: boolean; onChosen?: () => void }) {
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
  const { t: tv } = useTranslation('viewer');
  const format = useFormat();
  const choose = () => {
    // A measurement report's measurements go onto the images; any other report opens in the active viewport.
    if (isReport) {
      void openReportSeries(imagingReady ? session.measurements : undefined, uid);
      onChosen?.();
      return;
    }
    const viewer = useViewerStore.getState();
    viewer.showSeries(viewer.active, uid);
    onChosen?.();
  };
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
      onClick={choose}
      // Reachable from the keyboard too: Tab to it, Enter or Space shows it.
      tabIndex={0}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        e.preventDefault();
        e.stopPropagation();
        choose();
      }}
      title={isReport ? tv('series.reportTitle') : tv('series.title')}
    >
      <div className="thumb-box">
        {kind !== 'image' ? (
          <KindThumbnail kind={kind} />
        ) : entry.displaySet && imagingReady ? (
          <Thumbnail displaySet={entry.displaySet} dataSource={dataSource} />
        ) : entry.status === 'error' ? (
          <div className="thumb-placeholder error-text">{tv('series.error')}</div>
        ) : (
          <div className="thumb-placeholder">…</div>
        )}
      </div>
      <div className="series-text">
        <div className="series-desc" data-testid="series-description">
          <bdi>{s.description || tv('common:noDescription')}</bdi>
        </div>
        <div className="muted">
          <span className="modality-badge">{s.modality}</span>
          {s.seriesNumber !== undefined && <> {tv('series.number', { n: format.digits(String(s.seriesNumber)) })}</>} ·{' '}
          {kind !== 'image' ? t('count', { count: count ?? 0 }) : count !== undefined ? tv('series.images', { count, n: format.number(count) }) : tv('series.imagesUnknown')}
          {shownIn.length > 0 && <> · {tv('series.shownIn', { viewports: shownIn.map((n) => format.digits(String(n))).join(tv('series.listSeparator')) })}</>}
        </div>
        {entry.status === 'error' && (
          <div className="error-text" role="alert">
            <ErrorText message={entry.error ?? ''} />
          </div>
        )}
        {report && (
          <div className={report.state === 'error' ? 'error-text' : 'muted'} data-testid="report-status" role={report.state === 'error' ? 'alert' : undefined}>
            {report.state === 'loading' ? (
              tv('series.openingReport')
            ) : report.state === 'error' ? (
              <ErrorText message={report.message} />
            ) : (
              tv('series.reportShown', { count: report.restored }) + (report.skipped ? tv('series.reportSkipped', { count: report.skipped }) : '')
            )}
          </div>
        )}
        {!isReport && entry.displaySet?.notes
          .filter((n) => n.kind === 'non-image-skipped' || n.kind === 'no-images')
          .map((n) => (
            <div key={n.kind} className="muted">
              {tv(`note.${n.kind}`, { count: n.count ?? 0 })}
            </div>
          ))}
        {progress && progress.total > 0 && (
          <div className="progress" title={tv('series.progress', { loaded: progress.loaded, total: progress.total })}>
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
export function SeriesPanel({ imagingReady, onChosen }: { imagingReady: boolean; /** A series was chosen (the phone's sheet closes). */ onChosen?: () => void }) {
  const { studyUIDs, studies, seriesOrder, series, dataSource, priors, addStudies } = useStudyStore();
  const { t } = useTranslation('viewer');
  const format = useFormat();
  return (
    <aside className="series-panel" data-testid="series-panel">
      {studyUIDs.map((uid, i) => {
        const study = studies[uid];
        return (
          <section key={uid} data-testid="open-study" data-study-uid={uid}>
            <h2 className="study-heading">
              <span className={`study-role${i === 0 ? ' current' : ''}`}>{i === 0 ? t('current') : t('prior')}</span>{' '}
              {study?.summary ? (
                <>
                  {format.date(study.summary.studyDate)} <bdi>{study.summary.description}</bdi>
                </>
              ) : (
                t('series.study')
              )}
            </h2>
            {study?.status === 'loading' && <div className="muted">{t('series.loadingStudy')}</div>}
            {study?.status === 'error' && (
              <div className="error-text" role="alert" data-testid="study-error">
                <ErrorText message={study.error ?? ''} />
              </div>
            )}
            <ul className="series-items">
              {(seriesOrder[uid] ?? []).map((sid) => {
                const entry = series[sid];
                return entry ? <SeriesItem key={sid} uid={sid} entry={entry} dataSource={dataSource} imagingReady={imagingReady} onChosen={onChosen} /> : null;
              })}
            </ul>
          </section>
        );
      })}
      <section className="priors" data-testid="priors">
        <h2 className="study-heading">{t('priors.title')}</h2>
        {priors.status === 'loading' && <div className="muted">{t('priors.looking')}</div>}
        {priors.status === 'error' && (
          <div className="error-text" role="alert">
            <ErrorText message={priors.error ?? ''} />
          </div>
        )}
        {priors.status === 'ready' && priors.studies.length === 0 && (
          <div className="muted" data-testid="no-priors">
            {t('priors.none')}
          </div>
        )}
        {priors.note && (
          <div className="warning-text" role="status" data-testid="compare-note">
            {noteKey(priors.note) ? t(`priors.note.${noteKey(priors.note)}`) : priors.note}
          </div>
        )}
        <ul className="prior-items">
          {priors.studies.map((p) => (
            <li key={p.studyInstanceUID}>
              <button type="button" className="prior-item" data-testid="prior-item" data-study-uid={p.studyInstanceUID} onClick={() => void addStudies([p.studyInstanceUID])} title={t('priors.openTitle')}>
                <span className="prior-date">{format.date(p.studyDate) || t('common:noDate')}</span>
                <span className="modality-badge">{p.modalities.join(', ') || '?'}</span>
                <span className="prior-desc">
                  <bdi>{p.description || t('common:noDescription')}</bdi>
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
    </aside>
  );
}

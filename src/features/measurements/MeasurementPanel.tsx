import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import { useFormat, type Format } from '../common/useFormat';
import { ErrorText } from '../common/ErrorText';
import { redo, removeMeasurements, renameMeasurement, selectMeasurement, undo, type StackController } from '../../imaging';
import { KIND_LABELS, MEASUREMENT_NOTES, summarize, type Measurement, type ValueWords } from '../../model/measurements';
import { clientFor } from '../../store/config';
import { unsavedChanges, useMeasurementStore } from '../../store/measurements';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { exportCsv, imageIndexOf, jumpTo, saveMeasurements } from '../../app/reports';
import { usePromptStore } from '../../store/prompt';
import { setLeaveGuard } from '../app/router';
import { useImagingSession } from '../viewer/controllers';
import { useAllowed } from '../app/Account';

function where(m: Measurement, t: TFunction, format: Format): string {
  const summary = useStudyStore.getState().series[m.seriesInstanceUID]?.summary;
  const index = imageIndexOf(m);
  const parts = [summary?.seriesNumber !== undefined ? t('viewer:series.number', { n: format.digits(String(summary.seriesNumber)) }) : summary?.description || t('series')];
  if (m.reformatted) parts.push(t('mprPlane', { plane: t(`viewer:mpr.plane.${m.reformatted.plane}`) }));
  else if (index >= 0) parts.push(t('viewer:overlay.image', { n: format.digits(String(index + 1)) }));
  return parts.join(' · ');
}

/** A note of model/measurements.ts (MEASUREMENT_NOTES), in the reader's language. */
function noteText(note: string, t: TFunction): string {
  const key = (Object.keys(MEASUREMENT_NOTES) as (keyof typeof MEASUREMENT_NOTES)[]).find((k) => MEASUREMENT_NOTES[k] === note);
  return key ? t(`note.${key}`) : note;
}

/** Values as the reader's language writes them: its digits, decimal mark, units and names. */
function useValueWords(): ValueWords {
  const { t } = useTranslation('measurements');
  const format = useFormat();
  return useMemo(() => ({ number: format.fixed, unit: format.unit, name: (n) => t(`value.${n}`, { defaultValue: n }), separator: t('valueSeparator') }), [t, format]);
}

function Row({ m, n, selected, readOnly, controllers }: { m: Measurement; n: number; selected: boolean; readOnly: boolean; controllers: Map<number, StackController> }) {
  // Re-render when the series' images arrive (the image number comes from them).
  useStudyStore((s) => s.series[m.seriesInstanceUID]?.displaySet);
  const { t } = useTranslation('measurements');
  const format = useFormat();
  const words = useValueWords();
  const rename = async () => {
    const text = await usePromptStore.getState().ask(t('labelPrompt'), m.label);
    if (text !== undefined) renameMeasurement(m.uid, text.trim());
  };
  return (
    <li
      className={`measurement${selected ? ' selected' : ''}`}
      data-testid="measurement"
      data-kind={m.kind}
      data-uid={m.uid}
      onClick={() => {
        if (!readOnly) selectMeasurement(m.uid);
        jumpTo(m, controllers);
      }}
      title={t('show')}
    >
      <div className="measurement-head">
        <span className="measurement-number">{n}</span>
        <span className="measurement-label" data-testid="measurement-label">
          {m.label ? <bdi>{m.label}</bdi> : t(`kind.${m.kind}`, { defaultValue: KIND_LABELS[m.kind] })}
        </span>
        <span className="muted">{where(m, t, format)}</span>
      </div>
      <div className="measurement-value" data-testid="measurement-value">
        {summarize(m, words)}
      </div>
      {m.calibrationNote && (
        <div className="warning-text" data-testid="measurement-note">
          {noteText(m.calibrationNote, t)}
        </div>
      )}
      {m.extentNote && (
        <div className="warning-text" data-testid="measurement-extent">
          {noteText(m.extentNote, t)}
        </div>
      )}
      {!readOnly && (
        <div className="measurement-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" onClick={() => void rename()} data-testid="measurement-rename">
            {t('rename')}
          </button>
          <button type="button" onClick={() => removeMeasurements([m.uid])} data-testid="measurement-delete">
            {t('delete')}
          </button>
        </div>
      )}
    </li>
  );
}

function SaveStatusLine() {
  const save = useMeasurementStore((s) => s.save);
  const local = useStudyStore((s) => s.dataSource) === LOCAL_SOURCE_NAME;
  const { t } = useTranslation('measurements');
  switch (save.state) {
    case 'saving':
      return (
        <div className="muted" data-testid="save-status">
          {t('saving', { count: save.count })}
        </div>
      );
    case 'saved':
      return (
        <div className="ok-text" data-testid="save-status">
          {t(local ? 'savedLocal' : 'saved', { count: save.count, series: save.seriesNumber })}
        </div>
      );
    case 'error': {
      const message = <ErrorText message={save.message} />;
      return (
        <div className="error-text" role="alert" data-testid="save-status">
          {message}
          {/[.!?]$/.test(save.message) ? '' : '.'} {t('stillHere')}
        </div>
      );
    }
    default:
      return null;
  }
}

/**
 * Every measurement of the open studies, with its value and image; click to show it. Editing, undo/redo and
 * saving to the PACS are hidden in read-only viewing.
 */
export function MeasurementPanel({ controllers }: { controllers: Map<number, StackController> }) {
  const { items, selected, canUndo, canRedo, save } = useMeasurementStore();
  const session = useImagingSession();
  const mayStore = useAllowed('store-report');
  const unsaved = useMeasurementStore(unsavedChanges);
  const readOnly = useViewerStore((s) => s.readOnly);
  const dataSource = useStudyStore((s) => s.dataSource);
  // The data source takes reports, and (with sign-in) this account may store them.
  const canStore = (clientFor(dataSource)?.canStore ?? false) && mayStore;
  const local = dataSource === LOCAL_SOURCE_NAME;
  const { t } = useTranslation('measurements');

  // Leaving the page with unsaved measurements asks first (the browser's own dialog).
  useEffect(() => {
    if (readOnly || unsaved === 0) return;
    // A reload or a closed tab asks through beforeunload; leaving inside the app (the study list link, the
    // browser's Back) does not unload the page, so the router asks.
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    const removeGuard = setLeaveGuard(() => t('leave'));
    return () => {
      window.removeEventListener('beforeunload', warn);
      removeGuard();
    };
  }, [readOnly, unsaved, t]);

  return (
    <aside className="measurement-panel" data-testid="measurement-panel" aria-label={t('title')}>
      <header>
        <h2>
          {t('title')} <span className="muted">({items.length})</span>
        </h2>
        {!readOnly && (
          <div className="group">
            <button type="button" onClick={() => undo()} disabled={!canUndo} title={t('undoTitle')} data-testid="measure-undo">
              {t('undo')}
            </button>
            <button type="button" onClick={() => redo()} disabled={!canRedo} title={t('redoTitle')} data-testid="measure-redo">
              {t('redo')}
            </button>
          </div>
        )}
      </header>
      {items.length === 0 ? (
        <p className="muted">{readOnly ? t('none') : t('empty')}</p>
      ) : (
        <ol className="measurements">
          {items.map((m, i) => (
            <Row key={m.uid} m={m} n={i + 1} selected={selected.includes(m.uid)} readOnly={readOnly} controllers={controllers} />
          ))}
        </ol>
      )}
      <footer>
        {!readOnly && (
          <button
            type="button"
            onClick={() => void saveMeasurements(session.measurements)}
            disabled={(items.length === 0 && unsaved === 0) || save.state === 'saving' || !canStore}
            title={
              !mayStore ? t('mayNotStore') : !canStore ? t('cannotStore') : local ? t('saveLocalTitle') : t('saveTitle')
            }
            data-testid="save-measurements"
          >
            {local ? t('saveLocal') : t('save')}
            {unsaved > 0 ? t('unsaved', { count: unsaved }) : ''}
          </button>
        )}
        <button type="button" onClick={exportCsv} disabled={items.length === 0} data-testid="export-csv">
          {t('exportCsv')}
        </button>
        <SaveStatusLine />
      </footer>
    </aside>
  );
}

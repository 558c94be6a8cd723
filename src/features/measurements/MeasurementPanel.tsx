import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useEffect } from 'react';
import { redo, removeMeasurements, renameMeasurement, selectMeasurement, undo, type StackController } from '../../imaging';
import { KIND_LABELS, summarize, type Measurement } from '../../model/measurements';
import { clientFor } from '../../store/config';
import { unsavedChanges, useMeasurementStore } from '../../store/measurements';
import { useStudyStore } from '../../store/study';
import { useViewerStore } from '../../store/viewer';
import { exportCsv, imageIndexOf, jumpTo, saveMeasurements } from '../../app/reports';
import { usePromptStore } from '../../store/prompt';
import { setLeaveGuard } from '../app/router';
import { useImagingSession } from '../viewer/controllers';
import { useAllowed } from '../app/Account';

function where(m: Measurement): string {
  const summary = useStudyStore.getState().series[m.seriesInstanceUID]?.summary;
  const index = imageIndexOf(m);
  const parts = [summary?.seriesNumber !== undefined ? `Se ${summary.seriesNumber}` : summary?.description || 'Series'];
  if (m.reformatted) parts.push(`${m.reformatted.plane[0]!.toUpperCase()}${m.reformatted.plane.slice(1)} MPR`);
  else if (index >= 0) parts.push(`Im ${index + 1}`);
  return parts.join(' · ');
}

function Row({ m, n, selected, readOnly, controllers }: { m: Measurement; n: number; selected: boolean; readOnly: boolean; controllers: Map<number, StackController> }) {
  // Re-render when the series' images arrive (the image number comes from them).
  useStudyStore((s) => s.series[m.seriesInstanceUID]?.displaySet);
  const rename = async () => {
    const text = await usePromptStore.getState().ask('Measurement label', m.label);
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
      title="Show this measurement"
    >
      <div className="measurement-head">
        <span className="measurement-number">{n}</span>
        <span className="measurement-label" data-testid="measurement-label">
          {m.label || KIND_LABELS[m.kind]}
        </span>
        <span className="muted">{where(m)}</span>
      </div>
      <div className="measurement-value" data-testid="measurement-value">
        {summarize(m)}
      </div>
      {m.calibrationNote && (
        <div className="warning-text" data-testid="measurement-note">
          {m.calibrationNote}
        </div>
      )}
      {m.extentNote && (
        <div className="warning-text" data-testid="measurement-extent">
          {m.extentNote}
        </div>
      )}
      {!readOnly && (
        <div className="measurement-actions" onClick={(e) => e.stopPropagation()}>
          <button type="button" onClick={() => void rename()} data-testid="measurement-rename">
            Rename
          </button>
          <button type="button" onClick={() => removeMeasurements([m.uid])} data-testid="measurement-delete">
            Delete
          </button>
        </div>
      )}
    </li>
  );
}

function SaveStatusLine() {
  const save = useMeasurementStore((s) => s.save);
  const local = useStudyStore((s) => s.dataSource) === LOCAL_SOURCE_NAME;
  switch (save.state) {
    case 'saving':
      return <div className="muted" data-testid="save-status">Saving {save.count} measurements…</div>;
    case 'saved':
      return (
        <div className="ok-text" data-testid="save-status">
          Saved {save.count} measurement{save.count === 1 ? '' : 's'} {local ? 'with the local files' : 'to the PACS'} (series {save.seriesNumber}).
        </div>
      );
    case 'error':
      return (
        <div className="error-text" role="alert" data-testid="save-status">
          {/[.!?]$/.test(save.message) ? save.message : `${save.message}.`} Your measurements are still here; try again when the
          problem is fixed.
        </div>
      );
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

  // Leaving the page with unsaved measurements asks first (the browser's own dialog).
  useEffect(() => {
    if (readOnly || unsaved === 0) return;
    // A reload or a closed tab asks through beforeunload; leaving inside the app (the study list link, the
    // browser's Back) does not unload the page, so the router asks.
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    const removeGuard = setLeaveGuard(() => 'Leave without saving your measurements to the PACS?');
    return () => {
      window.removeEventListener('beforeunload', warn);
      removeGuard();
    };
  }, [readOnly, unsaved]);

  return (
    <aside className="measurement-panel" data-testid="measurement-panel" aria-label="Measurements">
      <header>
        <h2>
          Measurements <span className="muted">({items.length})</span>
        </h2>
        {!readOnly && (
          <div className="group">
            <button type="button" onClick={() => undo()} disabled={!canUndo} title="Undo (Ctrl+Z)" data-testid="measure-undo">
              Undo
            </button>
            <button type="button" onClick={() => redo()} disabled={!canRedo} title="Redo (Ctrl+Y)" data-testid="measure-redo">
              Redo
            </button>
          </div>
        )}
      </header>
      {items.length === 0 ? (
        <p className="muted">{readOnly ? 'No measurements.' : 'Choose a measurement tool in the toolbar and draw on an image.'}</p>
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
              !mayStore
                ? 'This account may not store reports'
                : !canStore
                ? 'This data source cannot store'
                : local
                  ? 'Keep the measurements with the local files as a DICOM SR (export or upload them with the study)'
                  : 'Store the measurements in the PACS as a DICOM SR'
            }
            data-testid="save-measurements"
          >
            {local ? 'Save report' : 'Save to PACS'}{unsaved > 0 ? ` (${unsaved} unsaved)` : ''}
          </button>
        )}
        <button type="button" onClick={exportCsv} disabled={items.length === 0} data-testid="export-csv">
          Export CSV
        </button>
        <SaveStatusLine />
      </footer>
    </aside>
  );
}

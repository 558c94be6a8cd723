import { useMemo } from 'react';
import { CT_PRESETS } from '../../model/windowPresets';
import { useStudyStore } from '../../store/study';
import { applicableProtocols, hangByProtocol } from '../../app/protocols';
import { LAYOUTS, useViewerStore, type PrimaryToolName } from '../../store/viewer';
import { commandById, keyName, MEASURE_TOOLS, type CommandContext } from './commands';
import { useAllowed } from '../app/Account';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useViewStates } from '../../store/viewStates';

const keyHint = (keys: string[]) => (keys.length ? ` (${keys.map(keyName).join(', ')})` : '');

const TOOLS: { id: PrimaryToolName; label: string; command: string }[] = [
  { id: 'windowLevel', label: 'W/L', command: 'tool.windowLevel' },
  { id: 'pan', label: 'Pan', command: 'tool.pan' },
  { id: 'zoom', label: 'Zoom', command: 'tool.zoom' },
  { id: 'scroll', label: 'Scroll', command: 'tool.scroll' },
];


const ACTIONS: { command: string; label: string }[] = [
  { command: 'view.rotateLeft', label: '⟲' },
  { command: 'view.rotateRight', label: '⟳' },
  { command: 'view.flipH', label: '⇋' },
  { command: 'view.flipV', label: '⇅' },
  { command: 'view.invert', label: 'Invert' },
  { command: 'view.fit', label: 'Fit' },
  { command: 'view.reset', label: 'Reset' },
];

interface Props {
  context: () => CommandContext;
  onShowTags: () => void;
  onShowHelp: () => void;
  onShare: () => void;
  onExport: () => void;
}

export function Toolbar({ context, onShowTags, onShowHelp, onShare, onExport }: Props) {
  // With sign-in, Export shows for accounts that may export (or upload the local files shown).
  const local = useStudyStore((s) => s.dataSource) === LOCAL_SOURCE_NAME;
  const mayExportAny = useAllowed('export');
  const mayUpload = useAllowed('upload');
  const mayExport = mayExportAny || (local && mayUpload);
  const { primaryTool, layout, setLayout, cineFps, setCineFps, active, readOnly, mpr, sync, links } = useViewerStore();
  const cinePlaying = useViewStates((s) => s.states[active]?.cinePlaying ?? false);
  const run = (id: string) => commandById(id).run(context());
  const button = (id: string, label: string, pressed?: boolean) => {
    const c = commandById(id);
    return (
      <button
        key={id}
        type="button"
        title={c.label + keyHint(c.keys)}
        aria-label={c.label}
        aria-pressed={pressed}
        data-command={id}
        onClick={() => run(id)}
      >
        {label}
      </button>
    );
  };

  return (
    <div className="toolbar" role="toolbar" aria-label="Viewer tools" data-testid="toolbar">
      <div className="group">{TOOLS.map((t) => button(t.command, t.label, primaryTool === t.id))}</div>
      {!readOnly && (
        <div className="group" role="group" aria-label="Measurement tools" data-testid="measure-tools">
          {MEASURE_TOOLS.map((t) => button(`tool.${t.kind}`, t.short, primaryTool === t.kind))}
        </div>
      )}
      <div className="group">
        <select
          aria-label="Window preset"
          data-testid="preset-select"
          value=""
          onChange={(e) => {
            if (e.target.value) run(e.target.value);
          }}
        >
          <option value="">W/L preset…</option>
          {CT_PRESETS.map((p, i) => (
            <option key={p.id} value={`preset.${p.id}`}>
              {i + 1} {p.label} ({p.center}/{p.width})
            </option>
          ))}
          <option value="preset.default">5 From image</option>
        </select>
      </div>
      <div className="group">
        {ACTIONS.map((a) => button(a.command, a.label))}
        {button('view.mpr', mpr ? 'Stack' : 'MPR', !!mpr)}
      </div>
      <div className="group">
        {button('cine.toggle', cinePlaying ? '■ Stop' : '▶ Cine', cinePlaying)}
        <label className="fps">
          <input
            type="number"
            min={1}
            max={60}
            value={cineFps}
            aria-label="Cine frames per second"
            onChange={(e) => setCineFps(Number(e.target.value) || 1)}
          />
          fps
        </label>
      </div>
      <div className="group">
        <select
          aria-label="Layout"
          data-testid="layout-select"
          value={mpr ? (mpr.with3d ? 'mpr3d' : 'mpr') : `${layout.rows}x${layout.cols}`}
          onChange={(e) => {
            if (e.target.value === 'mpr' || e.target.value === 'mpr3d') {
              const with3d = e.target.value === 'mpr3d';
              if (mpr) useViewerStore.getState().setMpr3d(with3d);
              else {
                run('view.mpr');
                useViewerStore.getState().setMpr3d(with3d);
              }
              return;
            }
            if (mpr) run('view.mpr');
            const [rows, cols] = e.target.value.split('x').map(Number);
            setLayout({ rows: rows!, cols: cols! });
          }}
        >
          <option value="mpr">MPR (1×3)</option>
          <option value="mpr3d">MPR + 3D (2×2)</option>
          {LAYOUTS.map((l) => (
            <option key={`${l.rows}x${l.cols}`} value={`${l.rows}x${l.cols}`}>
              {l.rows}×{l.cols}
            </option>
          ))}
        </select>
        <ProtocolPicker />
      </div>
      <div className="group">
        <span className="sync-group" role="group" aria-label="Synchronization" data-testid="sync-tools">
          <span className="muted">Sync</span>
          {button('sync.scroll', 'Scroll', sync.scroll)}
          {button('sync.windowLevel', 'W/L', sync.windowLevel)}
          {button('sync.zoomPan', 'Zoom', sync.zoomPan)}
          {button('sync.referenceLines', 'Lines', sync.referenceLines)}
          {button('sync.link', 'Link', Object.keys(links).length > 0)}
        </span>
        <button type="button" onClick={() => run('compare.prior')} title="Compare with prior: this series beside the most relevant earlier study's (x)" data-testid="compare-prior">
          Compare
        </button>
        <button type="button" onClick={onShowTags} title="DICOM tags of the current image (t)" data-testid="show-tags">
          Tags
        </button>
        <button type="button" onClick={onShare} title="A link to this view for a colleague (no patient data in it)" data-testid="share">
          Share
        </button>
        {mayExport && (
          <button type="button" onClick={onExport} title="Save the image as PNG, the series or study as DICOM files (de-identified on request), or send it to another data source" data-testid="export">
            Export
          </button>
        )}
        <button type="button" onClick={onShowHelp} title="Keyboard shortcuts (?)">
          ?
        </button>
      </div>
    </div>
  );
}

/** The hanging protocols that apply to the open studies; choosing one hangs them so (and is remembered per modality). */
function ProtocolPicker() {
  const protocol = useViewerStore((s) => s.protocol);
  // Re-evaluated when series lists or metadata change (orientation), or priors open.
  const seriesOrder = useStudyStore((s) => s.seriesOrder);
  const series = useStudyStore((s) => s.series);
  const options = useMemo(() => applicableProtocols(), [seriesOrder, series]); // eslint-disable-line react-hooks/exhaustive-deps
  if (options.length === 0) return null;
  return (
    <select
      aria-label="Hanging protocol"
      title="Hanging protocol: how the studies are laid out"
      data-testid="protocol-select"
      value={protocol?.id ?? ''}
      onChange={(e) => e.target.value && hangByProtocol(e.target.value)}
    >
      {!protocol && <option value="">Protocol…</option>}
      {protocol && !options.some((p) => p.id === protocol.id) && <option value={protocol.id}>{protocol.name}</option>}
      {options.map((p) => (
        <option key={p.id} value={p.id}>
          {p.name}
        </option>
      ))}
    </select>
  );
}

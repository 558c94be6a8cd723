import { useStudyStore } from '../../store/study';
import { useViewerStore, type PrimaryToolName } from '../../store/viewer';
import { usePreferencesStore } from '../../store/preferences';
import { commandById, keyName, keysOf, MEASURE_TOOLS, type CommandContext } from './commands';
import { useAllowed } from '../app/Account';
import { LOCAL_SOURCE_NAME } from '../../local/localSource';
import { useViewStates } from '../../store/viewStates';
import { LayoutPicker } from './LayoutPicker';
import { PresetPicker } from './PresetPicker';

const keyHint = (keys: readonly string[]) => (keys.length ? ` (${keys.map(keyName).join(', ')})` : '');

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
  onShowSettings: () => void;
  onShare: () => void;
  onExport: () => void;
}

export function Toolbar({ context, onShowTags, onShowHelp, onShowSettings, onShare, onExport }: Props) {
  // With sign-in, Export shows for accounts that may export (or upload the local files shown).
  const local = useStudyStore((s) => s.dataSource) === LOCAL_SOURCE_NAME;
  const mayExportAny = useAllowed('export');
  const mayUpload = useAllowed('upload');
  const mayExport = mayExportAny || (local && mayUpload);
  const { primaryTool, cineFps, setCineFps, cineFileRate, setCineFileRate, active, readOnly, mpr, sync, links } = useViewerStore();
  const bindings = usePreferencesStore((s) => s.keyBindings);
  const cinePlaying = useViewStates((s) => s.states[active]?.cinePlaying ?? false);
  const run = (id: string) => commandById(id).run(context());
  const button = (id: string, label: string, pressed?: boolean) => {
    const c = commandById(id);
    return (
      <button
        key={id}
        type="button"
        title={c.label + keyHint(keysOf(c, bindings))}
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
        <PresetPicker run={run} />
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
        <button
          type="button"
          aria-pressed={cineFileRate}
          onClick={() => setCineFileRate(!cineFileRate)}
          title="Play multi-frame loops at their files' own timing (frame time or frame time vector); a rate typed in fps overrides it"
          data-testid="cine-file-rate"
        >
          File rate
        </button>
      </div>
      <div className="group">
        <LayoutPicker run={run} />
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
        <button type="button" onClick={onShowTags} title={`DICOM tags of the current image${keyHint(keysOf(commandById('dialog.tags'), bindings))}`} data-testid="show-tags">
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
        <button type="button" onClick={onShowSettings} title="Settings: change keys, your W/L presets" aria-label="Settings" data-testid="show-settings">
          ⚙
        </button>
        <button type="button" onClick={onShowHelp} title={`Keyboard shortcuts${keyHint(keysOf(commandById('dialog.help'), bindings))}`} data-testid="show-help">
          ?
        </button>
      </div>
    </div>
  );
}

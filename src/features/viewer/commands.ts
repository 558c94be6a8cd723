import { redo, removeMeasurements, undo, type OpenMpr, type StackController } from '../../imaging';
import { MEASUREMENT_KINDS, type MeasurementKind } from '../../model/measurements';
import { useMeasurementStore } from '../../store/measurements';
import { MAX_PRESETS, presetForKey, type WindowPreset } from '../../model/windowPresets';
import { useConfigStore } from '../../store/config';
import { usePreferencesStore } from '../../store/preferences';
import { LAYOUTS, useViewerStore, type PrimaryToolName, type SyncSettings } from '../../store/viewer';
import { toggleLink } from '../../app/sync';
import { useStudyStore } from '../../store/study';
import { compareWithPrior } from '../../app/compare';
import { useViewStates } from '../../store/viewStates';

/**
 * Every viewer action in one place: the toolbar, the hotkeys and the help overlay all read this list.
 */
export interface CommandContext {
  controller?: StackController;
  controllers: Map<number, StackController>;
  /** Opens one of the viewer's dialogs (absent where there is no viewer page). */
  openDialog?: (dialog: ViewerDialog) => void;
  /** The MPR shown, if any (the imaging session's): view and window commands go to it instead of the stack. */
  mpr?: OpenMpr;
}

export type ViewerDialog = 'tags' | 'help' | 'settings';

/** The tasks the help and the settings group keys by, in the order they show them. */
export const COMMAND_GROUPS = ['Navigate', 'Window', 'View', 'Measure', 'Layout and screen', 'Compare and sync', 'Dialogs'] as const;
export type CommandGroup = (typeof COMMAND_GROUPS)[number];

export interface Command {
  id: string;
  label: string;
  group: CommandGroup;
  /**
   * KeyboardEvent.key values that run the command (case-sensitive where it matters); 'Mod+z' means Ctrl+Z, or
   * Cmd+Z on a Mac, and 'Mod+Shift+z' adds Shift.
   */
  keys: string[];
  run: (ctx: CommandContext) => void;
  /** Changes measurements: hidden and disabled in read-only viewing. */
  edits?: boolean;
}

const tool = (id: PrimaryToolName) => () => useViewerStore.getState().setPrimaryTool(id);
const toggleSync = (key: keyof SyncSettings) => {
  const { sync, setSync } = useViewerStore.getState();
  setSync({ [key]: !sync[key] });
};

/** All image series UIDs of the open studies, in panel order. */
function seriesInOrder(): string[] {
  const { studyUIDs, seriesOrder } = useStudyStore.getState();
  return studyUIDs.flatMap((uid) => seriesOrder[uid] ?? []);
}

function stepSeries(delta: number) {
  const viewer = useViewerStore.getState();
  const all = seriesInOrder();
  if (all.length === 0) return;
  const current = viewer.slots[viewer.active]?.seriesInstanceUID;
  const at = current ? all.indexOf(current) : -1;
  const next = all[(at + delta + all.length) % all.length]!;
  viewer.showSeries(viewer.active, next);
}

function stepViewport(delta: number) {
  const viewer = useViewerStore.getState();
  const n = viewer.slots.length;
  viewer.setActive((viewer.active + delta + n) % n);
}

/** What the toolbar and help say for each measurement tool: the toolbar's short label, the command's label, hotkeys. */
const MEASURE_TOOL_TEXT: Record<MeasurementKind, { short: string; label: string; keys: string[] }> = {
  Length: { short: 'Length', label: 'Length', keys: ['d'] },
  Angle: { short: 'Angle', label: 'Angle', keys: ['a'] },
  CobbAngle: { short: 'Cobb', label: 'Cobb angle', keys: ['j'] },
  Bidirectional: { short: 'Bidir', label: 'Bidirectional (long and short axis)', keys: ['b'] },
  EllipticalROI: { short: 'Ellipse', label: 'Ellipse ROI', keys: ['e'] },
  RectangleROI: { short: 'Rect', label: 'Rectangle ROI', keys: ['q'] },
  CircleROI: { short: 'Circle', label: 'Circle ROI', keys: ['o'] },
  PlanarFreehandROI: { short: 'Freehand', label: 'Freehand ROI', keys: ['f'] },
  Probe: { short: 'Probe', label: 'Probe (value at a point)', keys: ['u'] },
  ArrowAnnotate: { short: 'Arrow', label: 'Arrow with text', keys: ['k'] },
  Label: { short: 'Text', label: 'Text label', keys: ['y'] },
};

/** The measurement tools in toolbar order (model/measurements' list): the toolbar's short label, the command's label and hotkeys. */
export const MEASURE_TOOLS: { kind: MeasurementKind; short: string; label: string; keys: string[] }[] = MEASUREMENT_KINDS.map((kind) => ({
  kind,
  ...MEASURE_TOOL_TEXT[kind],
}));

/** The modality of the image the reader is looking at (the active viewport, or MPR's series). */
function activeModality(): string | undefined {
  const viewer = useViewerStore.getState();
  const uid = viewer.mpr?.seriesInstanceUID ?? viewer.slots[viewer.active]?.seriesInstanceUID;
  return uid ? useStudyStore.getState().series[uid]?.summary.modality : undefined;
}

/** Preset key `n` (1–9) for the image on screen: the site's (or the default) for 1–5, the reader's for 6–9. */
export function presetNow(n: number): WindowPreset | undefined {
  return presetForKey(n, activeModality(), useConfigStore.getState().config?.windowPresets, usePreferencesStore.getState().readerPresets);
}

function applyPreset(n: number, { controller, mpr }: CommandContext) {
  const p = presetNow(n);
  if (!p) return;
  if (mpr) mpr.setWindow(p.center, p.width);
  else controller?.setWindow(p.center, p.width);
}

function toggleMaximize() {
  const viewer = useViewerStore.getState();
  if (!viewer.mpr) viewer.toggleMaximized(viewer.active);
}

function togglePanel(panel: 'series' | 'measurements') {
  const prefs = usePreferencesStore.getState();
  prefs.setCollapsed(panel, !prefs.collapsed[panel]);
}

export const COMMANDS: Command[] = [
  { id: 'tool.windowLevel', group: 'Window', label: 'Window/level tool (drag)', keys: ['w'], run: tool('windowLevel') },
  { id: 'tool.pan', group: 'View', label: 'Pan tool', keys: ['p'], run: tool('pan') },
  { id: 'tool.zoom', group: 'View', label: 'Zoom tool', keys: ['z'], run: tool('zoom') },
  { id: 'tool.scroll', group: 'Navigate', label: 'Scroll tool (drag through images)', keys: ['s'], run: tool('scroll') },
  ...MEASURE_TOOLS.map(
    (t): Command => ({ id: `tool.${t.kind}`, group: 'Measure', label: `${t.label} tool`, keys: t.keys, run: tool(t.kind), edits: true }),
  ),
  { id: 'measure.undo', group: 'Measure', label: 'Undo', keys: ['Mod+z'], run: () => undo(), edits: true },
  { id: 'measure.redo', group: 'Measure', label: 'Redo', keys: ['Mod+y', 'Mod+Shift+z'], run: () => redo(), edits: true },
  {
    id: 'measure.delete',
    group: 'Measure',
    label: 'Delete the selected measurement',
    keys: ['Delete', 'Backspace'],
    run: () => removeMeasurements(useMeasurementStore.getState().selected),
    edits: true,
  },
  { id: 'view.zoomIn', group: 'View', label: 'Zoom in', keys: ['+'], run: ({ controller }) => controller?.zoomBy(1.25) },
  { id: 'view.zoomOut', group: 'View', label: 'Zoom out', keys: ['-'], run: ({ controller }) => controller?.zoomBy(0.8) },
  { id: 'view.fit', group: 'View', label: 'Fit to window', keys: ['='], run: ({ controller }) => controller?.fit() },
  { id: 'view.rotateRight', group: 'View', label: 'Rotate 90° right', keys: ['r'], run: ({ controller }) => controller?.rotate(90) },
  { id: 'view.rotateLeft', group: 'View', label: 'Rotate 90° left', keys: ['l'], run: ({ controller }) => controller?.rotate(-90) },
  { id: 'view.flipH', group: 'View', label: 'Flip horizontal', keys: ['h'], run: ({ controller }) => controller?.flip('horizontal') },
  { id: 'view.flipV', group: 'View', label: 'Flip vertical', keys: ['v'], run: ({ controller }) => controller?.flip('vertical') },
  { id: 'view.invert', group: 'Window', label: 'Invert', keys: ['i'], run: ({ controller }) => controller?.toggleInvert() },
  {
    id: 'view.reset',
    group: 'View',
    label: 'Reset view',
    keys: [' '],
    run: ({ controller, mpr }) => (mpr ? mpr.reset() : controller?.reset()),
  },
  {
    id: 'view.mpr',
    group: 'Layout and screen',
    label: 'MPR: the active series in three planes / back to the stack',
    keys: ['m'],
    run: ({ controller, mpr }) => {
      const viewer = useViewerStore.getState();
      if (viewer.mpr) {
        // The MPR view hands back its crosshair's slice; without one (its code did not load) the stack is as it was.
        if (mpr) mpr.close();
        else viewer.closeMpr();
        return;
      }
      const uid = viewer.slots[viewer.active]?.seriesInstanceUID;
      if (!uid) return;
      const st = useViewStates.getState().states[viewer.active];
      const window = st?.windowWidth !== undefined ? { center: st.windowCenter ?? 0, width: st.windowWidth } : undefined;
      viewer.openMpr(uid, controller?.imageIndex ?? 0, viewer.active, window);
    },
  },
  {
    id: 'cine.toggle',
    group: 'Navigate',
    label: 'Play/stop cine',
    keys: ['c'],
    run: ({ controller }) => {
      if (!controller) return;
      // The controller knows whether its clip plays; toggling through it keeps one source of truth.
      const playing = controller.isCinePlaying;
      if (playing) controller.stopCine();
      else {
        const { cineFps, cineFileRate } = useViewerStore.getState();
        controller.playCine(cineFps, cineFileRate);
      }
    },
  },
  ...Array.from(
    { length: MAX_PRESETS },
    (_, i): Command => ({
      id: `preset.${i + 1}`,
      group: 'Window',
      label: i < 5 ? `W/L preset ${i + 1}` : `W/L preset ${i + 1} (your own)`,
      keys: [String(i + 1)],
      run: (ctx) => applyPreset(i + 1, ctx),
    }),
  ),
  {
    id: 'preset.default',
    group: 'Window',
    label: 'W/L from the image',
    keys: ['0'],
    run: ({ controller, mpr }) => (mpr ? mpr.resetWindow() : controller?.resetWindow()),
  },
  { id: 'image.next', group: 'Navigate', label: 'Next image', keys: ['ArrowDown'], run: ({ controller }) => void controller?.scroll(1) },
  { id: 'image.previous', group: 'Navigate', label: 'Previous image', keys: ['ArrowUp'], run: ({ controller }) => void controller?.scroll(-1) },
  { id: 'image.first', group: 'Navigate', label: 'First image', keys: ['Home'], run: ({ controller }) => void controller?.setImageIndex(0) },
  {
    id: 'image.last',
    group: 'Navigate',
    label: 'Last image',
    keys: ['End'],
    run: ({ controller }) => void controller?.setImageIndex(Number.MAX_SAFE_INTEGER),
  },
  { id: 'series.next', group: 'Navigate', label: 'Next series', keys: ['PageDown'], run: () => stepSeries(1) },
  { id: 'series.previous', group: 'Navigate', label: 'Previous series', keys: ['PageUp'], run: () => stepSeries(-1) },
  { id: 'viewport.next', group: 'Layout and screen', label: 'Next viewport', keys: ['ArrowRight'], run: () => stepViewport(1) },
  { id: 'viewport.previous', group: 'Layout and screen', label: 'Previous viewport', keys: ['ArrowLeft'], run: () => stepViewport(-1) },
  {
    id: 'viewport.maximize',
    group: 'Layout and screen',
    label: 'Active viewport alone (1×1) and back; or double-click it with W/L, pan, zoom or scroll selected',
    keys: ['.'],
    run: toggleMaximize,
  },
  {
    id: 'layout.cycle',
    group: 'Layout and screen',
    label: 'Next layout',
    keys: ['g'],
    run: () => {
      const { layout, setLayout } = useViewerStore.getState();
      const at = LAYOUTS.findIndex((l) => l.rows === layout.rows && l.cols === layout.cols);
      setLayout(LAYOUTS[(at + 1) % LAYOUTS.length]!);
    },
  },
  { id: 'panel.series', group: 'Layout and screen', label: 'Hide/show the series panel', keys: ['['], run: () => togglePanel('series') },
  { id: 'panel.measurements', group: 'Layout and screen', label: 'Hide/show the measurements panel', keys: [']'], run: () => togglePanel('measurements') },
  { id: 'sync.scroll', group: 'Compare and sync', label: 'Scroll sync (by position: same frame of reference, or linked)', keys: [], run: () => toggleSync('scroll') },
  { id: 'sync.windowLevel', group: 'Compare and sync', label: 'W/L sync (same modality)', keys: [], run: () => toggleSync('windowLevel') },
  { id: 'sync.zoomPan', group: 'Compare and sync', label: 'Zoom and pan sync', keys: [], run: () => toggleSync('zoomPan') },
  { id: 'sync.referenceLines', group: 'Compare and sync', label: 'Reference lines (the active image’s plane on the others)', keys: [], run: () => toggleSync('referenceLines') },
  {
    id: 'sync.link',
    group: 'Compare and sync',
    label: 'Link the shown series for scrolling at their present offset (current and prior); hold Shift while scrolling one side to change it',
    keys: ['n'],
    run: () => toggleLink(),
  },
  { id: 'compare.prior', group: 'Compare and sync', label: 'Compare with prior (current and the most relevant prior side by side)', keys: ['x'], run: () => void compareWithPrior() },
  { id: 'dialog.tags', group: 'Dialogs', label: 'DICOM tags of the current image', keys: ['t'], run: ({ openDialog }) => openDialog?.('tags') },
  { id: 'dialog.help', group: 'Dialogs', label: 'Keyboard shortcuts', keys: ['?'], run: ({ openDialog }) => openDialog?.('help') },
  { id: 'dialog.settings', group: 'Dialogs', label: 'Settings: change keys, your W/L presets', keys: [], run: ({ openDialog }) => openDialog?.('settings') },
];

/** A key as the help and tooltips show it: 'Mod+Shift+z' → 'Ctrl+Shift+Z' ('Mod' is Cmd on a Mac). */
export function keyName(key: string): string {
  if (key === ' ') return 'Space';
  if (!key.startsWith('Mod+')) return key;
  const parts = key.split('+');
  const last = parts.pop()!;
  return [...parts.map((p) => (p === 'Mod' ? 'Ctrl' : p)), last.toUpperCase()].join('+');
}

export function commandById(id: string): Command {
  const c = COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown command ${id}`);
  return c;
}

/** Command id → keys the reader chose instead of a command's defaults (store/preferences.ts). */
export type KeyBindings = Readonly<Record<string, readonly string[]>>;

/** A command's keys: the reader's, else its defaults. */
export function keysOf(command: Command, bindings: KeyBindings = {}): readonly string[] {
  return bindings[command.id] ?? command.keys;
}

/**
 * The key a key press stands for, as commands name keys: letters lower case ('D' with Shift is 'd'), Ctrl/Cmd
 * combinations as 'Mod+…'; undefined for a modifier alone or an Alt combination (left to the browser).
 */
export function keyOfEvent(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>): string | undefined {
  if (e.altKey || ['Shift', 'Control', 'Alt', 'Meta', 'AltGraph', 'CapsLock', 'Dead', 'Unidentified'].includes(e.key)) return undefined;
  if (e.ctrlKey || e.metaKey) return `Mod+${e.shiftKey ? 'Shift+' : ''}${e.key.toLowerCase()}`;
  return e.key.length === 1 && e.key !== ' ' ? e.key.toLowerCase() : e.key;
}

/**
 * The command a key press runs, if any. Ctrl/Cmd combinations run only the commands that name them (undo,
 * redo); others, and anything with Alt, are left to the browser. `readOnly` leaves out commands that edit.
 */
export function commandForKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  readOnly = false,
  bindings: KeyBindings = {},
): Command | undefined {
  const key = keyOfEvent(e);
  if (key === undefined) return undefined;
  const usable = readOnly ? COMMANDS.filter((c) => !c.edits) : COMMANDS;
  return usable.find((c) => {
    const keys = keysOf(c, bindings);
    return keys.includes(key) || (!key.startsWith('Mod+') && keys.includes(e.key));
  });
}

/** Keys no command may take: they move focus, close dialogs or confirm in every dialog. */
const RESERVED_KEYS: Record<string, string> = {
  Escape: 'Escape closes dialogs and cancels',
  Tab: 'Tab moves between controls',
  Enter: 'Enter presses the focused button',
};

export type BindResult = { ok: true; bindings: Record<string, string[]> } | { ok: false; message: string };

/**
 * Gives command `id` the one key `key`, replacing its keys. Refused, with a message saying why, when the key is
 * reserved or another command has it (the reader frees it there first).
 */
export function bindKey(bindings: KeyBindings, id: string, key: string): BindResult {
  const command = commandById(id);
  if (RESERVED_KEYS[key]) return { ok: false, message: `${keyName(key)} cannot be used: ${RESERVED_KEYS[key]}.` };
  const holder = COMMANDS.find((c) => c.id !== id && keysOf(c, bindings).includes(key));
  if (holder) return { ok: false, message: `${keyName(key)} is already the key of “${holder.label}”. Give that command another key first.` };
  const next: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(bindings)) next[k] = [...v];
  next[command.id] = [key];
  return { ok: true, bindings: next };
}

/** Takes command `id`'s keys away (it stays in the toolbar and menus). */
export function unbindKeys(bindings: KeyBindings, id: string): Record<string, string[]> {
  const next: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(bindings)) next[k] = [...v];
  next[commandById(id).id] = [];
  return next;
}

import { redo, removeMeasurements, undo, type OpenMpr, type StackController } from '../../imaging';
import { MEASUREMENT_KINDS, type MeasurementKind } from '../../model/measurements';
import { useMeasurementStore } from '../../store/measurements';
import { CT_PRESETS } from '../../model/windowPresets';
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
  /** The MPR shown, if any (the imaging session's): view and window commands go to it instead of the stack. */
  mpr?: OpenMpr;
}

export interface Command {
  id: string;
  label: string;
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
  CobbAngle: { short: 'Cobb', label: 'Cobb angle', keys: [] },
  Bidirectional: { short: 'Bidir', label: 'Bidirectional (long and short axis)', keys: ['b'] },
  EllipticalROI: { short: 'Ellipse', label: 'Ellipse ROI', keys: ['e'] },
  RectangleROI: { short: 'Rect', label: 'Rectangle ROI', keys: [] },
  CircleROI: { short: 'Circle', label: 'Circle ROI', keys: ['o'] },
  PlanarFreehandROI: { short: 'Freehand', label: 'Freehand ROI', keys: ['f'] },
  Probe: { short: 'Probe', label: 'Probe (value at a point)', keys: [] },
  ArrowAnnotate: { short: 'Arrow', label: 'Arrow with text', keys: ['k'] },
  Label: { short: 'Text', label: 'Text label', keys: [] },
};

/** The measurement tools in toolbar order (model/measurements' list): the toolbar's short label, the command's label and hotkeys. */
export const MEASURE_TOOLS: { kind: MeasurementKind; short: string; label: string; keys: string[] }[] = MEASUREMENT_KINDS.map((kind) => ({
  kind,
  ...MEASURE_TOOL_TEXT[kind],
}));

export const COMMANDS: Command[] = [
  { id: 'tool.windowLevel', label: 'Window/level tool', keys: ['w'], run: tool('windowLevel') },
  { id: 'tool.pan', label: 'Pan tool', keys: ['p'], run: tool('pan') },
  { id: 'tool.zoom', label: 'Zoom tool', keys: ['z'], run: tool('zoom') },
  { id: 'tool.scroll', label: 'Scroll tool (drag through images)', keys: ['s'], run: tool('scroll') },
  ...MEASURE_TOOLS.map(
    (t): Command => ({ id: `tool.${t.kind}`, label: `${t.label} tool`, keys: t.keys, run: tool(t.kind), edits: true }),
  ),
  { id: 'measure.undo', label: 'Undo', keys: ['Mod+z'], run: () => undo(), edits: true },
  { id: 'measure.redo', label: 'Redo', keys: ['Mod+y', 'Mod+Shift+z'], run: () => redo(), edits: true },
  {
    id: 'measure.delete',
    label: 'Delete the selected measurement',
    keys: ['Delete', 'Backspace'],
    run: () => removeMeasurements(useMeasurementStore.getState().selected),
    edits: true,
  },
  { id: 'view.zoomIn', label: 'Zoom in', keys: ['+'], run: ({ controller }) => controller?.zoomBy(1.25) },
  { id: 'view.zoomOut', label: 'Zoom out', keys: ['-'], run: ({ controller }) => controller?.zoomBy(0.8) },
  { id: 'view.fit', label: 'Fit to window', keys: ['='], run: ({ controller }) => controller?.fit() },
  { id: 'view.rotateRight', label: 'Rotate 90° right', keys: ['r'], run: ({ controller }) => controller?.rotate(90) },
  { id: 'view.rotateLeft', label: 'Rotate 90° left', keys: ['l'], run: ({ controller }) => controller?.rotate(-90) },
  { id: 'view.flipH', label: 'Flip horizontal', keys: ['h'], run: ({ controller }) => controller?.flip('horizontal') },
  { id: 'view.flipV', label: 'Flip vertical', keys: ['v'], run: ({ controller }) => controller?.flip('vertical') },
  { id: 'view.invert', label: 'Invert', keys: ['i'], run: ({ controller }) => controller?.toggleInvert() },
  {
    id: 'view.reset',
    label: 'Reset view',
    keys: [' '],
    run: ({ controller, mpr }) => (mpr ? mpr.reset() : controller?.reset()),
  },
  {
    id: 'view.mpr',
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
    label: 'Play/stop cine',
    keys: ['c'],
    run: ({ controller }) => {
      if (!controller) return;
      // The controller knows whether its clip plays; toggling through it keeps one source of truth.
      const playing = controller.isCinePlaying;
      if (playing) controller.stopCine();
      else controller.playCine(useViewerStore.getState().cineFps);
    },
  },
  ...CT_PRESETS.map(
    (p, i): Command => ({
      id: `preset.${p.id}`,
      label: `W/L ${p.label} (${p.center}/${p.width})`,
      keys: [String(i + 1)],
      run: ({ controller, mpr }) => (mpr ? mpr.setWindow(p.center, p.width) : controller?.setWindow(p.center, p.width)),
    }),
  ),
  {
    id: 'preset.default',
    label: 'W/L from the image',
    keys: ['5'],
    run: ({ controller, mpr }) => (mpr ? mpr.resetWindow() : controller?.resetWindow()),
  },
  { id: 'image.next', label: 'Next image', keys: ['ArrowDown'], run: ({ controller }) => void controller?.scroll(1) },
  { id: 'image.previous', label: 'Previous image', keys: ['ArrowUp'], run: ({ controller }) => void controller?.scroll(-1) },
  { id: 'image.first', label: 'First image', keys: ['Home'], run: ({ controller }) => void controller?.setImageIndex(0) },
  {
    id: 'image.last',
    label: 'Last image',
    keys: ['End'],
    run: ({ controller }) => void controller?.setImageIndex(Number.MAX_SAFE_INTEGER),
  },
  { id: 'sync.scroll', label: 'Scroll sync (by position: same frame of reference, or linked)', keys: [], run: () => toggleSync('scroll') },
  { id: 'sync.windowLevel', label: 'W/L sync (same modality)', keys: [], run: () => toggleSync('windowLevel') },
  { id: 'sync.zoomPan', label: 'Zoom and pan sync', keys: [], run: () => toggleSync('zoomPan') },
  { id: 'sync.referenceLines', label: 'Reference lines (the active image’s plane on the others)', keys: [], run: () => toggleSync('referenceLines') },
  {
    id: 'sync.link',
    label: 'Link the shown series for scrolling at their present offset (current and prior); hold Shift while scrolling one side to change it',
    keys: ['n'],
    run: () => toggleLink(),
  },
  { id: 'compare.prior', label: 'Compare with prior (current and the most relevant prior side by side)', keys: ['x'], run: () => void compareWithPrior() },
  { id: 'series.next', label: 'Next series', keys: ['PageDown'], run: () => stepSeries(1) },
  { id: 'series.previous', label: 'Previous series', keys: ['PageUp'], run: () => stepSeries(-1) },
  { id: 'viewport.next', label: 'Next viewport', keys: ['ArrowRight'], run: () => stepViewport(1) },
  { id: 'viewport.previous', label: 'Previous viewport', keys: ['ArrowLeft'], run: () => stepViewport(-1) },
  {
    id: 'layout.cycle',
    label: 'Next layout',
    keys: ['g'],
    run: () => {
      const { layout, setLayout } = useViewerStore.getState();
      const at = LAYOUTS.findIndex((l) => l.rows === layout.rows && l.cols === layout.cols);
      setLayout(LAYOUTS[(at + 1) % LAYOUTS.length]!);
    },
  },
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

/**
 * The command a key press runs, if any. Ctrl/Cmd combinations run only the commands that name them (undo,
 * redo); others, and anything with Alt, are left to the browser. `readOnly` leaves out commands that edit.
 */
export function commandForKey(
  e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey' | 'shiftKey'>,
  readOnly = false,
): Command | undefined {
  if (e.altKey) return undefined;
  const usable = readOnly ? COMMANDS.filter((c) => !c.edits) : COMMANDS;
  if (e.ctrlKey || e.metaKey) {
    const combo = `Mod+${e.shiftKey ? 'Shift+' : ''}${e.key.toLowerCase()}`;
    return usable.find((c) => c.keys.includes(combo));
  }
  const key = e.key.length === 1 && e.key !== ' ' ? e.key.toLowerCase() : e.key;
  return usable.find((c) => c.keys.includes(key) || c.keys.includes(e.key));
}

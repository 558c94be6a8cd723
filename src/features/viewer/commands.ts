import type { StackController } from '../../imaging';
import { CT_PRESETS } from '../../imaging/presets';
import { LAYOUTS, useViewerStore, type PrimaryToolName } from '../../store/viewer';
import { useStudyStore } from '../../store/study';

/**
 * Every viewer action in one place: the toolbar, the hotkeys and the help overlay all read this list.
 */
export interface CommandContext {
  controller?: StackController;
  controllers: Map<number, StackController>;
}

export interface Command {
  id: string;
  label: string;
  /** KeyboardEvent.key values that run the command (case-sensitive where it matters). */
  keys: string[];
  run: (ctx: CommandContext) => void;
}

const tool = (id: PrimaryToolName) => () => useViewerStore.getState().setPrimaryTool(id);

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

export const COMMANDS: Command[] = [
  { id: 'tool.windowLevel', label: 'Window/level tool', keys: ['w'], run: tool('windowLevel') },
  { id: 'tool.pan', label: 'Pan tool', keys: ['p'], run: tool('pan') },
  { id: 'tool.zoom', label: 'Zoom tool', keys: ['z'], run: tool('zoom') },
  { id: 'tool.scroll', label: 'Scroll tool (drag through images)', keys: ['s'], run: tool('scroll') },
  { id: 'view.zoomIn', label: 'Zoom in', keys: ['+'], run: ({ controller }) => controller?.zoomBy(1.25) },
  { id: 'view.zoomOut', label: 'Zoom out', keys: ['-'], run: ({ controller }) => controller?.zoomBy(0.8) },
  { id: 'view.fit', label: 'Fit to window', keys: ['='], run: ({ controller }) => controller?.fit() },
  { id: 'view.rotateRight', label: 'Rotate 90° right', keys: ['r'], run: ({ controller }) => controller?.rotate(90) },
  { id: 'view.rotateLeft', label: 'Rotate 90° left', keys: ['l'], run: ({ controller }) => controller?.rotate(-90) },
  { id: 'view.flipH', label: 'Flip horizontal', keys: ['h'], run: ({ controller }) => controller?.flip('horizontal') },
  { id: 'view.flipV', label: 'Flip vertical', keys: ['v'], run: ({ controller }) => controller?.flip('vertical') },
  { id: 'view.invert', label: 'Invert', keys: ['i'], run: ({ controller }) => controller?.toggleInvert() },
  { id: 'view.reset', label: 'Reset view', keys: [' '], run: ({ controller }) => controller?.reset() },
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
      run: ({ controller }) => controller?.setWindow(p.center, p.width),
    }),
  ),
  { id: 'preset.default', label: 'W/L from the image', keys: ['5'], run: ({ controller }) => controller?.resetWindow() },
  { id: 'image.next', label: 'Next image', keys: ['ArrowDown'], run: ({ controller }) => void controller?.scroll(1) },
  { id: 'image.previous', label: 'Previous image', keys: ['ArrowUp'], run: ({ controller }) => void controller?.scroll(-1) },
  { id: 'image.first', label: 'First image', keys: ['Home'], run: ({ controller }) => void controller?.setImageIndex(0) },
  {
    id: 'image.last',
    label: 'Last image',
    keys: ['End'],
    run: ({ controller }) => void controller?.setImageIndex(Number.MAX_SAFE_INTEGER),
  },
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

export function commandById(id: string): Command {
  const c = COMMANDS.find((x) => x.id === id);
  if (!c) throw new Error(`unknown command ${id}`);
  return c;
}

/** The command a key press runs, if any; modified keys (Ctrl/Alt/Meta) are left to the browser. */
export function commandForKey(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'altKey'>): Command | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined;
  const key = e.key.length === 1 && e.key !== ' ' ? e.key.toLowerCase() : e.key;
  return COMMANDS.find((c) => c.keys.includes(key) || c.keys.includes(e.key));
}

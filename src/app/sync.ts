// Scroll, window and zoom/pan synchronization between stack viewports, links between series, a protocol's sync
// groups and reference lines: the viewer's hook (features/viewer/useSync.ts) starts it and follows the store.
import type { ImagingSession, StackController } from '../imaging';
import { offsetBetween, parallel, stackGeometry, syncedIndex, type StackGeometry } from '../model/sync';
import type { DisplaySet } from '../model/types';
import type { ViewState } from '../model/viewState';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';
import { useViewStates } from '../store/viewStates';

/** What sync asks of a viewport's controller (a StackController). */
export type SyncedViewport = Pick<StackController, 'setImageIndex' | 'setWindow' | 'setZoomPan'>;

const geometries = new WeakMap<DisplaySet, StackGeometry | null>();
function geometryOf(ds: DisplaySet | undefined): StackGeometry | undefined {
  if (!ds) return undefined;
  if (!geometries.has(ds)) geometries.set(ds, stackGeometry(ds) ?? null);
  return geometries.get(ds) ?? undefined;
}

const linkKey = (a: string, b: string) => `${a}|${b}`;

function displaySetIn(viewport: number): DisplaySet | undefined {
  const uid = useViewerStore.getState().slots[viewport]?.seriesInstanceUID;
  return uid ? useStudyStore.getState().series[uid]?.displaySet : undefined;
}

/**
 * How viewport `b` follows a scroll of viewport `a`: the offset (mm) to add, or undefined when it does not
 * (different frames of reference and not linked, or planes not parallel).
 */
export function scrollOffset(a: number, b: number): { ga: StackGeometry; gb: StackGeometry; offset: number } | undefined {
  const da = displaySetIn(a);
  const db = displaySetIn(b);
  const ga = geometryOf(da);
  const gb = geometryOf(db);
  if (!da || !db || !ga || !gb || !parallel(ga, gb)) return undefined;
  const linked = useViewerStore.getState().links[linkKey(da.series.seriesInstanceUID, db.series.seriesInstanceUID)];
  if (linked !== undefined) return { ga, gb, offset: linked };
  return ga.frameOfReferenceUID && ga.frameOfReferenceUID === gb.frameOfReferenceUID ? { ga, gb, offset: 0 } : undefined;
}

/**
 * Links the active viewport's series with every other shown series whose planes are parallel, at the offset
 * between the images they show now (the user has scrolled both to the same anatomy); unlinks when linked.
 */
export function toggleLink(): void {
  const viewer = useViewerStore.getState();
  if (Object.keys(viewer.links).length > 0) {
    viewer.setLinks({});
    return;
  }
  const states = useViewStates.getState().states;
  const a = viewer.active;
  const da = displaySetIn(a);
  const ga = geometryOf(da);
  if (!da || !ga) return;
  const links: Record<string, number> = {};
  viewer.slots.forEach((_, b) => {
    const db = displaySetIn(b);
    const gb = geometryOf(db);
    if (b === a || !db || !gb || db === da || !parallel(ga, gb)) return;
    const offset = offsetBetween(ga, states[a]?.imageIndex ?? 0, gb, states[b]?.imageIndex ?? 0);
    if (!Number.isFinite(offset)) return;
    links[linkKey(da.series.seriesInstanceUID, db.series.seriesInstanceUID)] = offset;
    const back = offsetBetween(gb, states[b]?.imageIndex ?? 0, ga, states[a]?.imageIndex ?? 0);
    if (Number.isFinite(back)) links[linkKey(db.series.seriesInstanceUID, da.series.seriesInstanceUID)] = back;
  });
  viewer.setLinks(links);
}

/**
 * A protocol's sync groups: viewports in one group whose series are in different frames of reference (current and
 * prior) are linked with their stacks' centres lined up, once both are loaded; the reader adjusts with Shift+scroll.
 * Returns true when every group is settled.
 */
function linkSyncGroups(): boolean {
  const viewer = useViewerStore.getState();
  let settled = true;
  const links = { ...viewer.links };
  for (const group of viewer.syncGroups) {
    for (const a of group) {
      for (const b of group) {
        if (a >= b) continue;
        const da = displaySetIn(a);
        const db = displaySetIn(b);
        if (!da || !db) {
          settled = false;
          continue;
        }
        const ga = geometryOf(da);
        const gb = geometryOf(db);
        if (!ga || !gb || da === db || !parallel(ga, gb)) continue;
        if (ga.frameOfReferenceUID && ga.frameOfReferenceUID === gb.frameOfReferenceUID) continue;
        const ab = linkKey(da.series.seriesInstanceUID, db.series.seriesInstanceUID);
        const ba = linkKey(db.series.seriesInstanceUID, da.series.seriesInstanceUID);
        if (links[ab] !== undefined) continue;
        const ma = Math.floor(ga.locations.length / 2);
        const mb = Math.floor(gb.locations.length / 2);
        const there = offsetBetween(ga, ma, gb, mb);
        const back = offsetBetween(gb, mb, ga, ma);
        if (Number.isFinite(there) && Number.isFinite(back)) {
          links[ab] = there;
          links[ba] = back;
        }
      }
    }
  }
  // Only a real change is stored: this runs on every view-state event while a group waits for its series.
  if (Object.keys(links).length !== Object.keys(viewer.links).length) viewer.setLinks(links);
  return settled;
}

/**
 * Starts scroll, window and zoom/pan synchronization between the stack viewports whose view states the store
 * holds (store/viewStates.ts), applied through their controllers; returns its stop. A change the user makes in one
 * viewport is applied to the others; the changes this makes are recognised when they come back, so nothing echoes.
 * `keys`: where Shift is watched (the window).
 */
export function startViewportSync(controllers: Map<number, SyncedViewport>, keys: Pick<EventTarget, 'addEventListener' | 'removeEventListener'> = window): () => void {
  /** Shift held: scrolling one side of a link moves only that side and re-sets the link's offset. */
  let shiftHeld = false;
  const expected = new Map<number, { index?: number; window?: string; zoomPan?: string }>();
  const windowKey = (s: ViewState) => `${Math.round(s.windowCenter ?? 0)}/${Math.round(s.windowWidth ?? 0)}`;
  const zoomPanKey = (s: ViewState) => `${s.zoom.toFixed(3)}/${s.pan.map((v) => v.toFixed(1)).join(',')}`;
  // The last state each viewport showed an image in: a scroll passes through 'loading' before the new image
  // is 'ready', so changes are measured between ready states.
  const seen = new Map<number, ViewState>();
  const unsubscribe = useViewStates.subscribe((store) => {
    const states = store.states;
    if (useViewerStore.getState().syncGroups.length > 0 && linkSyncGroups()) useViewerStore.setState({ syncGroups: [] });
    const viewer = useViewerStore.getState();
    for (const [key, now] of Object.entries(states)) {
      const a = Number(key);
      if (now.status !== 'ready') continue;
      const was = seen.get(a);
      seen.set(a, now);
      if (!was || viewer.mpr) continue;
      // A new series in this viewport: its first image, window and zoom are its own, not the reader's moves.
      if (was.stack !== now.stack) {
        expected.delete(a);
        continue;
      }
      const mine = expected.get(a) ?? {};
      // Scroll
      if (now.imageIndex !== was.imageIndex) {
        if (mine.index === now.imageIndex) mine.index = undefined;
        else if (shiftHeld && Object.keys(viewer.links).length > 0) {
          // Re-set the offsets of this side's links to what is shown now.
          const links = { ...viewer.links };
          viewer.slots.forEach((_, b) => {
            const da = displaySetIn(a);
            const db = displaySetIn(b);
            const ga = geometryOf(da);
            const gb = geometryOf(db);
            if (!da || !db || !ga || !gb || b === a) return;
            const ab = linkKey(da.series.seriesInstanceUID, db.series.seriesInstanceUID);
            const ba = linkKey(db.series.seriesInstanceUID, da.series.seriesInstanceUID);
            if (links[ab] === undefined) return;
            const there = offsetBetween(ga, now.imageIndex, gb, states[b]?.imageIndex ?? 0);
            const back = offsetBetween(gb, states[b]?.imageIndex ?? 0, ga, now.imageIndex);
            if (Number.isFinite(there) && Number.isFinite(back)) {
              links[ab] = there;
              links[ba] = back;
            }
          });
          viewer.setLinks(links);
        } else if (viewer.sync.scroll) {
          viewer.slots.forEach((_, b) => {
            if (b === a) return;
            const how = scrollOffset(a, b);
            if (!how) return;
            const target = syncedIndex(how.ga, now.imageIndex, how.gb, how.offset);
            if (target === undefined || target === states[b]?.imageIndex) return;
            expected.set(b, { ...expected.get(b), index: target });
            void controllers.get(b)?.setImageIndex(target);
          });
        }
      }
      // Window
      if (now.windowCenter !== undefined && now.windowWidth !== undefined && windowKey(now) !== windowKey(was)) {
        if (mine.window === windowKey(now)) mine.window = undefined;
        else if (viewer.sync.windowLevel) {
          const modality = displaySetIn(a)?.series.modality;
          for (const [k, other] of Object.entries(states)) {
            const b = Number(k);
            if (b === a || other.status !== 'ready' || displaySetIn(b)?.series.modality !== modality) continue;
            if (windowKey(other) === windowKey(now)) continue;
            expected.set(b, { ...expected.get(b), window: windowKey(now) });
            controllers.get(b)?.setWindow(now.windowCenter!, now.windowWidth!);
          }
        }
      }
      // Zoom and pan
      if (zoomPanKey(now) !== zoomPanKey(was)) {
        if (mine.zoomPan === zoomPanKey(now)) mine.zoomPan = undefined;
        else if (viewer.sync.zoomPan) {
          for (const [k, other] of Object.entries(states)) {
            const b = Number(k);
            if (b === a || other.status !== 'ready' || zoomPanKey(other) === zoomPanKey(now)) continue;
            expected.set(b, { ...expected.get(b), zoomPan: zoomPanKey(now) });
            controllers.get(b)?.setZoomPan(now.zoom, now.pan);
          }
        }
      }
      expected.set(a, mine);
    }
  });
  const key = (e: Event) => {
    shiftHeld = (e as KeyboardEvent).shiftKey;
  };
  keys.addEventListener('keydown', key);
  keys.addEventListener('keyup', key);
  return () => {
    unsubscribe();
    keys.removeEventListener('keydown', key);
    keys.removeEventListener('keyup', key);
  };
}

/** Reference lines follow the active viewport: on the others while shown and MPR is not open. */
export function showReferenceLines(session: Pick<ImagingSession, 'setReferenceLines'>, on: boolean, active: number, mpr: boolean): void {
  session.setReferenceLines(on && !mpr ? `viewport-${active}` : undefined);
}

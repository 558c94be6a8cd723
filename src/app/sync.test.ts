import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DisplaySet, FrameRef, SeriesSummary } from '../model/types';
import type { ViewState } from '../model/viewState';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';
import { useViewStates } from '../store/viewStates';
import { scrollOffset, startViewportSync, toggleLink, type SyncedViewport } from './sync';

/** An axial stack of `n` slices every `step` mm from `z0`, in frame of reference `forUid`. */
function axial(uid: string, n: number, z0: number, step: number, forUid: string): DisplaySet {
  const series: SeriesSummary = { studyInstanceUID: 'T', seriesInstanceUID: uid, modality: 'CT', description: '', bodyPart: '' };
  const frames: FrameRef[] = Array.from({ length: n }, (_, i) => ({
    studyInstanceUID: 'T',
    seriesInstanceUID: uid,
    sopInstanceUID: `${uid}.${i}`,
    frameNumber: 1,
    instance: {
      sopInstanceUID: `${uid}.${i}`,
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      instanceNumber: i + 1,
      numberOfFrames: 1,
      rows: 64,
      columns: 64,
      imagePositionPatient: [0, 0, z0 + i * step],
      imageOrientationPatient: [1, 0, 0, 0, 1, 0],
      raw: { '00280030': { vr: 'DS', Value: [1, 1] }, '00200052': { vr: 'UI', Value: [forUid] } },
    },
  }));
  return { series, kind: 'image', frames, objects: [], notes: [] };
}

function show(sets: DisplaySet[]) {
  useStudyStore.setState({
    series: Object.fromEntries(sets.map((ds) => [ds.series.seriesInstanceUID, { summary: ds.series, status: 'ready' as const, displaySet: ds }])),
  });
  useViewerStore.getState().setLayout({ rows: 1, cols: sets.length });
  sets.forEach((ds, i) => useViewerStore.getState().showSeries(i, ds.series.seriesInstanceUID));
  useViewerStore.getState().setActive(0);
}

const ready = (imageIndex: number, over: Partial<ViewState> = {}): ViewState => ({
  status: 'ready',
  imageIndex,
  imageCount: 10,
  stack: 1,
  zoom: 1,
  pan: [0, 0],
  rotation: 0,
  flipHorizontal: false,
  flipVertical: false,
  invert: false,
  cinePlaying: false,
  windowCenter: 40,
  windowWidth: 400,
  ...over,
});

function fakeViewport(): SyncedViewport & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    setImageIndex: vi.fn(async (i: number) => void calls.push(['index', i])),
    setWindow: vi.fn((c: number, w: number) => void calls.push(['window', c, w])),
    setZoomPan: vi.fn((z: number, p: [number, number]) => void calls.push(['zoomPan', z, p])),
  } as never;
}

describe('viewport sync (app)', () => {
  let stop: (() => void) | undefined;
  const keys = new EventTarget();
  beforeEach(() => {
    useViewerStore.getState().reset();
    // The reader's sync settings outlive a reset (they are the session's).
    useViewerStore.getState().setSync({ scroll: true, windowLevel: false, zoomPan: false, referenceLines: false });
    useViewStates.setState({ states: {} });
  });
  afterEach(() => stop?.());

  it('scrolls series in one frame of reference together; others only once linked, at the offset shown then', () => {
    show([axial('A', 10, 0, 5, 'F1'), axial('B', 10, 0, 5, 'F1'), axial('C', 10, 100, 5, 'F2')]);
    expect(scrollOffset(0, 1)?.offset).toBe(0);
    expect(scrollOffset(0, 2)).toBeUndefined();
    useViewStates.setState({ states: { 0: ready(2), 1: ready(2), 2: ready(4) } });
    toggleLink();
    // A at z = 10 beside C at z = 120: C is 110 mm on.
    expect(scrollOffset(0, 2)?.offset).toBeCloseTo(110);
    toggleLink();
    expect(useViewerStore.getState().links).toEqual({});
  });

  it("applies a reader's scroll, window and zoom to the other viewports, without echoing its own changes", () => {
    show([axial('A', 10, 0, 5, 'F1'), axial('B', 10, 0, 5, 'F1')]);
    const a = fakeViewport();
    const b = fakeViewport();
    stop = startViewportSync(new Map([[0, a], [1, b]]), keys);
    const set = useViewStates.getState().set;
    set(0, ready(0));
    set(1, ready(0));
    set(0, ready(3));
    expect(b.calls).toEqual([['index', 3]]);
    // B arriving at 3 is sync's own change: nothing goes back to A.
    set(1, ready(3));
    expect(a.calls).toEqual([]);
    // Window and zoom follow only when asked to.
    set(0, ready(3, { windowCenter: 50, windowWidth: 350 }));
    expect(b.calls).toEqual([['index', 3]]);
    useViewerStore.getState().setSync({ windowLevel: true, zoomPan: true });
    set(0, ready(3, { windowCenter: 300, windowWidth: 1500 }));
    expect(b.calls.at(-1)).toEqual(['window', 300, 1500]);
    set(0, ready(3, { windowCenter: 300, windowWidth: 1500, zoom: 2 }));
    expect(b.calls.at(-1)).toEqual(['zoomPan', 2, [0, 0]]);
    useViewerStore.getState().setSync({ scroll: false });
    set(0, ready(5, { windowCenter: 300, windowWidth: 1500, zoom: 2 }));
    expect(b.calls.filter((c) => c[0] === 'index')).toEqual([['index', 3]]);
  });

  it('with Shift held, scrolling one side of a link re-sets its offset instead of scrolling the other', () => {
    show([axial('A', 10, 0, 5, 'F1'), axial('C', 10, 100, 5, 'F2')]);
    const a = fakeViewport();
    const c = fakeViewport();
    stop = startViewportSync(new Map([[0, a], [1, c]]), keys);
    const set = useViewStates.getState().set;
    set(0, ready(0));
    set(1, ready(0));
    toggleLink();
    expect(scrollOffset(0, 1)?.offset).toBeCloseTo(100);
    keys.dispatchEvent(Object.assign(new Event('keydown'), { shiftKey: true }));
    set(0, ready(2));
    expect(c.calls).toEqual([]);
    expect(scrollOffset(0, 1)?.offset).toBeCloseTo(90);
    keys.dispatchEvent(Object.assign(new Event('keyup'), { shiftKey: false }));
    set(0, ready(4));
    expect(c.calls).toEqual([['index', 2]]);
  });
});

import { beforeEach, describe, expect, it } from 'vitest';
import { useViewerStore } from './viewer';
import { useViewStates } from './viewStates';
import type { ViewState } from '../model/viewState';

describe('viewer store', () => {
  beforeEach(() => useViewerStore.getState().reset());

  it('keeps assignments when the grid grows and fills only empty viewports', () => {
    const s = useViewerStore.getState();
    s.fillEmpty(['a', 'b']);
    expect(useViewerStore.getState().slots.map((x) => x.seriesInstanceUID)).toEqual(['a']);
    s.setLayout({ rows: 2, cols: 2 });
    s.fillEmpty(['a', 'b', 'c']);
    expect(useViewerStore.getState().slots.map((x) => x.seriesInstanceUID)).toEqual(['a', 'b', 'c', undefined]);
  });

  it('shows a series in a chosen viewport and makes it active; shrinking clamps the active viewport', () => {
    const s = useViewerStore.getState();
    s.setLayout({ rows: 1, cols: 3 });
    s.showSeries(2, 'x', 5);
    expect(useViewerStore.getState().slots[2]).toEqual({ seriesInstanceUID: 'x', initialIndex: 5 });
    expect(useViewerStore.getState().active).toBe(2);
    s.setLayout({ rows: 1, cols: 1 });
    expect(useViewerStore.getState().active).toBe(0);
    expect(useViewerStore.getState().cineFileRate).toBe(true);
    s.setCineFps(500);
    expect(useViewerStore.getState().cineFps).toBe(60);
    // The reader's rate overrides the files' timing until the file rate is chosen again.
    expect(useViewerStore.getState().cineFileRate).toBe(false);
    s.setCineFileRate(true);
    expect(useViewerStore.getState().cineFileRate).toBe(true);
  });

  it('restores a shared view and empties viewports whose series the study does not have', () => {
    const s = useViewerStore.getState();
    s.restoreView({ rows: 1, cols: 3 }, [{ seriesInstanceUID: 'a', initialIndex: 4, initialWindow: { center: 40, width: 400 } }, {}, { seriesInstanceUID: 'zz' }]);
    expect(useViewerStore.getState().layout).toEqual({ rows: 1, cols: 3 });
    s.dropUnknown(['a', 'b']);
    s.fillEmpty(['a', 'b']);
    expect(useViewerStore.getState().slots).toEqual([
      { seriesInstanceUID: 'a', initialIndex: 4, initialWindow: { center: 40, width: 400 } },
      { seriesInstanceUID: 'b' },
      {},
    ]);
  });

  it('MPR gives the slice back: every viewport of the series at the crosshairs, each in its window; others as they were', () => {
    const s = useViewerStore.getState();
    s.restoreView({ rows: 1, cols: 3 }, [
      { seriesInstanceUID: 'ax', initialWindow: { center: 40, width: 400 } },
      { seriesInstanceUID: 'ax', initialWindow: { center: -600, width: 1500 } },
      { seriesInstanceUID: 'other' },
    ]);
    const view = (imageIndex: number, windowCenter: number, windowWidth: number) =>
      ({ status: 'ready', imageIndex, imageCount: 200, windowCenter, windowWidth }) as ViewState;
    useViewStates.setState({ states: { 0: view(80, 40, 400), 1: view(80, -600, 1500), 2: view(12, 300, 2000) } });
    s.openMpr('ax', 80, 0, { center: 40, width: 400 });
    useViewerStore.getState().closeMpr(101, { center: 50, width: 350 });
    const slots = useViewerStore.getState().slots;
    expect(slots[0]).toEqual({ seriesInstanceUID: 'ax', initialIndex: 101, initialWindow: { center: 50, width: 350 } });
    expect(slots[1]).toEqual({ seriesInstanceUID: 'ax', initialIndex: 101, initialWindow: { center: -600, width: 1500 } });
    expect(slots[2]).toEqual({ seriesInstanceUID: 'other', initialIndex: 12, initialWindow: { center: 300, width: 2000 } });
    expect(useViewerStore.getState().mpr).toBeUndefined();
    useViewStates.setState({ states: {} });
  });
});

describe('one viewport alone', () => {
  beforeEach(() => useViewerStore.getState().reset());

  it('maximizes a viewport and back; another active viewport is shown alone instead; a new layout ends it', () => {
    const s = useViewerStore.getState();
    s.toggleMaximized(0);
    expect(useViewerStore.getState().maximized).toBeUndefined(); // 1×1 already
    s.setLayout({ rows: 2, cols: 2 });
    s.toggleMaximized(2);
    expect(useViewerStore.getState()).toMatchObject({ maximized: 2, active: 2 });
    s.setActive(3);
    expect(useViewerStore.getState()).toMatchObject({ maximized: 3, active: 3 });
    s.toggleMaximized(3);
    expect(useViewerStore.getState().maximized).toBeUndefined();
    s.toggleMaximized(1);
    s.setLayout({ rows: 1, cols: 2 });
    expect(useViewerStore.getState().maximized).toBeUndefined();
    expect(useViewerStore.getState().layout).toEqual({ rows: 1, cols: 2 });
  });
});

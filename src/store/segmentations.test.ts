import { beforeEach, describe, expect, it } from 'vitest';
import { setsOver, useSegmentationStore } from './segmentations';

const seg = {
  id: 'seg-series',
  kind: 'seg' as const,
  studyUID: 'study',
  sopInstanceUID: 'sop',
  referencedSeriesUID: 'ct',
  title: 'Liver',
  fractional: false,
  segments: [
    { number: 1, label: 'Liver', color: [200, 80, 60] as [number, number, number] },
    { number: 2, label: 'Lesion', color: [250, 220, 40] as [number, number, number] },
  ],
};

describe('segmentations store', () => {
  beforeEach(() => useSegmentationStore.getState().reset());

  it('opens a set once, over its referenced series', () => {
    const s = useSegmentationStore.getState();
    s.open(seg);
    s.setStatus(seg.id, 'ready');
    s.open(seg);
    const { sets } = useSegmentationStore.getState();
    expect(sets[seg.id]!.status).toBe('ready');
    expect(setsOver(sets, 'ct').map((x) => x.id)).toEqual([seg.id]);
    expect(setsOver(sets, 'mr')).toEqual([]);
  });

  it('hides and shows segments one by one and all at once', () => {
    const s = useSegmentationStore.getState();
    s.open(seg);
    s.toggleSegment(seg.id, 2);
    expect(useSegmentationStore.getState().hidden[seg.id]).toEqual([2]);
    s.setAllVisible(seg.id, false);
    expect(useSegmentationStore.getState().hidden[seg.id]).toEqual([1, 2]);
    s.toggleSegment(seg.id, 1);
    expect(useSegmentationStore.getState().hidden[seg.id]).toEqual([2]);
    s.setAllVisible(seg.id, true);
    expect(useSegmentationStore.getState().hidden[seg.id]).toEqual([]);
  });

  it('keeps opacity in range and the hovered segment per viewport', () => {
    const s = useSegmentationStore.getState();
    s.setOpacity(1.7);
    expect(useSegmentationStore.getState().opacity).toBe(1);
    s.setHovered('viewport-0', { setId: seg.id, segment: 2, label: 'Lesion' });
    expect(useSegmentationStore.getState().hovered['viewport-0']?.label).toBe('Lesion');
    s.setHovered('viewport-0', undefined);
    expect(useSegmentationStore.getState().hovered['viewport-0']).toBeUndefined();
  });
});

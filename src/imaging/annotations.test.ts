import { describe, expect, it, vi } from 'vitest';
import { annotation as csAnnotation } from '@cornerstonejs/tools';
import { MeasurementBook, normalOfStatsKey, statsOf } from './annotations';

const key = (normal: string) => `volumeId:cornerstoneStreamingImageVolume:1.2?sliceIndex=40&viewPlaneNormal=${normal}`;

describe('statsOf', () => {
  it('takes the values of the plane a measurement was drawn in, not of another plane that cuts it', () => {
    const a = {
      metadata: { toolName: 'EllipticalROI', viewPlaneNormal: [0, -1, 0] },
      data: {
        cachedStats: {
          [key('1.000,0.000,0.000')]: { area: 7, mean: 1000 },
          [key('0.000,1.000,0.000')]: { area: 86, mean: 1000 },
        },
      },
    };
    expect(statsOf(a as never)).toEqual({ area: 86, mean: 1000 });
  });

  it('prefers the image’s own values, then any that were computed', () => {
    const withImage = { metadata: { referencedImageId: 'wadors:x' }, data: { cachedStats: { [key('0,0,1')]: { length: 1 }, 'imageId:wadors:x': { length: 2 } } } };
    expect(statsOf(withImage as never)).toEqual({ length: 2 });
    const none = { metadata: {}, data: { cachedStats: { [key('0,0,1')]: {}, [key('1,0,0')]: { length: 3 } } } };
    expect(statsOf(none as never)).toEqual({ length: 3 });
    expect(normalOfStatsKey(key('-0.707,0.707,0.000'))).toEqual([-0.707, 0.707, 0]);
    expect(normalOfStatsKey('imageId:wadors:x')).toBeUndefined();
  });
});

describe('MeasurementBook.settle', () => {
  it('measures a changed annotation again at once, with the arguments its tool last measured it with', () => {
    const calls: unknown[][] = [];
    const deferred: unknown[][] = [];
    const tools = new Map<string, Record<string, unknown>>();
    const group = {
      addTool(name: string) {
        tools.set(name, {
          _calculateCachedStats(this: unknown, ...args: unknown[]) {
            calls.push([this, ...args]);
            (args[0] as { invalidated: boolean }).invalidated = false;
          },
          // Cornerstone's throttle: the call may come up to 100 ms later, or find the image gone.
          _throttledCalculateCachedStats: (...args: unknown[]) => void deferred.push(args),
        });
      },
      getToolInstance: (name: string) => tools.get(name),
    };
    const book = new MeasurementBook();
    book.addTools(group as never);
    const tool = tools.get('EllipticalROI')! as { _throttledCalculateCachedStats: (...a: unknown[]) => void };
    const a = {
      annotationUID: 'settle-1',
      invalidated: false,
      metadata: { toolName: 'EllipticalROI', FrameOfReferenceUID: '1.2.3', referencedImageId: 'wadors:x' },
      data: { handles: { points: [] }, cachedStats: {} },
    };
    // Node has no DOM: the annotation manager only asks whether its group selector is an element.
    vi.stubGlobal('HTMLDivElement', class {});
    csAnnotation.state.addAnnotation(a as never, '1.2.3');
    try {
      // The tool's render asked for values (throttled), then the drag moved the shape again before they came.
      tool._throttledCalculateCachedStats(a, 'viewport', 'engine', 'enabledElement');
      expect(deferred).toHaveLength(1);
      a.invalidated = true;
      book.settle();
      expect(calls).toEqual([[tool, a, 'viewport', 'engine', 'enabledElement']]);
      expect(a.invalidated).toBe(false);
      // Nothing changed since: nothing to measure.
      book.settle();
      expect(calls).toHaveLength(1);
    } finally {
      csAnnotation.state.removeAnnotation('settle-1');
      vi.unstubAllGlobals();
    }
    // A removed annotation is forgotten.
    a.invalidated = true;
    book.settle();
    expect(calls).toHaveLength(1);
  });
});

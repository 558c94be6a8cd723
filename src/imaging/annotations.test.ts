import { describe, expect, it } from 'vitest';
import { normalOfStatsKey, statsOf } from './annotations';

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

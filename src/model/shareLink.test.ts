import { describe, expect, it } from 'vitest';
import { shareLink, sharedViewports } from './shareLink';

describe('share links', () => {
  it('carry layout, series, image and window per viewport, read-only unless allowed, and come back the same', () => {
    const link = shareLink({
      studyInstanceUIDs: ['1.2.3'],
      layout: '1x2',
      viewports: [{ seriesInstanceUID: '1.2.3.4', imageIndex: 99, window: { center: 40.04, width: 400 } }, undefined],
      readOnly: true,
    });
    expect(link).toBe('/viewer?StudyInstanceUIDs=1.2.3&layout=1x2&vp=1.2.3.4%2C100%2C40%2C400&vp=&readonly=1');
    const back = sharedViewports(new URL(link, 'http://x').searchParams)!;
    expect(back.layout).toBe('1x2');
    expect(back.viewports).toEqual([{ seriesInstanceUID: '1.2.3.4', imageIndex: 99, window: { center: 40, width: 400 } }, undefined]);
    expect(shareLink({ studyInstanceUIDs: ['1.2'], dataSource: 'research', layout: 'mpr', viewports: [], readOnly: false })).toBe(
      '/viewer?StudyInstanceUIDs=1.2&datasource=research&layout=mpr',
    );
  });

  it('treats the link as input: bad entries are left empty, bad layouts ignored, no window without both numbers', () => {
    const search = new URLSearchParams('layout=9x99&vp=<script>,3&vp=1.2.3,0&vp=1.2.4,x,40&vp=1.2.5,2,40,-1');
    const v = sharedViewports(search)!;
    expect(v.layout).toBeUndefined();
    expect(v.viewports).toEqual([
      undefined,
      { seriesInstanceUID: '1.2.3', imageIndex: 0, window: undefined },
      { seriesInstanceUID: '1.2.4', imageIndex: 0, window: undefined },
      { seriesInstanceUID: '1.2.5', imageIndex: 1, window: undefined },
    ]);
    expect(sharedViewports(new URLSearchParams('layout=2x2'))).toBeUndefined();
  });
});

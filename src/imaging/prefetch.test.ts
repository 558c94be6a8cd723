import { beforeEach, describe, expect, it, vi } from 'vitest';

const queued: (() => Promise<void>)[] = [];
const loaded: string[] = [];
vi.mock('@cornerstonejs/core', () => ({
  Enums: { RequestType: { Prefetch: 'prefetch', Thumbnail: 'thumbnail' } },
  cache: { getImageLoadObject: () => undefined },
  imageLoader: { loadAndCacheImage: async (id: string) => void loaded.push(id) },
  imageLoadPoolManager: { addRequest: (fn: () => Promise<void>) => void queued.push(fn) },
  utilities: {},
}));
const { outwardOrder, prefetchStack } = await import('./prefetch');

describe('outwardOrder', () => {
  it('starts at the visible image and alternates outward', () => {
    expect(outwardOrder(5, 2)).toEqual([2, 3, 1, 4, 0]);
    expect(outwardOrder(4, 0)).toEqual([0, 1, 2, 3]);
    expect(outwardOrder(4, 3)).toEqual([3, 2, 1, 0]);
    expect(outwardOrder(1, 0)).toEqual([0]);
  });
  it('visits every index once, even for an out-of-range start', () => {
    const order = outwardOrder(100, 250);
    expect(new Set(order).size).toBe(100);
    expect(order[0]).toBe(99);
  });
});

describe('prefetchStack', () => {
  beforeEach(() => {
    queued.length = 0;
    loaded.length = 0;
  });
  /** Lets the job react to a finished load (it queues the next requests then). */
  const settle = async () => {
    for (let i = 0; i < 10; i++) await Promise.resolve();
  };
  const drain = async () => {
    await settle();
    while (queued.length) {
      await queued.shift()!();
      await settle();
    }
  };

  it('loads outward from the visible image and reports progress', async () => {
    const progress: number[] = [];
    prefetchStack('s1', ['a', 'b', 'c'], 1, (p) => progress.push(p.loaded));
    await drain();
    expect(loaded).toEqual(['b', 'c', 'a']);
    expect(progress.at(-1)).toBe(3);
  });

  it('drops queued requests once no viewport holds the stack, and shares a job between viewports', async () => {
    const releaseA = prefetchStack('s2', ['a', 'b', 'c', 'd'], 0, () => {});
    const releaseB = prefetchStack('s2', ['a', 'b', 'c', 'd'], 0, () => {});
    // The visible image alone first, so that nothing shares the connection with it; the rest once it is in.
    expect(queued).toHaveLength(1);
    await queued.shift()!();
    await settle();
    expect(queued).toHaveLength(3);
    releaseA();
    await queued.shift()!(); // still held by B
    releaseB();
    await drain();
    expect(loaded).toEqual(['a', 'b']);
  });

  it('reports progress a few times a second while loading, and the end at once', async () => {
    vi.useFakeTimers();
    try {
      const progress: number[] = [];
      const ids = Array.from({ length: 10 }, (_, i) => `f${i}`);
      prefetchStack('s3', ids, 0, (p) => progress.push(p.loaded));
      expect(progress).toEqual([0]);
      for (let i = 0; i < 5; i++) {
        await queued.shift()!();
        await settle();
      }
      expect(progress).toEqual([0]); // five frames in, no repaint yet
      await vi.advanceTimersByTimeAsync(300);
      expect(progress).toEqual([0, 5]);
      await drain();
      expect(progress).toEqual([0, 5, 10]); // the last one without waiting
      await vi.advanceTimersByTimeAsync(1000);
      expect(progress).toEqual([0, 5, 10]);
    } finally {
      vi.useRealTimers();
    }
  });
});

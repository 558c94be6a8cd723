import { describe, expect, it, vi } from 'vitest';

vi.mock('@cornerstonejs/core', () => ({}));
const { outwardOrder } = await import('./prefetch');

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

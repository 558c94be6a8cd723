import { describe, expect, it } from 'vitest';
import { createRequire } from 'node:module';
import ndarray from './cspNdarray';

// npm's own ndarray (untyped), to compare with.
const original = createRequire(import.meta.url)('ndarray') as (data: Uint8Array, shape: number[]) => { get(...i: number[]): number };

describe('ndarray without eval', () => {
  it('reads and writes a 2-D view as npm ndarray does (row-major, strided, offset)', () => {
    const data = Uint8Array.from({ length: 12 }, (_, i) => i);
    const mine = ndarray(data, [3, 4]);
    const theirs = original(data, [3, 4]);
    expect(mine.shape).toEqual([3, 4]);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) expect(mine.get(i, j)).toBe(theirs.get(i, j));
    mine.set(2, 1, 99);
    expect(data[9]).toBe(99);
    const column = ndarray(data, [3], [4], 1);
    expect([column.get(0), column.get(1), column.get(2)]).toEqual([1, 5, 99]);
  });
});

import { describe, expect, it } from 'vitest';
import { buildDisplaySet } from './displaySet';
import {
  imagePlaneOf,
  medianSliceSpacing,
  offsetBetween,
  parallel,
  referenceLine,
  stackGeometry,
  syncedIndex,
  type ImagePlane,
  type StackGeometry,
} from './sync';
import type { DisplaySet, FrameRef, SeriesSummary, Vec3 } from './types';

type Iop = [number, number, number, number, number, number];
const AXIAL: Iop = [1, 0, 0, 0, 1, 0];
/** Axial seen from below: row to the patient's left, column to the front, so the normal points to the feet. */
const AXIAL_FLIPPED: Iop = [1, 0, 0, 0, -1, 0];
const SAGITTAL: Iop = [0, 1, 0, 0, 0, -1];
const CORONAL: Iop = [1, 0, 0, 0, 0, -1];

const series: SeriesSummary = { studyInstanceUID: '1', seriesInstanceUID: '1.1', modality: 'CT', description: 'AXIAL', bodyPart: '' };

interface Over {
  iop?: number[] | null;
  spacing?: number[];
  rows?: number;
  columns?: number;
  forUid?: string;
  instanceNumber?: number;
}

function frame(i: number, position: Vec3 | undefined, over: Over = {}): FrameRef {
  const raw: Record<string, { vr: string; Value: unknown[] }> = {
    '00280030': { vr: 'DS', Value: over.spacing ?? [0.5, 0.5] },
    '00200052': { vr: 'UI', Value: [over.forUid ?? '1.2.3'] },
  };
  return {
    studyInstanceUID: '1',
    seriesInstanceUID: '1.1',
    sopInstanceUID: `1.1.${i}`,
    frameNumber: 1,
    instance: {
      sopInstanceUID: `1.1.${i}`,
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      instanceNumber: over.instanceNumber ?? i + 1,
      numberOfFrames: 1,
      rows: over.rows ?? 256,
      columns: over.columns ?? 256,
      imagePositionPatient: position,
      imageOrientationPatient: over.iop === null ? undefined : ((over.iop ?? AXIAL) as Iop),
      raw,
    },
  };
}

const stack = (frames: FrameRef[]): DisplaySet => ({ series, kind: 'image', frames, objects: [], notes: [] });

/** Axial slices at the given z, 256×256 at 0.5 mm, centred on x = y = 0 (so the first pixel is at −63.75). */
const axial = (zs: number[], over: Over = {}) =>
  stack(zs.map((z, i) => frame(i, [-63.75, over.iop === AXIAL_FLIPPED ? 63.75 : -63.75, z], over)));

const range = (n: number, start: number, step: number) => Array.from({ length: n }, (_, i) => start + i * step);

/** Current: 50 slices every 2.5 mm from z = 0 (index i at z = 2.5·i). */
const current = () => stackGeometry(axial(range(50, 0, 2.5)))!;
/** Prior: 20 slices every 5 mm from z = 1 (index j at z = 1 + 5·j, last at 96). */
const prior = () => stackGeometry(axial(range(20, 1, 5)))!;

describe('stackGeometry', () => {
  it('gives the normal, the frame of reference and each image’s location along the normal', () => {
    const g = current();
    expect(g.normal).toEqual([0, 0, 1]);
    expect(g.frameOfReferenceUID).toBe('1.2.3');
    expect(g.locations.slice(0, 4)).toEqual([0, 2.5, 5, 7.5]);
    expect(g.locations).toHaveLength(50);
    expect(g.centres?.[4]).toEqual([0, 0, 10]);
    expect(medianSliceSpacing(g)).toBe(2.5);
    expect(medianSliceSpacing(prior())).toBe(5);
  });

  it('measures locations along a flipped normal', () => {
    const g = stackGeometry(axial([10, 20, 30], { iop: AXIAL_FLIPPED }))!;
    expect(g.normal).toEqual([0, 0, -1]);
    expect(g.locations).toEqual([-10, -20, -30]);
    expect(g.centres?.[1]).toEqual([0, 0, 20]);
    expect(medianSliceSpacing(g)).toBe(10);
  });

  it('follows the display set order of buildDisplaySet', () => {
    // Delivered out of order; sorted by position along the normal, following the instance numbers.
    const instances = [30, 0, 20, 10].map((z) => frame(z, [-63.75, -63.75, z], { instanceNumber: z / 10 + 1 }).instance);
    const g = stackGeometry(buildDisplaySet(series, instances))!;
    expect(g.locations).toEqual([0, 10, 20, 30]);
  });

  it('reads per-frame positions of an enhanced multi-frame instance', () => {
    const f = frame(0, undefined);
    const instance = { ...f.instance, numberOfFrames: 3, framePositions: [[0, 0, 4], [0, 0, 8], [0, 0, 12]] as Vec3[] };
    const frames = [1, 2, 3].map((n) => ({ ...f, frameNumber: n, instance }));
    expect(stackGeometry(stack(frames))?.locations).toEqual([4, 8, 12]);
  });

  it('is undefined without orientation or positions, and leaves out images it cannot place', () => {
    expect(stackGeometry(axial([0, 5, 10], { iop: null }))).toBeUndefined();
    expect(stackGeometry(stack([frame(0, undefined), frame(1, undefined)]))).toBeUndefined();
    expect(stackGeometry(stack([]))).toBeUndefined();
    // A localizer series: one axial and one sagittal image; the sagittal has no place along the axial normal.
    const mixed = stackGeometry(stack([frame(0, [-63.75, -63.75, 7]), frame(1, [0, -63.75, 63.75], { iop: SAGITTAL }), frame(2, undefined)]))!;
    expect(mixed.locations).toEqual([7, undefined, undefined]);
    expect(syncedIndex(mixed, 1, current())).toBeUndefined();
    expect(syncedIndex(mixed, 2, current())).toBeUndefined();
  });
});

describe('parallel', () => {
  const sagittal = stackGeometry(stack([frame(0, [0, -63.75, 63.75], { iop: SAGITTAL }), frame(1, [3, -63.75, 63.75], { iop: SAGITTAL })]))!;
  const tilted = (deg: number): StackGeometry => ({ normal: [0, -Math.sin((deg * Math.PI) / 180), Math.cos((deg * Math.PI) / 180)], locations: [0] });

  it('is true for axial/axial and for a flipped normal, false for axial/sagittal', () => {
    expect(parallel(current(), prior())).toBe(true);
    expect(parallel(current(), stackGeometry(axial([0, 5], { iop: AXIAL_FLIPPED }))!)).toBe(true);
    expect(sagittal.normal).toEqual([-1, 0, 0]);
    expect(parallel(current(), sagittal)).toBe(false);
    expect(parallel(sagittal, current())).toBe(false);
  });

  it('allows about 5° of tilt unless told otherwise', () => {
    expect(parallel(current(), tilted(4))).toBe(true);
    expect(parallel(current(), tilted(5))).toBe(true);
    expect(parallel(current(), tilted(6))).toBe(false);
    expect(parallel(current(), tilted(6), 10)).toBe(true);
    expect(parallel(current(), tilted(4), 2)).toBe(false);
  });
});

describe('syncedIndex', () => {
  it('finds the anatomically nearest image in a stack with other spacing and start', () => {
    const c = current();
    const p = prior();
    // z = 25 → prior z 26 (1 mm) rather than 21 (4 mm).
    expect(syncedIndex(c, 10, p)).toBe(5);
    // z = 27.5 → 26 (1.5 mm) rather than 31 (3.5 mm).
    expect(syncedIndex(c, 11, p)).toBe(5);
    // z = 30 → 31.
    expect(syncedIndex(c, 12, p)).toBe(6);
    expect(syncedIndex(c, 0, p)).toBe(0);
    // The other way: prior z = 26 → current 25 (1 mm) rather than 27.5 (1.5 mm); z = 96 → 95.
    expect(syncedIndex(p, 5, c)).toBe(10);
    expect(syncedIndex(p, 19, c)).toBe(38);
    expect(syncedIndex(c, 10, c)).toBe(10);
  });

  it('does not jump when scrolling past the end of the shorter stack', () => {
    const c = current();
    const p = prior();
    // Default reach: 1.5 × 5 mm = 7.5 mm past the prior's last slice at z = 96.
    expect(syncedIndex(c, 41, p)).toBe(19); // z = 102.5, 6.5 mm away
    expect(syncedIndex(c, 42, p)).toBeUndefined(); // z = 105, 9 mm away
    expect(syncedIndex(c, 49, p)).toBeUndefined();
    // An explicit reach.
    expect(syncedIndex(c, 40, p, 0, 3)).toBeUndefined(); // z = 100, 4 mm away
    expect(syncedIndex(c, 40, p, 0, 4)).toBe(19);
    // From the prior to the current stack the reach is 1.5 × 2.5 = 3.75 mm.
    const shortCurrent = stackGeometry(axial(range(10, 0, 2.5)))!; // z 0 … 22.5
    expect(syncedIndex(p, 5, shortCurrent)).toBe(9); // z = 26, 3.5 mm from 22.5
    expect(syncedIndex(p, 6, shortCurrent)).toBeUndefined(); // z = 31
    // A single-image target reaches 1 mm.
    const single = stackGeometry(axial([26]))!;
    expect(syncedIndex(c, 10, single)).toBe(0);
    expect(syncedIndex(c, 11, single)).toBeUndefined();
  });

  it('applies an offset along the source normal', () => {
    const c = current();
    const p = prior();
    // The prior is shifted by +12.5 mm: z = 25 in the current shows what z = 37.5 shows in the prior (→ 36).
    expect(syncedIndex(c, 10, p, 12.5)).toBe(7);
    expect(syncedIndex(c, 0, p, 12.5)).toBe(2); // 12.5 → 11
    expect(syncedIndex(c, 0, p, -12.5)).toBeUndefined(); // −12.5, 13.5 mm before the first prior slice
    expect(syncedIndex(c, 35, p, 12.5)).toBe(19); // 87.5 + 12.5 = 100: 4 mm past the last prior slice, within reach
    expect(syncedIndex(c, 38, p, 12.5)).toBeUndefined(); // 95 + 12.5 = 107.5: 11.5 mm past it
  });

  it('handles stacks sorted the other way and flipped normals', () => {
    const c = current();
    const reversed = stackGeometry(axial(range(20, 1, 5).reverse()))!;
    expect(reversed.normal).toEqual([0, 0, 1]);
    expect(syncedIndex(c, 10, reversed)).toBe(14);
    expect(syncedIndex(c, 10, reversed, 12.5)).toBe(12);

    const flipped = stackGeometry(axial(range(20, 1, 5), { iop: AXIAL_FLIPPED }))!;
    expect(flipped.normal).toEqual([0, 0, -1]);
    expect(syncedIndex(c, 10, flipped)).toBe(5);
    expect(syncedIndex(c, 12, flipped)).toBe(6);
    // The offset stays along the source normal (towards the head), whatever the target's normal.
    expect(syncedIndex(c, 10, flipped, 12.5)).toBe(7);
    expect(syncedIndex(c, 42, flipped)).toBeUndefined();
    // And from the flipped stack back: prior z = 26 → current z = 25; an offset of +12.5 along (0, 0, −1) → z = 13.5 → 12.5.
    expect(syncedIndex(flipped, 5, c)).toBe(10);
    expect(syncedIndex(flipped, 5, c, 12.5)).toBe(5);
  });

  it('carries the location through the image centre into a slightly tilted stack', () => {
    const deg = 4;
    const s = Math.sin((deg * Math.PI) / 180);
    const co = Math.cos((deg * Math.PI) / 180);
    const row: Vec3 = [1, 0, 0];
    const column: Vec3 = [0, co, s];
    // Gantry-tilted prior: every slice centred at y = 150 (a high table), z = 1 + 5·j.
    const tiltedFrames = range(20, 1, 5).map((z, j) =>
      frame(j, [-63.75, 150 - 63.75 * column[1], z - 63.75 * column[2]], { iop: [...row, ...column] }),
    );
    const tilted = stackGeometry(stack(tiltedFrames))!;
    const source = stackGeometry(stack(range(50, 0, 2.5).map((z, i) => frame(i, [-63.75, 150 - 63.75, z]))))!;
    expect(parallel(source, tilted)).toBe(true);
    expect(source.centres?.[10]).toEqual([0, 150, 25]);
    // The source centre (0, 150, 25) lies nearest the tilted slice centred at z = 26.
    expect(syncedIndex(source, 10, tilted)).toBe(5);
    expect(syncedIndex(source, 12, tilted)).toBe(6);
    // Comparing locations alone would land two slices off (the 150 mm lever of the 4° tilt).
    expect(syncedIndex({ ...source, centres: undefined }, 10, tilted)).toBe(7);
    const offset = offsetBetween(source, 10, tilted, 8);
    expect(syncedIndex(source, 10, tilted, offset)).toBe(8);
  });

  it('refuses perpendicular stacks and unknown images', () => {
    const sagittal = stackGeometry(stack([frame(0, [0, -63.75, 63.75], { iop: SAGITTAL }), frame(1, [3, -63.75, 63.75], { iop: SAGITTAL })]))!;
    expect(syncedIndex(current(), 0, sagittal)).toBeUndefined();
    expect(syncedIndex(current(), 99, prior())).toBeUndefined();
    expect(syncedIndex(current(), 10, prior(), NaN)).toBeUndefined();
  });
});

describe('offsetBetween', () => {
  it('round-trips with syncedIndex', () => {
    const c = current();
    const p = prior();
    // Current z = 25 lined up with prior z = 41.
    expect(offsetBetween(c, 10, p, 8)).toBe(16);
    expect(syncedIndex(c, 10, p, 16)).toBe(8);
    // Scrolling on keeps the offset: z = 50 → 66.
    expect(syncedIndex(c, 20, p, 16)).toBe(13);
    expect(offsetBetween(p, 8, c, 10)).toBe(-16);
    expect(syncedIndex(p, 8, c, -16)).toBe(10);
    for (let i = 0; i < 50; i += 7) {
      for (let j = 0; j < 20; j += 3) expect(syncedIndex(c, i, p, offsetBetween(c, i, p, j))).toBe(j);
    }
  });

  it('round-trips with a flipped or reversed target', () => {
    const c = current();
    const flipped = stackGeometry(axial(range(20, 1, 5), { iop: AXIAL_FLIPPED }))!;
    expect(offsetBetween(c, 10, flipped, 8)).toBe(16);
    expect(syncedIndex(c, 10, flipped, 16)).toBe(8);
    expect(offsetBetween(flipped, 8, c, 10)).toBe(16); // along (0, 0, −1): 41 → 25 is +16
    expect(syncedIndex(flipped, 8, c, 16)).toBe(10);
    const reversed = stackGeometry(axial(range(20, 1, 5).reverse()))!;
    expect(offsetBetween(c, 10, reversed, 11)).toBe(16);
    expect(syncedIndex(c, 10, reversed, 16)).toBe(11);
  });

  it('is NaN when an image has no location', () => {
    expect(offsetBetween(current(), 99, prior(), 0)).toBeNaN();
    expect(offsetBetween(current(), 0, prior(), 99)).toBeNaN();
  });
});

describe('imagePlaneOf', () => {
  it('reads orientation, position, spacing [row, column] and size', () => {
    const plane = imagePlaneOf(frame(0, [-100, -80, 12], { spacing: [0.8, 0.5], rows: 300, columns: 512 }));
    expect(plane).toEqual({ origin: [-100, -80, 12], row: [1, 0, 0], column: [0, 1, 0], rowSpacing: 0.8, columnSpacing: 0.5, rows: 300, columns: 512 });
  });

  it('uses per-frame positions and orientations of enhanced multi-frame', () => {
    const f = frame(0, undefined);
    const instance = {
      ...f.instance,
      numberOfFrames: 2,
      framePositions: [[0, 0, 4], [0, 0, 8]] as Vec3[],
      frameOrientations: [AXIAL, SAGITTAL],
    };
    const plane = imagePlaneOf({ ...f, frameNumber: 2, instance });
    expect(plane?.origin).toEqual([0, 0, 8]);
    expect(plane?.row).toEqual([0, 1, 0]);
    expect(plane?.column).toEqual([0, 0, -1]);
  });

  it('is undefined without spacing, orientation, position or size', () => {
    const f = frame(0, [0, 0, 0]);
    expect(imagePlaneOf({ ...f, instance: { ...f.instance, raw: {} } })).toBeUndefined();
    expect(imagePlaneOf(frame(0, [0, 0, 0], { iop: null }))).toBeUndefined();
    expect(imagePlaneOf(frame(0, undefined))).toBeUndefined();
    expect(imagePlaneOf(frame(0, [0, 0, 0], { rows: 0 }))).toBeUndefined();
  });
});

describe('referenceLine', () => {
  const plane = (origin: Vec3, iop: number[], rowSpacing: number, columnSpacing: number, rows: number, columns: number): ImagePlane => ({
    origin,
    row: [iop[0]!, iop[1]!, iop[2]!],
    column: [iop[3]!, iop[4]!, iop[5]!],
    rowSpacing,
    columnSpacing,
    rows,
    columns,
  });
  const expectSegment = (line: ReturnType<typeof referenceLine>, from: [number, number], to: [number, number]) => {
    expect(line).toBeDefined();
    const [fc, fr] = line!.from;
    const [tc, tr] = line!.to;
    expect(fc).toBeCloseTo(from[0], 9);
    expect(fr).toBeCloseTo(from[1], 9);
    expect(tc).toBeCloseTo(to[0], 9);
    expect(tr).toBeCloseTo(to[1], 9);
  };

  // Sagittal at x = 0: pixel (c, r) at (0, −128 + c, 100 − r); 256 columns (y −128 … 127), 200 rows (z 100 … −99).
  const sagittal = plane([0, -128, 100], SAGITTAL, 1, 1, 200, 256);

  it('draws an axial plane on a sagittal image as a horizontal line at its row', () => {
    // 400 × 400 mm axial at z = 40, wider than the sagittal: the line spans the sagittal image.
    const axialA = plane([-200, -200, 40], AXIAL, 1, 1, 400, 400);
    expectSegment(referenceLine(axialA, sagittal), [-0.5, 60], [255.5, 60]);
    const lower = plane([-200, -200, -37.5], AXIAL, 1, 1, 400, 400);
    expectSegment(referenceLine(lower, sagittal), [-0.5, 137.5], [255.5, 137.5]);
  });

  it('stops the line where image A ends', () => {
    // 100 × 100 mm axial field of view (0.5 mm pixels) from y = −50.25 to 49.75 at its pixel edges.
    const small = plane([-50, -50, 40], AXIAL, 0.5, 0.5, 200, 200);
    expectSegment(referenceLine(small, sagittal), [77.75, 60], [177.75, 60]);
  });

  it('draws a coronal plane on an axial image as a horizontal line at its row (row spacing ≠ column spacing)', () => {
    // Axial at z = 10: pixel (c, r) at (−128 + 0.5·c, −128 + 0.8·r, 10); 512 columns, 300 rows.
    const axialB = plane([-128, -128, 10], AXIAL, 0.8, 0.5, 300, 512);
    const coronal = plane([-200, 20, 200], CORONAL, 1, 1, 400, 400); // y = 20
    // Row (20 + 128) / 0.8 = 185.
    expectSegment(referenceLine(coronal, axialB), [-0.5, 185], [511.5, 185]);
    // And the axial on the coronal: z = 10 is row 190 of the coronal; x −128.25 … 127.75 is columns 71.75 … 327.75.
    expectSegment(referenceLine(axialB, coronal), [71.75, 190], [327.75, 190]);
  });

  it('draws a sagittal plane on an axial image as a vertical line at its column', () => {
    const axialB = plane([-128, -128, 10], AXIAL, 0.8, 0.5, 300, 512);
    const sag = plane([-32, -300, 300], SAGITTAL, 1, 1, 600, 600); // x = −32
    // Column (−32 + 128) / 0.5 = 192, all rows.
    expectSegment(referenceLine(sag, axialB), [192, -0.5], [192, 299.5]);
  });

  it('is undefined for parallel planes and planes that miss the image', () => {
    const axialB = plane([-128, -128, 10], AXIAL, 1, 1, 256, 256);
    expect(referenceLine(plane([-200, -200, 40], AXIAL, 1, 1, 400, 400), axialB)).toBeUndefined();
    expect(referenceLine(plane([-200, -200, 10], AXIAL, 1, 1, 400, 400), axialB)).toBeUndefined(); // same plane
    expect(referenceLine(plane([-200, 200, 40], AXIAL_FLIPPED, 1, 1, 400, 400), axialB)).toBeUndefined();
    // 0.1° off parallel: scanner noise, no line.
    const a = (0.1 * Math.PI) / 180;
    expect(referenceLine(plane([-200, -200, 10], [1, 0, 0, 0, Math.cos(a), Math.sin(a)], 1, 1, 400, 400), axialB)).toBeUndefined();
    // An axial at z = 150 is above the sagittal (z 100.5 … −99.5 at the pixel edges).
    expect(referenceLine(plane([-200, -200, 150], AXIAL, 1, 1, 400, 400), sagittal)).toBeUndefined();
    // Just inside and just outside the top edge.
    expectSegment(referenceLine(plane([-200, -200, 100.25], AXIAL, 1, 1, 400, 400), sagittal), [-0.5, -0.25], [255.5, -0.25]);
    expect(referenceLine(plane([-200, -200, 100.75], AXIAL, 1, 1, 400, 400), sagittal)).toBeUndefined();
    // An axial whose field of view (x 9.5 … 109.5) does not reach the sagittal plane x = 0.
    expect(referenceLine(plane([10, -50, 40], AXIAL, 1, 1, 100, 100), sagittal)).toBeUndefined();
  });

  it('clips an oblique line to the image rectangle', () => {
    // Axial B at z = 0: pixel (c, r) at (c, r, 0), columns and rows −0.5 … 99.5.
    const axialB = plane([0, 0, 0], AXIAL, 1, 1, 100, 100);
    const h = Math.SQRT1_2;
    // A vertical plane through the line y = x + 30 (row along (1, 1, 0)/√2, column to the feet).
    const diagonal = plane([-100, -70, 200], [h, h, 0, 0, 0, -1], 1, 1, 400, 400);
    // Enters at the left edge (−0.5, 29.5), leaves at the bottom edge (69.5, 99.5).
    expectSegment(referenceLine(diagonal, axialB), [-0.5, 29.5], [69.5, 99.5]);
    // The same plane with its row reversed gives the same segment, from the left.
    const reversedRow = plane([300 * h - 100, 300 * h - 70, 200], [-h, -h, 0, 0, 0, -1], 1, 1, 400, 400);
    expectSegment(referenceLine(reversedRow, axialB), [-0.5, 29.5], [69.5, 99.5]);
    // A shallower line y = x/2 + 20 crosses from the left edge to the right edge.
    const d = Math.sqrt(5);
    const shallow = plane([-2 * (100 / d), 20 - 100 / d, 200], [2 / d, 1 / d, 0, 0, 0, -1], 1, 1, 400, 400);
    expectSegment(referenceLine(shallow, axialB), [-0.5, 19.75], [99.5, 69.75]);
    // A line through the top-right corner region: y = x − 80 leaves through the top edge at column 79.5.
    const corner = plane([-100, -180, 200], [h, h, 0, 0, 0, -1], 1, 1, 400, 400);
    expectSegment(referenceLine(corner, axialB), [79.5, -0.5], [99.5, 19.5]);
  });

  it('cuts a plane tilted out of B at the right row, and only where A reaches', () => {
    const axialB = plane([-100, -100, 0], AXIAL, 1, 1, 200, 200);
    const deg = 30;
    const column: Vec3 = [0, Math.cos((deg * Math.PI) / 180), -Math.sin((deg * Math.PI) / 180)];
    // Starts at z = 20 and descends 0.5 mm a row: reaches z = 0 at row 40, where y = 10 + 40·cos 30°.
    const tilted = plane([-50, 10, 20], [1, 0, 0, ...column], 1, 1, 100, 100);
    const y = 10 + 40 * Math.cos((deg * Math.PI) / 180);
    expectSegment(referenceLine(tilted, axialB), [49.5, y + 100], [149.5, y + 100]);
    // With only 30 rows (down to row 29.5, z = 5.25) it never reaches z = 0.
    expect(referenceLine({ ...tilted, rows: 30 }, axialB)).toBeUndefined();
  });

  it('works from frames through imagePlaneOf', () => {
    const a = imagePlaneOf(frame(0, [-200, 20, 200], { iop: CORONAL, spacing: [1, 1], rows: 400, columns: 400 }))!;
    const b = imagePlaneOf(frame(1, [-128, -128, 10], { spacing: [0.8, 0.5], rows: 300, columns: 512 }))!;
    expectSegment(referenceLine(a, b), [-0.5, 185], [511.5, 185]);
  });
});

import { describe, expect, it } from 'vitest';
import type { FrameRef, Vec3 } from './types';
import { overBudgetReason, volumeEligibility } from './volume';

const AXIAL = [1, 0, 0, 0, 1, 0] as [number, number, number, number, number, number];

function frame(i: number, position: Vec3, over: { iop?: number[]; spacing?: number[]; rows?: number; forUid?: string; samples?: number } = {}): FrameRef {
  const raw: Record<string, { vr: string; Value: unknown[] }> = {
    '00280030': { vr: 'DS', Value: over.spacing ?? [0.5, 0.5] },
    '00200052': { vr: 'UI', Value: [over.forUid ?? '1.2.3'] },
    '00280002': { vr: 'US', Value: [over.samples ?? 1] },
  };
  return {
    studyInstanceUID: '1',
    seriesInstanceUID: '1.1',
    sopInstanceUID: `1.1.${i}`,
    frameNumber: 1,
    instance: {
      sopInstanceUID: `1.1.${i}`,
      sopClassUID: '1.2.840.10008.5.1.4.1.1.2',
      instanceNumber: i + 1,
      numberOfFrames: 1,
      rows: over.rows ?? 64,
      columns: 64,
      imagePositionPatient: position,
      imageOrientationPatient: (over.iop ?? AXIAL) as typeof AXIAL,
      raw,
    },
  };
}

const axialSeries = (n: number, gap = 2, z0 = -10) => Array.from({ length: n }, (_, i) => frame(i, [-16, -16, z0 + i * gap]));

describe('volumeEligibility', () => {
  it('accepts evenly spaced parallel slices in any order, sorted along the normal', () => {
    const frames = axialSeries(10).reverse();
    const v = volumeEligibility(frames);
    expect(v.ok).toBe(true);
    if (!v.ok) return;
    expect(v.volume.spacing).toEqual([0.5, 0.5, 2]);
    expect(v.volume.frames.map((f) => f.instance.imagePositionPatient![2])).toEqual([-10, -8, -6, -4, -2, 0, 2, 4, 6, 8]);
    expect(v.volume.bytes).toBe(64 * 64 * 10 * 2);
  });

  it('tolerates the rounding of scanner positions', () => {
    const frames = axialSeries(5).map((f, i) => ({ ...f, instance: { ...f.instance, imagePositionPatient: [-16, -16, -10 + i * 2 + (i % 2 ? 0.04 : -0.03)] as Vec3 } }));
    expect(volumeEligibility(frames).ok).toBe(true);
  });

  const reason = (frames: FrameRef[]) => {
    const v = volumeEligibility(frames);
    return v.ok ? 'ok' : v.reason;
  };

  it('says which slice is missing', () => {
    const frames = axialSeries(10).filter((_, i) => i !== 4);
    expect(reason(frames)).toBe('a slice is missing between images at -4.0 and 0.0 mm (gap 4.00 mm, usually 2.00 mm)');
    expect(reason(axialSeries(10).filter((_, i) => i !== 4 && i !== 5))).toMatch(/^2 slices are missing/);
  });

  it('refuses irregular spacing, repeated positions and gantry tilt', () => {
    const irregular = [0, 2, 4, 7, 9, 11].map((z, i) => frame(i, [-16, -16, z]));
    expect(reason(irregular)).toMatch(/irregular \(2\.00–3\.00 mm\)/);
    const repeated = [...axialSeries(4), frame(9, [-16, -16, -10])];
    expect(reason(repeated)).toMatch(/same position/);
    // Each slice shifted 0.5 mm in y per 2 mm in z: 14° of tilt.
    const tilted = Array.from({ length: 6 }, (_, i) => frame(i, [-16, -16 + i * 0.5, i * 2]));
    expect(reason(tilted)).toMatch(/tilted by 14\.0° .*gantry tilt/);
  });

  it('refuses mixed orientations, sizes, spacings, frames of reference, colour and missing geometry', () => {
    const s = axialSeries(5);
    expect(reason([...s, frame(7, [-16, -16, 20], { iop: [1, 0, 0, 0, 0, -1] })])).toBe('image 6 has a different orientation');
    expect(reason([...s, frame(7, [-16, -16, 0.5], { rows: 32 })])).toBe('image 6 is 64×32, the first is 64×64');
    expect(reason([...s, frame(7, [-16, -16, 0], { spacing: [0.6, 0.6] })])).toBe('image 6 has a different pixel spacing');
    expect(reason([...s, frame(7, [-16, -16, 0], { forUid: '9.9' })])).toBe('the images are in more than one frame of reference');
    expect(reason(s.map((f, i) => frame(i, f.instance.imagePositionPatient!, { samples: 3 })))).toBe('colour images are not reformatted');
    const noSpacing = s.map((f) => ({ ...f, instance: { ...f.instance, raw: {} } }));
    expect(reason(noSpacing)).toMatch(/no pixel spacing/);
    const noPosition = [...s.slice(0, 4), { ...s[4]!, instance: { ...s[4]!.instance, imagePositionPatient: undefined } }];
    expect(reason(noPosition)).toBe('image 5 has no position (Image Position Patient)');
    expect(reason(s.slice(0, 2))).toBe('a volume needs at least 3 images; this series has 2');
  });

  it('accepts sagittal and oblique stacks along their own normal', () => {
    const sag = [0, 1, 0, 0, 0, -1];
    const frames = Array.from({ length: 5 }, (_, i) => frame(i, [i * 3, -20, 20], { iop: sag }));
    const v = volumeEligibility(frames);
    expect(v.ok && v.volume.spacing[2]).toBeCloseTo(3, 6);
  });
});

describe('volume spacing', () => {
  it('keeps PixelSpacing as [between rows, between columns] and the slice gap', () => {
    // 0.5 mm down a column, 0.8 mm across a row.
    const frames = Array.from({ length: 4 }, (_, i) => frame(i, [0, 0, i * 2], { spacing: [0.5, 0.8] }));
    const v = volumeEligibility(frames);
    if (!v.ok) throw new Error(v.reason);
    expect(v.volume.spacing).toEqual([0.5, 0.8, 2]);
  });
});

describe('memory budget', () => {
  it('refuses a volume larger than the budget, naming both sizes and the setting', () => {
    // 1000 slices of 512² at 2 bytes: 500 MB.
    const bytes = 1000 * 512 * 512 * 2;
    expect(overBudgetReason(bytes, 1024)).toBeUndefined();
    expect(overBudgetReason(bytes, 500)).toBeUndefined();
    expect(overBudgetReason(bytes, 256)).toBe('the volume needs 500 MB, more than the image memory budget (256 MB, cacheBudgetMB in config.json)');
  });

  it('counts 4 bytes a voxel when a fractional rescale slope makes the volume float', () => {
    const frames = Array.from({ length: 4 }, (_, i) => frame(i, [0, 0, i * 2]));
    const v = volumeEligibility(frames);
    if (!v.ok) throw new Error(v.reason);
    const slope = frames.map((f) => ({ ...f, instance: { ...f.instance, raw: { ...(f.instance.raw as object), '00281053': { vr: 'DS', Value: [0.5] } } } }));
    const w = volumeEligibility(slope as never);
    if (!w.ok) throw new Error(w.reason);
    expect(w.volume.bytes).toBe(v.volume.bytes * 2);
  });
});

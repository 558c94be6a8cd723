import { describe, expect, it } from 'vitest';
import { CT_EXTENT, ctHuAt, ctSliceHu, gridOrigin, HU, MR_SIGNAL, mrSignalAt, mrSlice, prng } from './phantom.ts';

const grid = { size: 512, spacing: 0.7 };

/** Fraction of a slice (no noise) whose HU lies in [lo, hi]. */
function fraction(z: number, lo: number, hi: number): number {
  const s = ctSliceHu(z, grid);
  let n = 0;
  for (const v of s) if (v >= lo && v <= hi) n++;
  return n / s.length;
}

describe('CT phantom', () => {
  it('has air outside the body and a table under it', () => {
    expect(ctHuAt(175, -170, 0)).toBe(HU.air);
    expect(ctHuAt(-175, 170, 100)).toBe(HU.air);
    expect(ctHuAt(0, -150, -100)).toBe(HU.air);
    expect(ctHuAt(0, 124, 0)).toBe(HU.table);
  });

  it('has contrast in the aorta, air-like lungs and dense vertebral cortex', () => {
    expect(ctHuAt(-6, -36, 60)).toBeGreaterThan(150); // ascending aorta
    expect(ctHuAt(19, 29, 40)).toBeGreaterThan(150); // descending aorta
    expect(ctHuAt(10, 33, -120)).toBeGreaterThan(150); // abdominal aorta
    expect(ctHuAt(-85, 10, 60)).toBeLessThan(-700);
    expect(ctHuAt(95, 0, 30)).toBeLessThan(-700);
    // Somewhere in the thoracic spine a vertebral body: cancellous core, cortical shell, and discs between.
    const zs = Array.from({ length: 120 }, (_, i) => 140 - i * 0.5);
    const bodyZ = zs.find((z) => ctHuAt(0, 64, z) === HU.cancellousBone && ctHuAt(0, 64, z + 4) === HU.cancellousBone);
    expect(bodyZ).toBeDefined();
    expect(ctHuAt(0, 64 - 16 + 1, bodyZ!)).toBeGreaterThan(700);
    expect(zs.some((z) => ctHuAt(0, 64, z) === HU.disc)).toBe(true);
  });

  it('has soft tissue organs and lesions where expected', () => {
    expect(ctHuAt(-75, 10, -70)).toBe(HU.liver);
    expect(ctHuAt(-84, -12, -56)).toBe(HU.liverLesion);
    expect(ctHuAt(78, -22, 64)).toBe(HU.nodule);
    expect(ctHuAt(22, -32, 20)).toBeGreaterThan(30); // heart
    expect(ctHuAt(0, 14, 120)).toBe(HU.air); // trachea
  });

  it('changes smoothly along z: lungs fade towards the abdomen, the liver appears below the diaphragm', () => {
    const lung = (z: number) => fraction(z, -900, -800);
    const liver = (z: number) => fraction(z, HU.liver, HU.liver);
    expect(lung(60)).toBeGreaterThan(0.15);
    expect(lung(140)).toBeLessThan(lung(60));
    expect(lung(-130)).toBe(0);
    expect(liver(60)).toBe(0);
    expect(liver(-60)).toBeGreaterThan(0.05);
    // Neighbouring slices differ a little, not wholesale.
    const a = ctSliceHu(10, grid);
    const b = ctSliceHu(11.5, grid);
    let changed = 0;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) changed++;
    expect(changed / a.length).toBeGreaterThan(0);
    expect(changed / a.length).toBeLessThan(0.1);
  });

  it('rasterises exactly what the point function says', () => {
    const next = prng(7);
    const o = gridOrigin(grid);
    for (const z of [CT_EXTENT.zTop - 3, 64, 20, -56, -120]) {
      const slice = ctSliceHu(z, grid);
      for (let n = 0; n < 1500; n++) {
        const i = Math.floor(next() * grid.size);
        const j = Math.floor(next() * grid.size);
        expect(slice[j * grid.size + i], `z ${z} pixel ${i},${j}`).toBe(ctHuAt(o + i * grid.spacing, o + j * grid.spacing, z));
      }
    }
  });

  it('adds deterministic noise of about 8 HU', () => {
    const a = ctSliceHu(-70, grid, { noise: 8, seed: 42 });
    const b = ctSliceHu(-70, grid, { noise: 8, seed: 42 });
    const c = ctSliceHu(-70, grid, { noise: 8, seed: 43 });
    expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(b.buffer))).toBe(0);
    expect(Buffer.compare(Buffer.from(a.buffer), Buffer.from(c.buffer))).not.toBe(0);
    // Outside air is uniform before noise: its spread is the noise.
    const values: number[] = [];
    for (let j = 0; j < 40; j++) for (let i = 0; i < 40; i++) values.push(a[j * grid.size + i]!);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const sd = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(HU.air, -1);
    expect(sd).toBeGreaterThan(6);
    expect(sd).toBeLessThan(10);
  });
});

describe('MR phantom', () => {
  it('has T2-like contrast: CSF bright, grey above white matter, skull dark, air black', () => {
    expect(mrSignalAt(0, 200, 0)).toBe(0);
    expect(mrSignalAt(0, 4 - 94 * 0.93, -8)).toBe(MR_SIGNAL.skull);
    expect(mrSignalAt(-11, -2, 18)).toBe(MR_SIGNAL.csf); // lateral ventricle
    expect(MR_SIGNAL.csf).toBeGreaterThan(MR_SIGNAL.grey);
    expect(MR_SIGNAL.grey).toBeGreaterThan(MR_SIGNAL.white);
    const slice = mrSlice(20, { size: 256, spacing: 0.9 });
    const kinds = new Set(slice);
    for (const v of [MR_SIGNAL.csf, MR_SIGNAL.grey, MR_SIGNAL.white]) {
      expect([...kinds].some((k) => Math.abs(k - v) < v * 0.1)).toBe(true);
    }
  });
});

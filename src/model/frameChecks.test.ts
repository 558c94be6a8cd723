import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicomweb/json';
import { frameProblem } from './frameChecks';

const ds = (rows: unknown, columns: unknown, extra: DicomJson = {}): DicomJson => ({
  '00280010': { vr: 'US', Value: [rows] },
  '00280011': { vr: 'US', Value: [columns] },
  ...extra,
});

describe('frameProblem', () => {
  it('accepts ordinary images', () => {
    expect(frameProblem(ds(512, 512))).toBeUndefined();
    expect(frameProblem(ds(4096, 4096, { '00280002': { vr: 'US', Value: [3] }, '00280100': { vr: 'US', Value: [8] } }))).toBeUndefined();
  });
  it('refuses absurd and invalid sizes before anything is allocated', () => {
    expect(frameProblem(ds(65535, 65535))).toContain('65535 × 65535');
    expect(frameProblem(ds(0, 512))).toContain('not valid');
    expect(frameProblem({ '00280010': { vr: 'US', Value: [512] } })).toContain('no Rows/Columns');
    expect(frameProblem(ds(16000, 16000))).toContain('MB');
  });
  it('refuses unsupported sample layouts', () => {
    expect(frameProblem(ds(10, 10, { '00280100': { vr: 'US', Value: [12] } }))).toContain('BitsAllocated 12');
    expect(frameProblem(ds(10, 10, { '00280002': { vr: 'US', Value: [2] } }))).toContain('SamplesPerPixel 2');
  });
});

describe('sanitizeGeometry', () => {
  it('removes unusable spacing, positions and orientation and keeps good ones', async () => {
    const { sanitizeGeometry } = await import('./frameChecks');
    const bad = ds(64, 64, {
      '00280030': { vr: 'DS', Value: ['abc', 0] },
      '00200032': { vr: 'DS', Value: ['NaN', 1, ''] },
      '00200037': { vr: 'DS', Value: [0, 0, 0, 0, 1, 0] },
      '00180050': { vr: 'DS', Value: [-1] },
    });
    const clean = sanitizeGeometry(bad);
    expect(Object.keys(clean).sort()).toEqual(['00280010', '00280011']);
    expect(bad['00280030']).toBeDefined(); // the original is left alone (the tag browser shows it)
    const good = ds(64, 64, {
      '00280030': { vr: 'DS', Value: [0.7, 0.7] },
      '00200032': { vr: 'DS', Value: [1, 2, 3] },
      '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
    });
    expect(sanitizeGeometry(good)).toBe(good);
  });
});

import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { codestreamProblem, decodedProblem, frameProblem } from './frameChecks';

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

describe('codestreamProblem', () => {
  const mono16 = { rows: 4, columns: 4, samplesPerPixel: 1, bitsAllocated: 16 };
  const rleHeader = (segments: number, offsets: number[], total: number) => {
    const b = new Uint8Array(total);
    const v = new DataView(b.buffer);
    v.setUint32(0, segments, true);
    offsets.forEach((o, i) => v.setUint32(4 + 4 * i, o, true));
    return b;
  };

  it('accepts complete native frames and refuses truncated ones with the byte counts', () => {
    expect(codestreamProblem('1.2.840.10008.1.2.1', new Uint8Array(32), mono16)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.1', new Uint8Array(20), mono16)).toMatch(/truncated: 20 of the 32 bytes a 4 × 4 frame/);
    expect(codestreamProblem('1.2.840.10008.1.2', new Uint8Array(2), { rows: 4, columns: 4, bitsAllocated: 1 })).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.1', new Uint8Array(0), mono16)).toMatch(/no pixel data/);
    const ybr = { rows: 4, columns: 4, samplesPerPixel: 3, bitsAllocated: 8, photometricInterpretation: 'YBR_FULL_422' };
    expect(codestreamProblem('1.2.840.10008.1.2.1', new Uint8Array(32), ybr)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.1', new Uint8Array(30), ybr)).toMatch(/30 of the 32 bytes/);
  });

  it('checks RLE headers against the frame layout', () => {
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(2, [64, 80], 100), mono16)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(3, [64, 80, 90], 100), mono16)).toMatch(/3 segments where .* has 2/);
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(0x40000002, [64, 80], 100), mono16)).toMatch(/segments/);
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(2, [64, 4000], 100), mono16)).toMatch(/offsets/);
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(2, [64, 60], 100), mono16)).toMatch(/offsets/);
    expect(codestreamProblem('1.2.840.10008.1.2.5', new Uint8Array(30), mono16)).toMatch(/shorter than its 64-byte header/);
    expect(codestreamProblem('1.2.840.10008.1.2.5', rleHeader(3, [64, 70, 80], 100), { ...mono16, samplesPerPixel: 3, bitsAllocated: 8 })).toBeUndefined();
  });

  it('wants JPEG-family codestreams to start and end with their markers (even-length padding allowed)', () => {
    const jpeg = Uint8Array.from([0xff, 0xd8, 1, 2, 3, 0xff, 0xd9, 0]);
    expect(codestreamProblem('1.2.840.10008.1.2.4.50', jpeg, mono16)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.4.80', jpeg, mono16)).toBeUndefined();
    // FF fill after the end marker (pydicom's JPGExtended.dcm ends FF D9 FF).
    expect(codestreamProblem('1.2.840.10008.1.2.4.51', Uint8Array.from([0xff, 0xd8, 1, 0xff, 0xd9, 0xff]), mono16)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.4.70', jpeg.slice(0, 5), mono16)).toMatch(/JPEG codestream is cut short/);
    expect(codestreamProblem('1.2.840.10008.1.2.4.81', jpeg.slice(0, 5), mono16)).toMatch(/JPEG-LS codestream is cut short/);
    expect(codestreamProblem('1.2.840.10008.1.2.4.50', Uint8Array.from([0, 0xd8, 0xff, 0xd9]), mono16)).toMatch(/not a JPEG codestream/);
    const j2k = Uint8Array.from([0xff, 0x4f, 0xff, 0x51, 9, 9, 0xff, 0xd9]);
    expect(codestreamProblem('1.2.840.10008.1.2.4.90', j2k, mono16)).toBeUndefined();
    expect(codestreamProblem('1.2.840.10008.1.2.4.91', j2k.slice(0, 6), mono16)).toMatch(/JPEG 2000 codestream is cut short/);
    const jp2 = Uint8Array.from([0, 0, 0, 12, 0x6a, 0x50, 0x20, 0x20, 13, 10, 0x87, 10, 0, 0]);
    expect(codestreamProblem('1.2.840.10008.1.2.4.90', jp2, mono16)).toBeUndefined();
  });

  it('names syntaxes that have no decoder', () => {
    expect(codestreamProblem('1.2.840.10008.1.2.4.102', new Uint8Array(8), mono16)).toMatch(/1\.2\.840\.10008\.1\.2\.4\.102 \(MPEG-4 video\) is not supported/);
    expect(codestreamProblem('1.2.3.4', new Uint8Array(8), mono16)).toMatch(/1\.2\.3\.4 is not supported/);
    expect(codestreamProblem('1.2.840.10008.1.2.1.99', new Uint8Array(8), mono16)).toBeUndefined();
  });
});

describe('decodedProblem', () => {
  const layout = { rows: 4, columns: 4, samplesPerPixel: 1, bitsAllocated: 16 };
  it('accepts output that fits the frame, including RGBA expansion', () => {
    expect(decodedProblem('JPEG 2000', layout, { rows: 4, columns: 4, pixelData: new Uint16Array(16) })).toBeUndefined();
    expect(decodedProblem('JPEG', { ...layout, samplesPerPixel: 3 }, { pixelData: new Uint8Array(64) })).toBeUndefined();
  });
  it('refuses output of another size or none', () => {
    expect(decodedProblem('JPEG 2000', layout, { rows: 4, columns: 0, pixelData: new Uint16Array(0) })).toMatch(/decoded to no pixels/);
    expect(decodedProblem('JPEG 2000', layout, { rows: 2, columns: 4, pixelData: new Uint16Array(8) })).toMatch(/decodes to 4 × 2 where the DICOM header says 4 × 4/);
    expect(decodedProblem('RLE', layout, { pixelData: new Uint16Array(10) })).toMatch(/decodes to 10 samples where a 4 × 4 frame needs 16/);
    const ybr = { rows: 4, columns: 4, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422' };
    expect(decodedProblem('uncompressed', ybr, { rows: 4, columns: 4, pixelData: new Uint8Array(32) })).toBeUndefined();
    expect(decodedProblem('RLE', layout, undefined)).toMatch(/no pixels/);
  });
});

describe('paletteProblem', () => {
  const table = (n: number) => Array.from({ length: n }, (_, i) => i * 256);
  const palette = (extra: DicomJson = {}): DicomJson =>
    ds(8, 8, {
      '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
      '00281101': { vr: 'US', Value: [256, 0, 16] },
      '00281102': { vr: 'US', Value: [256, 0, 16] },
      '00281103': { vr: 'US', Value: [256, 0, 16] },
      '00281201': { vr: 'OW', Value: table(256) },
      '00281202': { vr: 'OW', Value: table(256) },
      '00281203': { vr: 'OW', Value: table(256) },
      ...extra,
    });

  it('accepts complete palettes and ignores other photometric interpretations', async () => {
    const { paletteProblem } = await import('./frameChecks');
    expect(paletteProblem(palette())).toBeUndefined();
    // 0 entries in the descriptor means 65536.
    const big = palette({ '00281101': { vr: 'US', Value: [0, 0, 16] }, '00281201': { vr: 'OW', Value: table(65536) } });
    expect(paletteProblem(big)).toBeUndefined();
    expect(paletteProblem(ds(8, 8, { '00280004': { vr: 'CS', Value: ['MONOCHROME2'] } }))).toBeUndefined();
  });

  it('names missing, unresolved and short tables, and frameProblem refuses them', async () => {
    const { paletteProblem } = await import('./frameChecks');
    const missing = palette({ '00281201': undefined, '00281202': undefined, '00281203': undefined });
    expect(frameProblem(missing)).toBe('Palette colour image without complete lookup table data (no red table, no green table, no blue table)');
    expect(paletteProblem(palette({ '00281202': { vr: 'OW', BulkDataURI: 'http://x/bulk' } }))).toMatch(/\(no green table\)$/);
    expect(paletteProblem(palette({ '00281203': { vr: 'OW', Value: table(100) } }))).toMatch(/\(blue table has 100 of 256 entries\)$/);
    expect(paletteProblem(palette({ '00281101': undefined }))).toMatch(/no usable red descriptor/);
    expect(paletteProblem(palette({ '00281101': { vr: 'US', Value: [256, 0] } }))).toMatch(/no usable red descriptor/);
    const segmented = palette({ '00281201': undefined, '00281221': { vr: 'OW', Value: [0, 1, 2] } });
    expect(paletteProblem(segmented)).toMatch(/segmented palettes are not supported/);
  });
});

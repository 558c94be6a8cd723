import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parsePart10 } from '../../../src/dicom/part10.ts';
import { segInfo } from '../../../src/model/segmentation.ts';
import { gridOrigin, type Grid } from '../phantom.ts';
import { DatasetBuilder, uidFromSeed } from '../part10.ts';
import { SEG_DEMO, writeSegDemo } from './seg.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'seg-demo-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// A coarse CT stand-in (5 mm slices) that covers the lesion and the nodule.
const grid: Grid = { size: 512, spacing: 0.7 };
const slices = 40;
const spacing = 5;
const ct = Array.from({ length: slices }, (_, k) => uidFromSeed(`seg-test/ct/${k}`));
const files = writeSegDemo(dir, {
  ctInstances: ct,
  ctSeriesUID: uidFromSeed('seg-test/ct'),
  frameOfReferenceUID: uidFromSeed('seg-test/for'),
  grid,
  spacing,
  base: (s) => new DatasetBuilder().set('StudyInstanceUID', uidFromSeed('seg-test/study')).set('SeriesInstanceUID', s.uid).set('Modality', s.modality).set('SeriesDescription', s.description),
  uid: (name) => uidFromSeed(`seg-test/${name}`),
});
const read = (name: string) => parsePart10(new Uint8Array(fs.readFileSync(path.join(dir, 'seg', name))));
const zTop = ((slices - 1) / 2) * spacing;
const origin = gridOrigin(grid);
/** The frame that lies on slice k for segment s, and the index of patient point (x, y) in it. */
function frameAt(parsed: ReturnType<typeof read>, segment: number, x: number, y: number, z: number) {
  const k = Math.round((zTop - z) / spacing);
  const groups = (parsed.metadata['52009230']!.Value as Record<string, { Value?: unknown[] }>[]) ?? [];
  const f = groups.findIndex((g) => {
    const seg = (g['0062000A']!.Value![0] as Record<string, { Value: number[] }>)['0062000B']!.Value[0];
    const pos = (g['00209113']!.Value![0] as Record<string, { Value: number[] }>)['00200032']!.Value[2]!;
    return seg === segment && Math.abs(pos - (zTop - k * spacing)) < 1e-3;
  });
  return { f, index: Math.round((y - origin) / grid.spacing) * grid.size + Math.round((x - origin) / grid.spacing) };
}

describe('demo SEGs', () => {
  it('writes a binary SEG whose liver and lesion overlap at the lesion, on the CT it names', () => {
    expect(files.map((f) => path.basename(f.path))).toEqual(['SEG-LIVER.dcm', 'SEG-NODULE.dcm', 'SEG-ELSEWHERE.dcm']);
    const seg = read('SEG-LIVER.dcm');
    const info = segInfo(seg.metadata);
    expect(info.referencedSeriesUID).toBe(uidFromSeed('seg-test/ct'));
    expect(info.segments.map((s) => [s.label, s.color])).toEqual([
      ['Liver', [200, 80, 60]],
      ['Liver lesion', [250, 220, 40]],
    ]);
    // One bit per pixel, frames back to back: pixel i of frame f is bit f·n² + i.
    const bits = seg.frames.length === 1 ? seg.frames[0]! : new Uint8Array(seg.frames.flatMap((x) => [...x]));
    const bit = (f: number, i: number) => (bits[(f * grid.size * grid.size + i) >> 3]! >> ((f * grid.size * grid.size + i) & 7)) & 1;
    const [x, y, z] = SEG_DEMO.liverLesion.centre;
    for (const segment of [1, 2]) {
      const { f, index } = frameAt(seg, segment, x, y, z);
      expect(f, `segment ${segment} has a frame at the lesion`).toBeGreaterThanOrEqual(0);
      expect(bit(f, index)).toBe(1);
    }
    const outside = frameAt(seg, 1, ...SEG_DEMO.outsidePoint);
    expect(bit(outside.f, outside.index)).toBe(0);
  });

  it('writes a fractional SEG at one half on the nodule’s surface, and one on a series that is not there', () => {
    const seg = read('SEG-NODULE.dcm');
    expect(segInfo(seg.metadata)).toMatchObject({ fractional: true, maxFractional: 255 });
    const [x, y, z] = SEG_DEMO.nodule.centre;
    const k = Math.round((zTop - z) / spacing);
    const dz = zTop - k * spacing - z;
    const { f, index } = frameAt(seg, 1, x, y, zTop - k * spacing);
    const frame = seg.frames.length === 1 ? seg.frames[0]!.subarray(f * grid.size * grid.size) : seg.frames[f]!;
    expect(frame[index]).toBe(Math.round(255 * Math.min(1, (9 - Math.abs(dz)) / 4)));
    const elsewhere = segInfo(read('SEG-ELSEWHERE.dcm').metadata);
    expect(elsewhere.referencedSeriesUID).toBe(uidFromSeed('seg-test/seg/elsewhere/missing-series'));
  });
});

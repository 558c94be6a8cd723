import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseMultipartRelated } from '../../src/dicomweb/multipart';
import { generateDemoDicom } from '../demo/generate';
import { groupFragments, importFiles, parseInstance, swapBytes } from './staticTree';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const hasPydicom = fs.existsSync(PYDICOM);
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-import-test-'));
const json = (p: string) => JSON.parse(fs.readFileSync(p, 'utf8'));

describe('importFiles', () => {
  const src = tmp();
  const out = tmp();
  const demo = generateDemoDicom(src, { ctSlices: 3 });
  fs.writeFileSync(path.join(src, 'notes.txt'), 'not DICOM');
  const summary = importFiles([src], out);

  it('writes the QIDO and WADO collections of a static tree', () => {
    expect(summary.studies).toBe(4);
    expect(summary.instances).toBe(demo.length);
    expect(summary.skipped).toEqual([{ path: path.join(src, 'notes.txt'), reason: expect.stringContaining('not a DICOM') }]);
    const studies = json(path.join(out, 'studies', 'index.json'));
    expect(studies).toHaveLength(4);
    const ct = demo[0]!;
    const study = studies.find((s: any) => s['0020000D'].Value[0] === ct.studyInstanceUID);
    expect(study['00100010'].Value[0]).toEqual({ Alphabetic: 'DEMO^CHEST CT' });
    expect(study['00080061'].Value).toEqual(['CT']);
    expect(study['00201208'].Value).toEqual([3]);
    const series = json(path.join(out, 'studies', ct.studyInstanceUID, 'series', 'index.json'));
    expect(series[0]['0020000E'].Value[0]).toBe(ct.seriesInstanceUID);
    const metadata = json(path.join(out, 'studies', ct.studyInstanceUID, 'series', ct.seriesInstanceUID, 'metadata'));
    expect(metadata).toHaveLength(3);
    expect(metadata[0]['7FE00010']).toBeUndefined();
    expect(metadata[0]['00020010'].Value[0]).toBe('1.2.840.10008.1.2.1');
    expect(metadata.map((m: any) => m['00200013'].Value[0])).toEqual([1, 2, 3]);
  });

  it('stores each frame as a multipart body holding exactly the pixel bytes', () => {
    const xa = demo.find((d) => d.description.startsWith('XA'))!;
    const dir = path.join(out, 'studies', xa.studyInstanceUID, 'series', xa.seriesInstanceUID, 'instances', xa.sopInstanceUID, 'frames');
    expect(fs.readdirSync(dir)).toHaveLength(30);
    const parts = parseMultipartRelated(new Uint8Array(fs.readFileSync(path.join(dir, '30'))));
    expect(parts).toHaveLength(1);
    expect(parts[0]!.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    const inst = parseInstance(xa.path);
    expect(Buffer.from(parts[0]!.body).equals(Buffer.from(inst.frames[29]!))).toBe(true);
    expect(parts[0]!.body.length).toBe(256 * 256);
  });

  it('merges a second import into the same tree', () => {
    const again = importFiles([src], out);
    expect(again.instances).toBe(demo.length);
    expect(json(path.join(out, 'studies', 'index.json'))).toHaveLength(4);
  });
});

describe('frames', () => {
  it('swaps big-endian words and groups fragments into frames', () => {
    expect(Array.from(swapBytes(new Uint8Array([1, 2, 3, 4]), 2))).toEqual([2, 1, 4, 3]);
    const f = (...b: number[]) => new Uint8Array(b);
    expect(groupFragments([f(0xff, 0xd8, 1), f(2), f(0xff, 0xd8, 3)], 2).map((x) => Array.from(x))).toEqual([
      [0xff, 0xd8, 1, 2],
      [0xff, 0xd8, 3],
    ]);
    expect(groupFragments([f(1), f(2)], 1).map((x) => Array.from(x))).toEqual([[1, 2]]);
  });

  it.skipIf(!hasPydicom)('gives big-endian and little-endian copies of one image the same frame bytes', () => {
    const le = parseInstance(path.join(PYDICOM, 'MR_small.dcm'));
    const be = parseInstance(path.join(PYDICOM, 'MR_small_bigendian.dcm'));
    expect(be.transferSyntax).toBe('1.2.840.10008.1.2.1');
    expect(Buffer.from(be.frames[0]!).equals(Buffer.from(le.frames[0]!))).toBe(true);
  });

  it.skipIf(!hasPydicom)('keeps compressed codestreams as stored, one per frame', () => {
    const jpeg = parseInstance(path.join(PYDICOM, 'SC_rgb_jpeg_dcmtk.dcm'));
    expect(jpeg.transferSyntax).toBe('1.2.840.10008.1.2.4.50');
    expect(Array.from(jpeg.frames[0]!.slice(0, 2))).toEqual([0xff, 0xd8]);
    const j2k = parseInstance(path.join(PYDICOM, 'JPEG2000.dcm'));
    expect(Array.from(j2k.frames[0]!.slice(0, 2))).toEqual([0xff, 0x4f]);
    const rle = parseInstance(path.join(PYDICOM, 'SC_rgb_rle_2frame.dcm'));
    expect(rle.frames).toHaveLength(2);
    const ybr = parseInstance(path.join(PYDICOM, 'SC_ybr_full_422_uncompressed.dcm'));
    // Native YBR_FULL_422 is stored converted to RGB (the loader cannot show it natively).
    expect(ybr.frames[0]!.length).toBe(100 * 100 * 3);
    expect(ybr.metadata['00280004']!.Value).toEqual(['RGB']);
    // The test image has bands of known colour: rows 0–9 (255,0,0), 20–29 (0,255,0), 40–49 (0,0,255).
    const rgbAt = (row: number, col: number) => Array.from(ybr.frames[0]!.subarray((row * 100 + col) * 3, (row * 100 + col) * 3 + 3));
    for (const [row, expected] of [[5, [255, 0, 0]], [25, [0, 255, 0]], [45, [0, 0, 255]]] as const) {
      rgbAt(row, 50).forEach((v, c) => expect(Math.abs(v - expected[c]!)).toBeLessThanOrEqual(6));
    }
    const dfl = parseInstance(path.join(PYDICOM, 'image_dfl.dcm'));
    expect(dfl.frames[0]!.length).toBe(512 * 512);
  });
});

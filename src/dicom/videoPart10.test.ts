import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dcmjs } from './dcmjs';
import { parsePart10 } from './part10';
import { readVideoPart10 } from './videoPart10';

const clip = new Uint8Array(fs.readFileSync(path.join(import.meta.dirname, '../../scripts/demo/objects/video-h264.mp4')));

function part10(values: ArrayBuffer[] | undefined, ts = '1.2.840.10008.1.2.4.102'): Uint8Array {
  const dataset: Record<string, { vr: string; Value?: unknown[] }> = {
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.77.1.4.1'] },
    '00080018': { vr: 'UI', Value: ['1.2.3.4'] },
    '0020000D': { vr: 'UI', Value: ['1.2.3'] },
    '0020000E': { vr: 'UI', Value: ['1.2.3.1'] },
    '00181063': { vr: 'DS', Value: [40] },
    '00280008': { vr: 'IS', Value: [50] },
  };
  if (values) dataset['7FE00010'] = { vr: 'OB', Value: values };
  const dict = new dcmjs.data.DicomDict({
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.77.1.4.1'] },
    '00020003': { vr: 'UI', Value: ['1.2.3.4'] },
    '00020010': { vr: 'UI', Value: [ts] },
  });
  dict.dict = dataset as never;
  return new Uint8Array(dict.write());
}
const ab = (b: Uint8Array) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe('a video Part 10 file', () => {
  it('gives the stream whole: its fragments joined, the offset table left out', () => {
    const v = readVideoPart10(part10([ab(clip)]));
    expect(v.transferSyntaxUID).toBe('1.2.840.10008.1.2.4.102');
    expect(Buffer.from(v.stream).equals(Buffer.from(clip))).toBe(true);
    expect(v.metadata['00181063']?.Value).toEqual([40]);
    expect(v.metadata['7FE00010']).toBeUndefined();
    // Written as two items (dcmjs puts each in an offset table entry): still one stream, in order.
    const half = 4000; // even: an odd fragment would be padded
    const two = readVideoPart10(part10([ab(clip.subarray(0, half)), ab(clip.subarray(half))]));
    expect(Buffer.from(two.stream).equals(Buffer.from(clip))).toBe(true);
  });

  it('says what is wrong with a file that is not DICOM or has no stream', () => {
    expect(() => readVideoPart10(clip)).toThrow(/not a DICOM Part 10 file/);
    expect(() => readVideoPart10(part10(undefined))).toThrow(/no pixel data/);
  });

  it('is one stream to the importer and local files too, not 50 frames cut short', () => {
    const half = 4000;
    const parsed = parsePart10(part10([ab(clip.subarray(0, half)), ab(clip.subarray(half))]));
    expect(parsed.frames).toHaveLength(1);
    expect(Buffer.from(parsed.frames[0]!).equals(Buffer.from(clip))).toBe(true);
    expect(parsed.warnings).toEqual([]);
  });
});

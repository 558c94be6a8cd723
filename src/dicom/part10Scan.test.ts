import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePart10 } from './part10';
import { scanPart10 } from './part10Scan';

const DATA = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const have = fs.existsSync(DATA);
const file = (name: string) => new Uint8Array(fs.readFileSync(path.join(DATA, name)));

describe.skipIf(!have)('the fast Part 10 scan', () => {
  // Every vendor file pydicom ships: where the scan answers, it gives exactly the full parse's frames.
  const names = have ? fs.readdirSync(DATA).filter((n) => n.endsWith('.dcm')) : [];

  it('agrees with the full parse on every file it reads, and reads the common ones', () => {
    let scanned = 0;
    for (const name of names) {
      const bytes = file(name);
      let full;
      try {
        full = parsePart10(bytes);
      } catch {
        full = undefined;
      }
      const fast = scanPart10(bytes);
      if (!fast) continue;
      expect(full, name).toBeDefined();
      if (!full) continue;
      // The scan leaves converted or truncated instances to the full parse.
      expect(full.pixelsConverted, name).toBe(false);
      expect(fast.sopInstanceUID, name).toBe(full.sopInstanceUID);
      expect(fast.transferSyntaxUID, name).toBe(full.frameTransferSyntaxUID);
      expect(fast.frames.length, name).toBe(full.frames.length);
      fast.frames.forEach((f, i) => expect(Buffer.from(f).equals(Buffer.from(full.frames[i]!)), `${name} frame ${i + 1}`).toBe(true));
      scanned++;
    }
    expect(scanned).toBeGreaterThan(40);
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'JPEG2000.dcm', 'SC_rgb_rle_2frame.dcm', 'MR_small_jpeg_ls_lossless.dcm', 'JPEG-lossy.dcm']) {
      expect(scanPart10(file(name)), name).toBeDefined();
    }
  });

  it('leaves big endian, deflate, native YBR_FULL_422 and truncated files to the full parse', () => {
    expect(scanPart10(file('MR_small_bigendian.dcm'))).toBeUndefined();
    expect(scanPart10(file('image_dfl.dcm'))).toBeUndefined();
    expect(scanPart10(file('SC_ybr_full_422_uncompressed.dcm'))).toBeUndefined();
    const ct = file('CT_small.dcm');
    expect(scanPart10(ct.subarray(0, ct.length - 1000))).toBeUndefined();
    expect(scanPart10(new Uint8Array(200))).toBeUndefined();
  });
});

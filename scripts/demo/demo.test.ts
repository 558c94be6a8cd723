import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import { CT, ctSlice, mrSlice } from './phantom';
import { generateDemoDicom } from './generate';
import { uid } from './part10';

const { DicomMessage, DicomMetaDictionary } = dcmjs.data as unknown as {
  DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown; meta: unknown } };
  DicomMetaDictionary: { naturalizeDataset(d: unknown): Record<string, any> };
};

function read(file: string) {
  const b = fs.readFileSync(file);
  const parsed = DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
  return DicomMetaDictionary.naturalizeDataset(parsed.dict);
}

describe('CT phantom', () => {
  it('has anatomy at the expected HU (air, lung, aorta, spine, liver lesion)', () => {
    const chest = ctSlice(70); // between two discs
    expect(chest.at(0, -160)).toBeCloseTo(-1000, -2); // air in front of the patient
    expect(chest.at(75, -8)).toBeLessThan(-700); // lung
    expect(chest.at(22, 42)).toBeGreaterThan(150); // descending aorta with contrast
    expect(chest.at(0, 55)).toBeGreaterThan(700); // vertebral cortex
    const abdomen = ctSlice(-45);
    expect(abdomen.at(-62, 40)).toBeGreaterThan(40); // liver
    expect(abdomen.at(-70, -15)).toBeLessThan(35); // hypodense lesion inside it
    expect(abdomen.at(75, -8)).toBeGreaterThan(-200); // no lung this low
  });

  it('is deterministic for a seed', () => {
    expect(Array.from(ctSlice(10, 5).data.slice(1000, 1010))).toEqual(Array.from(ctSlice(10, 5).data.slice(1000, 1010)));
  });

  it('makes an MR head with bright CSF in the ventricles', () => {
    const mr = mrSlice(10);
    expect(mr.at(9, -5)).toBeGreaterThan(1300);
    expect(mr.at(0, 110)).toBeLessThan(100); // outside the head
  });
});

describe('generateDemoDicom', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-demo-test-'));
  const files = generateDemoDicom(dir, { ctSlices: 6 });

  it('writes CT, MR, a multi-frame and a palette image with unique UIDs', () => {
    expect(files).toHaveLength(6 + 24 + 1 + 1);
    expect(new Set(files.map((f) => f.sopInstanceUID)).size).toBe(files.length);
    for (const f of files) expect(f.sopInstanceUID).toMatch(/^2\.25\.\d+$/);
    expect(new Set(files.map((f) => f.studyInstanceUID)).size).toBe(4);
  });

  it('gives CT slices the geometry, rescale and pixel data they claim', () => {
    const ct = files.filter((f) => f.description.startsWith('CT')).map((f) => read(f.path));
    expect(ct[0]!.Rows).toBe(512);
    expect(ct[0]!.PixelSpacing).toEqual([0.7, 0.7]);
    expect(ct[0]!.RescaleIntercept).toBe(-1024);
    expect(ct[0]!.ImageOrientationPatient).toEqual([1, 0, 0, 0, 1, 0]);
    const z = ct.map((d) => d.ImagePositionPatient[2]);
    expect(z[0]! - z[1]!).toBeCloseTo(CT.sliceSpacing, 5);
    expect(new Uint16Array(ct[0]!.PixelData[0]).length).toBe(512 * 512);
    expect(new Set(ct.map((d) => d.SeriesInstanceUID)).size).toBe(1);
  });

  it('writes a 30-frame multi-frame whose frames differ, and a palette-colour image with LUTs', () => {
    const xa = read(files.find((f) => f.description.startsWith('XA'))!.path);
    expect(xa.NumberOfFrames).toBe(30);
    const px = new Uint8Array(xa.PixelData[0]);
    expect(px.length).toBe(30 * 256 * 256);
    const frame = (n: number) => px.subarray(n * 65536, (n + 1) * 65536);
    const dark = (f: Uint8Array) => f.filter((v) => v === 45).length;
    expect(dark(frame(29))).toBeGreaterThan(dark(frame(0)));
    const pal = read(files.find((f) => f.description.startsWith('palette'))!.path);
    expect(pal.PhotometricInterpretation).toBe('PALETTE COLOR');
    expect(pal.RedPaletteColorLookupTableDescriptor).toEqual([256, 0, 16]);
  });

  it('derives the same UID from the same seed', () => {
    expect(uid('x')).toBe(uid('x'));
    expect(uid('x')).not.toBe(uid('y'));
    expect(uid('x').length).toBeLessThanOrEqual(64);
  });
});

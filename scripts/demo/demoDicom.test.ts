import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DcmjsDataset } from 'dcmjs';
import { dcmjs } from '../import/dcmjs.ts';
import { ARABIC_IMAGE, ARABIC_PATIENT, ARABIC_STUDY_DESCRIPTION, type DemoFile, generateDemoDicom } from './demoDicom.ts';
import { main } from './generate.ts';
import { uidFromSeed } from './part10.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-demo-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function read(file: string): { meta: DcmjsDataset; dict: DcmjsDataset } {
  const b = fs.readFileSync(file);
  return dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
}
const v = (ds: DcmjsDataset, tag: string, i = 0) => ds[tag]?.Value?.[i];
const values = (ds: DcmjsDataset, tag: string) => ds[tag]?.Value ?? [];
const sha = (file: string) => crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');

const UID_RE = /^(0|[1-9][0-9]*)(\.(0|[1-9][0-9]*))*$/;

describe('generateDemoDicom', () => {
  let files: DemoFile[];
  const dir = path.join(tmp, 'dicom');
  beforeAll(() => {
    files = generateDemoDicom(dir, { ctSlices: 6 });
  });

  it('writes the five demo series', () => {
    const count = (kind: DemoFile['kind']) => files.filter((f) => f.kind === kind).length;
    expect(count('ct')).toBe(6);
    expect(count('mr')).toBe(24);
    expect(count('xa-multiframe')).toBe(1);
    expect(count('palette')).toBe(1);
    expect(count('arabic')).toBe(3);
    for (const f of files) expect(fs.existsSync(f.path)).toBe(true);
    expect(JSON.parse(fs.readFileSync(path.join(dir, 'demo-manifest.json'), 'utf8')).files).toHaveLength(files.length);
  });

  it('gives valid, unique UIDs: one study and series per kind, MR and angiography for the same patient', () => {
    const all = files.flatMap((f) => [f.studyInstanceUID, f.seriesInstanceUID, f.sopInstanceUID]);
    for (const u of all) {
      expect(u).toMatch(UID_RE);
      expect(u.length).toBeLessThanOrEqual(64);
    }
    expect(new Set(files.map((f) => f.sopInstanceUID)).size).toBe(files.length);
    // The five image series in five studies; objects/ modules add their own (objects/video.test.ts).
    const images = files.filter((f) => ['ct', 'mr', 'xa-multiframe', 'palette', 'arabic'].includes(f.kind));
    expect(new Set(images.map((f) => f.seriesInstanceUID)).size).toBe(5);
    expect(new Set(images.map((f) => f.studyInstanceUID)).size).toBe(5);
    const patient = (kind: DemoFile['kind']) => v(read(files.find((f) => f.kind === kind)!.path).dict, '00100020');
    expect(patient('mr')).toBe(patient('xa-multiframe'));
    expect(patient('ct')).not.toBe(patient('mr'));
    // One patient per patient ID across every module's studies (priors and the Arabic copy find patients by ID).
    const names = new Map<string, Set<string>>();
    for (const f of files) {
      const d = read(f.path).dict;
      const id = String(v(d, '00100020'));
      names.set(id, (names.get(id) ?? new Set()).add(JSON.stringify(v(d, '00100010'))));
    }
    for (const [id, n] of names) expect([...n], id).toHaveLength(1);
    expect(uidFromSeed('a')).toBe(uidFromSeed('a'));
    expect(uidFromSeed('a')).not.toBe(uidFromSeed('b'));
  });

  it('names the Arabic study in Arabic script, in UTF-8, over an asymmetric image', () => {
    const { dict } = read(files.find((f) => f.kind === 'arabic')!.path);
    expect(v(dict, '00080005')).toBe('ISO_IR 192');
    expect(v(dict, '00100010')).toEqual({ Alphabetic: ARABIC_PATIENT.name });
    expect(v(dict, '00081030')).toBe(ARABIC_STUDY_DESCRIPTION);
    const px = new Uint16Array(v(dict, '7FE00010') as ArrayBuffer);
    const at = (x: number, y: number) => px[y * ARABIC_IMAGE.size + x]! - 1024;
    expect(at(40, 40)).toBe(ARABIC_IMAGE.inside); // upper left: the patient's right
    expect(at(ARABIC_IMAGE.size - 40, 40)).toBe(ARABIC_IMAGE.outside);
  });

  it('writes CT slices that parse back with geometry, rescale and pixel data', () => {
    const ct = files.filter((f) => f.kind === 'ct').map((f) => read(f.path));
    const z: number[] = [];
    for (const { meta, dict } of ct) {
      expect(v(meta, '00020010')).toBe('1.2.840.10008.1.2.1');
      expect(v(meta, '00020003')).toBe(v(dict, '00080018'));
      expect(v(dict, '00080060')).toBe('CT');
      expect(v(dict, '00280010')).toBe(512);
      expect(v(dict, '00280011')).toBe(512);
      expect(values(dict, '00280030')).toEqual([0.7, 0.7]);
      expect(v(dict, '00180050')).toBe(1.5);
      expect(values(dict, '00200037')).toEqual([1, 0, 0, 0, 1, 0]);
      expect(v(dict, '00281052')).toBe(-1024);
      expect(v(dict, '00281054')).toBe('HU');
      expect(v(dict, '00281050')).toBe(40);
      expect(v(dict, '00281051')).toBe(400);
      expect(v(dict, '00100010')).toEqual({ Alphabetic: 'DEMO^CHEST' });
      expect(v(dict, '00080070')).toBe('Lumen synthetic');
      expect((v(dict, '7FE00010') as ArrayBuffer).byteLength).toBe(512 * 512 * 2);
      z.push(values(dict, '00200032')[2] as number);
    }
    // Head to feet, 1.5 mm apart, InstanceNumber in the same order.
    for (let k = 1; k < z.length; k++) expect(z[k - 1]! - z[k]!).toBeCloseTo(1.5, 5);
    expect(ct.map(({ dict }) => v(dict, '00200013'))).toEqual([1, 2, 3, 4, 5, 6]);
    // Stored values: air at the corner (≈ 24 after the +1024 offset), body inside.
    const px = new Uint16Array(v(ct[3]!.dict, '7FE00010') as ArrayBuffer);
    expect(px[0]).toBeLessThan(80);
    expect(px[256 * 512 + 256]).toBeGreaterThan(900);
  });

  it('writes an MR series, a 30-frame cine whose frames differ, and a palette colour image', () => {
    const mr = read(files.find((f) => f.kind === 'mr')!.path).dict;
    expect(v(mr, '00080060')).toBe('MR');
    expect([v(mr, '00280010'), v(mr, '00280011'), v(mr, '00180050')]).toEqual([256, 256, 5]);

    const xa = read(files.find((f) => f.kind === 'xa-multiframe')!.path).dict;
    expect(v(xa, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.7.2');
    expect(v(xa, '00280008')).toBe(30);
    expect(v(xa, '00280100')).toBe(8);
    expect(v(xa, '00280009')).toBe(0x00181063);
    const frames = new Uint8Array(v(xa, '7FE00010') as ArrayBuffer);
    expect(frames.length).toBe(30 * 256 * 256);
    const frame = (n: number) => frames.subarray(n * 65536, (n + 1) * 65536);
    for (let n = 1; n < 30; n++) expect(Buffer.compare(frame(n - 1), frame(n))).not.toBe(0);

    const pal = read(files.find((f) => f.kind === 'palette')!.path).dict;
    expect(v(pal, '00280004')).toBe('PALETTE COLOR');
    expect(values(pal, '00281101')).toEqual([256, 0, 16]);
    expect((v(pal, '00281201') as ArrayBuffer).byteLength).toBe(512);
    expect((v(pal, '00281203') as ArrayBuffer).byteLength).toBe(512);
    expect(v(pal, '00100010')).toEqual({ Alphabetic: 'DEMO^COLOR' });
  });

  it('is deterministic', () => {
    const again = generateDemoDicom(path.join(tmp, 'again'), { ctSlices: 6 });
    expect(again.map((f) => f.sopInstanceUID)).toEqual(files.map((f) => f.sopInstanceUID));
    for (const i of [0, 5, 6, again.length - 2, again.length - 1]) expect(sha(again[i]!.path)).toBe(sha(files[i]!.path));
  }, 30_000);
});

describe('npm run demo:generate', () => {
  it('generates and imports once, then skips while the options are the same', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const args = ['--dicom-out', path.join(tmp, 'cli-dicom'), '--out', path.join(tmp, 'cli-web'), '--ct-slices', '3', '--no-pydicom'];
      expect(main(args)).toBe(0);
      const studies = JSON.parse(fs.readFileSync(path.join(tmp, 'cli-web', 'studies', 'index.json'), 'utf8')) as unknown[];
      // One study per demo study the generator wrote (its manifest), whatever object modules add.
      const manifest = JSON.parse(fs.readFileSync(path.join(tmp, 'cli-dicom', 'demo-manifest.json'), 'utf8')) as { files: DemoFile[] };
      expect(studies).toHaveLength(new Set(manifest.files.map((f) => f.studyInstanceUID)).size);
      log.mockClear();
      expect(main(args)).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toMatch(/demo already generated/);
      log.mockClear();
      expect(main([...args.slice(0, 5), '4', '--no-pydicom'])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).not.toMatch(/demo already generated/);
      expect(main([...args, '--force'])).toBe(0);
      expect(log.mock.calls.flat().join('\n')).toMatch(/Demo ready/);
      expect(main(['--bogus'])).toBe(2);
    } finally {
      log.mockRestore();
      error.mockRestore();
    }
  }, 60_000);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The viewer's own multipart parser: frames must read back through exactly the code that will read them.
import { parseMultipartRelated } from '../../src/dicomweb/multipart.ts';
import { type DemoFile, generateDemoDicom } from '../demo/demoDicom.ts';
import type { DcmjsDataset } from 'dcmjs';
import { dcmjs } from './dcmjs.ts';
import {
  type DicomJson,
  datasetToDicomJson,
  encodeFrameMultipart,
  FRAME_BOUNDARY,
  importFiles,
  nativePixelBytesInFile,
  parsePart10,
  splitEncapsulatedFrames,
  splitNativeFrames,
  swapBytes,
} from './staticTree.ts';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-import-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const hasPydicom = fs.existsSync(path.join(PYDICOM, 'MR_small.dcm'));

const u8 = (...bytes: number[]) => new Uint8Array(bytes);
const readJson = <T = DicomJson[]>(p: string): T => JSON.parse(fs.readFileSync(p, 'utf8')) as T;
const first = (ds: DicomJson | undefined, tag: string) => ds?.[tag]?.Value?.[0];
const pydicom = (name: string) => parsePart10(fs.readFileSync(path.join(PYDICOM, name)));
const hex = (b: Uint8Array | undefined, n: number) => Buffer.from(b?.subarray(0, n) ?? []).toString('hex');

describe('datasetToDicomJson', () => {
  it('follows the DICOM JSON model', () => {
    const big = new Uint8Array(5000).buffer;
    const ds: DcmjsDataset = {
      '00080000': { vr: 'UL', Value: [100] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE', Ideographic: '', Phonetic: '' }] },
      '00080090': { vr: 'PN', Value: [] },
      '00100020': { vr: 'LO', Value: [''] },
      '00080008': { vr: 'CS', Value: ['ORIGINAL', '', 'AXIAL'] },
      '00280030': { vr: 'DS', Value: [0.5, 0.5], _rawValue: ['0.5', '0.5'] },
      '00200013': { vr: 'IS', Value: [null] },
      '00280010': { vr: 'US', Value: [64] },
      '00280009': { vr: 'AT', Value: [0x00181063] },
      '00431028': { vr: 'OB', Value: [u8(1, 2, 3).buffer] },
      '00431029': { vr: 'OB', Value: [big] },
      '7FE00010': { vr: 'OW', Value: [new Uint8Array(8).buffer] },
      'FFFCFFFC': { vr: 'OB', Value: [u8(0, 0).buffer] },
      '00081140': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2.3'] } }] },
      '00081111': { vr: 'SQ', Value: [] },
      '00189999': { vr: 'UV', Value: [2n ** 60n] },
    };
    expect(datasetToDicomJson(ds)).toEqual({
      '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] },
      '00080090': { vr: 'PN' },
      '00100020': { vr: 'LO' },
      '00080008': { vr: 'CS', Value: ['ORIGINAL', null, 'AXIAL'] },
      '00280030': { vr: 'DS', Value: [0.5, 0.5] },
      '00200013': { vr: 'IS' },
      '00280010': { vr: 'US', Value: [64] },
      '00280009': { vr: 'AT', Value: ['00181063'] },
      '00431028': { vr: 'OB', InlineBinary: 'AQID' },
      '00081140': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2.3'] } }] },
      '00081111': { vr: 'SQ' },
      '00189999': { vr: 'UV', Value: [(2n ** 60n).toString()] },
    });
  });

  it('swaps big endian binary values and re-types "US or SS" attributes of signed implicit VR images', () => {
    const ds: DcmjsDataset = {
      '00281201': { vr: 'OW', Value: [u8(0x12, 0x34, 0xab, 0xcd).buffer] },
      '00280103': { vr: 'US', Value: [1] },
      '00280106': { vr: 'US', Value: [65535] },
    };
    expect(datasetToDicomJson(ds, { bigEndian: true })['00281201']).toEqual({ vr: 'OW', InlineBinary: Buffer.from([0x34, 0x12, 0xcd, 0xab]).toString('base64') });
    expect(datasetToDicomJson(ds, { implicitVr: true })['00280106']).toEqual({ vr: 'SS', Value: [-1] });
    expect(datasetToDicomJson(ds)['00280106']).toEqual({ vr: 'US', Value: [65535] });
  });
});

describe('frames', () => {
  const geometry = { rows: 2, columns: 3, samplesPerPixel: 1, bitsAllocated: 16, photometricInterpretation: 'MONOCHROME2', numberOfFrames: 2 };

  it('cuts native pixel data into frames and notices truncation', () => {
    const data = Uint8Array.from({ length: 24 }, (_, i) => i);
    const { frames, truncated } = splitNativeFrames(data, geometry);
    expect(truncated).toBe(false);
    expect(frames.map((f) => [...f])).toEqual([[...data.subarray(0, 12)], [...data.subarray(12)]]);
    const short = splitNativeFrames(data.subarray(0, 20), geometry);
    expect(short.truncated).toBe(true);
    expect(short.frames).toHaveLength(1);
    // YBR_FULL_422 stores two samples per pixel on average.
    expect(splitNativeFrames(new Uint8Array(8), { ...geometry, bitsAllocated: 8, samplesPerPixel: 3, photometricInterpretation: 'YBR_FULL_422', rows: 2, columns: 2, numberOfFrames: 1 }).frames[0]).toHaveLength(8);
  });

  it('re-aligns bit-packed frames that do not start on a byte', () => {
    // Two 3×3 one-bit frames: 9 bits each. Frame 1 = bits 0–8, frame 2 = bits 9–17.
    const bits = [1, 0, 1, 1, 0, 0, 1, 0, 1, /* frame 2 */ 0, 1, 1, 0, 0, 1, 0, 1, 1];
    const packed = new Uint8Array(3);
    bits.forEach((b, i) => (packed[i >> 3]! |= b << (i & 7)));
    const { frames } = splitNativeFrames(packed, { rows: 3, columns: 3, samplesPerPixel: 1, bitsAllocated: 1, photometricInterpretation: 'MONOCHROME2', numberOfFrames: 2 });
    const unpack = (f: Uint8Array) => Array.from({ length: 9 }, (_, i) => (f[i >> 3]! >> (i & 7)) & 1);
    expect(frames.map(unpack)).toEqual([bits.slice(0, 9), bits.slice(9)]);
    expect(frames.map((f) => f.length)).toEqual([2, 2]);
  });

  it('groups encapsulated fragments into frames', () => {
    const jpeg = (n: number) => u8(0xff, 0xd8, n);
    const tail = (n: number) => u8(n, n);
    const JPEG = '1.2.840.10008.1.2.4.50';
    expect(splitEncapsulatedFrames([jpeg(1), jpeg(2)], 2, JPEG).frames).toHaveLength(2);
    expect([...splitEncapsulatedFrames([jpeg(1), tail(2), tail(3)], 1, JPEG).frames[0]!]).toEqual([0xff, 0xd8, 1, 2, 2, 3, 3]);
    const split = splitEncapsulatedFrames([jpeg(1), tail(2), jpeg(3), tail(4), tail(5)], 2, JPEG);
    expect(split.problem).toBeUndefined();
    expect(split.frames.map((f) => [...f])).toEqual([[0xff, 0xd8, 1, 2, 2], [0xff, 0xd8, 3, 4, 4, 5, 5]]);
    const j2k = (n: number) => u8(0xff, 0x4f, 0xff, 0x51, n);
    expect(splitEncapsulatedFrames([j2k(1), tail(1), j2k(2), tail(2)], 2, '1.2.840.10008.1.2.4.90').frames).toHaveLength(2);
    // RLE has no markers to split at: say so, and keep what can be kept.
    const rle = splitEncapsulatedFrames([tail(1), tail(2), tail(3)], 2, '1.2.840.10008.1.2.5');
    expect(rle.problem).toMatch(/3 fragments for 2 frames/);
    expect(rle.frames).toHaveLength(2);
    expect(splitEncapsulatedFrames([jpeg(1)], 3, JPEG).problem).toMatch(/1 fragments for 3 frames/);
  });

  it('finds how much of native pixel data a truncated file holds', () => {
    const header = u8(0xe0, 0x7f, 0x10, 0x00, 0x4f, 0x57, 0, 0, 16, 0, 0, 0);
    const file = new Uint8Array([...new Uint8Array(20), ...header, ...new Uint8Array(10)]);
    expect(nativePixelBytesInFile(file, 16, '1.2.840.10008.1.2.1')).toBe(10);
    expect(nativePixelBytesInFile(file, 99, '1.2.840.10008.1.2.1')).toBe(99);
    expect([...swapBytes(u8(1, 2, 3, 4, 5), 2)]).toEqual([2, 1, 4, 3, 5]);
  });

  it('encodes a frame as a WADO-RS multipart body that the viewer parses back', () => {
    const frame = u8(0, 1, 2, 13, 10, 45, 45, 255);
    const body = encodeFrameMultipart(frame, '1.2.840.10008.1.2.4.50');
    const text = Buffer.from(body).toString('latin1');
    expect(text.startsWith(`--${FRAME_BOUNDARY}\r\nContent-Type: application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.50\r\n\r\n`)).toBe(true);
    expect(text.endsWith(`\r\n--${FRAME_BOUNDARY}--\r\n`)).toBe(true);
    const parts = parseMultipartRelated(body, 'multipart/related; type="application/octet-stream"');
    expect(parts).toHaveLength(1);
    expect(parts[0]!.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.50');
    expect([...parts[0]!.body]).toEqual([...frame]);
  });
});

describe('importFiles', () => {
  const dicom = path.join(tmp, 'dicom');
  const out = path.join(tmp, 'web');
  let files: DemoFile[];
  beforeAll(() => {
    files = generateDemoDicom(dicom, { ctSlices: 4 });
  });
  const ct = () => files.filter((f) => f.kind === 'ct');
  const xa = () => files.find((f) => f.kind === 'xa-multiframe')!;
  const frameFile = (f: DemoFile, n: number) =>
    path.join(out, 'studies', f.studyInstanceUID, 'series', f.seriesInstanceUID, 'instances', f.sopInstanceUID, 'frames', String(n));
  const pixelBytes = (file: string) => {
    const b = fs.readFileSync(file);
    const ds = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer).dict;
    return new Uint8Array(ds['7FE00010']!.Value![0] as ArrayBuffer);
  };

  it('writes the study index, series index, metadata and frames', () => {
    fs.writeFileSync(path.join(dicom, 'notes.txt'), 'not DICOM');
    const s = importFiles([...ct().map((f) => f.path), xa().path, path.join(dicom, 'notes.txt')], out);
    expect(s).toMatchObject({ studies: 2, series: 2, instances: 5, frames: 4 + 30 });
    expect(s.skipped).toEqual([{ path: path.join(dicom, 'notes.txt'), reason: expect.stringMatching(/not DICOM/), kind: 'not-dicom' }]);

    const studies = readJson(path.join(out, 'studies', 'index.json'));
    expect(studies).toHaveLength(2);
    const ctStudy = studies.find((st) => first(st, '0020000D') === ct()[0]!.studyInstanceUID)!;
    expect(first(ctStudy, '00100010')).toEqual({ Alphabetic: 'DEMO^CHEST' });
    expect(ctStudy['00080061']).toEqual({ vr: 'CS', Value: ['CT'] });
    expect(first(ctStudy, '00201206')).toBe(1);
    expect(first(ctStudy, '00201208')).toBe(4);
    for (const tag of ['00080020', '00080030', '00080050', '00080090', '00100020', '00100030', '00100040', '00200010', '00081030', '00080005']) {
      expect(ctStudy[tag], tag).toBeDefined();
    }
    const series = readJson(path.join(out, 'studies', ct()[0]!.studyInstanceUID, 'series', 'index.json'));
    expect(series).toHaveLength(1);
    expect(first(series[0], '0020000E')).toBe(ct()[0]!.seriesInstanceUID);
    expect(first(series[0], '00080060')).toBe('CT');
    expect(first(series[0], '00201209')).toBe(4);
    expect(first(series[0], '00180015')).toBe('CHEST');

    const metadata = readJson(path.join(out, 'studies', ct()[0]!.studyInstanceUID, 'series', ct()[0]!.seriesInstanceUID, 'metadata'));
    expect(metadata.map((m) => first(m, '00200013'))).toEqual([1, 2, 3, 4]);
    for (const m of metadata) {
      expect(m['7FE00010']).toBeUndefined();
      expect(first(m, '00020010')).toBe('1.2.840.10008.1.2.1');
      expect(m['00280030']).toEqual({ vr: 'DS', Value: [0.7, 0.7] });
      expect(m['00280010']).toEqual({ vr: 'US', Value: [512] });
    }

    // Every frame reads back, through the viewer's parser, as exactly the stored pixels.
    for (const f of ct()) {
      const parts = parseMultipartRelated(fs.readFileSync(frameFile(f, 1)));
      expect(parts[0]!.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
      expect(Buffer.compare(parts[0]!.body, pixelBytes(f.path))).toBe(0);
      expect(fs.existsSync(frameFile(f, 2))).toBe(false);
    }
    const cine = pixelBytes(xa().path);
    for (const n of [1, 17, 30]) {
      const body = parseMultipartRelated(fs.readFileSync(frameFile(xa(), n)))[0]!.body;
      expect(Buffer.compare(body, cine.subarray((n - 1) * 65536, n * 65536))).toBe(0);
    }
    expect(fs.existsSync(frameFile(xa(), 31))).toBe(false);
    const xaMeta = readJson(path.join(out, 'studies', xa().studyInstanceUID, 'series', xa().seriesInstanceUID, 'metadata'));
    expect(first(xaMeta[0], '00280008')).toBe(30);
    expect(first(xaMeta[0], '00280009')).toBe('00181063');
  });

  it('merges re-imports and new studies into the tree, keeping the first of duplicate SOP Instance UIDs', () => {
    // Again, the same CT plus the palette image, and one CT slice twice in the same run.
    const copy = path.join(tmp, 'copy.dcm');
    fs.copyFileSync(ct()[0]!.path, copy);
    const pal = files.find((f) => f.kind === 'palette')!;
    const s = importFiles([...ct().map((f) => f.path), copy, pal.path], out);
    expect(s.instances).toBe(5);
    expect(s.skipped).toEqual([{ path: copy, reason: expect.stringContaining(ct()[0]!.path), kind: 'duplicate' }]);
    const studies = readJson(path.join(out, 'studies', 'index.json'));
    expect(studies).toHaveLength(3);
    const ctStudy = studies.find((st) => first(st, '0020000D') === ct()[0]!.studyInstanceUID)!;
    expect(first(ctStudy, '00201208')).toBe(4);
    const metadata = readJson(path.join(out, 'studies', ct()[0]!.studyInstanceUID, 'series', ct()[0]!.seriesInstanceUID, 'metadata'));
    expect(metadata).toHaveLength(4);
    // The palette's LUTs travel inline (the viewer has no bulk data route in a static tree).
    const palMeta = readJson(path.join(out, 'studies', pal.studyInstanceUID, 'series', pal.seriesInstanceUID, 'metadata'))[0]!;
    expect(Buffer.from(palMeta['00281201']!.InlineBinary!, 'base64')).toHaveLength(512);
    expect(palMeta['00281101']).toEqual({ vr: 'US', Value: [256, 0, 16] });
    // The untouched study is still there with its frames.
    expect(studies.some((st) => first(st, '0020000D') === xa().studyInstanceUID)).toBe(true);
    expect(fs.existsSync(frameFile(xa(), 30))).toBe(true);
  });

  it('refuses files whose UIDs could leave the tree, and imports the others', () => {
    const withUid = (name: string, tag: string, uid: string) => {
      const b = fs.readFileSync(ct()[0]!.path);
      const read = dcmjs.data.DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer);
      read.dict[tag] = { vr: 'UI', Value: [uid] };
      const dict = new dcmjs.data.DicomDict(read.meta);
      dict.dict = read.dict;
      const file = path.join(tmp, name);
      fs.writeFileSync(file, Buffer.from(dict.write()));
      return file;
    };
    const escaping = withUid('escaping.dcm', '0020000D', '..');
    const slashed = withUid('slashed.dcm', '00080018', '1.2..3'); // dcmjs writes no '/' in a UI value
    const tree = path.join(tmp, 'web-uids');
    const s = importFiles([escaping, slashed, ct()[1]!.path], tree);
    expect(s.instances).toBe(1);
    expect(s.skipped).toEqual([
      { path: escaping, kind: 'unreadable', reason: expect.stringMatching(/not a valid DICOM UID.*"\.\."/) },
      { path: slashed, kind: 'unreadable', reason: expect.stringContaining('"1.2..3"') },
    ]);
    expect(fs.existsSync(path.join(tree, 'series'))).toBe(false); // where studies/../series would have gone
    expect(fs.readdirSync(path.join(tree, 'studies')).sort()).toEqual([ct()[1]!.studyInstanceUID, 'index.json'].sort());
  });

  it('reports unreadable DICOM and files without UIDs, and never reads its own output back', () => {
    const broken = path.join(tmp, 'broken.dcm');
    const bytes = fs.readFileSync(ct()[0]!.path).subarray(0, 400);
    fs.writeFileSync(broken, bytes);
    const s = importFiles([broken, path.join(tmp, 'missing.dcm'), out], out);
    expect(s.instances).toBe(0);
    expect(s.files).toBe(1);
    expect(s.skipped.map((k) => k.kind).sort()).toEqual(['missing', 'unreadable']);
  });
});

describe.skipIf(!hasPydicom)('pydicom test files', () => {
  it('gives big endian pixels as the same little endian bytes as the little endian file', () => {
    const le = pydicom('MR_small.dcm');
    for (const name of ['MR_small_bigendian.dcm', 'MR_small_expb.dcm', 'MR_small_implicit.dcm']) {
      const other = pydicom(name);
      expect(other.frameTransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
      expect(Buffer.compare(other.frames[0]!, le.frames[0]!), name).toBe(0);
      // Numbers are numbers whatever the byte order (dcmjs reads them right); only the pixels needed swapping.
      for (const tag of ['00280010', '00280030', '00280106', '00280107', '00200032']) expect(other.metadata[tag], `${name} ${tag}`).toEqual(le.metadata[tag]);
    }
    const dose = pydicom('rtdose.dcm');
    const doseBe = pydicom('rtdose_expb.dcm');
    expect(dose.frames).toHaveLength(15);
    dose.frames.forEach((f, i) => expect(Buffer.compare(doseBe.frames[i]!, f)).toBe(0));
    expect(Buffer.compare(pydicom('liver_expb_1frame.dcm').frames[0]!, pydicom('liver_1frame.dcm').frames[0]!)).toBe(0);
  });

  it('keeps compressed frames as stored, one codestream per frame', () => {
    const jpeg = pydicom('SC_rgb_jpeg_dcmtk.dcm');
    expect(jpeg.frameTransferSyntaxUID).toBe('1.2.840.10008.1.2.4.50');
    expect(hex(jpeg.frames[0], 2)).toBe('ffd8');
    const j2k = pydicom('JPEG2000.dcm');
    expect(j2k.frames).toHaveLength(1);
    expect(['ff4fff51', '0000000c']).toContain(hex(j2k.frames[0], 4));
    const rle = pydicom('SC_rgb_rle_2frame.dcm');
    expect(rle.frames).toHaveLength(2);
    // An RLE frame starts with its segment count: three for 8-bit RGB.
    expect(hex(rle.frames[1], 4)).toBe('03000000');
    expect(pydicom('rtdose_rle.dcm').frames).toHaveLength(15);
  });

  it('stores native YBR_FULL_422 as RGB', () => {
    const ybr = pydicom('SC_ybr_full_422_uncompressed.dcm');
    expect(ybr.frames[0]).toHaveLength(100 * 100 * 3);
    expect(ybr.metadata['00280004']).toEqual({ vr: 'CS', Value: ['RGB'] });
    // Pixels as pydicom decodes them (pixel_array + convert_color_space YBR_FULL → RGB).
    const px = (x: number, y: number) => [...ybr.frames[0]!.subarray((y * 100 + x) * 3, (y * 100 + x) * 3 + 3)];
    const near = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]!) <= 2);
    expect(near(px(0, 0), [254, 0, 0]), String(px(0, 0))).toBe(true);
    expect(near(px(50, 50), [125, 130, 255]), String(px(50, 50))).toBe(true);
    expect(near(px(99, 99), [255, 255, 255]), String(px(99, 99))).toBe(true);
  });

  it('inflates deflated files, and reports truncated pixel data instead of inventing zeros', () => {
    const dfl = pydicom('image_dfl.dcm');
    expect(dfl.frameTransferSyntaxUID).toBe('1.2.840.10008.1.2.1');
    expect(dfl.frames[0]).toHaveLength(512 * 512);
    const truncated = pydicom('MR_truncated.dcm');
    expect(truncated.frames).toHaveLength(0);
    expect(truncated.warnings.join()).toMatch(/truncated/);
  });

  it('imports the whole folder without failing', () => {
    const s = importFiles([PYDICOM], path.join(tmp, 'pydicom-web'));
    expect(s.instances).toBeGreaterThan(20);
    expect(s.skipped.some((k) => k.kind === 'not-dicom' && k.path.endsWith('README.txt'))).toBe(true);
    expect(s.skipped.some((k) => k.kind === 'duplicate')).toBe(true);
  });

  it("keeps a non-image object's file whole (instance.dcm, what retrieveInstance reads), not an image's", () => {
    const out = path.join(tmp, 'objects-web');
    importFiles([path.join(PYDICOM, 'waveform_ecg.dcm'), path.join(PYDICOM, 'CT_small.dcm')], out);
    const fileOf = (name: string) => {
      const { metadata } = pydicom(name);
      const uid = (tag: string) => String(first(metadata, tag));
      return path.join(out, 'studies', uid('0020000D'), 'series', uid('0020000E'), 'instances', uid('00080018'), 'instance.dcm');
    };
    expect(Buffer.compare(fs.readFileSync(fileOf('waveform_ecg.dcm')), fs.readFileSync(path.join(PYDICOM, 'waveform_ecg.dcm')))).toBe(0);
    expect(fs.existsSync(fileOf('CT_small.dcm'))).toBe(false);
  });
});

describe.skipIf(!hasPydicom)('character sets', () => {
  const charset = (name: string) => parsePart10(fs.readFileSync(path.join(PYDICOM, '..', 'charset_files', `${name}.dcm`)));
  const name = (f: string) => charset(f).metadata['00100010']?.Value?.[0];

  it('decodes single-byte and Unicode character sets (through dcmjs)', () => {
    expect(name('chrRuss')).toEqual({ Alphabetic: 'Люкceмбypг' });
    expect(name('chrGerm')).toEqual({ Alphabetic: 'Äneas^Rüdiger' });
    expect(name('chrX2')).toMatchObject({ Alphabetic: 'Wang^XiaoDong', Ideographic: '王^小东' });
  });

  it('decodes ISO 2022 code extensions for Japanese and Korean, which dcmjs refuses', () => {
    const h31 = charset('chrH31');
    expect(h31.warnings).toEqual([]);
    expect(h31.metadata['00100010']?.Value?.[0]).toEqual({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    expect(name('chrH32')).toEqual({ Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' });
    expect(name('chrI2')).toEqual({ Alphabetic: 'Hong^Gildong', Ideographic: '洪^吉洞', Phonetic: '홍^길동' });
    expect(name('chrKoreanMulti')).toEqual({ Alphabetic: '김희중' });
    // The tree is Unicode from then on.
    expect(h31.metadata['00080005']?.Value).toEqual(['ISO_IR 192']);
  });
});

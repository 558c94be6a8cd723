// DICOM Part 10 bytes → the DICOM JSON model (PS3.18 F.2) and frames, as a WADO-RS server would give them; and the
// QIDO-RS study and series results built from them. Browser-safe: local files are read with it in a worker
// (src/local/worker.ts), and `npm run import` writes static trees with it (scripts/import/staticTree.ts).
import type { DcmjsDataset, DcmjsElement } from './dcmjsTypes';
import { ybrFull422ToRgb } from '../model/pixels';
import { dcmjs } from './dcmjs';

// ---- DICOM JSON model -------------------------------------------------------------------------------------

export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
}
export type DicomJson = Record<string, DicomJsonAttribute>;

export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

const NATIVE_SYNTAXES: ReadonlySet<string> = new Set([
  TransferSyntax.ImplicitVRLittleEndian,
  TransferSyntax.ExplicitVRLittleEndian,
  TransferSyntax.DeflatedExplicitVRLittleEndian,
  TransferSyntax.ExplicitVRBigEndian,
]);

/** Pixel data (frames are written separately) and trailing padding: never part of the metadata. */
const OMITTED_TAGS: ReadonlySet<string> = new Set(['7FE00010', '7FE00008', '7FE00009', 'FFFCFFFC']);

/** Binary values at least this long are left out of metadata (a real server would give a BulkDataURI). */
export const INLINE_BINARY_LIMIT = 4096;

// Palette and LUT data are needed to render, and a static tree has no bulk data route: inline them whatever
// their size (a 16-bit palette with 4096 entries is 8 KB).
const ALWAYS_INLINE: ReadonlySet<string> = new Set([
  '00281201', '00281202', '00281203', '00281204', // Red/Green/Blue/Alpha Palette Color LUT Data
  '00281221', '00281222', '00281223', // Segmented Red/Green/Blue Palette Color LUT Data
  '00283006', // LUT Data (Modality / VOI LUT Sequence items)
]);

const BINARY_VRS: ReadonlySet<string> = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'UN']);
const NUMBER_VRS: ReadonlySet<string> = new Set(['DS', 'IS', 'US', 'SS', 'UL', 'SL', 'FL', 'FD', 'SV', 'UV']);
/** Bytes per value word of binary VRs, for byte-swapping big endian data. */
const BINARY_WORD: Record<string, number> = { OW: 2, OF: 4, OL: 4, OD: 8, OV: 8 };
/**
 * Attributes whose VR is "US or SS": implicit VR files don't say which, dcmjs always reads US, and a signed
 * image (Pixel Representation 1) then shows -1 as 65535.
 */
const US_OR_SS: ReadonlySet<string> = new Set(['00280106', '00280107', '00280108', '00280109', '00280110', '00280111', '00280120', '00280121']);

export interface DicomJsonOptions {
  /** The source was explicit VR big endian: binary values (OW, OF, …) are swapped to little endian. */
  bigEndian?: boolean;
  /** The source was implicit VR: "US or SS" attributes are re-typed from Pixel Representation. */
  implicitVr?: boolean;
}

/**
 * dcmjs's dataset → the DICOM JSON model (PS3.18 F.2). Pixel data and group lengths are dropped; binary values
 * become InlineBinary when short (others are dropped); empty values have no `Value`.
 */
export function datasetToDicomJson(ds: DcmjsDataset, options: DicomJsonOptions = {}): DicomJson {
  const out: DicomJson = {};
  const signed = options.implicitVr === true && Number(ds['00280103']?.Value?.[0]) === 1;
  for (const tag of Object.keys(ds).sort()) {
    const el = ds[tag];
    if (!el || !/^[0-9A-F]{8}$/.test(tag) || tag.endsWith('0000') || OMITTED_TAGS.has(tag)) continue;
    const attr = convertElement(tag, el, options);
    if (!attr) continue;
    if (signed && US_OR_SS.has(tag) && attr.vr === 'US' && attr.Value) {
      attr.vr = 'SS';
      attr.Value = attr.Value.map((v) => (typeof v === 'number' && v > 0x7fff ? v - 0x10000 : v));
    }
    out[tag] = attr;
  }
  return out;
}

function convertElement(tag: string, el: DcmjsElement, options: DicomJsonOptions): DicomJsonAttribute | null {
  const vr = el.vr || 'UN';
  const values = el.Value ?? [];
  if (vr === 'SQ') {
    const items = values.filter(isRecord).map((item) => datasetToDicomJson(item as DcmjsDataset, options));
    return items.length ? { vr, Value: items } : { vr };
  }
  if (BINARY_VRS.has(vr)) {
    const bytes = concatBytes(values.flatMap(binaryParts));
    if (bytes.length === 0) return { vr };
    if (bytes.length >= INLINE_BINARY_LIMIT && !ALWAYS_INLINE.has(tag)) return null;
    const word = BINARY_WORD[vr];
    const le = options.bigEndian && word ? swapBytes(bytes, word) : bytes;
    return { vr, InlineBinary: bytesToBase64(le) };
  }
  let converted: unknown[];
  if (vr === 'PN') converted = values.map(personName);
  else if (vr === 'AT') converted = values.map((v) => (typeof v === 'number' ? v.toString(16).toUpperCase().padStart(8, '0') : emptyToNull(v)));
  else if (NUMBER_VRS.has(vr)) converted = values.map(jsonNumber);
  else converted = values.map(emptyToNull);
  return converted.some((v) => v !== null) ? { vr, Value: converted } : { vr };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !(v instanceof ArrayBuffer) && !ArrayBuffer.isView(v);
}

function emptyToNull(v: unknown): unknown {
  return v === undefined || v === null || v === '' ? null : String(v);
}

function jsonNumber(v: unknown): number | string | null {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v === undefined || v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

function personName(v: unknown): Record<string, string> | null {
  if (typeof v === 'string') return v ? { Alphabetic: v } : null;
  if (!isRecord(v)) return null;
  const out: Record<string, string> = {};
  for (const key of ['Alphabetic', 'Ideographic', 'Phonetic']) {
    const c = v[key];
    if (typeof c === 'string' && c !== '') out[key] = c;
  }
  return Object.keys(out).length ? out : null;
}

function binaryParts(v: unknown): Uint8Array[] {
  if (v instanceof ArrayBuffer) return [new Uint8Array(v)];
  if (ArrayBuffer.isView(v)) return [new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
  // dcmjs gives a frame as an array of fragments when reading with noCopy.
  if (Array.isArray(v)) return v.flatMap(binaryParts);
  return [];
}

// ---- bytes ------------------------------------------------------------------------------------------------

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

/** A copy with every `wordSize`-byte word reversed (big ↔ little endian); a trailing partial word is kept. */
export function swapBytes(bytes: Uint8Array, wordSize: number): Uint8Array {
  const out = new Uint8Array(bytes);
  if (wordSize <= 1) return out;
  const end = bytes.length - (bytes.length % wordSize);
  for (let i = 0; i < end; i += wordSize) {
    for (let j = 0; j < wordSize; j++) out[i + j] = bytes[i + wordSize - 1 - j]!;
  }
  return out;
}

/** Base64 of bytes (InlineBinary), in chunks so long values don't overflow the argument list. */
export function bytesToBase64(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** Last position at or before `from` where `needle` starts in `hay`, or -1. */
function lastIndexOf(hay: Uint8Array, needle: number[], from: number): number {
  outer: for (let at = Math.min(from, hay.length - needle.length); at >= 0; at--) {
    for (let j = 0; j < needle.length; j++) if (hay[at + j] !== needle[j]) continue outer;
    return at;
  }
  return -1;
}

// ---- frames -----------------------------------------------------------------------------------------------

export interface PixelGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  photometricInterpretation: string;
  numberOfFrames: number;
}

/** Bits of one native (uncompressed) frame. */
export function nativeFrameBits(g: PixelGeometry): number {
  // YBR_*_422 keeps one Cb and one Cr per two pixels: two samples per pixel on average.
  const samples = /^YBR_(FULL|PARTIAL)_422$/.test(g.photometricInterpretation) ? 2 : g.samplesPerPixel;
  return g.rows * g.columns * samples * g.bitsAllocated;
}

/**
 * Cuts native pixel data (already little endian) into frames. Frames that the data is too short for are not
 * returned (`truncated`). Bit-packed (Bits Allocated 1) frames that don't start on a byte are re-aligned, as a
 * WADO-RS server would send them.
 */
export function splitNativeFrames(pixels: Uint8Array, g: PixelGeometry): { frames: Uint8Array[]; truncated: boolean } {
  const bits = nativeFrameBits(g);
  if (!(bits > 0)) throw new Error('pixel data without usable Rows, Columns, Samples per Pixel or Bits Allocated');
  const count = Math.max(1, g.numberOfFrames);
  const complete = Math.min(count, Math.floor((pixels.length * 8) / bits));
  const frames: Uint8Array[] = [];
  const frameBytes = Math.ceil(bits / 8);
  for (let f = 0; f < complete; f++) {
    const startBit = f * bits;
    if (startBit % 8 === 0) frames.push(pixels.subarray(startBit / 8, startBit / 8 + frameBytes));
    else frames.push(extractBits(pixels, startBit, bits));
  }
  return { frames, truncated: complete < count };
}

function extractBits(src: Uint8Array, startBit: number, bits: number): Uint8Array {
  const out = new Uint8Array(Math.ceil(bits / 8));
  // DICOM packs bit data least significant bit first.
  for (let i = 0; i < bits; i++) {
    const s = startBit + i;
    if ((src[s >> 3]! >> (s & 7)) & 1) out[i >> 3]! |= 1 << (i & 7);
  }
  return out;
}

/**
 * How many bytes of a native Pixel Data value of `declared` bytes the file really holds. dcmjs pads a value that
 * runs past the end of the file with zeros, which would make a truncated file look complete; so find the
 * element header (the one nearest the end with exactly this length) and measure from there.
 */
export function nativePixelBytesInFile(file: Uint8Array, declared: number, transferSyntaxUID: string): number {
  const bigEndian = transferSyntaxUID === TransferSyntax.ExplicitVRBigEndian;
  const implicit = transferSyntaxUID === TransferSyntax.ImplicitVRLittleEndian;
  const tag = bigEndian ? [0x7f, 0xe0, 0x00, 0x10] : [0xe0, 0x7f, 0x10, 0x00];
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let at = lastIndexOf(file, tag, file.length - 4); at >= 0; at = at > 0 ? lastIndexOf(file, tag, at - 1) : -1) {
    let length: number;
    let header: number;
    if (implicit) {
      if (at + 8 > file.length) continue;
      length = view.getUint32(at + 4, true);
      header = 8;
    } else {
      if (at + 12 > file.length || file[at + 4] !== 0x4f || file[at + 6] !== 0 || file[at + 7] !== 0) continue;
      length = view.getUint32(at + 8, !bigEndian);
      header = 12;
    }
    if (length === declared) return Math.min(declared, file.length - (at + header));
  }
  return declared;
}

/** Codestream start markers by transfer syntax, for splitting multi-frame data without an offset table. */
function frameStartTest(transferSyntaxUID: string): ((b: Uint8Array) => boolean) | null {
  const m = /^1\.2\.840\.10008\.1\.2\.4\.(\d+)$/.exec(transferSyntaxUID);
  if (!m) return null;
  const n = Number(m[1]);
  // JPEG (baseline, extended, lossless, JPEG-LS): SOI.
  if (n >= 50 && n <= 81) return (b) => b[0] === 0xff && b[1] === 0xd8;
  // JPEG 2000 and HTJ2K: SOC + SIZ, or a JP2 signature box.
  if ((n >= 90 && n <= 93) || (n >= 201 && n <= 203)) {
    return (b) =>
      (b[0] === 0xff && b[1] === 0x4f && b[2] === 0xff && b[3] === 0x51) ||
      (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x6a && b[5] === 0x50 && b[6] === 0x20 && b[7] === 0x20);
  }
  // JPEG XL: bare codestream or container.
  if (n >= 110 && n <= 112) {
    return (b) => (b[0] === 0xff && b[1] === 0x0a) || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0x0c && b[4] === 0x4a && b[5] === 0x58);
  }
  return null;
}

/**
 * Groups encapsulated data into frames. dcmjs has already applied the Basic Offset Table when there is one
 * (then it returns one buffer per frame); otherwise it returns the fragments. Then: as many fragments as frames
 * → one each; one frame → all fragments; else a frame starts at each fragment that starts a codestream (JPEG
 * SOI, JPEG 2000 SOC/SIZ or JP2 box). `problem` says what did not add up; the frames that could be made are
 * returned anyway (at most `numberOfFrames`).
 */
export function splitEncapsulatedFrames(
  fragments: Uint8Array[],
  numberOfFrames: number,
  transferSyntaxUID: string,
): { frames: Uint8Array[]; problem?: string } {
  const count = Math.max(1, numberOfFrames);
  if (fragments.length === 0) return { frames: [], problem: 'encapsulated pixel data has no fragments' };
  if (fragments.length === count) return { frames: fragments };
  if (count === 1) return { frames: [concatBytes(fragments)] };
  if (fragments.length < count) {
    return { frames: fragments, problem: `${fragments.length} fragments for ${count} frames (no offset table): truncated?` };
  }
  const starts = frameStartTest(transferSyntaxUID);
  if (!starts) {
    return {
      frames: fragments.slice(0, count),
      problem: `${fragments.length} fragments for ${count} frames, no offset table and no codestream markers to split at`,
    };
  }
  const groups: Uint8Array[][] = [];
  for (const f of fragments) {
    if (groups.length === 0 || starts(f)) groups.push([f]);
    else groups[groups.length - 1]!.push(f);
  }
  const frames = groups.slice(0, count).map(concatBytes);
  if (groups.length !== count) return { frames, problem: `${groups.length} codestreams found for ${count} frames` };
  return { frames };
}

// ---- one file ---------------------------------------------------------------------------------------------

export interface ParsedInstance {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** WADO-RS metadata of the instance, with 00020010 set to the frames' transfer syntax. */
  metadata: DicomJson;
  frames: Uint8Array[];
  /** The transfer syntax the frames are in (explicit VR little endian for all native syntaxes). */
  frameTransferSyntaxUID: string;
  /** The transfer syntax of the file. */
  sourceTransferSyntaxUID: string;
  warnings: string[];
}

/** The file is not DICOM Part 10 at all (as opposed to a DICOM file that cannot be read). */
export class NotDicomError extends Error {}

export function isPart10(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && bytes[128] === 0x44 && bytes[129] === 0x49 && bytes[130] === 0x43 && bytes[131] === 0x4d;
}

function str(ds: DcmjsDataset, tag: string): string {
  const v = ds[tag]?.Value?.[0];
  return typeof v === 'string' ? v.trim() : '';
}

function num(ds: DcmjsDataset, tag: string): number | undefined {
  const v = ds[tag]?.Value?.[0];
  const n = typeof v === 'number' ? v : Number(v);
  return v === null || v === undefined || v === '' || !Number.isFinite(n) ? undefined : n;
}

const TEXT_VRS = new Set(['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC']);

/**
 * Decodes text written with ISO 2022 code extensions, which dcmjs cannot handle: Japanese (ISO 2022 IR 87,
 * JIS X 0208 after ESC $ B; IR 13, half-width katakana in the upper half) and Korean (ISO 2022 IR 149, KS X 1001
 * in the upper half after ESC $ ) C). dcmjs has already decoded the bytes as Latin-1, which keeps every byte these
 * encodings use, so the bytes are recovered from that text and decoded escape by escape. Returns false when the
 * character sets are not ones this handles (the text then stays as dcmjs read it).
 */
export function redecodeCodeExtensions(dict: DcmjsDataset, sets: string[]): boolean {
  const known = new Set(['', 'ISO 2022 IR 6', 'ISO 2022 IR 87', 'ISO 2022 IR 13', 'ISO 2022 IR 149']);
  if (sets.length < 2 || !sets.every((s) => known.has(s))) return false;
  const katakana = sets.includes('ISO 2022 IR 13');
  const korean = sets.includes('ISO 2022 IR 149');
  const jis = new TextDecoder('iso-2022-jp');
  const sjis = new TextDecoder('shift_jis');
  const euckr = new TextDecoder('euc-kr');
  const decode = (bytes: Uint8Array): string => {
    let out = '';
    let g0: 'ascii' | 'jis' = 'ascii';
    for (let i = 0; i < bytes.length; ) {
      if (bytes[i] === 0x1b) {
        // An escape sequence: ESC, intermediates (0x20–0x2F), a final byte.
        let j = i + 1;
        while (j < bytes.length && bytes[j]! >= 0x20 && bytes[j]! <= 0x2f) j++;
        const seq = String.fromCharCode(...bytes.subarray(i + 1, j + 1));
        if (seq === '$B' || seq === '$@') g0 = 'jis';
        else if (seq === '(B' || seq === '(J') g0 = 'ascii';
        i = j + 1;
        continue;
      }
      let j = i;
      if (bytes[i]! >= 0x80) {
        while (j < bytes.length && bytes[j]! >= 0x80) j++;
        const run = bytes.subarray(i, j);
        out += korean ? euckr.decode(run) : katakana ? sjis.decode(run) : String.fromCharCode(...run);
      } else {
        while (j < bytes.length && bytes[j]! < 0x80 && bytes[j] !== 0x1b) j++;
        const run = bytes.subarray(i, j);
        // Delimiters (^ = \\) are never inside a JIS X 0208 run: encoders switch back to ASCII first.
        out += g0 === 'jis' ? jis.decode(Uint8Array.from([0x1b, 0x24, 0x42, ...run])) : String.fromCharCode(...run);
      }
      i = j;
    }
    return out;
  };
  const redo = (text: string): string => {
    // Only text made of single bytes can be recovered (characters above U+00FF mean it was decoded otherwise).
    if (![...text].every((c) => c.charCodeAt(0) <= 0xff) || !/[\x1b\x80-\xff]/.test(text)) return text;
    return decode(Uint8Array.from(text, (c) => c.charCodeAt(0)));
  };
  const walk = (ds: DcmjsDataset) => {
    for (const element of Object.values(ds)) {
      if (!element?.Value) continue;
      if (element.vr === 'SQ') {
        for (const item of element.Value) if (item && typeof item === 'object') walk(item as DcmjsDataset);
      } else if (TEXT_VRS.has(element.vr)) {
        element.Value = element.Value.map((v) => {
          if (typeof v === 'string') return redo(v);
          if (v && typeof v === 'object') {
            const pn = { ...(v as Record<string, unknown>) };
            for (const k of Object.keys(pn)) if (typeof pn[k] === 'string') pn[k] = redo(pn[k]);
            return pn;
          }
          return v;
        });
      }
    }
  };
  walk(dict);
  return true;
}

/**
 * Parses one DICOM Part 10 file into its metadata and frames. Throws `NotDicomError` for anything that is not
 * Part 10, and an Error with the reason for DICOM files that cannot be used.
 */
export function parsePart10(bytes: Uint8Array): ParsedInstance {
  if (!isPart10(bytes)) throw new NotDicomError("not DICOM Part 10 (no 'DICM' after a 128-byte preamble)");
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const warnings: string[] = [];
  let parsed: { meta: DcmjsDataset; dict: DcmjsDataset };
  try {
    parsed = dcmjs.data.DicomMessage.readFile(buffer);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    // dcmjs refuses code extensions (ISO 2022, several character sets) unless told to carry on; it then decodes
    // with the first one, which is right for everything but the extended characters.
    if (!/character set/i.test(reason)) throw new Error(`dcmjs cannot read it: ${reason}`);
    parsed = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
    // dcmjs replaces the value with ISO_IR 192 (the text is Unicode now) and keeps the original as _rawValue.
    const charset = parsed.dict['00080005'];
    const raw = Array.isArray(charset?._rawValue) ? (charset._rawValue as unknown[]) : (charset?.Value ?? []);
    const sets = raw.map((v) => String(v ?? '').trim());
    if (!redecodeCodeExtensions(parsed.dict, sets)) warnings.push(`${reason}; text decoded with the first character set only`);
  }
  const { meta, dict } = parsed;
  const sourceTs = str(meta, '00020010');
  const studyInstanceUID = str(dict, '0020000D');
  const seriesInstanceUID = str(dict, '0020000E');
  const sopInstanceUID = str(dict, '00080018');
  if (!studyInstanceUID || !seriesInstanceUID || !sopInstanceUID) {
    const what = str(meta, '00020002') === '1.2.840.10008.1.3.10' ? 'a DICOMDIR' : 'not a composite instance';
    throw new Error(`${what}: no Study, Series or SOP Instance UID`);
  }
  const native = NATIVE_SYNTAXES.has(sourceTs);
  const bigEndian = sourceTs === TransferSyntax.ExplicitVRBigEndian;
  const metadata = datasetToDicomJson(dict, { bigEndian, implicitVr: sourceTs === TransferSyntax.ImplicitVRLittleEndian });
  const frameTs = native ? TransferSyntax.ExplicitVRLittleEndian : sourceTs;
  metadata['00020010'] = { vr: 'UI', Value: [frameTs] };

  let frames: Uint8Array[] = [];
  const pixel = dict['7FE00010'];
  const parts = (pixel?.Value ?? []).flatMap(binaryParts);
  if (pixel && parts.some((p) => p.length > 0)) {
    const geometry: PixelGeometry = {
      rows: num(dict, '00280010') ?? 0,
      columns: num(dict, '00280011') ?? 0,
      samplesPerPixel: num(dict, '00280002') ?? 1,
      bitsAllocated: num(dict, '00280100') ?? 0,
      photometricInterpretation: str(dict, '00280004'),
      numberOfFrames: Math.max(1, Math.floor(num(dict, '00280008') ?? 1)),
    };
    if (native) {
      let pixels = concatBytes(parts);
      // Deflated files are inflated by dcmjs, so their byte positions say nothing.
      if (sourceTs !== TransferSyntax.DeflatedExplicitVRLittleEndian) {
        pixels = pixels.subarray(0, nativePixelBytesInFile(bytes, pixels.length, sourceTs));
      }
      if (bigEndian) {
        // OW is a stream of 16-bit words even for 8-bit samples; wider samples swap as whole samples.
        const word = geometry.bitsAllocated > 16 ? geometry.bitsAllocated / 8 : pixel.vr === 'OW' ? 2 : 1;
        pixels = swapBytes(pixels, word);
      }
      const split = splitNativeFrames(pixels, geometry);
      frames = split.frames;
      if (geometry.photometricInterpretation === 'YBR_FULL_422' && geometry.bitsAllocated === 8 && geometry.samplesPerPixel === 3) {
        frames = frames.map((f) => ybrFull422ToRgb(f, geometry.rows, geometry.columns));
        metadata['00280004'] = { vr: 'CS', Value: ['RGB'] };
        metadata['00280006'] = { vr: 'US', Value: [0] };
      }
      if (split.truncated) {
        warnings.push(`truncated: pixel data (${pixels.length} bytes) holds ${frames.length} of ${geometry.numberOfFrames} frames`);
      }
    } else {
      const split = splitEncapsulatedFrames(parts, geometry.numberOfFrames, sourceTs);
      frames = split.frames;
      if (split.problem) warnings.push(split.problem);
    }
  }
  return { studyInstanceUID, seriesInstanceUID, sopInstanceUID, metadata, frames, frameTransferSyntaxUID: frameTs, sourceTransferSyntaxUID: sourceTs, warnings };
}

// The QIDO-RS results built from instances live in ./qidoResults (no dcmjs there: the worklist loads them).
export { numberOf, seriesResult, sortInstances, studyResult, text } from './qidoResults';

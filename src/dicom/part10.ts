// DICOM Part 10 bytes → the DICOM JSON model (PS3.18 F.2) and frames, as a WADO-RS server would give them; and the
// QIDO-RS study and series results built from them. Browser-safe: local files are read with it in a worker
// (src/local/worker.ts), and `npm run import` writes static trees with it (scripts/import/staticTree.ts).
import type { DcmjsDataset, DcmjsElement } from 'dcmjs';
import { dcmjs } from './dcmjs';
import type { DicomJson, DicomJsonAttribute } from './json';
import { VIDEO_TRANSFER_SYNTAXES } from './objectClasses.generated';
import { ybrFull422ToRgb } from './pixels';
import { bytesToBase64, concatBytes, nativePixelBytesInFile, splitEncapsulatedFrames, splitNativeFrames, swapBytes, TransferSyntax, type PixelGeometry } from './frames';

export {
  bytesToBase64,
  concatBytes,
  nativeFrameBits,
  nativePixelBytesInFile,
  splitEncapsulatedFrames,
  splitNativeFrames,
  swapBytes,
  TransferSyntax,
  type PixelGeometry,
} from './frames';

// ---- DICOM JSON model (the type: ./json.ts) ------------------------------------------------------------------

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

// ---- bytes and frames: ./frames.ts ----------------------------------------------------------------------------

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
  /** The frames were converted to another photometric interpretation (native YBR_FULL_422 → RGB). */
  pixelsConverted: boolean;
  warnings: string[];
}

/** The file is not DICOM Part 10 at all (as opposed to a DICOM file that cannot be read). */
export class NotDicomError extends Error {}

export const NOT_PART10 = "not DICOM Part 10 (no 'DICM' after a 128-byte preamble)";

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
  if (!isPart10(bytes)) throw new NotDicomError(NOT_PART10);
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
  let pixelsConverted = false;
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
        pixelsConverted = true;
        metadata['00280004'] = { vr: 'CS', Value: ['RGB'] };
        metadata['00280006'] = { vr: 'US', Value: [0] };
      }
      if (split.truncated) {
        warnings.push(`truncated: pixel data (${pixels.length} bytes) holds ${frames.length} of ${geometry.numberOfFrames} frames`);
      }
    } else if (VIDEO_TRANSFER_SYNTAXES.has(sourceTs)) {
      // A video's fragments are one stream, not a frame each (NumberOfFrames counts the video's frames).
      frames = [concatBytes(parts)];
    } else {
      const split = splitEncapsulatedFrames(parts, geometry.numberOfFrames, sourceTs);
      frames = split.frames;
      if (split.problem) warnings.push(split.problem);
    }
  }
  return { studyInstanceUID, seriesInstanceUID, sopInstanceUID, metadata, frames, frameTransferSyntaxUID: frameTs, sourceTransferSyntaxUID: sourceTs, pixelsConverted, warnings };
}

import type { DicomJson } from '../dicom/json';
import { getNumber } from '../dicom/json';
import { Tag } from '../dicom/tags';

/** Largest image side the viewer decodes (WebGL textures are at most 16384 wide on common GPUs). */
export const MAX_IMAGE_SIDE = 16384;
/** Largest decoded frame the viewer allocates. */
export const MAX_FRAME_BYTES = 512 * 1024 * 1024;

/**
 * Why a frame must not be decoded, judged from its metadata before any pixel is fetched or memory allocated;
 * undefined when it looks displayable.
 */
export function frameProblem(ds: DicomJson): string | undefined {
  const rows = getNumber(ds, Tag.Rows);
  const columns = getNumber(ds, Tag.Columns);
  if (rows === undefined || columns === undefined) return 'the image has no Rows/Columns';
  if (!Number.isInteger(rows) || !Number.isInteger(columns) || rows <= 0 || columns <= 0) {
    return `the image size ${rows} × ${columns} is not valid`;
  }
  if (rows > MAX_IMAGE_SIDE || columns > MAX_IMAGE_SIDE) {
    return `the image is ${columns} × ${rows} pixels; the viewer shows up to ${MAX_IMAGE_SIDE} per side`;
  }
  const bits = getNumber(ds, Tag.BitsAllocated) ?? 16;
  if (![1, 8, 16, 32].includes(bits)) return `BitsAllocated ${bits} is not supported`;
  const samples = getNumber(ds, Tag.SamplesPerPixel) ?? 1;
  if (![1, 3, 4].includes(samples)) return `SamplesPerPixel ${samples} is not supported`;
  const bytes = rows * columns * samples * Math.max(1, bits / 8) * 4; // decoded RGBA or float worst case
  if (bytes > MAX_FRAME_BYTES) return `a ${columns} × ${rows} frame would need ${Math.round(bytes / 2 ** 20)} MB to display`;
  return paletteProblem(ds);
}

/** Palette Color Lookup Table Descriptor and Data tags, per channel (PS3.3 C.7.6.3). */
const PALETTE_TABLES = [
  ['red', '00281101', '00281201'],
  ['green', '00281102', '00281202'],
  ['blue', '00281103', '00281203'],
] as const;

/**
 * Why a PALETTE COLOR image cannot be coloured: a channel's descriptor or table is missing, or the table has
 * fewer entries than its descriptor says. Cornerstone's colour conversion throws on the first (out of reach of
 * the load's promise, so the viewport waited forever) and would clamp the second to wrong colours. Tables still
 * given as bulk data or inline binary count as missing: the loader reads only numbers (the client resolves them
 * when it fetches the metadata). Segmented palettes (0028,1221-1223) are not expanded by the loader.
 */
export function paletteProblem(ds: DicomJson): string | undefined {
  const photometric = ds[Tag.PhotometricInterpretation]?.Value?.[0];
  if (typeof photometric !== 'string' || photometric.trim() !== 'PALETTE COLOR') return undefined;
  const problems: string[] = [];
  for (const [channel, descriptorTag, dataTag] of PALETTE_TABLES) {
    const descriptor = ds[descriptorTag]?.Value;
    const data = ds[dataTag]?.Value;
    const first = Number(descriptor?.[0]);
    if (!descriptor || descriptor.length < 3 || !Number.isInteger(first) || first < 0 || !descriptor.slice(1, 3).every((v) => Number.isFinite(Number(v)))) {
      problems.push(`no usable ${channel} descriptor`);
    } else if (!data?.length) {
      problems.push(`no ${channel} table`);
    } else {
      // A first descriptor value of 0 means 65536 entries.
      const entries = first === 0 ? 65536 : first;
      if (data.length < entries) problems.push(`${channel} table has ${data.length} of ${entries} entries`);
    }
  }
  if (problems.length === 0) return undefined;
  const segmented = ['00281221', '00281222', '00281223'].some((t) => ds[t]);
  return `Palette colour image without complete lookup table data (${segmented ? 'segmented palettes are not supported' : problems.join(', ')})`;
}

const positiveNumbers = (ds: DicomJson, tag: string, n: number): boolean => {
  const values = ds[tag]?.Value;
  return !!values && values.length === n && values.every((v) => v !== '' && v !== null && Number.isFinite(Number(v)) && Number(v) > 0);
};
const finiteNumbers = (ds: DicomJson, tag: string, n: number): boolean => {
  const values = ds[tag]?.Value;
  return !!values && values.length === n && values.every((v) => v !== '' && v !== null && Number.isFinite(Number(v)));
};

/**
 * A copy of an instance's metadata with geometry the renderer cannot use removed (non-numeric, zero or negative
 * spacing, NaN positions, degenerate orientation), so the image shows uncalibrated instead of not at all.
 * Returns the original object when nothing needed removing.
 */
export function sanitizeGeometry(ds: DicomJson): DicomJson {
  const drop: string[] = [];
  if (ds[Tag.PixelSpacing] && !positiveNumbers(ds, Tag.PixelSpacing, 2)) drop.push(Tag.PixelSpacing);
  if (ds['00181164'] && !positiveNumbers(ds, '00181164', 2)) drop.push('00181164');
  if (ds[Tag.SliceThickness] && !positiveNumbers(ds, Tag.SliceThickness, 1)) drop.push(Tag.SliceThickness);
  if (ds['00180088'] && !positiveNumbers(ds, '00180088', 1)) drop.push('00180088');
  if (ds[Tag.ImagePositionPatient] && !finiteNumbers(ds, Tag.ImagePositionPatient, 3)) drop.push(Tag.ImagePositionPatient);
  const iop = ds[Tag.ImageOrientationPatient];
  if (iop) {
    const v = (iop.Value ?? []).map(Number);
    const row = Math.hypot(v[0]!, v[1]!, v[2]!);
    const col = Math.hypot(v[3]!, v[4]!, v[5]!);
    const ok = finiteNumbers(ds, Tag.ImageOrientationPatient, 6) && Math.abs(row - 1) < 0.05 && Math.abs(col - 1) < 0.05;
    if (!ok) drop.push(Tag.ImageOrientationPatient);
  }
  if (drop.length === 0) return ds;
  const copy: DicomJson = { ...ds };
  for (const tag of drop) delete copy[tag];
  return copy;
}

/** The frame layout a decoder is asked to produce (the fields of Cornerstone's imageFrame this module reads). */
export interface FrameLayout {
  rows?: number;
  columns?: number;
  samplesPerPixel?: number;
  bitsAllocated?: number;
  photometricInterpretation?: string;
}

/** The pixel encoding of each transfer syntax the loader decodes (names used in messages). */
const ENCODINGS: Record<string, string> = {
  '1.2.840.10008.1.2': 'uncompressed',
  '1.2.840.10008.1.2.1': 'uncompressed',
  '1.2.840.10008.1.2.2': 'uncompressed',
  '1.2.840.10008.1.2.1.99': 'deflated',
  '1.2.840.10008.1.2.8.1': 'deflated',
  '1.2.840.10008.1.2.1.98': 'encapsulated uncompressed',
  '1.2.840.10008.1.2.5': 'RLE',
  '1.2.840.10008.1.2.4.50': 'JPEG',
  '1.2.840.10008.1.2.4.51': 'JPEG',
  '1.2.840.10008.1.2.4.53': 'JPEG',
  '1.2.840.10008.1.2.4.55': 'JPEG',
  '1.2.840.10008.1.2.4.57': 'JPEG',
  '1.2.840.10008.1.2.4.70': 'JPEG',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.4.201': 'HTJ2K',
  '1.2.840.10008.1.2.4.202': 'HTJ2K',
  '1.2.840.10008.1.2.4.203': 'HTJ2K',
  '3.2.840.10008.1.2.4.96': 'HTJ2K',
  '1.2.840.10008.1.2.4.110': 'JPEG XL',
  '1.2.840.10008.1.2.4.111': 'JPEG XL',
  '1.2.840.10008.1.2.4.112': 'JPEG XL',
};
/** Syntaxes without a decoder, named for the message. */
const NAMED: Record<string, string> = {
  '1.2.840.10008.1.2.4.100': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.101': 'MPEG-2 video',
  '1.2.840.10008.1.2.4.102': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.103': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.104': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.105': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.106': 'MPEG-4 video',
  '1.2.840.10008.1.2.4.107': 'HEVC video',
  '1.2.840.10008.1.2.4.108': 'HEVC video',
  '1.2.840.10008.1.2.4.92': 'JPEG 2000 Part 2',
  '1.2.840.10008.1.2.4.93': 'JPEG 2000 Part 2',
  '1.2.840.10008.1.2.4.94': 'JPIP',
  '1.2.840.10008.1.2.4.95': 'JPIP',
};

/** A short name for a transfer syntax's pixel encoding, for messages. */
export function encodingName(transferSyntax: string): string {
  return ENCODINGS[transferSyntax] ?? NAMED[transferSyntax] ?? `transfer syntax ${transferSyntax}`;
}

/** Samples stored per pixel: native YBR_FULL_422 keeps two luminance samples per chroma pair (2, not 3). */
function storedSamples(frame: FrameLayout): number {
  const samples = frame.samplesPerPixel ?? 1;
  return frame.photometricInterpretation === 'YBR_FULL_422' && samples === 3 && (frame.bitsAllocated ?? 8) === 8 ? 2 : samples;
}

/** The message for a transfer syntax the viewer has no decoder for. */
export function unsupportedSyntaxMessage(transferSyntax: string): string {
  const named = NAMED[transferSyntax];
  return `transfer syntax ${transferSyntax}${named ? ` (${named})` : ''} is not supported by this viewer`;
}

/**
 * Whether the end marker (FF D9: JPEG EOI, JPEG 2000 EOC) is among the last bytes. Encoders pad after it (zeros
 * for even length, sometimes FF fill); entropy-coded data cannot contain FF D9, so a search is safe.
 */
function endsWithEndMarker(bytes: Uint8Array): boolean {
  for (let i = bytes.length - 2; i >= 0 && i >= bytes.length - 16; i--) {
    if (bytes[i] === 0xff && bytes[i + 1] === 0xd9) return true;
  }
  return false;
}

/**
 * Why a fetched frame must not be handed to a decoder, judged from its first and last bytes; undefined when it
 * looks decodable. Catches truncated native data (which would otherwise render as garbage), codestreams that
 * are not what their transfer syntax says, JPEG-family streams cut short (a silently half-grey image), impossible
 * RLE headers (which send the loader's RLE decoder into a near-endless loop) and syntaxes with no decoder.
 */
export function codestreamProblem(transferSyntax: string, bytes: Uint8Array, frame: FrameLayout): string | undefined {
  const rows = frame.rows ?? 0;
  const columns = frame.columns ?? 0;
  const samples = frame.samplesPerPixel ?? 1;
  const bits = frame.bitsAllocated ?? 16;
  if (bytes.length === 0) return 'the frame has no pixel data';
  const encoding = ENCODINGS[transferSyntax];
  if (encoding === 'uncompressed') {
    const expected = bits === 1 ? Math.ceil((rows * columns * samples) / 8) : rows * columns * storedSamples(frame) * (bits / 8);
    if (bytes.length < expected) {
      return `the pixel data is truncated: ${bytes.length} of the ${expected} bytes a ${columns} × ${rows} frame needs`;
    }
    return undefined;
  }
  if (encoding === 'RLE') {
    if (bytes.length < 64) return 'the RLE data is shorter than its 64-byte header';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const segments = view.getUint32(0, true);
    const expected = bits === 1 ? samples : samples * Math.max(1, bits / 8);
    if (segments !== expected) return `the RLE header lists ${segments} segments where a frame of this layout has ${expected}`;
    let previous = 0;
    for (let s = 0; s < segments; s++) {
      const offset = view.getUint32(4 + 4 * s, true);
      if ((s === 0 && offset !== 64) || offset <= previous || offset >= bytes.length) return 'the RLE header has invalid segment offsets';
      previous = offset;
    }
    return undefined;
  }
  if (encoding === 'JPEG' || encoding === 'JPEG-LS' || encoding === 'JPEG 2000' || encoding === 'HTJ2K') {
    const isJ2k = encoding === 'JPEG 2000' || encoding === 'HTJ2K';
    const soi = bytes[0] === 0xff && bytes[1] === (isJ2k ? 0x4f : 0xd8);
    const jp2 = isJ2k && bytes.length > 12 && bytes[4] === 0x6a && bytes[5] === 0x50 && bytes[6] === 0x20 && bytes[7] === 0x20;
    if (!soi && !jp2) return `the frame is not a ${encoding} codestream (it does not start with the start marker)`;
    // A JP2 file may carry boxes after its codestream; only a bare codestream must end with the end marker.
    if (!jp2 && !endsWithEndMarker(bytes)) return `the ${encoding} codestream is cut short (no end marker); the frame is truncated`;
    return undefined;
  }
  return encoding ? undefined : unsupportedSyntaxMessage(transferSyntax);
}

/**
 * Why a decoder's output must not be shown although it reported success: a codestream whose own header
 * disagrees with the DICOM attributes (e.g. a JPEG 2000 SIZ segment saying 0 wide) decodes to the wrong number of
 * pixels, which renders black with NaN window values.
 */
export function decodedProblem(
  encoding: string,
  expected: FrameLayout,
  decoded: { rows?: number; columns?: number; pixelData?: { length: number } } | null | undefined,
): string | undefined {
  const rows = expected.rows ?? 0;
  const columns = expected.columns ?? 0;
  const length = decoded?.pixelData?.length ?? 0;
  if (length === 0) return `the ${encoding} data decoded to no pixels`;
  const sizeDiffers = (decoded?.rows !== undefined && decoded.rows !== rows) || (decoded?.columns !== undefined && decoded.columns !== columns);
  if (sizeDiffers) return `the ${encoding} data decodes to ${decoded?.columns} × ${decoded?.rows} where the DICOM header says ${columns} × ${rows}`;
  // Native YBR_FULL_422 may still be subsampled here (converted after decoding when 8-bit).
  const needed = rows * columns * storedSamples(expected);
  if (length < needed) return `the ${encoding} data decodes to ${length} samples where a ${columns} × ${rows} frame needs ${needed}`;
  return undefined;
}

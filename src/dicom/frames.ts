// Frames out of Part 10 pixel data, dcmjs-free so that workers which only split frames (the series stream) stay
// small: native pixel data cut into frames, encapsulated fragments grouped into frames, byte helpers.

export const TransferSyntax = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

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


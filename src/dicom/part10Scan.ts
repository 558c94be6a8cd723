// A fast path for reading frames out of a Part 10 file: walks the top-level elements for the few attributes that
// locate and cut the pixel data, without building a dataset. The series stream (imaging/seriesStream.worker.ts)
// runs it on every instance of a series, where a full parse (dcmjs, ./part10.ts) cost the worker ~10 ms per CT
// slice. Anything unusual (big endian, deflate, truncation, pixels that need converting) returns undefined: the
// caller then takes the full parse, or leaves the instance to the frame-by-frame path.
import { concatBytes, splitEncapsulatedFrames, splitNativeFrames, TransferSyntax, type PixelGeometry } from './frames';

export interface ScannedInstance {
  sopInstanceUID: string;
  /** The frames' transfer syntax: explicit VR little endian for native pixel data, else the file's. */
  transferSyntaxUID: string;
  frames: Uint8Array[];
}

const UNDEFINED = 0xffffffff;
/** Explicit VRs with a 2-byte reserved field and a 4-byte length. */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'UC', 'UN', 'UR', 'UT', 'SV', 'UV']);

class Reader {
  readonly view: DataView;
  constructor(
    readonly bytes: Uint8Array,
    readonly explicit: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The element header at `pos`: tag, VR (explicit only), value length and where the value starts. */
  header(pos: number): { tag: number; vr: string; length: number; value: number } | undefined {
    const { view, bytes } = this;
    if (pos + 8 > bytes.length) return undefined;
    const tag = ((view.getUint16(pos, true) << 16) | view.getUint16(pos + 2, true)) >>> 0;
    // Items and delimiters have no VR, in either encoding.
    if (tag >>> 16 === 0xfffe || !this.explicit) return { tag, vr: '', length: view.getUint32(pos + 4, true), value: pos + 8 };
    const vr = String.fromCharCode(bytes[pos + 4]!, bytes[pos + 5]!);
    if (LONG_VRS.has(vr)) {
      if (pos + 12 > bytes.length) return undefined;
      return { tag, vr, length: view.getUint32(pos + 8, true), value: pos + 12 };
    }
    return { tag, vr, length: view.getUint16(pos + 6, true), value: pos + 8 };
  }

  /** Position after an undefined-length sequence or item whose value starts at `pos`; undefined if malformed. */
  skipUndefined(pos: number, depth = 0): number | undefined {
    if (depth > 64) return undefined;
    for (;;) {
      const h = this.header(pos);
      if (!h) return undefined;
      // Sequence or item delimitation: the end of this level.
      if (h.tag === 0xfffee0dd || h.tag === 0xfffee00d) return h.value;
      if (h.length === UNDEFINED) {
        const next = this.skipUndefined(h.value, depth + 1);
        if (next === undefined) return undefined;
        pos = next;
      } else pos = h.value + h.length;
    }
  }

  string(pos: number, length: number): string {
    let s = '';
    for (let i = pos; i < pos + length && i < this.bytes.length; i++) s += String.fromCharCode(this.bytes[i]!);
    return s.replace(/[\0 ]+$/, '').trim();
  }
}

const SOP_INSTANCE_UID = 0x00080018;
const SAMPLES_PER_PIXEL = 0x00280002;
const PHOTOMETRIC = 0x00280004;
const NUMBER_OF_FRAMES = 0x00280008;
const ROWS = 0x00280010;
const COLUMNS = 0x00280011;
const BITS_ALLOCATED = 0x00280100;
const PIXEL_DATA = 0x7fe00010;

export function scanPart10(bytes: Uint8Array): ScannedInstance | undefined {
  if (bytes.length < 132 || bytes[128] !== 0x44 || bytes[129] !== 0x49 || bytes[130] !== 0x43 || bytes[131] !== 0x4d) return undefined;
  // File meta information: always explicit VR little endian.
  const meta = new Reader(bytes, true);
  let pos = 132;
  let transferSyntax = '';
  for (;;) {
    const h = meta.header(pos);
    if (!h || h.tag >>> 16 !== 0x0002 || h.length === UNDEFINED) break;
    if (h.tag === 0x00020010) transferSyntax = meta.string(h.value, h.length);
    pos = h.value + h.length;
  }
  if (
    !transferSyntax ||
    transferSyntax === TransferSyntax.ExplicitVRBigEndian ||
    transferSyntax === TransferSyntax.DeflatedExplicitVRLittleEndian
  ) {
    return undefined;
  }
  const native = transferSyntax === TransferSyntax.ImplicitVRLittleEndian || transferSyntax === TransferSyntax.ExplicitVRLittleEndian;
  const r = new Reader(bytes, transferSyntax !== TransferSyntax.ImplicitVRLittleEndian);
  let sopInstanceUID = '';
  const g: PixelGeometry = { rows: 0, columns: 0, samplesPerPixel: 1, bitsAllocated: 0, photometricInterpretation: '', numberOfFrames: 1 };
  for (;;) {
    const h = r.header(pos);
    if (!h) return undefined;
    if (h.tag === PIXEL_DATA) {
      const frames = native ? nativeFrames(r, h, g) : encapsulatedFrames(r, h, g, transferSyntax);
      if (!frames || !sopInstanceUID) return undefined;
      return { sopInstanceUID, transferSyntaxUID: native ? TransferSyntax.ExplicitVRLittleEndian : transferSyntax, frames };
    }
    if (h.length === UNDEFINED) {
      const next = r.skipUndefined(h.value);
      if (next === undefined) return undefined;
      pos = next;
      continue;
    }
    if (h.value + h.length > bytes.length) return undefined;
    switch (h.tag) {
      case SOP_INSTANCE_UID:
        sopInstanceUID = r.string(h.value, h.length);
        break;
      case SAMPLES_PER_PIXEL:
        g.samplesPerPixel = r.view.getUint16(h.value, true);
        break;
      case PHOTOMETRIC:
        g.photometricInterpretation = r.string(h.value, h.length);
        break;
      case NUMBER_OF_FRAMES:
        g.numberOfFrames = Math.max(1, Math.floor(Number(r.string(h.value, h.length)) || 1));
        break;
      case ROWS:
        g.rows = r.view.getUint16(h.value, true);
        break;
      case COLUMNS:
        g.columns = r.view.getUint16(h.value, true);
        break;
      case BITS_ALLOCATED:
        g.bitsAllocated = r.view.getUint16(h.value, true);
        break;
    }
    pos = h.value + h.length;
  }
}

function nativeFrames(r: Reader, h: { length: number; value: number }, g: PixelGeometry): Uint8Array[] | undefined {
  // Native YBR_FULL_422 is converted to RGB by the full parse; truncated data is reported by the per-frame path.
  if (h.length === UNDEFINED || h.value + h.length > r.bytes.length) return undefined;
  if (g.photometricInterpretation === 'YBR_FULL_422') return undefined;
  try {
    const split = splitNativeFrames(r.bytes.subarray(h.value, h.value + h.length), g);
    return split.truncated ? undefined : split.frames;
  } catch {
    return undefined;
  }
}

function encapsulatedFrames(r: Reader, h: { length: number; value: number }, g: PixelGeometry, transferSyntax: string): Uint8Array[] | undefined {
  if (h.length !== UNDEFINED) return undefined;
  let pos = h.value;
  const items: { start: number; bytes: Uint8Array }[] = [];
  for (;;) {
    const item = r.header(pos);
    if (!item) return undefined;
    if (item.tag === 0xfffee0dd) break;
    if (item.tag !== 0xfffee000 || item.length === UNDEFINED || item.value + item.length > r.bytes.length) return undefined;
    items.push({ start: pos, bytes: r.bytes.subarray(item.value, item.value + item.length) });
    pos = item.value + item.length;
  }
  const [table, ...fragments] = items;
  if (!table || fragments.length === 0) return undefined;
  const count = Math.max(1, g.numberOfFrames);
  if (count > 1 && table.bytes.length === count * 4) {
    // The Basic Offset Table: each frame's first fragment, as an offset from the first fragment's item.
    const view = new DataView(table.bytes.buffer, table.bytes.byteOffset, table.bytes.byteLength);
    const base = fragments[0]!.start;
    const starts = Array.from({ length: count }, (_, i) => base + view.getUint32(i * 4, true));
    const frames: Uint8Array[] = [];
    for (let f = 0; f < count; f++) {
      const parts = fragments.filter((p) => p.start >= starts[f]! && (f + 1 === count || p.start < starts[f + 1]!));
      if (parts.length === 0) return undefined;
      frames.push(concatBytes(parts.map((p) => p.bytes)));
    }
    return frames;
  }
  const split = splitEncapsulatedFrames(
    fragments.map((p) => p.bytes),
    count,
    transferSyntax,
  );
  return split.problem ? undefined : split.frames;
}

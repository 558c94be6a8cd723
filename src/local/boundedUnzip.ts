// Streaming a zip the user opened, entry by entry, with bounds: a zip is untrusted input, and a small one can
// claim (or, worse, actually inflate to) gigabytes. Each entry's declared size is checked before it is read and its
// real size while it inflates, with a running count that stops it past the cap (the header may lie); the whole
// archive has a running total too. An entry over a cap is skipped with its reason and the next one is read.
import { Unzip, UnzipInflate, UnzipPassThrough, type AsyncFlateStreamHandler, type FlateError, type UnzipDecoder, type UnzipDecoderConstructor } from 'fflate';

/**
 * One entry, inflated. The reader then holds it about three times over while parsing it (these bytes, the copy
 * dcmjs reads, the frames), and a browser worker rarely gets more than a few GiB: 1 GiB keeps the largest real
 * objects (tomosynthesis, long cine loops, whole-slide levels) and fails no tab.
 */
export const ZIP_ENTRY_MAX_BYTES = 1024 ** 3;
/**
 * Everything one zip inflates to. Read entries become Blobs (which the browser may keep on disk), so this is not
 * held at once; it stops a zip of many large entries from filling memory and disk. 4 GiB is also where zips need
 * ZIP64; a larger study opens as a folder (unpacked), which has no such total.
 */
export const ZIP_TOTAL_MAX_BYTES = 4 * 1024 ** 3;

export interface ZipLimits {
  entryBytes: number;
  totalBytes: number;
}

export const ZIP_LIMITS: ZipLimits = { entryBytes: ZIP_ENTRY_MAX_BYTES, totalBytes: ZIP_TOTAL_MAX_BYTES };

/**
 * Compressed bytes handed to the inflater at a time. Deflate expands at most about 1032:1, so one push inflates
 * to at most ~16 MiB before the running count is checked again.
 */
const PUSH_BYTES = 16 * 1024;

export type ZipEvent =
  | { kind: 'entry'; name: string; bytes: Uint8Array }
  | { kind: 'skipped'; name: string; why: 'too-large' | 'unreadable' | 'not-dicom'; reason: string };

/** Looks at an entry's first bytes (up to `headBytes`): a reason to skip it now, or undefined to read it whole. */
export type HeadCheck = (head: Uint8Array) => { why: 'not-dicom' | 'unreadable'; reason: string } | undefined;

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${+(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${+(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${+(n / 1024).toFixed(1)} KiB`;
}

/**
 * An fflate decoder that stops for good when its entry is terminated: the rest of a skipped entry is then neither
 * inflated nor buffered (fflate keeps the compressed bytes of an entry nobody started). A decoding error ends the
 * entry with that error instead of throwing out of Unzip.push, which would end the whole zip.
 */
function stoppable(compression: number, make: (() => UnzipDecoder) | undefined): UnzipDecoderConstructor {
  return class implements UnzipDecoder {
    static readonly compression = compression;
    ondata: AsyncFlateStreamHandler = () => {};
    private stopped = false;
    private readonly inner = make?.();
    constructor() {
      if (this.inner) {
        this.inner.ondata = (err, data, final) => {
          if (!this.stopped) this.ondata(err, data, final);
        };
      }
    }
    push(chunk: Uint8Array, final: boolean): void {
      if (this.stopped) return;
      if (!this.inner) {
        // A method fflate cannot inflate: the entry is refused (see below) and its bytes dropped.
        this.stopped = true;
        return;
      }
      try {
        this.inner.push(chunk, final);
      } catch (e) {
        this.stopped = true;
        this.ondata(e as FlateError, new Uint8Array(0), true);
      }
    }
    terminate(): void {
      this.stopped = true;
    }
  };
}

const STORED = 0;
const DEFLATED = 8;

/**
 * Reads the zip in `blob`, calling `emit` for each file entry (inflated) or skipped entry, in archive order.
 * `check` sees each entry's first `headBytes` bytes (or the whole entry when shorter). Throws when the zip
 * itself cannot be read on (its structure is damaged); what was emitted before stands.
 */
export async function readZipBounded(
  blob: Blob,
  emit: (e: ZipEvent) => void,
  options: { limits?: ZipLimits; headBytes?: number; check?: HeadCheck } = {},
): Promise<void> {
  const limits = options.limits ?? ZIP_LIMITS;
  const headBytes = options.headBytes ?? 0;
  const queue: ZipEvent[] = [];
  /** Bytes of the entries read so far (and of the one being read). */
  let total = 0;
  let totalReached = false;
  const unzip = new Unzip((entry) => {
    const name = entry.name;
    const folder = name.endsWith('/');
    let chunks: Uint8Array[] = [];
    let size = 0;
    let ended = false;
    let headChecked = headBytes === 0 || !options.check;
    const skip = (why: 'too-large' | 'unreadable' | 'not-dicom', reason: string) => {
      if (ended) return;
      ended = true;
      chunks = [];
      // The total is of what the zip opens: a skipped entry's bytes are dropped.
      total -= size;
      entry.terminate();
      if (!folder) queue.push({ kind: 'skipped', name, why, reason });
    };
    const tooLargeTotal = () =>
      `the zip as a whole expands to more than ${formatBytes(limits.totalBytes)}, so the entries from here on are not opened: unpack it and open the folder instead`;
    entry.ondata = (err, data, final) => {
      if (ended) return;
      if (err) {
        skip('unreadable', `this zip entry is damaged (${err.message})`);
        return;
      }
      size += data.length;
      total += data.length;
      // The first bytes first: what is not worth reading is refused as such, whatever its size.
      if (data.length) chunks.push(data);
      if (!headChecked && (size >= headBytes || final)) {
        headChecked = true;
        const refused = options.check!(join(chunks, Math.min(size, headBytes)));
        if (refused) {
          skip(refused.why, refused.reason);
          return;
        }
      }
      if (size > limits.entryBytes) {
        skip('too-large', `it expands to more than ${formatBytes(limits.entryBytes)}, more than the browser can read as one file`);
        return;
      }
      if (total > limits.totalBytes) {
        totalReached = true;
        skip('too-large', tooLargeTotal());
        return;
      }
      if (final) {
        ended = true;
        if (!folder) queue.push({ kind: 'entry', name, bytes: join(chunks, size) });
        chunks = [];
      }
    };
    // Refused before reading: the header is trusted for that only; the running count above is what holds.
    let refusal: [why: 'too-large' | 'unreadable' | 'not-dicom', reason: string] | undefined;
    if (entry.compression !== STORED && entry.compression !== DEFLATED) {
      // Registered for each method met, so that the entry's bytes are dropped rather than buffered.
      unzip.register(stoppable(entry.compression, undefined));
      refusal = ['unreadable', `it is compressed with method ${entry.compression}, which the browser cannot unpack (only stored or deflated entries)`];
    } else if (folder) refusal = ['not-dicom', 'a folder'];
    else if (totalReached) refusal = ['too-large', tooLargeTotal()];
    else if (entry.originalSize !== undefined && entry.originalSize > limits.entryBytes) {
      refusal = ['too-large', `its header says it expands to ${formatBytes(entry.originalSize)}, more than the ${formatBytes(limits.entryBytes)} the browser can read as one file`];
    } else if (entry.originalSize !== undefined && total + entry.originalSize > limits.totalBytes) {
      totalReached = true;
      refusal = ['too-large', tooLargeTotal()];
    }
    if (refusal) {
      skip(...refusal);
      // Started all the same, and stopped at once: an entry never started has its bytes kept by fflate.
      entry.ondata = () => {};
      entry.start();
      entry.terminate();
      return;
    }
    entry.start();
  });
  unzip.register(stoppable(STORED, () => new UnzipPassThrough()));
  unzip.register(stoppable(DEFLATED, () => new UnzipInflate()));
  const drain = () => {
    for (const e of queue.splice(0)) emit(e);
  };
  const reader = blob.stream().getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) {
        unzip.push(new Uint8Array(0), true);
        return;
      }
      for (let at = 0; at < value.length; at += PUSH_BYTES) {
        unzip.push(value.subarray(at, at + PUSH_BYTES));
        // Emitted (and so parsed and dropped) as soon as each entry is whole.
        drain();
      }
    }
  } finally {
    // Entries completed before the zip turned out damaged are still handed on, before the error.
    drain();
  }
}

/** The first `n` bytes of `chunks` as one array (the chunk itself when it is the only one). */
function join(chunks: Uint8Array[], n: number): Uint8Array {
  if (chunks.length === 1 && chunks[0]!.length === n) return chunks[0]!;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    if (o >= n) break;
    const part = c.subarray(0, n - o);
    out.set(part, o);
    o += part.length;
  }
  return out;
}

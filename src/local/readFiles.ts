// Reading what the user dropped or picked: Part 10 files, zip archives (streamed entry by entry, so a large zip
// never sits in memory whole) and DICOMDIR media directories. Runs in a worker (./worker.ts) for real use and
// directly in unit tests. Nothing here is fatal: every file ends as an instance, a skip with its reason, or a
// DICOMDIR's list of referenced files.
import { readZipBounded, ZIP_LIMITS, type ZipLimits } from './boundedUnzip';
import { dcmjs } from '../dicom/dcmjs';
import type { DicomJson } from '../dicom/json';
import { isPart10, NOT_PART10, NotDicomError, parsePart10 } from '../dicom/part10';

/** One instance read from a local file; frames stay in a Blob (the browser may keep large ones on disk). */
export interface LocalInstance {
  path: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  /** WADO-RS metadata (no pixel data); 00020010 names the frames' transfer syntax. */
  metadata: DicomJson;
  /** All frames back to back; frameRanges[i] = [start, end) of frame i + 1. */
  frames: Blob;
  frameRanges: [number, number][];
  frameTransferSyntaxUID: string;
  /** The Part 10 file itself, for upload and export. */
  source: Blob;
  warnings: string[];
}

/** too-large: a zip entry (or the zip as a whole) past the reader's caps (./boundedUnzip.ts). */
export type SkipKind = 'not-dicom' | 'unreadable' | 'duplicate' | 'too-large';

export type ReadResult =
  | { kind: 'instance'; instance: LocalInstance }
  | { kind: 'skipped'; path: string; why: SkipKind; reason: string }
  /** A DICOMDIR: the files it lists, as '/'-joined paths relative to its own folder. */
  | { kind: 'dicomdir'; path: string; referenced: string[] };

const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

function isZip(head: Uint8Array): boolean {
  return head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
}

/**
 * Reads one picked or dropped file (a zip gives one result per entry), calling `emit` for each result. `zipLimits`
 * are the caps on what a zip may expand to (tests pass small ones).
 */
export async function readEntry(path: string, blob: Blob, emit: (r: ReadResult) => void, zipLimits: ZipLimits = ZIP_LIMITS): Promise<void> {
  const head = new Uint8Array(await blob.slice(0, 4).arrayBuffer());
  if (isZip(head)) return readZip(path, blob, emit, zipLimits);
  readBytes(path, new Uint8Array(await blob.arrayBuffer()), blob, emit);
}

/** One file's bytes → an instance, a DICOMDIR, or a skip. */
export function readBytes(path: string, bytes: Uint8Array, source: Blob, emit: (r: ReadResult) => void): void {
  let parsed;
  try {
    parsed = parsePart10(bytes);
  } catch (e) {
    const reason = e instanceof Error ? e.message : String(e);
    if (e instanceof NotDicomError) {
      emit({ kind: 'skipped', path, why: 'not-dicom', reason });
      return;
    }
    const referenced = isPart10(bytes) ? dicomdirFiles(bytes) : undefined;
    if (referenced) emit({ kind: 'dicomdir', path, referenced });
    else emit({ kind: 'skipped', path, why: 'unreadable', reason });
    return;
  }
  const ranges: [number, number][] = [];
  let at = 0;
  for (const f of parsed.frames) {
    ranges.push([at, at + f.length]);
    at += f.length;
  }
  emit({
    kind: 'instance',
    instance: {
      path,
      studyInstanceUID: parsed.studyInstanceUID,
      seriesInstanceUID: parsed.seriesInstanceUID,
      sopInstanceUID: parsed.sopInstanceUID,
      metadata: parsed.metadata,
      frames: new Blob(parsed.frames as BlobPart[]),
      frameRanges: ranges,
      frameTransferSyntaxUID: parsed.frameTransferSyntaxUID,
      source,
      warnings: parsed.warnings,
    },
  });
}

/**
 * The files a DICOMDIR lists (Referenced File ID of each directory record, components joined with '/'), or
 * undefined when the bytes are not a DICOMDIR.
 */
export function dicomdirFiles(bytes: Uint8Array): string[] | undefined {
  let read;
  try {
    read = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, { ignoreErrors: true });
  } catch {
    return undefined;
  }
  const sopClass = read.meta['00020002']?.Value?.[0];
  const records = read.dict['00041220']?.Value;
  if (sopClass !== MEDIA_STORAGE_DIRECTORY && !records) return undefined;
  const files: string[] = [];
  for (const item of records ?? []) {
    const id = (item as Record<string, { Value?: unknown[] } | undefined>)['00041500']?.Value;
    if (!id?.length) continue;
    files.push(id.map((c) => String(c).trim()).join('/'));
  }
  return files;
}

/**
 * Entries of a zip, one at a time: an entry's bytes are read, handed on, and dropped before the next, within the
 * caps of ./boundedUnzip.ts. An entry that is not Part 10 is refused on its first bytes, before it is inflated
 * whole; nested zips are not opened (a zip bomb stays one file).
 */
async function readZip(path: string, blob: Blob, emit: (r: ReadResult) => void, limits: ZipLimits): Promise<void> {
  try {
    await readZipBounded(
      blob,
      (e) => {
        // Zip entries carry their folder path.
        const entryPath = `${path}/${e.name}`;
        if (e.kind === 'skipped') emit({ kind: 'skipped', path: entryPath, why: e.why, reason: e.reason });
        else readBytes(entryPath, e.bytes, new Blob([e.bytes as BlobPart]), emit);
      },
      {
        limits,
        headBytes: 132,
        check: (head) =>
          isZip(head) ? { why: 'not-dicom', reason: 'a zip inside a zip is not opened' } : isPart10(head) ? undefined : { why: 'not-dicom', reason: NOT_PART10 },
      },
    );
  } catch (e) {
    emit({ kind: 'skipped', path, why: 'unreadable', reason: `the zip file is damaged (${e instanceof Error ? e.message : String(e)})` });
  }
}

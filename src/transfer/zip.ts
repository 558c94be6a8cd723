import { Zip, ZipPassThrough } from 'fflate';

/**
 * A zip written as it goes: each entry's bytes become Blob parts at once (the browser keeps large Blobs on disk),
 * so exporting a study holds about one instance in JavaScript memory, not the study. Entries are stored, not
 * compressed: DICOM pixel data is mostly compressed already, and deflating on the UI thread would cost more
 * than it saves. Zip files over 4 GB (ZIP64) are not written.
 */
export class ZipBuilder {
  private readonly parts: Blob[] = [];
  private readonly zip: Zip;
  private readonly result: Promise<Blob>;
  private size = 0;
  private readonly names = new Set<string>();

  constructor() {
    let resolve!: (b: Blob) => void;
    let reject!: (e: Error) => void;
    this.result = new Promise<Blob>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    this.result.catch(() => {}); // reported by finish()
    this.zip = new Zip((err, chunk, final) => {
      if (err) {
        reject(err);
        return;
      }
      this.size += chunk.length;
      this.parts.push(new Blob([chunk as BlobPart]));
      if (final) resolve(new Blob(this.parts, { type: 'application/zip' }));
    });
  }

  /** Bytes written so far. */
  get bytes(): number {
    return this.size;
  }

  /** Adds a file; throws (and adds nothing) for a name that is unsafe or already in the zip. */
  add(name: string, bytes: Uint8Array): void {
    const unsafe = unsafeEntryName(name);
    if (unsafe) throw new Error(`the zip entry name ${JSON.stringify(name)} is refused: ${unsafe}`);
    if (this.names.has(name)) throw new Error(`the zip already holds a file named ${JSON.stringify(name)}`);
    if (this.size + bytes.length > 0xffff_0000) throw new Error('the zip would pass 4 GB: export fewer series at a time');
    this.names.add(name);
    const entry = new ZipPassThrough(name);
    this.zip.add(entry);
    entry.push(bytes, true);
  }

  finish(): Promise<Blob> {
    this.zip.end();
    return this.result;
  }
}

/**
 * Why a zip entry name could write outside the folder it is unpacked into (or be misread by an unzipper), or
 * undefined when it is safe: relative, '/'-separated, no empty, '.' or '..' folder, no backslash (a separator on
 * Windows), no control character. The last line of defence: names are built from checked UIDs (./transfer.ts).
 */
export function unsafeEntryName(name: string): string | undefined {
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'it is an absolute path';
  if (name.includes('\\')) return 'it holds a backslash';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'it holds a control character';
  if (name.split('/').some((part) => part === '' || part === '.' || part === '..')) return "it has an empty, '.' or '..' folder";
  return undefined;
}

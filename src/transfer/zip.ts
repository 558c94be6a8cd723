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

  add(name: string, bytes: Uint8Array): void {
    if (this.size + bytes.length > 0xffff_0000) throw new Error('the zip would pass 4 GB: export fewer series at a time');
    const entry = new ZipPassThrough(name);
    this.zip.add(entry);
    entry.push(bytes, true);
  }

  finish(): Promise<Blob> {
    this.zip.end();
    return this.result;
  }
}

import type { LocalItem, SkippedLocalFile } from '../../store/localFiles';

/** What a drop gave: the files under it (folders walked), and the files and folders the browser could not read. */
export interface DroppedFiles {
  items: LocalItem[];
  unreadable: SkippedLocalFile[];
}

const pathOf = (entry: FileSystemEntry) => entry.fullPath.replace(/^\//, '');

function why(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e); // DOMException is an Error
}

async function walk(entry: FileSystemEntry, out: DroppedFiles): Promise<void> {
  if (entry.isFile) {
    try {
      const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
      out.items.push({ path: pathOf(entry), blob: file });
    } catch (e) {
      // Moved, deleted or not permitted since the drop: this file is reported, the others are opened.
      out.unreadable.push({ path: pathOf(entry), why: 'unreadable', reason: `the browser could not read it (${why(e)})` });
    }
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches (100 in Chromium) until it answers none.
  for (;;) {
    let batch: FileSystemEntry[];
    try {
      batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    } catch (e) {
      // What was listed before the failure is still walked; the folder is reported as not read in full.
      out.unreadable.push({ path: `${pathOf(entry)}/`, why: 'unreadable', reason: `the browser could not list this folder in full (${why(e)})` });
      return;
    }
    if (batch.length === 0) return;
    for (const child of batch) await walk(child, out);
  }
}

/** Every file under the dropped entries, with its path inside the drop; a file or folder that fails is reported. */
export async function filesUnder(entries: FileSystemEntry[]): Promise<DroppedFiles> {
  const out: DroppedFiles = { items: [], unreadable: [] };
  for (const entry of entries) await walk(entry, out);
  return out;
}

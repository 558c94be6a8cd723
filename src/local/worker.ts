// Reads local files off the UI thread (see ./readFiles.ts). Messages in: { id, items: { path, blob }[] };
// out: { id, result } for each result, { id, progress } after each file, { id, done } at the end.
import { readEntry, type ReadResult } from './readFiles';

export interface ReadRequest {
  id: number;
  items: { path: string; blob: Blob }[];
}

export type ReadMessage =
  | { id: number; result: ReadResult }
  | { id: number; progress: { read: number; total: number } }
  | { id: number; done: true };

const scope = self as unknown as { postMessage(m: ReadMessage): void; onmessage: ((e: MessageEvent<ReadRequest>) => void) | null };

scope.onmessage = async (e) => {
  const { id, items } = e.data;
  let read = 0;
  for (const item of items) {
    try {
      await readEntry(item.path, item.blob, (result) => scope.postMessage({ id, result }));
    } catch (err) {
      // The file could not even be read (it was removed, or the browser lost access).
      scope.postMessage({ id, result: { kind: 'skipped', path: item.path, why: 'unreadable', reason: err instanceof Error ? err.message : String(err) } });
    }
    read++;
    scope.postMessage({ id, progress: { read, total: items.length } });
  }
  scope.postMessage({ id, done: true });
};

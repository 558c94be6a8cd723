import { create } from 'zustand';
import { DicomWebClient } from '../dicomweb/client';
import { localIndex, localSourceConfig, LOCAL_SOURCE_NAME } from '../local/localSource';
import type { ReadResult, SkipKind } from '../local/readFiles';
import type { ReadMessage, ReadRequest } from '../local/worker';
import { useConfigStore } from './config';

export interface SkippedLocalFile {
  path: string;
  why: SkipKind;
  reason: string;
}

/** A file picked or dropped, with its path inside what was picked (a folder's relative path). */
export interface LocalItem {
  path: string;
  blob: Blob;
}

/**
 * Local files (nothing uploaded): reading progress and what was read or skipped. The instances themselves live in
 * `localIndex`; this store registers it as the "Local files" data source once it holds any.
 */
interface LocalFilesState {
  status: 'idle' | 'reading' | 'done';
  /** Files (or zip files) read so far in this batch, of how many. */
  read: number;
  total: number;
  /** Instances added in this batch. */
  added: number;
  skipped: SkippedLocalFile[];
  /** Warnings on instances that were read anyway (truncated pixel data…). */
  warnings: { path: string; message: string }[];
  /** Files a DICOMDIR lists that were not among those opened. */
  dicomdirMissing: string[];
  dicomdirListed: number;
  /** The local data source's revision: bumped whenever instances were added. */
  revision: number;
  /** Reads `items`; `unreadable` are files the browser could not hand over (a drop's walk), listed as skipped. */
  open: (items: LocalItem[], unreadable?: SkippedLocalFile[]) => Promise<void>;
  clear: () => void;
}

let worker: Worker | undefined;
let nextId = 1;

/** Path of `ref` (a DICOMDIR's '/'-joined Referenced File ID) among opened paths, case-insensitively. */
function normalise(p: string): string {
  return p.replace(/\\/g, '/').replace(/;1$/, '').replace(/\.$/, '').toUpperCase();
}

/** Registers (or refreshes) the local data source: a new client, so nothing cached from before is served. */
function publishLocalSource(): void {
  const { config, clients } = useConfigStore.getState();
  if (!config) return;
  const dataSources = config.dataSources.some((d) => d.name === LOCAL_SOURCE_NAME) ? config.dataSources : [...config.dataSources, localSourceConfig];
  useConfigStore.setState({
    config: { ...config, dataSources },
    clients: { ...clients, [LOCAL_SOURCE_NAME]: new DicomWebClient(localSourceConfig, localIndex.fetch) },
  });
}

export const useLocalFilesStore = create<LocalFilesState>((set, get) => ({
  status: 'idle',
  read: 0,
  total: 0,
  added: 0,
  skipped: [],
  warnings: [],
  dicomdirMissing: [],
  dicomdirListed: 0,
  revision: 0,

  open: (items, unreadable = []) => {
    worker ??= new Worker(new URL('../local/worker.ts', import.meta.url), { type: 'module' });
    const w = worker;
    const id = nextId++;
    set({ status: 'reading', read: 0, total: items.length, added: 0, skipped: [...unreadable], warnings: [], dicomdirMissing: [], dicomdirListed: 0 });
    // The source is listed at once (empty), so the worklist can show it filling in.
    publishLocalSource();
    const dicomdirs: { folder: string; referenced: string[] }[] = [];
    let pendingPublish = false;
    let lastPublish = 0;
    const publish = () => {
      pendingPublish = false;
      lastPublish = Date.now();
      publishLocalSource();
      set((s) => ({ revision: s.revision + 1 }));
    };
    // Files the browser could not hand over were found all the same: a DICOMDIR does not list them as missing, nor
    // anything under a folder that could not be listed (its own entry says so).
    const seen = new Set([...items, ...unreadable].map((i) => normalise(i.path)));
    const unlisted = unreadable.map((u) => normalise(u.path)).filter((p) => p.endsWith('/'));
    const onResult = (r: ReadResult) => {
      seen.add(normalise(r.kind === 'instance' ? r.instance.path : r.path));
      if (r.kind === 'instance') {
        if (localIndex.add(r.instance)) {
          set((s) => ({
            added: s.added + 1,
            warnings: r.instance.warnings.length ? [...s.warnings, ...r.instance.warnings.map((message) => ({ path: r.instance.path, message }))] : s.warnings,
          }));
          pendingPublish = true;
        } else {
          set((s) => ({ skipped: [...s.skipped, { path: r.instance.path, why: 'duplicate', reason: `the same instance (SOP Instance UID) as a file opened before` }] }));
        }
      } else if (r.kind === 'skipped') {
        set((s) => ({ skipped: [...s.skipped, { path: r.path, why: r.why, reason: r.reason }] }));
      } else {
        dicomdirs.push({ folder: r.path.includes('/') ? r.path.slice(0, r.path.lastIndexOf('/') + 1) : '', referenced: r.referenced });
      }
    };
    return new Promise<void>((resolve) => {
      const listener = (e: MessageEvent<ReadMessage>) => {
        const m = e.data;
        if (m.id !== id) return;
        if ('result' in m) onResult(m.result);
        else if ('progress' in m) {
          set({ read: m.progress.read });
          // The worklist fills in while a large set is read, without re-listing on every file.
          if (pendingPublish && Date.now() - lastPublish > 1000) publish();
        } else {
          w.removeEventListener('message', listener);
          w.removeEventListener('error', onError);
          if (pendingPublish) publish();
          const missing = dicomdirs.flatMap((d) =>
            d.referenced
              .map((ref) => d.folder + ref)
              .filter((p) => {
                const n = normalise(p);
                return !seen.has(n) && !unlisted.some((folder) => n.startsWith(folder));
              }),
          );
          set({ status: 'done', dicomdirMissing: missing, dicomdirListed: dicomdirs.reduce((n, d) => n + d.referenced.length, 0) });
          resolve();
        }
      };
      w.addEventListener('message', listener);
      // The reader itself failed (out of memory on a huge file): what was read stays, the rest is reported, and the
      // next batch gets a fresh worker.
      const onError = (e: ErrorEvent | MessageEvent) => {
        w.removeEventListener('message', listener);
        w.removeEventListener('error', onError);
        w.terminate();
        if (worker === w) worker = undefined;
        if (pendingPublish) publish();
        const reason = `reading stopped after ${get().read} of ${items.length} files (${'message' in e && typeof e.message === 'string' ? e.message : 'the reader failed'})`;
        set((s) => ({ status: 'done', skipped: [...s.skipped, { path: items[get().read]?.path ?? '', why: 'unreadable', reason }] }));
        resolve();
      };
      w.addEventListener('error', onError);
      const request: ReadRequest = { id, items };
      w.postMessage(request);
    });
  },

  clear: () => {
    localIndex.clear();
    const { config, clients } = useConfigStore.getState();
    if (config) {
      const rest = { ...clients };
      delete rest[LOCAL_SOURCE_NAME];
      useConfigStore.setState({ config: { ...config, dataSources: config.dataSources.filter((d) => d.name !== LOCAL_SOURCE_NAME) }, clients: rest });
    }
    set({ status: 'idle', read: 0, total: 0, added: 0, skipped: [], warnings: [], dicomdirMissing: [], dicomdirListed: 0, revision: get().revision + 1 });
  },
}));

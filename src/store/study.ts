import { create } from 'zustand';
import { buildDisplaySet, sortSeries } from '../model/displaySet';
import { instanceFromMetadata, seriesFromQido, studyFromQido } from '../model/parse';
import type { DisplaySet, SeriesSummary, StudySummary } from '../model/types';
import type { DicomJson } from '../dicomweb/json';
import { clientFor } from './config';

export interface StudyEntry {
  status: 'loading' | 'ready' | 'error';
  summary?: StudySummary;
  error?: string;
}

export interface SeriesEntry {
  summary: SeriesSummary;
  status: 'pending' | 'loading' | 'ready' | 'error';
  displaySet?: DisplaySet;
  error?: string;
}

export interface SeriesProgress {
  loaded: number;
  failed: number;
  total: number;
}

/** The studies open in the viewer (C-MOVE/C-GET): their series and each series' instances in display order. */
interface StudyState {
  dataSource: string;
  studyUIDs: string[];
  studies: Record<string, StudyEntry>;
  /** Series UIDs per study, in panel order. */
  seriesOrder: Record<string, string[]>;
  series: Record<string, SeriesEntry>;
  progress: Record<string, SeriesProgress>;
  open: (dataSource: string, studyUIDs: string[], firstSeries?: string) => Promise<void>;
  loadSeries: (seriesUID: string) => Promise<DisplaySet | undefined>;
  setProgress: (seriesUID: string, progress: SeriesProgress) => void;
  /** A series the viewer itself stored (a measurement report): listed at once, without searching again. */
  addSeries: (summary: SeriesSummary) => void;
}

const inflight = new Map<string, Promise<DisplaySet | undefined>>();
/** Metadata requested before the series list arrived (a deep link naming its series), by series UID. */
const early = new Map<string, Promise<DicomJson[]>>();
let openController: AbortController | undefined;
let current: { key: string; client: unknown; promise: Promise<void> } | undefined;

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export const useStudyStore = create<StudyState>((set, get) => ({
  dataSource: '',
  studyUIDs: [],
  studies: {},
  seriesOrder: {},
  series: {},
  progress: {},

  open: (dataSource, studyUIDs, firstSeries) => {
    // Opening what is already open (the app starts loading before the viewer's code has arrived, and the
    // viewer asks again when it mounts) reuses that load.
    const key = JSON.stringify([dataSource, studyUIDs, firstSeries ?? null]);
    const client = clientFor(dataSource);
    const failed = Object.values(get().studies).some((st) => st.status === 'error');
    if (current && current.key === key && current.client === client && !failed) return current.promise;
    const promise = openStudies(dataSource, studyUIDs, firstSeries);
    current = { key, client, promise };
    return promise;
  },
  loadSeries: (seriesUID) => {
    const entry = get().series[seriesUID];
    if (!entry) return Promise.resolve(undefined);
    if (entry.status === 'ready') return Promise.resolve(entry.displaySet);
    const running = inflight.get(seriesUID);
    if (running) return running;
    const client = clientFor(get().dataSource);
    if (!client) return Promise.resolve(undefined);
    const signal = openController?.signal;
    const update = (patch: Partial<SeriesEntry>) =>
      set((s) => {
        const current = s.series[seriesUID];
        return current ? { series: { ...s.series, [seriesUID]: { ...current, ...patch } } } : {};
      });
    update({ status: 'loading', error: undefined });
    const request = early.get(seriesUID) ?? client.retrieveSeriesMetadata(entry.summary.studyInstanceUID, seriesUID, signal);
    early.delete(seriesUID);
    const promise = request
      .then(async (metadata) => {
        await client.resolvePaletteLuts(metadata, signal);
        const displaySet = buildDisplaySet(entry.summary, metadata.map(instanceFromMetadata));
        update({ status: 'ready', displaySet });
        return displaySet;
      })
      .catch((e: unknown) => {
        if (!signal?.aborted) update({ status: 'error', error: message(e) });
        return undefined;
      })
      .finally(() => inflight.delete(seriesUID));
    inflight.set(seriesUID, promise);
    return promise;
  },

  setProgress: (seriesUID, progress) => set((s) => ({ progress: { ...s.progress, [seriesUID]: progress } })),
  addSeries: (summary) =>
    set((s) => {
      const uid = summary.seriesInstanceUID;
      const order = s.seriesOrder[summary.studyInstanceUID] ?? [];
      const existing = s.series[uid];
      return {
        seriesOrder: order.includes(uid) ? s.seriesOrder : { ...s.seriesOrder, [summary.studyInstanceUID]: [...order, uid] },
        series: { ...s.series, [uid]: existing ? { ...existing, summary } : { summary, status: 'pending' } },
      };
    }),
}));

async function openStudies(dataSource: string, studyUIDs: string[], firstSeries?: string): Promise<void> {
  const set = useStudyStore.setState;
  const get = useStudyStore.getState;
  openController?.abort();
  const controller = new AbortController();
  openController = controller;
  inflight.clear();
  early.clear();
  set({
    dataSource,
    studyUIDs,
    studies: Object.fromEntries(studyUIDs.map((uid) => [uid, { status: 'loading' } as StudyEntry])),
    seriesOrder: {},
    series: {},
    progress: {},
  });
  const client = clientFor(dataSource);
  if (!client) {
    const error =
      dataSource === 'local'
        ? 'These were files opened from this computer: the browser forgets them on reload (nothing was uploaded). Open them again from the study list.'
        : `Unknown data source "${dataSource}"`;
    set({ studies: Object.fromEntries(studyUIDs.map((uid) => [uid, { status: 'error', error } as StudyEntry])) });
    return;
  }
  // A link naming one study and its series: fetch that series' metadata alongside the searches, saving a
  // round trip before the first image.
  if (firstSeries && studyUIDs.length === 1) {
    const pending = client.retrieveSeriesMetadata(studyUIDs[0]!, firstSeries, controller.signal);
    pending.catch(() => {}); // loadSeries reports failures; this copy must not be an unhandled rejection
    early.set(firstSeries, pending);
  }
  // Study record and series list in parallel for every study; series metadata right after.
  await Promise.all(
    studyUIDs.map(async (uid) => {
      const [studyResult, seriesResult] = await Promise.allSettled([
        client.findStudy(uid, controller.signal),
        client.searchSeries(uid, controller.signal),
      ]);
      if (controller.signal.aborted) return;
      if (seriesResult.status === 'rejected') {
        set((s) => ({ studies: { ...s.studies, [uid]: { status: 'error', error: message(seriesResult.reason) } } }));
        return;
      }
      const seriesList = sortSeries(seriesResult.value.map((d) => seriesFromQido(d, uid)));
      const summary = studyResult.status === 'fulfilled' && studyResult.value ? studyFromQido(studyResult.value) : undefined;
      if (!summary && seriesList.length === 0) {
        set((s) => ({
          studies: {
            ...s.studies,
            [uid]: {
              status: 'error',
              error:
                studyResult.status === 'rejected'
                  ? message(studyResult.reason)
                  : `Study ${uid} was not found on data source "${dataSource}"`,
            },
          },
        }));
        return;
      }
      set((s) => ({
        studies: { ...s.studies, [uid]: { status: 'ready', summary } },
        seriesOrder: { ...s.seriesOrder, [uid]: seriesList.map((x) => x.seriesInstanceUID) },
        series: {
          ...s.series,
          ...Object.fromEntries(seriesList.map((x) => [x.seriesInstanceUID, { summary: x, status: 'pending' } as SeriesEntry])),
        },
      }));
    }),
  );
  if (controller.signal.aborted) return;
  // The series that will be shown first gets its metadata before the others.
  const all = get().studyUIDs.flatMap((uid) => get().seriesOrder[uid] ?? []);
  const first = firstSeries && all.includes(firstSeries) ? firstSeries : all[0];
  if (first) await get().loadSeries(first);
  const rest = all.filter((uid) => uid !== first);
  const workers = Array.from({ length: 3 }, async () => {
    for (let uid = rest.shift(); uid; uid = rest.shift()) {
      if (controller.signal.aborted) return;
      await get().loadSeries(uid);
    }
  });
  await Promise.all(workers);

}

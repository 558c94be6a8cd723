import { create } from 'zustand';
import { buildDisplaySet, sortSeries } from '../model/displaySet';
import { instanceFromMetadata, seriesFromQido, studyFromQido } from '../model/parse';
import { priorsOf } from '../model/priors';
import type { DisplaySet, SeriesSummary, StudySummary } from '../model/types';
import type { DicomJson } from '../dicom/json';
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
  /** Made by the viewer from other series (a key-image stack): shown in viewports, not listed as a series. */
  derived?: true;
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
  /** A display set the viewer made from the open series (a key-image stack), under its own key, ready to show. */
  addDerivedSet: (displaySet: DisplaySet) => void;
  /** The patient's other studies on the same data source (the first open study is the current one). */
  priors: PriorsState;
  /** Opens more studies beside those open (priors to compare): their series join the panel (resolves when listed). */
  addStudies: (studyUIDs: string[], expectedCurrent?: string) => Promise<void>;
}

export interface PriorsState {
  status: 'idle' | 'loading' | 'ready' | 'error';
  studies: StudySummary[];
  error?: string;
  /** What the last "compare with prior" found to say (no prior, no matching series). */
  note?: string;
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
  priors: { status: 'idle', studies: [] },

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

  addStudies: async (studyUIDs, expectedCurrent) => {
    const { dataSource, studyUIDs: open } = get();
    // Asked for beside a study that is no longer the open one: refused (another patient's studies are open now).
    if (expectedCurrent !== undefined && open[0] !== expectedCurrent) return;
    const client = clientFor(dataSource);
    const adding = studyUIDs.filter((uid) => !open.includes(uid));
    if (!client || adding.length === 0 || !openController) return;
    const signal = openController.signal;
    set((s) => ({
      studyUIDs: [...s.studyUIDs, ...adding],
      studies: { ...s.studies, ...Object.fromEntries(adding.map((uid) => [uid, { status: 'loading' } as StudyEntry])) },
      priors: { ...s.priors, studies: s.priors.studies.filter((p) => !adding.includes(p.studyInstanceUID)) },
    }));
    await loadStudyRecords(adding, dataSource, signal);
    // Resolves once the series are listed; their metadata follows.
    void loadMetadata(adding.flatMap((uid) => get().seriesOrder[uid] ?? []), signal);
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
  addDerivedSet: (displaySet) =>
    set((s) => ({
      series: { ...s.series, [displaySet.series.seriesInstanceUID]: { summary: displaySet.series, status: 'ready', displaySet, derived: true } },
    })),
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
    priors: { status: 'idle', studies: [] },
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
  await loadStudyRecords(studyUIDs, dataSource, controller.signal);
  if (controller.signal.aborted) return;
  // The series that will be shown first gets its metadata before the others.
  const all = get().studyUIDs.flatMap((uid) => get().seriesOrder[uid] ?? []);
  const first = firstSeries && all.includes(firstSeries) ? firstSeries : all[0];
  const metadata = loadMetadata(first ? [first, ...all.filter((uid) => uid !== first)] : all, controller.signal);
  // The patient's other studies are looked for once the first series is on its way, not before it.
  void (first ? get().loadSeries(first) : Promise.resolve()).then(() => findPriors(dataSource, controller.signal));
  await metadata;
}

/** Each study's record and series list (in parallel), into the store. */
async function loadStudyRecords(studyUIDs: string[], dataSource: string, signal: AbortSignal): Promise<void> {
  const set = useStudyStore.setState;
  const client = clientFor(dataSource);
  if (!client) return;
  await Promise.all(
    studyUIDs.map(async (uid) => {
      const [studyResult, seriesResult] = await Promise.allSettled([
        client.findStudy(uid, signal),
        client.searchSeries(uid, signal),
      ]);
      if (signal.aborted) return;
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
}

/** Series metadata, the first in the list first, then three at a time. */
async function loadMetadata(seriesUIDs: string[], signal: AbortSignal): Promise<void> {
  const get = useStudyStore.getState;
  const [first, ...rest] = seriesUIDs;
  if (first) await get().loadSeries(first);
  const workers = Array.from({ length: 3 }, async () => {
    for (let uid = rest.shift(); uid; uid = rest.shift()) {
      if (signal.aborted) return;
      await get().loadSeries(uid);
    }
  });
  await Promise.all(workers);
}

/** The patient's other studies (QIDO by Patient ID on the same source), newest first. */
async function findPriors(dataSource: string, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return;
  const { studyUIDs, studies } = useStudyStore.getState();
  const current = studies[studyUIDs[0] ?? '']?.summary;
  const client = clientFor(dataSource);
  if (!current?.patientId || !client) return;
  useStudyStore.setState({ priors: { status: 'loading', studies: [] } });
  try {
    const { studies: found } = await client.searchStudies({ patientId: current.patientId }, { limit: 100, offset: 0 }, signal);
    if (signal.aborted) return;
    const open = useStudyStore.getState().studyUIDs;
    useStudyStore.setState({ priors: { status: 'ready', studies: priorsOf(current, found.map(studyFromQido), open) } });
  } catch (e) {
    if (!signal.aborted) useStudyStore.setState({ priors: { status: 'error', studies: [], error: message(e) } });
  }
}

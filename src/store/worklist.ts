import { create } from 'zustand';
import type { StudyQuery } from '../dicomweb/qido';
import { seriesFromQido, studyFromQido } from '../model/parse';
import { sortSeries } from '../model/displaySet';
import { sortStudies, type SortDirection, type StudySortKey } from '../model/studySort';
import type { SeriesSummary, StudySummary } from '../model/types';
import { clientFor, useConfigStore } from './config';

export interface ExpandedStudy {
  status: 'loading' | 'ready' | 'error';
  series: SeriesSummary[];
  error?: string;
}

/**
 * The study search (C-FIND). Filters live only in memory: they are PHI and never go into the URL or storage.
 */
interface WorklistState {
  dataSource: string;
  filters: StudyQuery;
  page: number;
  sortKey: StudySortKey;
  sortDir: SortDirection;
  status: 'idle' | 'loading' | 'ready' | 'error';
  error?: string;
  /** Rows of the current page in server order; `sorted()` gives display order. */
  rows: StudySummary[];
  hasMore: boolean;
  /** False for a quick search on a QIDO server: one merged list, no further pages (hasMore: more match). */
  pageable: boolean;
  total?: number;
  expanded: Record<string, ExpandedStudy>;
  /** Set when the list shows a launch's studies (another system asked for a patient): what it shows, for the reader. */
  launched?: string;
  /** Shows studies a launch resolved (app/launch.ts) as the list, on that source, until the next search. */
  showLaunched: (dataSource: string, filters: StudyQuery, studies: StudySummary[], note: string) => void;
  setDataSource: (name: string) => void;
  setFilters: (filters: StudyQuery) => void;
  search: (page?: number) => Promise<void>;
  setSort: (key: StudySortKey) => void;
  toggleExpanded: (studyInstanceUID: string) => Promise<void>;
}

let searchController: AbortController | undefined;

export const useWorklistStore = create<WorklistState>((set, get) => ({
  dataSource: '',
  filters: {},
  page: 0,
  sortKey: 'studyDate',
  sortDir: 'desc',
  status: 'idle',
  rows: [],
  hasMore: false,
  pageable: true,
  expanded: {},
  setDataSource: (name) => {
    set({ dataSource: name, rows: [], expanded: {}, page: 0, total: undefined, hasMore: false, status: 'idle', launched: undefined });
    void get().search(0);
  },
  setFilters: (filters) => set({ filters }),
  showLaunched: (dataSource, filters, studies, note) => {
    searchController?.abort();
    set({ dataSource, filters, rows: studies, status: 'ready', error: undefined, page: 0, hasMore: false, pageable: false, total: studies.length, expanded: {}, launched: note });
  },
  search: async (page = 0) => {
    const client = clientFor(get().dataSource);
    const pageSize = useConfigStore.getState().config?.worklistPageSize ?? 50;
    if (!client) return;
    searchController?.abort();
    const controller = new AbortController();
    searchController = controller;
    set({ status: 'loading', error: undefined, page, launched: undefined });
    try {
      const result = await client.searchStudies(get().filters, { limit: pageSize, offset: page * pageSize }, controller.signal);
      if (controller.signal.aborted) return;
      set({
        status: 'ready',
        rows: result.studies.map(studyFromQido),
        hasMore: result.hasMore,
        pageable: result.pageable,
        total: result.total,
        expanded: {},
      });
    } catch (e) {
      if (controller.signal.aborted) return;
      set({ status: 'error', error: e instanceof Error ? e.message : String(e), rows: [], hasMore: false, total: undefined });
    }
  },
  setSort: (key) => {
    const { sortKey, sortDir } = get();
    set({ sortKey: key, sortDir: sortKey === key && sortDir === 'asc' ? 'desc' : sortKey === key ? 'asc' : key === 'studyDate' ? 'desc' : 'asc' });
  },
  toggleExpanded: async (uid) => {
    const { expanded, dataSource } = get();
    if (expanded[uid]) {
      const { [uid]: _closed, ...rest } = expanded;
      set({ expanded: rest });
      return;
    }
    const client = clientFor(dataSource);
    if (!client) return;
    set({ expanded: { ...get().expanded, [uid]: { status: 'loading', series: [] } } });
    try {
      const series = sortSeries((await client.searchSeries(uid)).map((s) => seriesFromQido(s, uid)));
      if (get().expanded[uid]) set({ expanded: { ...get().expanded, [uid]: { status: 'ready', series } } });
    } catch (e) {
      if (get().expanded[uid]) {
        set({
          expanded: { ...get().expanded, [uid]: { status: 'error', series: [], error: e instanceof Error ? e.message : String(e) } },
        });
      }
    }
  },
}));

/** Rows of the current page in the chosen order. */
export function sortedRows(state: Pick<WorklistState, 'rows' | 'sortKey' | 'sortDir'>): StudySummary[] {
  return sortStudies(state.rows, state.sortKey, state.sortDir);
}

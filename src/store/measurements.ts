import { create } from 'zustand';
import type { Measurement } from '../model/measurements';

export type SaveStatus =
  | { state: 'idle' }
  | { state: 'saving'; count: number }
  | { state: 'saved'; count: number; seriesNumber: number }
  | { state: 'error'; message: string };

export type ReportStatus = { state: 'loading' } | { state: 'loaded'; restored: number; skipped: number } | { state: 'error'; message: string };

/** The session's report series: every save adds an instance to it. */
export interface ReportSeries {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  seriesNumber: number;
  nextInstanceNumber: number;
}

/** What was saved (or loaded from a report) of a measurement, to tell unsaved changes apart. */
const fingerprint = (m: Measurement) =>
  `${m.kind}|${m.label}|${m.sopInstanceUID}:${m.frameNumber}|${m.geometry ?? ''}|${m.values.map((v) => v.value.toFixed(2)).join(',')}`;

/**
 * The session's measurements as the measurement panel shows them (a copy of the drawing layer's state, which
 * the viewer keeps in sync), whether they are saved, and the state of saving and of opened reports.
 */
interface MeasurementState {
  items: Measurement[];
  selected: string[];
  canUndo: boolean;
  canRedo: boolean;
  /** uid → fingerprint at the last save of its study (or when restored from a report), and that study. */
  saved: Record<string, { fingerprint: string; study: string }>;
  /** Restored from a report but not yet measured on screen: saved as soon as their values are known. */
  restoredPending: string[];
  save: SaveStatus;
  /** By study UID. */
  reportSeries: Record<string, ReportSeries>;
  /** By SR series UID. */
  reports: Record<string, ReportStatus>;
  sync: (s: { measurements: Measurement[]; selected: string[]; canUndo: boolean; canRedo: boolean }) => void;
  /** The study's report now holds exactly these measurements, as they were when sent. */
  markSaved: (studyUID: string, sent: Measurement[]) => void;
  markRestored: (uids: string[]) => void;
  setSave: (save: SaveStatus) => void;
  setReportSeries: (series: ReportSeries) => void;
  setReport: (seriesUID: string, status: ReportStatus) => void;
  reset: () => void;
}

const initial = {
  items: [] as Measurement[],
  selected: [] as string[],
  canUndo: false,
  canRedo: false,
  saved: {} as Record<string, { fingerprint: string; study: string }>,
  restoredPending: [] as string[],
  save: { state: 'idle' } as SaveStatus,
  reportSeries: {} as Record<string, ReportSeries>,
  reports: {} as Record<string, ReportStatus>,
};

export const useMeasurementStore = create<MeasurementState>((set) => ({
  ...initial,
  sync: ({ measurements, selected, canUndo, canRedo }) =>
    set((s) => {
      if (s.restoredPending.length === 0) return { items: measurements, selected, canUndo, canRedo };
      const saved = { ...s.saved };
      const pending = s.restoredPending.filter((uid) => {
        const m = measurements.find((x) => x.uid === uid);
        if (!m || (m.values.length === 0 && m.kind !== 'ArrowAnnotate' && m.kind !== 'Label')) return true;
        saved[uid] = { fingerprint: fingerprint(m), study: m.studyInstanceUID };
        return false;
      });
      return { items: measurements, selected, canUndo, canRedo, saved, restoredPending: pending };
    }),
  markSaved: (studyUID, sent) =>
    set((s) => {
      const saved = Object.fromEntries(Object.entries(s.saved).filter(([, v]) => v.study !== studyUID));
      for (const m of sent) saved[m.uid] = { fingerprint: fingerprint(m), study: studyUID };
      return { saved };
    }),
  markRestored: (uids) =>
    set((s) => {
      const saved = { ...s.saved };
      for (const uid of uids) saved[uid] = { fingerprint: '', study: s.items.find((m) => m.uid === uid)?.studyInstanceUID ?? '' };
      return { restoredPending: [...new Set([...s.restoredPending, ...uids])], saved };
    }),
  setSave: (save) => set({ save }),
  setReportSeries: (series) => set((s) => ({ reportSeries: { ...s.reportSeries, [series.studyInstanceUID]: series } })),
  setReport: (seriesUID, status) => set((s) => ({ reports: { ...s.reports, [seriesUID]: status } })),
  reset: () => set({ ...initial }),
}));

/**
 * Whether the session holds measurement changes the PACS does not have: new or edited measurements, or saved
 * ones deleted since. Measurements restored from a report count as saved.
 */
export function unsavedChanges(s: Pick<MeasurementState, 'items' | 'saved' | 'restoredPending'>): number {
  const present = new Set(s.items.map((m) => m.uid));
  let n = 0;
  for (const m of s.items) {
    if (s.restoredPending.includes(m.uid)) continue;
    if (s.saved[m.uid]?.fingerprint !== fingerprint(m)) n++;
  }
  for (const uid of Object.keys(s.saved)) if (!present.has(uid)) n++;
  return n;
}

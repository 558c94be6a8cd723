import { create } from 'zustand';
import type { SegmentInfo } from '../model/segmentation';

/**
 * Overlay sets: objects drawn over the images they refer to (a SEG's segments; an RTSTRUCT's ROIs), and how the
 * reader wants them shown. The imaging layer draws what this says (features/objects/SegmentationLayer binds the
 * two); Cornerstone's segmentation state holds the labelmaps themselves.
 */
export type OverlayKind = 'seg' | 'rtstruct';

export interface OverlaySet {
  /** The overlay object's series (one overlay set per series). */
  id: string;
  kind: OverlayKind;
  studyUID: string;
  /** The SOP Instance UID of the object drawn (the series' first of its kind). */
  sopInstanceUID: string;
  /** The images it is drawn over. */
  referencedSeriesUID: string;
  title: string;
  segments: SegmentInfo[];
  fractional: boolean;
  maxFractional?: number;
  status: 'loading' | 'ready' | 'error';
  error?: string;
}

/** The segment under the pointer in one viewport (by the viewport's Cornerstone id). */
export interface HoveredSegment {
  setId: string;
  segment: number;
  label: string;
}

interface SegmentationsState {
  sets: Record<string, OverlaySet>;
  /** Segments the reader hid, by set. */
  hidden: Record<string, number[]>;
  /** Fill opacity, 0…1 (outlines stay opaque). */
  opacity: number;
  /** Filled regions with their outline, or outlines only. */
  mode: 'fill' | 'outline';
  hovered: Record<string, HoveredSegment | undefined>;
  /** Shows an overlay set over its referenced series (again: nothing changes). */
  open: (set: Omit<OverlaySet, 'status'>) => void;
  setStatus: (id: string, status: OverlaySet['status'], error?: string) => void;
  close: (id: string) => void;
  toggleSegment: (id: string, segment: number) => void;
  /** Shows or hides every segment of a set. */
  setAllVisible: (id: string, visible: boolean) => void;
  setOpacity: (opacity: number) => void;
  setMode: (mode: 'fill' | 'outline') => void;
  setHovered: (viewportId: string, hovered: HoveredSegment | undefined) => void;
  reset: () => void;
}

const initial = { sets: {}, hidden: {}, opacity: 0.5, mode: 'fill' as const, hovered: {} };

export const useSegmentationStore = create<SegmentationsState>((set) => ({
  ...initial,
  open: (s) =>
    set((prev) => (prev.sets[s.id] ? {} : { sets: { ...prev.sets, [s.id]: { ...s, status: 'loading' } } })),
  setStatus: (id, status, error) =>
    set((prev) => {
      const s = prev.sets[id];
      return s ? { sets: { ...prev.sets, [id]: { ...s, status, error } } } : {};
    }),
  close: (id) =>
    set((prev) => {
      const { [id]: _gone, ...sets } = prev.sets;
      const { [id]: _hidden, ...hidden } = prev.hidden;
      return { sets, hidden };
    }),
  toggleSegment: (id, segment) =>
    set((prev) => {
      const now = prev.hidden[id] ?? [];
      return { hidden: { ...prev.hidden, [id]: now.includes(segment) ? now.filter((n) => n !== segment) : [...now, segment] } };
    }),
  setAllVisible: (id, visible) =>
    set((prev) => ({ hidden: { ...prev.hidden, [id]: visible ? [] : (prev.sets[id]?.segments.map((s) => s.number) ?? []) } })),
  setOpacity: (opacity) => set({ opacity: Math.min(1, Math.max(0, opacity)) }),
  setMode: (mode) => set({ mode }),
  setHovered: (viewportId, hovered) =>
    set((prev) => {
      const was = prev.hovered[viewportId];
      if (was?.setId === hovered?.setId && was?.segment === hovered?.segment) return {};
      return { hovered: { ...prev.hovered, [viewportId]: hovered } };
    }),
  reset: () => set(initial),
}));

/** The overlay sets drawn over a series. */
export function setsOver(sets: Record<string, OverlaySet>, seriesUID: string | undefined): OverlaySet[] {
  return seriesUID ? Object.values(sets).filter((s) => s.referencedSeriesUID === seriesUID) : [];
}

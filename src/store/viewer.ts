import { create } from 'zustand';
import type { MeasurementKind } from '../model/measurements';
import { useViewStates } from './viewStates';

export interface Layout {
  rows: number;
  cols: number;
}

export const LAYOUTS: Layout[] = [
  { rows: 1, cols: 1 },
  { rows: 1, cols: 2 },
  { rows: 2, cols: 1 },
  { rows: 2, cols: 2 },
  { rows: 1, cols: 3 },
  { rows: 2, cols: 3 },
  { rows: 3, cols: 3 },
];

export type PrimaryToolName = 'windowLevel' | 'pan' | 'zoom' | 'scroll' | MeasurementKind;

export interface SyncSettings {
  /** Scroll by position: series in one frame of reference always, others once linked. */
  scroll: boolean;
  windowLevel: boolean;
  zoomPan: boolean;
  /** The active viewport's plane drawn on the others. */
  referenceLines: boolean;
}

export interface WindowSetting {
  center: number;
  width: number;
}

const NAVIGATION = new Set<PrimaryToolName>(['windowLevel', 'pan', 'zoom', 'scroll']);

/** W/L, pan, zoom and scroll: tools that draw nothing (and leave double-clicks free). */
export const isNavigationTool = (tool: PrimaryToolName): boolean => NAVIGATION.has(tool);

export interface ViewportSlot {
  /** The series shown; undefined for an empty viewport. */
  seriesInstanceUID?: string;
  /** Image to start at when the series is first shown. */
  initialIndex?: number;
  /** Window to show it with (carried over from MPR), instead of the image's own. */
  initialWindow?: WindowSetting;
}

/** Layout of the viewer: the grid, which series each viewport shows, the active viewport and tool. */
interface ViewerState {
  layout: Layout;
  slots: ViewportSlot[];
  active: number;
  primaryTool: PrimaryToolName;
  /** The reader's cine rate: for stacks without a timing of their own, and for all when `cineFileRate` is off. */
  cineFps: number;
  /** Cine plays multi-frame loops at their files' own timing (frame time or frame time vector); on by default. */
  cineFileRate: boolean;
  /**
   * The series shown in MPR (three planes) instead of the grid, and the image of the stack it was opened from
   * (where its crosshairs start; −1: the volume's centre); undefined shows the stack grid.
   */
  mpr?: {
    seriesInstanceUID: string;
    fromIndex: number;
    viewport: number;
    window?: WindowSetting;
    with3d?: boolean;
    /** A point (patient mm) the planes should cross at (a measurement to show); each new value moves them. */
    center?: [number, number, number];
  };
  openMpr: (seriesUID: string, fromIndex: number, viewport: number, window?: WindowSetting, with3d?: boolean, center?: [number, number, number]) => void;
  /** Moves the open MPR's planes to cross at a point. */
  centerMpr: (point: [number, number, number]) => void;
  /** Switches an open MPR between 1×3 and 2×2 with a 3D view. */
  setMpr3d: (with3d: boolean) => void;
  /**
   * Back to the grid; the viewport MPR was opened from shows `index` (the slice at the crosshairs) in `window`,
   * and other viewports of the series that slice in their own windows.
   */
  closeMpr: (index?: number, window?: WindowSetting) => void;
  /** Viewing only (config or link): nothing can be drawn, edited or saved. */
  readOnly: boolean;
  setReadOnly: (readOnly: boolean) => void;
  setLayout: (layout: Layout) => void;
  /**
   * The viewport shown alone (1×1) over the layout, which stays as it was for the way back; undefined shows the
   * grid. Any change of layout ends it.
   */
  maximized?: number;
  toggleMaximized: (viewport: number) => void;
  /** A shared view (link): its layout and what each viewport shows. */
  restoreView: (layout: Layout, slots: ViewportSlot[]) => void;
  /** Empties viewports showing a series not among `known` (a shared link naming a series of another study). */
  dropUnknown: (known: string[]) => void;
  /** Fills empty viewports with the given series, in order, skipping series already shown. */
  fillEmpty: (seriesUIDs: string[]) => void;
  showSeries: (viewport: number, seriesUID: string, initialIndex?: number) => void;
  setActive: (viewport: number) => void;
  /** What moves together between viewports (see app/sync.ts). */
  sync: SyncSettings;
  setSync: (patch: Partial<SyncSettings>) => void;
  /**
   * Series linked across frames of reference (current ↔ prior) with the offset (mm along the first's slice
   * normal) that lines their anatomy up; key `${seriesA}|${seriesB}`, stored both ways (the reverse negated).
   */
  links: Record<string, number>;
  setLinks: (links: Record<string, number>) => void;
  /**
   * Viewports a hanging protocol put in one sync group, by group: series in different frames of reference among
   * them are linked (centre on centre) once loaded, as if the reader had pressed Link.
   */
  syncGroups: number[][];
  /** The hanging protocol shown (app/protocols.ts), when one hung the studies. */
  protocol?: { id: string; name: string };
  /** The reader's protocol choice per modality, for this session (memory only). */
  protocolChoices: Record<string, string>;
  rememberProtocol: (modality: string, protocolId: string) => void;
  setPrimaryTool: (tool: PrimaryToolName) => void;
  /** Sets the reader's cine rate, which then overrides the files' own timing. */
  setCineFps: (fps: number) => void;
  setCineFileRate: (on: boolean) => void;
  reset: () => void;
}

const initial = { layout: LAYOUTS[0]!, slots: [{}], active: 0, primaryTool: 'windowLevel' as PrimaryToolName, cineFps: 15, cineFileRate: true };

export const useViewerStore = create<ViewerState>((set) => ({
  ...initial,
  setLayout: (layout) =>
    set((s) => {
      const n = layout.rows * layout.cols;
      const slots = Array.from({ length: n }, (_, i) => s.slots[i] ?? {});
      return { layout, slots, active: Math.min(s.active, n - 1), maximized: undefined };
    }),
  toggleMaximized: (viewport) =>
    set((s) => {
      if (s.maximized !== undefined) return { maximized: undefined };
      // One viewport is alone already: nothing to maximize.
      if (s.slots.length < 2 || viewport < 0 || viewport >= s.slots.length) return {};
      return { maximized: viewport, active: viewport };
    }),
  restoreView: (layout, slots) =>
    set({ layout, slots: Array.from({ length: layout.rows * layout.cols }, (_, i) => slots[i] ?? {}), active: 0, maximized: undefined }),
  dropUnknown: (known) =>
    set((s) => {
      const ok = new Set(known);
      if (s.slots.every((slot) => !slot.seriesInstanceUID || ok.has(slot.seriesInstanceUID))) return {};
      return { slots: s.slots.map((slot) => (slot.seriesInstanceUID && !ok.has(slot.seriesInstanceUID) ? {} : slot)) };
    }),
  fillEmpty: (seriesUIDs) =>
    set((s) => {
      const shown = new Set(s.slots.map((x) => x.seriesInstanceUID).filter(Boolean));
      const queue = seriesUIDs.filter((uid) => !shown.has(uid));
      if (queue.length === 0 || s.slots.every((slot) => slot.seriesInstanceUID)) return {};
      const slots = s.slots.map((slot) => (slot.seriesInstanceUID || queue.length === 0 ? slot : { seriesInstanceUID: queue.shift() }));
      return { slots };
    }),
  // Another series in a viewport ends the links and pending sync groups (they were between the series shown).
  showSeries: (viewport, seriesUID, initialIndex) =>
    set((s) => ({
      slots: s.slots.map((slot, i) => (i === viewport ? { seriesInstanceUID: seriesUID, initialIndex } : slot)),
      active: viewport,
      ...(s.slots[viewport]?.seriesInstanceUID === seriesUID ? {} : { links: {}, syncGroups: [] }),
    })),
  // With one viewport shown alone, making another active shows that one alone (next viewport, a measurement's).
  setActive: (viewport) => set((s) => (s.maximized !== undefined ? { active: viewport, maximized: viewport } : { active: viewport })),
  sync: { scroll: true, windowLevel: false, zoomPan: false, referenceLines: false },
  setSync: (patch) => set((s) => ({ sync: { ...s.sync, ...patch } })),
  links: {},
  setLinks: (links) => set({ links }),
  protocolChoices: {},
  syncGroups: [],
  rememberProtocol: (modality, protocolId) => set((s) => ({ protocolChoices: { ...s.protocolChoices, [modality]: protocolId } })),
  setPrimaryTool: (primaryTool) => set({ primaryTool }),
  readOnly: false,
  mpr: undefined,
  openMpr: (seriesInstanceUID, fromIndex, viewport, window, with3d, center) =>
    set((s) => {
      // MPR takes the grid's place: each viewport comes back where the reader left it (image and window), not at
      // its first image.
      const views = useViewStates.getState().states;
      const slots = s.slots.map((slot, i) => {
        const v = views[i];
        if (!slot.seriesInstanceUID || v?.status !== 'ready') return slot;
        const shown = v.windowWidth !== undefined ? { center: v.windowCenter ?? 0, width: v.windowWidth } : slot.initialWindow;
        return { ...slot, initialIndex: v.imageIndex, initialWindow: shown };
      });
      return { slots, mpr: { seriesInstanceUID, fromIndex, viewport, window, with3d, center }, maximized: undefined };
    }),
  centerMpr: (point) => set((s) => (s.mpr ? { mpr: { ...s.mpr, center: [...point] } } : {})),
  setMpr3d: (with3d) => set((s) => (s.mpr ? { mpr: { ...s.mpr, with3d } } : {})),
  closeMpr: (index, window) =>
    set((s) => {
      if (!s.mpr) return {};
      const { viewport, seriesInstanceUID } = s.mpr;
      // The viewport MPR was opened from shows the slice at the crosshairs in MPR's window; the others that show
      // the series (a protocol hangs one series twice, in two windows) the same slice, each in its own window.
      const slots = s.slots.map((slot, i) => {
        if (index === undefined) return slot;
        if (i === viewport) return { seriesInstanceUID, initialIndex: index, initialWindow: window ?? slot.initialWindow };
        return slot.seriesInstanceUID === seriesInstanceUID ? { ...slot, initialIndex: index } : slot;
      });
      return { mpr: undefined, slots, active: viewport };
    }),
  setReadOnly: (readOnly) => set((s) => ({ readOnly, primaryTool: readOnly && !NAVIGATION.has(s.primaryTool) ? 'windowLevel' : s.primaryTool })),
  setCineFps: (cineFps) => set({ cineFps: Math.min(60, Math.max(1, Math.round(cineFps))), cineFileRate: false }),
  setCineFileRate: (cineFileRate) => set({ cineFileRate }),
  // The protocol choices stay: they are the reader's, for the session.
  reset: () => set({ ...initial, slots: [{}], mpr: undefined, maximized: undefined, links: {}, protocol: undefined, syncGroups: [] }),
}));

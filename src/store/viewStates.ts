import { create } from 'zustand';
import type { ViewState } from '../model/viewState';

/**
 * What each stack viewport reports from the imaging layer (its StackController), by viewport index: for overlays,
 * the toolbar, share links and viewport sync. Cornerstone is the truth for these; this is the app's copy.
 */
export const useViewStates = create<{ states: Record<number, ViewState>; set: (i: number, s: ViewState) => void }>(
  (set) => ({
    states: {},
    set: (i, s) => set((prev) => ({ states: { ...prev.states, [i]: s } })),
  }),
);

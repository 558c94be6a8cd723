import { createContext, useContext } from 'react';
import { create } from 'zustand';
import type { StackController, ViewState } from '../../imaging';

/** What each viewport reports from the imaging layer, for overlays and the toolbar. */
export const useViewStates = create<{ states: Record<number, ViewState>; set: (i: number, s: ViewState) => void }>(
  (set) => ({
    states: {},
    set: (i, s) => set((prev) => ({ states: { ...prev.states, [i]: s } })),
  }),
);

/** The viewer's stack controllers by viewport index; provided by ViewerPage, used by commands. */
export const ControllersContext = createContext<Map<number, StackController>>(new Map());
export const useControllers = () => useContext(ControllersContext);

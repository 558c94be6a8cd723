import { create } from 'zustand';
import { isLaunch, parseLaunch, type ParsedLaunch } from '../model/launch';

/** A launch request taken out of the address bar, waiting to be resolved. */
export interface PendingLaunch {
  /** The request as it came (path and query): only for the trip to the sign-in provider, in its request's state. */
  location: string;
  parsed: ParsedLaunch;
}

/**
 * The launch request from another system (model/launch.ts), in memory only: it holds a patient ID or accession
 * numbers, which never stay in the address bar, the history or storage. Dropped once resolved.
 */
interface LaunchState {
  pending?: PendingLaunch;
  /** Takes the request from a location when it is one; returns whether it was. */
  capture: (pathname: string, search: string) => boolean;
  clear: () => void;
}

export const useLaunchStore = create<LaunchState>((set) => ({
  capture: (pathname, search) => {
    const params = new URLSearchParams(search);
    if (!isLaunch(pathname, params)) return false;
    set({ pending: { location: pathname + search, parsed: parseLaunch(pathname, params) } });
    return true;
  },
  clear: () => set({ pending: undefined }),
}));

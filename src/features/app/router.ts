import { useMemo, useSyncExternalStore } from 'react';
import { isUid } from '../../model/uid';
import { VIEWER_PATH } from '../../routes';

/** A minimal History API router: two routes do not need a routing library. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());

/**
 * Asks before the reader leaves the current screen (unsaved work): returns the question to confirm, or
 * undefined to let them go. One at a time: the screen that is shown sets it.
 */
export type LeaveGuard = () => string | undefined;
let guard: LeaveGuard | undefined;
/** The location last shown, to return to when the reader stays after pressing the browser's Back. */
let shown = typeof window !== 'undefined' ? window.location.pathname + window.location.search : '';

/** Sets the leave guard; returns the function that removes it. */
export function setLeaveGuard(fn: LeaveGuard): () => void {
  guard = fn;
  return () => {
    if (guard === fn) guard = undefined;
  };
}

/** Whether the reader may leave now (asked when the guard has a question). */
function mayLeave(): boolean {
  const question = guard?.();
  return !question || window.confirm(question);
}

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    if (!mayLeave()) {
      // The browser has already stepped back: step forward again to what is still on screen.
      window.history.pushState(null, '', shown);
      return;
    }
    shown = window.location.pathname + window.location.search;
    notify();
  });
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

const snapshot = () => window.location.pathname + window.location.search;

/** The current path and query; re-renders on navigation. */
export function useLocation(): { pathname: string; search: URLSearchParams } {
  const current = useSyncExternalStore(subscribe, snapshot);
  // One object per distinct location, so effects that depend on it run only on navigation.
  return useMemo(() => {
    const url = new URL(current, window.location.origin);
    return { pathname: url.pathname, search: url.searchParams };
  }, [current]);
}

/** Goes to `to` unless the leave guard's question is declined; returns whether it went. */
export function navigate(to: string, replace = false): boolean {
  if (!mayLeave()) return false;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  shown = window.location.pathname + window.location.search;
  notify();
  return true;
}

/** A study link: UIDs only, never patient data. */
export function viewerLink(studyUIDs: string[], options: { seriesUID?: string; dataSource?: string; isDefaultSource?: boolean } = {}): string {
  const p = new URLSearchParams();
  for (const uid of studyUIDs) p.append('StudyInstanceUIDs', uid);
  if (options.seriesUID) p.set('SeriesInstanceUID', options.seriesUID);
  if (options.dataSource && !options.isDefaultSource) p.set('datasource', options.dataSource);
  return `${VIEWER_PATH}?${p}`;
}

/** The UIDs a viewer link asks for. */
export interface LinkUIDs {
  studyUIDs: string[];
  seriesUID?: string;
  /**
   * Values of StudyInstanceUIDs or SeriesInstanceUID that are not DICOM UIDs (`..`, `a/b`, over 64 characters…).
   * When there are any, the link is refused whole: `studyUIDs` is empty and `seriesUID` undefined, so nothing is
   * requested with a path built from what the link says.
   */
  invalid: string[];
}

/**
 * The UIDs of a viewer link: study UIDs as repeated parameters, or comma-separated as some systems send them, and
 * the series to show first. A link is user input that becomes request paths: every UID is checked (model/uid.ts).
 */
export function uidsFromLink(search: URLSearchParams): LinkUIDs {
  const studyUIDs = [...new Set(search.getAll('StudyInstanceUIDs').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
  const seriesUID = search.get('SeriesInstanceUID')?.trim() || undefined;
  const invalid = [...studyUIDs, ...(seriesUID === undefined ? [] : [seriesUID])].filter((uid) => !isUid(uid));
  return invalid.length ? { studyUIDs: [], invalid } : { studyUIDs, seriesUID, invalid };
}

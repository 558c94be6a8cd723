import { useMemo, useSyncExternalStore } from 'react';

/** A minimal History API router: two routes do not need a routing library. */
const listeners = new Set<() => void>();
const notify = () => listeners.forEach((l) => l());
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

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

export function navigate(to: string, replace = false): void {
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  notify();
}

/** A study link: UIDs only, never patient data. */
export function viewerLink(studyUIDs: string[], options: { seriesUID?: string; dataSource?: string; isDefaultSource?: boolean } = {}): string {
  const p = new URLSearchParams();
  for (const uid of studyUIDs) p.append('StudyInstanceUIDs', uid);
  if (options.seriesUID) p.set('SeriesInstanceUID', options.seriesUID);
  if (options.dataSource && !options.isDefaultSource) p.set('datasource', options.dataSource);
  return `/viewer?${p}`;
}

/** Study UIDs from a viewer link: repeated parameters, or comma-separated as some systems send them. */
export function studyUIDsFromLink(search: URLSearchParams): string[] {
  return [...new Set(search.getAll('StudyInstanceUIDs').flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean))];
}

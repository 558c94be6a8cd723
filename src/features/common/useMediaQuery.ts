import { useSyncExternalStore } from 'react';

/** Below this width the viewer is laid out for phones: one viewport, the series list as a sheet. */
export const PHONE_QUERY = '(max-width: 767px)';
/** A touch screen and no mouse or pen: one finger scrolls images by default (a swipe is what readers try first). */
export const TOUCH_ONLY_QUERY = '(pointer: coarse) and (not (any-pointer: fine))';

/** Whether a CSS media query matches now; re-renders when that changes (rotation, resizing). */
export function useMediaQuery(query: string): boolean {
  return useSyncExternalStore(
    (onChange) => {
      const list = window.matchMedia(query);
      list.addEventListener('change', onChange);
      return () => list.removeEventListener('change', onChange);
    },
    () => window.matchMedia(query).matches,
  );
}

export const matchesNow = (query: string): boolean => typeof window !== 'undefined' && window.matchMedia(query).matches;

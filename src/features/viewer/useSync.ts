import { useEffect } from 'react';
import { showReferenceLines, startViewportSync } from '../../app/sync';
import type { ImagingSession, StackController } from '../../imaging';
import { useViewerStore } from '../../store/viewer';

/** The viewer's wiring of viewport sync (app/sync.ts): started for its controllers; reference lines follow the store. */
export function useViewportSync(session: ImagingSession, controllers: Map<number, StackController>): void {
  useEffect(() => startViewportSync(controllers), [controllers]);

  const referenceLines = useViewerStore((s) => s.sync.referenceLines);
  const active = useViewerStore((s) => s.active);
  const mpr = useViewerStore((s) => !!s.mpr);
  useEffect(() => {
    showReferenceLines(session, referenceLines, active, mpr);
  }, [session, referenceLines, active, mpr]);
}

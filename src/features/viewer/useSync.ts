import { useEffect } from 'react';
import { showReferenceLines, startViewportSync } from '../../app/sync';
import type { StackController } from '../../imaging';
import { useViewerStore } from '../../store/viewer';

/** The viewer's wiring of viewport sync (app/sync.ts): started for its controllers; reference lines follow the store. */
export function useViewportSync(controllers: Map<number, StackController>): void {
  useEffect(() => startViewportSync(controllers), [controllers]);

  const referenceLines = useViewerStore((s) => s.sync.referenceLines);
  const active = useViewerStore((s) => s.active);
  const mpr = useViewerStore((s) => !!s.mpr);
  useEffect(() => {
    showReferenceLines(referenceLines, active, mpr);
  }, [referenceLines, active, mpr]);
}

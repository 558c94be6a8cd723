// A key-image stack: the frames a Key Object Selection selects, gathered from the series they are in, as one display
// set that a stack viewport shows like any series. Its frames keep their own study/series, so they load from there.
import type { DisplaySet, FrameRef, SeriesSummary } from './types';
import type { SrReference } from './srDocument';

/** The display set's key in the study store: the selection's series and instance (not a DICOM UID). */
export function keyImageSetUid(koSeriesUID: string, koSopInstanceUID: string): string {
  return `key-images:${koSeriesUID}:${koSopInstanceUID}`;
}

export const isKeyImageSetUid = (uid: string): boolean => uid.startsWith('key-images:');

export interface KeyImageStack {
  displaySet: DisplaySet;
  /** References to no frame of the series known here (another study, a series not open, a frame that is not there). */
  missing: SrReference[];
}

/**
 * The selected frames in the selection's order. A reference to a multi-frame image without frame numbers selects
 * all its frames; one with frame numbers, those frames. `framesOf` gives a series' frames (undefined: not known).
 */
export function keyImageStack(
  ko: { series: SeriesSummary; sopInstanceUID: string; title: string },
  references: readonly SrReference[],
  framesOf: (seriesUID: string) => readonly FrameRef[] | undefined,
): KeyImageStack {
  const frames: FrameRef[] = [];
  const missing: SrReference[] = [];
  const seen = new Set<string>();
  for (const ref of references) {
    const all = ref.seriesInstanceUID ? framesOf(ref.seriesInstanceUID) : undefined;
    const ofInstance = (all ?? []).filter((f) => f.sopInstanceUID === ref.sopInstanceUID);
    const picked = ref.frames.length > 0 ? ofInstance.filter((f) => ref.frames.includes(f.frameNumber)) : ofInstance;
    if (picked.length === 0) {
      missing.push(ref);
      continue;
    }
    for (const f of picked) {
      const key = `${f.sopInstanceUID}:${f.frameNumber}`;
      if (seen.has(key)) continue;
      seen.add(key);
      frames.push(f);
    }
  }
  const uid = keyImageSetUid(ko.series.seriesInstanceUID, ko.sopInstanceUID);
  const series: SeriesSummary = { ...ko.series, seriesInstanceUID: uid, description: ko.title, numInstances: frames.length };
  return {
    displaySet: {
      series,
      kind: 'image',
      frames,
      objects: [],
      notes: [],
    },
    missing,
  };
}

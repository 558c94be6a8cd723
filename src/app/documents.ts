// What the report and document viewers do with the rest of the viewer: a report series clicked in the series panel
// (measurements onto the images, or the report reader), an image a report refers to shown in another viewport,
// and a Key Object Selection's images as one stack.
import type { MeasurementBook, StackController } from '../imaging';
import { keyImageStack } from '../model/keyImages';
import { isMeasurementReport, type SrReference } from '../model/srDocument';
import type { SeriesSummary } from '../model/types';
import { useStudyStore } from '../store/study';
import { useViewerStore, type ViewportSlot } from '../store/viewer';
import { openReport } from './reports';

/**
 * A report series clicked in the series panel: a TID 1500 measurement report puts its measurements on the images
 * (as before); any other SR opens in the active viewport as a readable report. The series' metadata says which
 * (read first when it has not arrived yet).
 */
export async function openReportSeries(book: MeasurementBook | undefined, seriesUID: string): Promise<void> {
  const displaySet = await useStudyStore.getState().loadSeries(seriesUID);
  // Metadata that cannot be read says nothing: the report is opened as before, which fetches it again and says
  // in the series panel what went wrong, rather than replacing what the viewport shows.
  if (!displaySet || displaySet.objects.some((o) => isMeasurementReport(o.raw))) {
    if (book) await openReport(book, seriesUID);
    return;
  }
  const viewer = useViewerStore.getState();
  viewer.showSeries(viewer.active, seriesUID);
}

/**
 * The viewport to show something next to the document in `from`: one that shows `seriesUID` already, else an empty
 * one, else the next one; undefined when the grid has only the document's viewport.
 */
export function viewportBeside(slots: readonly ViewportSlot[], from: number, seriesUID: string): number | undefined {
  const others = slots.map((_, i) => i).filter((i) => i !== from);
  return (
    others.find((i) => slots[i]!.seriesInstanceUID === seriesUID) ??
    others.find((i) => !slots[i]!.seriesInstanceUID) ??
    others.find((i) => i > from) ??
    others[0]
  );
}

/**
 * Puts a display set in a viewport beside `from` (a 1×2 layout when the document is alone), at `index`; a viewport
 * showing it already scrolls there (`controllers`: the viewer's stack viewports).
 */
function showBeside(from: number, seriesUID: string, index: number, controllers?: Map<number, StackController>): void {
  let viewer = useViewerStore.getState();
  if (viewer.mpr) viewer.closeMpr();
  viewer = useViewerStore.getState();
  if (viewer.maximized !== undefined) viewer.toggleMaximized(from);
  viewer = useViewerStore.getState();
  if (viewer.slots.length < 2) {
    viewer.setLayout({ rows: 1, cols: 2 });
    viewer = useViewerStore.getState();
  }
  const target = viewportBeside(viewer.slots, from, seriesUID) ?? 0;
  const controller = controllers?.get(target);
  if (viewer.slots[target]?.seriesInstanceUID === seriesUID && controller) {
    viewer.setActive(target);
    void controller.setImageIndex(index);
  } else viewer.showSeries(target, seriesUID, index);
}

export type ShowImageResult = 'shown' | 'no-series' | 'not-open' | 'not-in-series';

/** Shows the image (frame) a report refers to in a viewport beside the report's. */
export async function showReferencedImage(ref: SrReference, from: number, controllers?: Map<number, StackController>): Promise<ShowImageResult> {
  const seriesUID = ref.seriesInstanceUID;
  if (!seriesUID) return 'no-series';
  if (!useStudyStore.getState().series[seriesUID]) return 'not-open';
  const displaySet = await useStudyStore.getState().loadSeries(seriesUID);
  const frame = ref.frames[0] ?? 1;
  const index = displaySet?.frames.findIndex((f) => f.sopInstanceUID === ref.sopInstanceUID && f.frameNumber === frame) ?? -1;
  if (index < 0) return 'not-in-series';
  showBeside(from, seriesUID, index, controllers);
  return 'shown';
}

/**
 * Shows a Key Object Selection's images as one stack beside it (their series' metadata is read first). Returns the
 * number of frames shown and of references that point at nothing open here.
 */
export async function showKeyImages(
  ko: { series: SeriesSummary; sopInstanceUID: string; title: string },
  references: readonly SrReference[],
  from: number,
  controllers?: Map<number, StackController>,
): Promise<{ shown: number; missing: number }> {
  const studies = useStudyStore.getState();
  const seriesUIDs = [...new Set(references.map((r) => r.seriesInstanceUID).filter((uid): uid is string => !!uid && !!studies.series[uid]))];
  const sets = new Map((await Promise.all(seriesUIDs.map(async (uid) => [uid, await studies.loadSeries(uid)] as const))).map(([uid, ds]) => [uid, ds?.frames]));
  const stack = keyImageStack(ko, references, (uid) => sets.get(uid));
  if (stack.displaySet.frames.length > 0) {
    useStudyStore.getState().addDerivedSet(stack.displaySet);
    showBeside(from, stack.displaySet.series.seriesInstanceUID, 0, controllers);
  }
  return { shown: stack.displaySet.frames.length, missing: stack.missing.length };
}

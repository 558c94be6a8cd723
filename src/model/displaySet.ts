import { dot, sameOrientation, sliceNormal } from './geometry';
import { instanceKind, seriesKind } from './objectKinds';
import type { DisplaySet, FrameRef, InstanceMeta, SeriesLayoutNote, SeriesSummary, Vec3 } from './types';

/**
 * Frames for the stack: objects with pixel rows/columns that are not something else (a SEG's frames are a
 * labelmap, a video's pixel data a stream). SR, PDF, presentation states… have no rows at all.
 */
export function isImageInstance(inst: InstanceMeta): boolean {
  return instanceKind(inst) === 'image';
}

/** One FrameRef per frame; multi-frame instances give one image per frame. */
export function expandFrames(series: SeriesSummary, instances: InstanceMeta[]): FrameRef[] {
  const frames: FrameRef[] = [];
  for (const instance of instances) {
    for (let f = 1; f <= instance.numberOfFrames; f++) {
      frames.push({
        studyInstanceUID: series.studyInstanceUID,
        seriesInstanceUID: series.seriesInstanceUID,
        sopInstanceUID: instance.sopInstanceUID,
        frameNumber: f,
        instance,
      });
    }
  }
  return frames;
}

export function framePosition(frame: FrameRef): Vec3 | undefined {
  const inst = frame.instance;
  if (inst.framePositions) return inst.framePositions[frame.frameNumber - 1];
  // A multi-frame instance without per-frame positions has no spatial order of its own.
  return inst.numberOfFrames === 1 ? inst.imagePositionPatient : undefined;
}

export function frameOrientation(frame: FrameRef): readonly number[] | undefined {
  return frame.instance.frameOrientations?.[frame.frameNumber - 1] ?? frame.instance.imageOrientationPatient;
}

const byInstanceNumber = (a: FrameRef, b: FrameRef) =>
  (a.instance.instanceNumber ?? Number.MAX_SAFE_INTEGER) - (b.instance.instanceNumber ?? Number.MAX_SAFE_INTEGER) ||
  a.frameNumber - b.frameNumber;

/**
 * Orders frames for a stack. When every frame has a position and they share one orientation, frames are
 * sorted by position along the slice normal (PACS often deliver instances out of order and instance numbers
 * can lie); the direction follows the scanner's numbering so the first acquired slice comes first, and is
 * head first (far end of the slice normal) when there are no instance numbers.
 * Otherwise instance number, then frame number.
 */
export function sortFrames(frames: FrameRef[]): { frames: FrameRef[]; byPosition: boolean } {
  const byNumber = [...frames].sort(byInstanceNumber);
  if (frames.length < 2) return { frames: byNumber, byPosition: false };
  const first = frameOrientation(byNumber[0]!);
  const positions = byNumber.map(framePosition);
  const geometric =
    first !== undefined &&
    positions.every((p) => p !== undefined) &&
    byNumber.every((f) => {
      const o = frameOrientation(f);
      return o !== undefined && sameOrientation(o, first);
    });
  if (!geometric) return { frames: byNumber, byPosition: false };
  const normal = sliceNormal(first);
  const distance = new Map(byNumber.map((f, i) => [f, dot(positions[i]!, normal)]));
  const distinct = new Set([...distance.values()].map((d) => d.toFixed(3)));
  // Several frames at one position (e.g. a time series) is not a spatial stack.
  if (distinct.size !== frames.length) return { frames: byNumber, byPosition: false };
  const sorted = [...byNumber].sort((a, b) => distance.get(b)! - distance.get(a)!);
  // Without instance numbers to follow, the far end of the normal comes first (head first for axial slices).
  const firstNumber = sorted[0]!.instance.instanceNumber;
  const lastNumber = sorted[sorted.length - 1]!.instance.instanceNumber;
  if (firstNumber !== undefined && lastNumber !== undefined && firstNumber > lastNumber) sorted.reverse();
  return { frames: sorted, byPosition: true };
}

export function buildDisplaySet(series: SeriesSummary, instances: InstanceMeta[]): DisplaySet {
  const notes: SeriesLayoutNote[] = [];
  const kind = seriesKind(instances);
  if (kind !== 'image') {
    // A series of objects (a SEG, a report, an ECG…): its viewer reads them; nothing goes to the stack.
    const objects = instances.filter((i) => instanceKind(i) === kind);
    if (kind === 'other') notes.push({ kind: 'no-images', message: 'This series has no images or objects this viewer shows' });
    return { series, kind, frames: [], objects, notes };
  }
  const images = instances.filter(isImageInstance);
  const skipped = instances.length - images.length;
  if (skipped > 0) {
    notes.push({
      kind: 'non-image-skipped',
      message: `${skipped} non-image object${skipped === 1 ? '' : 's'} (report, document or state) not shown`,
      count: skipped,
    });
  }
  const { frames, byPosition } = sortFrames(expandFrames(series, images));
  notes.push(
    byPosition
      ? { kind: 'sorted-by-position', message: 'Images ordered by position along the slice normal' }
      : { kind: 'sorted-by-instance-number', message: 'Images ordered by instance number' },
  );
  return { series, kind, frames, objects: [], notes };
}

/** Series panel order: by series number, then description. */
export function sortSeries<T extends SeriesSummary>(series: T[]): T[] {
  return [...series].sort(
    (a, b) =>
      (a.seriesNumber ?? Number.MAX_SAFE_INTEGER) - (b.seriesNumber ?? Number.MAX_SAFE_INTEGER) ||
      a.description.localeCompare(b.description),
  );
}

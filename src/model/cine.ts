// Cine timing from the file: how long each frame of a multi-frame instance stays on screen when it plays. An
// ultrasound or XA loop is recorded at its own rate, sometimes irregular (a Frame Time Vector: gated or triggered
// acquisitions); playing it at a fixed reader's rate misrepresents the motion.
import { getNumber, getNumbers } from '../dicom/json';
import { Tag } from '../dicom/tags';
import type { DicomJson } from '../dicom/json';
import type { FrameRef } from './types';

/** Frame rates outside this are not a timing a reader could use (a typo'd CineRate, a 0 or negative FrameTime). */
const MIN_MS = 1000 / 240;
const MAX_MS = 10_000;
const usable = (ms: number | undefined): ms is number => ms !== undefined && Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;

/**
 * The time between frames of an instance (ms) when it is regular: Frame Time (0018,1063), else Cine Rate
 * (0018,0040), else Recommended Display Frame Rate (0008,2144). Undefined when none is given or usable.
 */
export function frameTimeMs(ds: DicomJson): number | undefined {
  const frameTime = getNumber(ds, Tag.FrameTime);
  if (usable(frameTime)) return frameTime;
  for (const rateTag of [Tag.CineRate, Tag.RecommendedDisplayFrameRate]) {
    const rate = getNumber(ds, rateTag);
    if (rate && usable(1000 / rate)) return 1000 / rate;
  }
  return undefined;
}

/**
 * The Frame Time Vector (0018,1065) when it fits the instance: one value per frame, the first the 0 that starts
 * the clip and each other the time (ms) since the previous frame. Undefined when absent or unusable (wrong length,
 * a value out of range), so that the regular frame time or the reader's rate applies instead.
 */
export function frameTimeVectorMs(ds: DicomJson, numberOfFrames: number): number[] | undefined {
  const v = getNumbers(ds, Tag.FrameTimeVector);
  if (!v || numberOfFrames < 2 || v.length !== numberOfFrames) return undefined;
  return v.slice(1).every(usable) ? v : undefined;
}

/**
 * How long each image of a stack stays on screen while cine plays (ms), image by image: a frame of an instance with
 * a frame time vector stays until the next frame's time (the last one as long as the one before it), a frame of
 * an instance with a regular frame time stays that long. Undefined when no image of the stack has a timing of its
 * own (single-frame series: the reader's rate applies); images without one then take the median of the others.
 */
export function cineIntervalsMs(frames: readonly FrameRef[]): number[] | undefined {
  if (frames.length < 2) return undefined;
  const dwell = frames.map((f) => {
    const inst = f.instance;
    const vector = inst.frameTimeVectorMs;
    if (vector) {
      const k = f.frameNumber - 1;
      return k + 1 < vector.length ? vector[k + 1]! : vector[Math.max(1, k)]!;
    }
    return inst.frameTimeMs;
  });
  const known = dwell.filter(usable).sort((a, b) => a - b);
  if (known.length === 0) return undefined;
  const median = known[Math.floor(known.length / 2)]!;
  return dwell.map((d) => (usable(d) ? d : median));
}

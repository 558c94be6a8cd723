// Whether a series' frames form a volume that can be reformatted (MPR, 3D) without distortion, decided from
// geometry alone. Cornerstone builds a volume from the first image's orientation and the average slice gap, so
// anything it would silently get wrong is refused here with a reason the reader can act on.
import { framePosition, frameOrientation } from './displaySet';
import { dot, sameOrientation, sliceNormal } from './geometry';
import type { FrameRef, Vec3 } from './types';

export interface VolumeGeometry {
  /** Frames in order along the slice normal (ascending). */
  frames: FrameRef[];
  rows: number;
  columns: number;
  /** Row spacing, column spacing, slice spacing (mm). */
  spacing: [number, number, number];
  normal: Vec3;
  /** What the decoded volume needs in memory: 2 bytes a voxel, 4 when a fractional rescale makes it float. */
  bytes: number;
}

export type VolumeVerdict = { ok: true; volume: VolumeGeometry } | { ok: false; reason: string };

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : undefined);

function tagNumbers(ds: Record<string, { Value?: unknown[] } | undefined> | undefined, tag: string): number[] | undefined {
  const values = ds?.[tag]?.Value?.map(num);
  return values && values.length > 0 && values.every((v) => v !== undefined && Number.isFinite(v)) ? (values as number[]) : undefined;
}

type Json = Record<string, { Value?: unknown[] } | undefined>;

/** PixelSpacing of a frame: the instance's own, or an enhanced multi-frame's Pixel Measures. */
export function framePixelSpacing(frame: FrameRef): [number, number] | undefined {
  const raw = frame.instance.raw as Json;
  const direct = tagNumbers(raw, '00280030');
  const fromGroups = () => {
    for (const group of ['52009230', '52009229']) {
      const items = (raw[group]?.Value ?? []) as Json[];
      const item = group === '52009230' ? items[frame.frameNumber - 1] : items[0];
      const measures = (item?.['00289110']?.Value ?? []) as Json[];
      const spacing = tagNumbers(measures[0], '00280030');
      if (spacing) return spacing;
    }
    return undefined;
  };
  const s = direct ?? fromGroups();
  return s && s.length >= 2 && s[0]! > 0 && s[1]! > 0 ? [s[0]!, s[1]!] : undefined;
}

/** The frame of reference (patient coordinate system) a frame's position is in. */
export const frameOfReference = (frame: FrameRef): string | undefined => {
  const v = (frame.instance.raw as Json)['00200052']?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
};

/** How far one slice gap may differ from the average gap (relative) before spacing counts as irregular. */
const GAP_TOLERANCE = 0.1;

/**
 * Decides whether `frames` (one series, any order) make a volume: at least 3 monochrome images of one size, one
 * frame of reference, one orientation and pixel spacing, distinct positions along the normal with equal gaps
 * (no missing slices) and no gantry tilt (positions moving along the normal only).
 */
export function volumeEligibility(frames: FrameRef[]): VolumeVerdict {
  if (frames.length < 3) return { ok: false, reason: `a volume needs at least 3 images; this series has ${frames.length}` };
  const first = frames[0]!;
  const iop = frameOrientation(first);
  if (!iop || iop.length !== 6) return { ok: false, reason: 'the images have no orientation (Image Orientation Patient)' };
  const rows = first.instance.rows;
  const columns = first.instance.columns;
  const spacing = framePixelSpacing(first);
  if (!spacing) return { ok: false, reason: 'the images have no pixel spacing, so their size in the patient is unknown' };
  const forUid = frameOfReference(first);
  for (const [i, f] of frames.entries()) {
    const samples = tagNumbers(f.instance.raw as Json, '00280002')?.[0] ?? 1;
    if (samples !== 1) return { ok: false, reason: 'colour images are not reformatted' };
    if (f.instance.rows !== rows || f.instance.columns !== columns) {
      return { ok: false, reason: `image ${i + 1} is ${f.instance.columns}×${f.instance.rows}, the first is ${columns}×${rows}` };
    }
    const o = frameOrientation(f);
    if (!o || !sameOrientation(o, iop)) return { ok: false, reason: `image ${i + 1} has a different orientation` };
    const s = framePixelSpacing(f);
    if (!s || Math.abs(s[0] - spacing[0]) > 1e-3 || Math.abs(s[1] - spacing[1]) > 1e-3) {
      return { ok: false, reason: `image ${i + 1} has a different pixel spacing` };
    }
    if (frameOfReference(f) !== forUid) return { ok: false, reason: 'the images are in more than one frame of reference' };
    if (!framePosition(f)) return { ok: false, reason: `image ${i + 1} has no position (Image Position Patient)` };
  }
  if (!rows || !columns) return { ok: false, reason: 'the images have no size (Rows, Columns)' };

  const normal = sliceNormal(iop);
  const along = frames.map((f) => ({ f, d: dot(framePosition(f)!, normal), p: framePosition(f)! })).sort((a, b) => a.d - b.d);
  const gaps = along.slice(1).map((x, i) => x.d - along[i]!.d);
  const smallest = Math.min(...gaps);
  if (smallest < 1e-3) return { ok: false, reason: 'two images are at the same position (a repeated or time series, not one volume)' };

  // Gantry tilt: consecutive positions step sideways as well as along the normal.
  const step: Vec3 = [0, 1, 2].map((k) => along[along.length - 1]!.p[k]! - along[0]!.p[k]!) as Vec3;
  const length = Math.hypot(...step);
  const tilt = (Math.acos(Math.min(1, Math.abs(dot(step, normal)) / length)) * 180) / Math.PI;
  if (tilt > 0.5) {
    return { ok: false, reason: `the slices are tilted by ${tilt.toFixed(1)}° to their stacking direction (gantry tilt); MPR would be distorted` };
  }

  const largest = Math.max(...gaps);
  const mean = (along[along.length - 1]!.d - along[0]!.d) / gaps.length;
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
  const irregular = `the slice spacing is irregular (${smallest.toFixed(2)}–${largest.toFixed(2)} mm)`;
  if (gaps.some((g) => Math.abs(g - mean) > mean * GAP_TOLERANCE)) {
    // A gap that is a whole multiple of the usual one is a missing slice, worth saying so.
    const ratio = largest / median;
    const missing = Math.round(ratio) - 1;
    if (missing >= 1 && Math.abs(ratio - Math.round(ratio)) < GAP_TOLERANCE && gaps.filter((g) => g > median * 1.5).length === 1) {
      const at = gaps.indexOf(largest);
      return {
        ok: false,
        reason: `${missing === 1 ? 'a slice is' : `${missing} slices are`} missing between images at ${along[at]!.d.toFixed(1)} and ${along[at + 1]!.d.toFixed(1)} mm (gap ${largest.toFixed(2)} mm, usually ${median.toFixed(2)} mm)`,
      };
    }
    return { ok: false, reason: irregular };
  }
  const sliceSpacing = (along[along.length - 1]!.d - along[0]!.d) / (along.length - 1);
  return {
    ok: true,
    volume: {
      frames: along.map((x) => x.f),
      rows,
      columns,
      spacing: [spacing[0], spacing[1], sliceSpacing],
      normal,
      bytes: rows * columns * frames.length * (frames.some((f) => !Number.isInteger(tagNumbers(f.instance.raw as Json, '00281053')?.[0] ?? 1)) ? 4 : 2),
    },
  };
}

/**
 * Why a volume of `bytes` cannot be opened within the image memory budget, or undefined when it fits. The volume
 * comes on top of the frames the stack holds, so it must fit the budget on its own.
 */
export function overBudgetReason(bytes: number, budgetMb: number): string | undefined {
  if (bytes <= budgetMb * 1048576) return undefined;
  return `the volume needs ${Math.round(bytes / 1048576)} MB, more than the image memory budget (${budgetMb} MB, cacheBudgetMB in config.json)`;
}

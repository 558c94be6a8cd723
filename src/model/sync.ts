// The pure math of synchronized comparison between viewports: which image of one stack shows the anatomy of
// the image shown in another (scroll sync by position, with an optional offset), and where the plane of one
// image cuts another (reference lines). Everything is in the DICOM patient coordinate system (LPS, mm).
import { framePosition, frameOrientation } from './displaySet';
import { cross, dot, sliceNormal } from './geometry';
import type { DisplaySet, FrameRef, Vec3 } from './types';
import { frameOfReference, framePixelSpacing } from './volume';

/** Where each image of a stack lies along its slice normal (mm), or undefined when the stack has no usable geometry. */
export interface StackGeometry {
  frameOfReferenceUID?: string;
  /** Unit slice normal (row × column) of the stack's first image with an orientation. */
  normal: Vec3;
  /** Per image index: position along normal (dot(position, normal)); undefined where the image has no position or lies in another orientation. */
  locations: (number | undefined)[];
  /**
   * Per image index: the centre of the image in patient coordinates (its position when its size or pixel spacing
   * is unknown). Used to carry a location to a slightly tilted stack (gantry tilt) without the error that a
   * point far from the patient's centre would add. Optional: without it, locations are compared directly.
   */
  centres?: (Vec3 | undefined)[];
}

/** Reference line input: the plane and extent of one image. */
export interface ImagePlane {
  /** ImagePositionPatient: centre of the first pixel. */
  origin: Vec3;
  /** Unit direction of increasing column index (ImageOrientationPatient[0..2]). */
  row: Vec3;
  /** Unit direction of increasing row index (ImageOrientationPatient[3..5]). */
  column: Vec3;
  /** mm between rows (PixelSpacing[0]). */
  rowSpacing: number;
  /** mm between columns (PixelSpacing[1]). */
  columnSpacing: number;
  rows: number;
  columns: number;
}

/** Default angle (degrees) within which two slice normals count as parallel for scroll sync. */
export const PARALLEL_TOLERANCE_DEG = 5;
/** Planes closer than this angle (degrees) have no meaningful reference line (scanner cosines are noisy). */
const PARALLEL_PLANES_DEG = 1;
/** Stacks whose normals are further apart than this are not scroll-synced at all (syncedIndex). */
const SYNC_MAX_ANGLE_DEG = 45;

const length = (v: Vec3) => Math.hypot(v[0], v[1], v[2]);
const add = (a: Vec3, b: Vec3): Vec3 => [a[0] + b[0], a[1] + b[1], a[2] + b[2]];
const scale = (v: Vec3, s: number): Vec3 => [v[0] * s, v[1] * s, v[2] * s];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const unit = (v: Vec3): Vec3 | undefined => {
  const l = length(v);
  return l > 1e-9 && Number.isFinite(l) ? scale(v, 1 / l) : undefined;
};
const cosDeg = (deg: number) => Math.cos((deg * Math.PI) / 180);

/** The unit normal of an orientation, or undefined when the cosines are degenerate. */
function unitNormal(iop: readonly number[] | undefined): Vec3 | undefined {
  if (!iop || iop.length < 6 || !iop.every(Number.isFinite)) return undefined;
  return unit(sliceNormal(iop));
}

/** The centre of an image (between its middle pixels) in patient coordinates. */
function planeCentre(p: ImagePlane): Vec3 {
  return add(
    p.origin,
    add(scale(p.row, ((p.columns - 1) / 2) * p.columnSpacing), scale(p.column, ((p.rows - 1) / 2) * p.rowSpacing)),
  );
}

/**
 * The geometry of a stack for scroll sync: its normal (from the first image that has an orientation), frame of
 * reference (the first image's that has one) and each image's location along the normal. Images in another
 * orientation (normal more than 5° off) or without a position get no location. Undefined when no image has both
 * an orientation and a position.
 */
export function stackGeometry(displaySet: DisplaySet): StackGeometry | undefined {
  const frames = displaySet.frames;
  let normal: Vec3 | undefined;
  for (const f of frames) {
    normal = unitNormal(frameOrientation(f));
    if (normal) break;
  }
  if (!normal) return undefined;
  const n = normal;
  const minCos = cosDeg(PARALLEL_TOLERANCE_DEG);
  const locations: (number | undefined)[] = [];
  const centres: (Vec3 | undefined)[] = [];
  for (const f of frames) {
    const position = framePosition(f);
    const own = unitNormal(frameOrientation(f));
    const usable = position !== undefined && position.every(Number.isFinite) && own !== undefined && Math.abs(dot(own, n)) >= minCos;
    if (!usable) {
      locations.push(undefined);
      centres.push(undefined);
      continue;
    }
    locations.push(dot(position, n));
    const plane = imagePlaneOf(f);
    centres.push(plane ? planeCentre(plane) : position);
  }
  if (locations.every((l) => l === undefined)) return undefined;
  const frameOfReferenceUID = frames.map(frameOfReference).find((uid) => uid !== undefined);
  return { ...(frameOfReferenceUID !== undefined ? { frameOfReferenceUID } : {}), normal: n, locations, centres };
}

/**
 * Two stacks can be scroll-synced by position: parallel normals (within `toleranceDeg`, default 5°, either
 * direction). The caller also checks the frame of reference unless the user linked them explicitly.
 */
export function parallel(a: StackGeometry, b: StackGeometry, toleranceDeg = PARALLEL_TOLERANCE_DEG): boolean {
  const na = unit(a.normal);
  const nb = unit(b.normal);
  if (!na || !nb) return false;
  // A little slack so that an angle of exactly the tolerance counts as within it despite rounding.
  return Math.abs(dot(na, nb)) >= cosDeg(toleranceDeg) - 1e-12;
}

/** The median gap (mm) between neighbouring distinct locations of a stack, or undefined with fewer than two. */
export function medianSliceSpacing(stack: StackGeometry): number | undefined {
  const sorted = stack.locations.filter((l): l is number => l !== undefined).sort((a, b) => a - b);
  const gaps: number[] = [];
  for (let i = 1; i < sorted.length; i++) {
    const gap = sorted[i]! - sorted[i - 1]!;
    // Several images at one location (a time series) are not a gap.
    if (gap > 1e-3) gaps.push(gap);
  }
  if (gaps.length === 0) return undefined;
  gaps.sort((a, b) => a - b);
  const mid = Math.floor(gaps.length / 2);
  return gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2;
}

/**
 * Where source image `sourceIndex` (shifted by `offsetMm` along the source normal) lies along the target
 * normal, and the sign that maps source-normal distances onto the target normal. Undefined when the source image
 * has no location or the normals are too far apart to compare.
 */
function locationInTarget(source: StackGeometry, sourceIndex: number, target: StackGeometry): { at: number; sign: 1 | -1 } | undefined {
  const location = source.locations[sourceIndex];
  const ns = unit(source.normal);
  const nt = unit(target.normal);
  if (location === undefined || !ns || !nt) return undefined;
  const d = dot(ns, nt);
  if (Math.abs(d) < cosDeg(SYNC_MAX_ANGLE_DEG)) return undefined;
  const sign = d >= 0 ? 1 : -1;
  const centre = source.centres?.[sourceIndex];
  // With the image's centre, the target plane through that point is found exactly even when the normals differ
  // by a few degrees; otherwise the source location is taken as it is (exact for parallel normals).
  return { at: centre ? dot(centre, nt) : sign * location, sign };
}

/**
 * The image index of `target` nearest to the location of source image `sourceIndex` plus `offsetMm` (mm along
 * the source normal), or undefined when no image is within `maxDistanceMm` (default: 1.5 × the target's median
 * slice spacing, at least 1 mm), so scrolling past the end of a shorter stack does not jump. Opposite normals
 * (target normal = −source normal) are handled: a positive offset always points along the source normal.
 * Meant for stacks that pass parallel(); stacks whose normals are more than 45° apart give undefined. Ties go to
 * the lower index.
 */
export function syncedIndex(
  source: StackGeometry,
  sourceIndex: number,
  target: StackGeometry,
  offsetMm = 0,
  maxDistanceMm?: number,
): number | undefined {
  if (!Number.isFinite(offsetMm)) return undefined;
  const from = locationInTarget(source, sourceIndex, target);
  if (!from) return undefined;
  const want = from.at + from.sign * offsetMm;
  const limit = maxDistanceMm ?? Math.max(1, 1.5 * (medianSliceSpacing(target) ?? 0));
  let best: number | undefined;
  let bestDistance = Infinity;
  target.locations.forEach((l, i) => {
    if (l === undefined) return;
    const distance = Math.abs(l - want);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = i;
    }
  });
  return best !== undefined && bestDistance <= limit + 1e-9 ? best : undefined;
}

/**
 * The offset (mm, along the source normal) that makes target image `targetIndex` line up with source image
 * `sourceIndex`: syncedIndex(source, sourceIndex, target, offsetBetween(…)) === targetIndex. For "link with
 * offset": the user scrolls one side while holding a key, then the offset is what separates the two shown images.
 * NaN when either image has no location or the stacks cannot be compared (syncedIndex treats NaN as no match).
 */
export function offsetBetween(source: StackGeometry, sourceIndex: number, target: StackGeometry, targetIndex: number): number {
  const from = locationInTarget(source, sourceIndex, target);
  const to = target.locations[targetIndex];
  if (!from || to === undefined) return NaN;
  return from.sign * (to - from.at);
}

/**
 * The plane of one frame: ImageOrientationPatient (per-frame when given), its position (per-frame positions of
 * enhanced multi-frame via framePosition), PixelSpacing [row spacing, column spacing] (or the enhanced Pixel
 * Measures) and Rows/Columns. Undefined when any of them is missing or degenerate.
 */
export function imagePlaneOf(frame: FrameRef): ImagePlane | undefined {
  const iop = frameOrientation(frame);
  const origin = framePosition(frame);
  const spacing = framePixelSpacing(frame);
  const { rows, columns } = frame.instance;
  if (!iop || iop.length < 6 || !origin || !origin.every(Number.isFinite) || !spacing || !rows || !columns) return undefined;
  const row = unit([iop[0]!, iop[1]!, iop[2]!]);
  const column = unit([iop[3]!, iop[4]!, iop[5]!]);
  if (!row || !column || !unitNormal(iop)) return undefined;
  return { origin, row, column, rowSpacing: spacing[0], columnSpacing: spacing[1], rows, columns };
}

type Point2 = [number, number];

/**
 * Clips the line p + t·d, t in [t0, t1], to the rectangle [xmin, xmax] × [ymin, ymax] (Liang–Barsky). Returns the
 * clipped parameter range, or undefined when the line misses the rectangle or only touches it in a point.
 */
function clip(p: Point2, d: Point2, t0: number, t1: number, xmin: number, xmax: number, ymin: number, ymax: number): [number, number] | undefined {
  const edges: [number, number][] = [
    [-d[0], p[0] - xmin],
    [d[0], xmax - p[0]],
    [-d[1], p[1] - ymin],
    [d[1], ymax - p[1]],
  ];
  let lo = t0;
  let hi = t1;
  for (const [q, r] of edges) {
    if (Math.abs(q) < 1e-12) {
      if (r < 0) return undefined;
      continue;
    }
    const t = r / q;
    if (q < 0) lo = Math.max(lo, t);
    else hi = Math.min(hi, t);
  }
  return hi - lo > 1e-9 ? [lo, hi] : undefined;
}

/**
 * Reference line: where image A cuts the plane of image B, as a segment in B's pixel coordinates (column, row;
 * pixel centres at integers, so the image spans −0.5 … columns − 0.5 and −0.5 … rows − 0.5). The segment is
 * clipped to A's image rectangle (a small field of view gives a short line) and to B's. `from` is the end with
 * the smaller column (smaller row when the line is vertical). Undefined when the planes are parallel (within 1°)
 * or the line misses either image.
 */
export function referenceLine(a: ImagePlane, b: ImagePlane): { from: [number, number]; to: [number, number] } | undefined {
  const na = unit(cross(a.row, a.column));
  const nb = unit(cross(b.row, b.column));
  if (!na || !nb || length(cross(na, nb)) < Math.sin((PARALLEL_PLANES_DEG * Math.PI) / 180)) return undefined;
  // In A's pixel coordinates (u columns, v rows) the signed distance of a point to B's plane is
  // d0 + u·du + v·dv; the line is where it is zero.
  const d0 = dot(sub(a.origin, b.origin), nb);
  const du = dot(a.row, nb) * a.columnSpacing;
  const dv = dot(a.column, nb) * a.rowSpacing;
  const norm2 = du * du + dv * dv;
  if (norm2 < 1e-18) return undefined;
  const p: Point2 = [(-d0 * du) / norm2, (-d0 * dv) / norm2];
  const dir: Point2 = [-dv, du];
  const inA = clip(p, dir, -Infinity, Infinity, -0.5, a.columns - 0.5, -0.5, a.rows - 0.5);
  if (!inA) return undefined;
  const toPatient = (t: number): Vec3 =>
    add(a.origin, add(scale(a.row, (p[0] + t * dir[0]) * a.columnSpacing), scale(a.column, (p[1] + t * dir[1]) * a.rowSpacing)));
  const toB = (x: Vec3): Point2 => {
    const rel = sub(x, b.origin);
    return [dot(rel, b.row) / b.columnSpacing, dot(rel, b.column) / b.rowSpacing];
  };
  const s = toB(toPatient(inA[0]));
  const e = toB(toPatient(inA[1]));
  const inB = clip(s, [e[0] - s[0], e[1] - s[1]], 0, 1, -0.5, b.columns - 0.5, -0.5, b.rows - 0.5);
  if (!inB) return undefined;
  const at = (t: number): [number, number] => [s[0] + t * (e[0] - s[0]), s[1] + t * (e[1] - s[1])];
  const from = at(inB[0]);
  const to = at(inB[1]);
  const swap = to[0] < from[0] - 1e-9 || (Math.abs(to[0] - from[0]) <= 1e-9 && to[1] < from[1]);
  return swap ? { from: to, to: from } : { from, to };
}

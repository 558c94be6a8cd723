import type { Vec3 } from './types';

export const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
export const cross = (a: Vec3, b: Vec3): Vec3 => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];

/** Slice normal (row × column) of an ImageOrientationPatient. */
export function sliceNormal(iop: readonly number[]): Vec3 {
  return cross([iop[0]!, iop[1]!, iop[2]!], [iop[3]!, iop[4]!, iop[5]!]);
}

/** Orientations equal within a small tolerance (scanners write slightly different cosines). */
export function sameOrientation(a: readonly number[], b: readonly number[], tolerance = 1e-3): boolean {
  return a.length === 6 && b.length === 6 && a.every((v, i) => Math.abs(v - b[i]!) <= tolerance);
}

/**
 * Patient-direction letters for a direction in the DICOM patient coordinate system (LPS: +x left, +y posterior,
 * +z head). Up to two letters, strongest first; components under ~0.25 are ignored, as on film viewers.
 */
export function orientationLabel(v: Vec3): string {
  const letters: [string, number][] = [
    [v[0] > 0 ? 'L' : 'R', Math.abs(v[0])],
    [v[1] > 0 ? 'P' : 'A', Math.abs(v[1])],
    [v[2] > 0 ? 'H' : 'F', Math.abs(v[2])],
  ];
  return letters
    .filter(([, m]) => m > 0.25)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([l]) => l)
    .join('');
}

export interface EdgeLabels {
  top: string;
  bottom: string;
  left: string;
  right: string;
}

/** Labels for the four viewport edges from the screen's right and down directions in patient space. */
export function edgeLabels(right: Vec3, down: Vec3): EdgeLabels {
  const neg = (v: Vec3): Vec3 => [-v[0], -v[1], -v[2]];
  return {
    right: orientationLabel(right),
    left: orientationLabel(neg(right)),
    bottom: orientationLabel(down),
    top: orientationLabel(neg(down)),
  };
}

export function unit(v: Vec3): Vec3 {
  const n = Math.hypot(v[0], v[1], v[2]) || 1;
  return [v[0] / n, v[1] / n, v[2] / n];
}

/**
 * Where a reformatted plane lies (mm), from the screen's right and down directions in patient space and a point
 * on it: the point along the plane's normal, the normal turned towards its main patient axis, so that an axial
 * plane reads its z (head positive), a sagittal its x (left positive) and a coronal its y (posterior positive), as
 * a stack's slice location does.
 */
export function planePosition(m: { right: readonly number[]; down: readonly number[] }, point: Vec3): number {
  const n = unit(cross(m.right as Vec3, m.down as Vec3));
  const main = n.reduce((best, v, i) => (Math.abs(v) > Math.abs(n[best]!) ? i : best), 0);
  return (n[main]! < 0 ? -1 : 1) * dot(point, n);
}

// The generated CT volume the MPR specs read: a bright sphere and a small dense dot at known patient coordinates in
// air, and the helpers that find patient points on the MPR planes' screens.
import type { Locator, Page } from '@playwright/test';
import type { DicomJson } from '../src/dicom/json';
import type { StaticSeries } from './harness/staticStudy';

export const SIZE = 96;
export const PIXEL = 2; // mm
export const SLICES = 48;
export const GAP = 2.5; // mm
export const X0 = (-(SIZE - 1) / 2) * PIXEL;
export const Z0 = (-(SLICES - 1) / 2) * GAP;
export const SPHERE = { center: [20, -10, 15] as const, radius: 20, hu: 1000 };
/** A 2 × 2 pixel dot, one slice thick, at slice DOT_SLICE. */
export const DOT_SLICE = 10;
export const DOT = [-30, 25, Z0 + DOT_SLICE * GAP] as const;

function sliceHu(k: number, tiltPerSliceMm = 0): Int16Array {
  const out = new Int16Array(SIZE * SIZE);
  const z = Z0 + k * GAP;
  for (let j = 0; j < SIZE; j++) {
    for (let i = 0; i < SIZE; i++) {
      const x = X0 + i * PIXEL;
      const y = X0 + j * PIXEL + k * tiltPerSliceMm;
      const d = Math.hypot(x - SPHERE.center[0], y - SPHERE.center[1], z - SPHERE.center[2]);
      // Air around the sphere, as around a patient: 3D presets make air transparent.
      let v = d <= SPHERE.radius ? SPHERE.hu : -1000;
      if (k === DOT_SLICE && Math.abs(x - DOT[0]) <= PIXEL / 2 + 0.01 && Math.abs(y - DOT[1]) <= PIXEL / 2 + 0.01) v = 3000;
      out[j * SIZE + i] = v;
    }
  }
  return out;
}

/**
 * The sphere volume as one series of single-frame CT instances (uncompressed), with a gantry tilt, a missing slice
 * or a truncated frame when asked. `frameOfReference` is the series' frame of reference UID.
 */
export function sphereSeries(
  uid: string,
  number: number,
  description: string,
  opts: { tilt?: number; skip?: number; cut?: number; frameOfReference?: string } = {},
): StaticSeries {
  const instances = [];
  for (let k = 0; k < SLICES; k++) {
    if (k === opts.skip) continue;
    const metadata: DicomJson = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
      '00080018': { vr: 'UI', Value: [`${uid}.${k + 1}`] },
      '00200013': { vr: 'IS', Value: [k + 1] },
      '00200032': { vr: 'DS', Value: [X0, X0 + k * (opts.tilt ?? 0), Z0 + k * GAP] },
      '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
      '00200052': { vr: 'UI', Value: [opts.frameOfReference ?? `${uid}.0`] },
      '00280002': { vr: 'US', Value: [1] },
      '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
      '00280010': { vr: 'US', Value: [SIZE] },
      '00280011': { vr: 'US', Value: [SIZE] },
      '00280030': { vr: 'DS', Value: [PIXEL, PIXEL] },
      '00280100': { vr: 'US', Value: [16] },
      '00280101': { vr: 'US', Value: [16] },
      '00280102': { vr: 'US', Value: [15] },
      '00280103': { vr: 'US', Value: [1] },
      '00281050': { vr: 'DS', Value: [40] },
      '00281051': { vr: 'DS', Value: [400] },
      '00281052': { vr: 'DS', Value: [0] },
      '00281053': { vr: 'DS', Value: [1] },
      '00180050': { vr: 'DS', Value: [GAP] },
    };
    const hu = sliceHu(k, opts.tilt ?? 0);
    const bytes = new Uint8Array(hu.buffer);
    // A frame cut to half its length: refused before decoding, a hole in the volume.
    instances.push({ metadata, frames: [k === opts.cut ? bytes.slice(0, bytes.length / 2) : bytes], transferSyntaxUID: '1.2.840.10008.1.2.1' });
  }
  return { uid, description, modality: 'CT', number, instances };
}

export type Vec = readonly [number, number, number];

/** Where a patient point shows in a plane's element (CSS px), from the mapping the view publishes. */
export async function toCanvas(pane: Locator, p: Vec): Promise<{ x: number; y: number }> {
  const read = async (name: string) => ((await pane.getAttribute(name)) ?? '').split(',').map(Number);
  const [o, r, d] = [await read('data-origin'), await read('data-right'), await read('data-down')];
  const rel = [p[0] - o[0]!, p[1] - o[1]!, p[2] - o[2]!];
  const dotp = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  return { x: dotp(rel, r) / dotp(r, r), y: dotp(rel, d) / dotp(d, d) };
}

/** Mean luminance of a 5×5 patch of the pane's canvas around (x, y) CSS px. */
export async function patch(pane: Locator, at: { x: number; y: number }): Promise<number> {
  return pane.locator('canvas').first().evaluate(
    (c: HTMLCanvasElement, [px, py]) => {
      const r = c.getBoundingClientRect();
      const sx = Math.round((px! * c.width) / r.width);
      const sy = Math.round((py! * c.height) / r.height);
      const d = c.getContext('2d')!.getImageData(sx - 2, sy - 2, 5, 5).data;
      let sum = 0;
      for (let i = 0; i < d.length; i += 4) sum += 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      return sum / 25;
    },
    [at.x, at.y],
  );
}

/** Planes stop on voxels: a point is reached within half a voxel (in-plane) or half a slice gap (through-plane). */
export const HALF = [PIXEL / 2 + 0.05, PIXEL / 2 + 0.05, GAP / 2 + 0.05] as const;
export const offBy = async (page: Page, axis: 0 | 1 | 2, value: number) => Math.abs((await center(page))[axis]! - value);

export const center = async (page: Page) => ((await page.getByTestId('mpr-view').getAttribute('data-center')) ?? '').split(',').map(Number);


// Synthetic anatomy for the demo studies: a chest/abdomen CT and an MR brain, rasterised slice by slice.
// Coordinates are DICOM patient coordinates in mm (LPS: +x patient left, +y posterior, +z head).

/** A small deterministic PRNG (mulberry32), so reruns produce identical files. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Gaussian noise from a uniform PRNG (Box–Muller). */
function gaussian(next: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(next() || 1e-12)) * Math.cos(2 * Math.PI * next());
}

/** A slice raster: values in a Float32Array, with the mm ↔ pixel mapping of its grid. */
export class Raster {
  readonly data: Float32Array;
  constructor(
    readonly size: number,
    readonly spacing: number,
    fill: number,
  ) {
    this.data = new Float32Array(size * size).fill(fill);
  }
  /** mm coordinate of pixel centre index i (the grid is centred on the isocentre). */
  mm(i: number): number {
    return (i - (this.size - 1) / 2) * this.spacing;
  }
  private index(mm: number): number {
    return mm / this.spacing + (this.size - 1) / 2;
  }
  /** Paints an ellipse (optionally rotated by `angle` radians); `where` limits it to pixels whose value passes. */
  ellipse(cx: number, cy: number, a: number, b: number, value: number, where?: (v: number) => boolean, angle = 0): void {
    if (a <= 0 || b <= 0) return;
    const r = Math.max(a, b);
    const x0 = Math.max(0, Math.floor(this.index(cx - r)));
    const x1 = Math.min(this.size - 1, Math.ceil(this.index(cx + r)));
    const y0 = Math.max(0, Math.floor(this.index(cy - r)));
    const y1 = Math.min(this.size - 1, Math.ceil(this.index(cy + r)));
    const cos = Math.cos(angle);
    const sin = Math.sin(angle);
    for (let j = y0; j <= y1; j++) {
      const dy = this.mm(j) - cy;
      for (let i = x0; i <= x1; i++) {
        const dx = this.mm(i) - cx;
        const u = (dx * cos + dy * sin) / a;
        const v = (-dx * sin + dy * cos) / b;
        if (u * u + v * v > 1) continue;
        const k = j * this.size + i;
        if (!where || where(this.data[k]!)) this.data[k] = value;
      }
    }
  }
  /** Value at a mm position (nearest pixel). */
  at(x: number, y: number): number {
    const i = Math.round(this.index(x));
    const j = Math.round(this.index(y));
    return this.data[j * this.size + i]!;
  }
  addNoise(sigma: number, seed: number): void {
    const g = gaussian(rng(seed));
    for (let k = 0; k < this.data.length; k++) this.data[k]! += sigma * g();
  }
}

/** Smooth 0..1 profile that is 1 at `mid` and 0 beyond ±half. */
function profile(z: number, mid: number, half: number): number {
  const t = (z - mid) / half;
  return t * t >= 1 ? 0 : Math.sqrt(1 - t * t);
}

export const CT = {
  size: 512,
  spacing: 0.7,
  sliceSpacing: 1.5,
  /** z of the first (most cranial) slice for a given slice count; the stack is centred on z = 0. */
  topZ: (slices: number) => ((slices - 1) * 1.5) / 2,
  /** Lung nodules and a liver lesion: [x, y, z, radius mm, HU]. */
  lesions: [
    [62, -18, 70, 6, 30],
    [-82, 8, 45, 4, 35],
    [70, 28, 105, 3, 25],
    [-70, -15, -45, 12, 10],
  ] as [number, number, number, number, number][],
};

/** Lung vessels as 3D segments from the hila, fixed by a seed. */
const vessels = (() => {
  const next = rng(7);
  const list: { from: [number, number, number]; to: [number, number, number]; r: number }[] = [];
  for (const side of [-1, 1]) {
    for (let n = 0; n < 26; n++) {
      const from: [number, number, number] = [side * 32, -5, 55];
      const to: [number, number, number] = [side * (45 + next() * 50), -70 + next() * 120, -10 + next() * 150];
      list.push({ from, to, r: 1.2 + next() * 2.2 });
    }
  }
  return list;
})();

/** Rasterises one axial CT slice at height z (mm), in HU. */
export function ctSlice(z: number, seed = 1): Raster {
  const r = new Raster(CT.size, CT.spacing, -1000);
  // Patient table under the back (posterior = +y).
  r.ellipse(0, 150, 200, 6, 120);
  const bodyA = 165 + 10 * profile(z, -40, 200);
  const bodyB = 118 + 6 * profile(z, -40, 200);
  r.ellipse(0, 0, bodyA, bodyB, -100); // subcutaneous fat
  r.ellipse(0, 2, bodyA - 12, bodyB - 10, 40); // muscle and soft tissue
  // Ribs: bony arcs in the chest wall, one band every 25 mm.
  if (z > -60 && ((z % 25) + 25) % 25 < 9) {
    for (let t = 0; t < 2 * Math.PI; t += 0.012) {
      if (Math.abs(Math.sin(t)) > 0.93 && Math.sin(t) < 0) continue; // no ribs at the anterior midline
      r.ellipse(Math.cos(t) * (bodyA - 20), Math.sin(t) * (bodyB - 16), 3.5, 3.5, 750);
    }
  }
  // Sternum.
  if (z > 10 && z < 130) r.ellipse(0, -(bodyB - 16), 14, 6, 700);
  // Lungs.
  const lung = profile(z, 65, 100);
  if (lung > 0) {
    for (const side of [-1, 1]) r.ellipse(side * 75, -8, 56 * lung, 82 * lung, -850);
    for (const v of vessels) {
      const [x0, y0, z0] = v.from;
      const [x1, y1, z1] = v.to;
      if ((z - z0) * (z - z1) > 0 || z0 === z1) continue;
      const t = (z - z0) / (z1 - z0);
      const x = x0 + t * (x1 - x0);
      const y = y0 + t * (y1 - y0);
      r.ellipse(x, y, v.r * (1.2 - 0.6 * t), v.r * (1.2 - 0.6 * t), 45, (h) => h < -500);
    }
  }
  // Trachea above the carina, main bronchi below it.
  if (z > 85) r.ellipse(0, -30, 9, 8, -1000);
  else if (z > 60) for (const side of [-1, 1]) r.ellipse(side * (12 + (85 - z) * 0.8), -25, 6, 5, -1000);
  // Heart and great vessels.
  const heart = profile(z, 30, 45);
  if (heart > 0) {
    r.ellipse(12, -35, 55 * heart, 45 * heart, 45, undefined, 0.5);
    r.ellipse(22, -40, 18 * heart, 14 * heart, 180); // contrast in the left ventricle
  }
  if (z > 30 && z < 95) r.ellipse(2, -38, 14, 14, 210); // ascending aorta
  if (z >= 95 && z < 105) r.ellipse(12, 0, 14, 40, 210); // aortic arch
  if (z < 100) r.ellipse(22, 42, 12, 12, 210); // descending aorta
  if (z < 10) r.ellipse(-26, 22, 11, 10, 150); // inferior vena cava
  // Abdomen: liver (patient right = -x) with a hypodense lesion, spleen, kidneys.
  const liver = profile(z, -40, 70);
  if (liver > 0) r.ellipse(-62, -5, 85 * liver, 78 * liver, 60, (h) => h < 100 && h > -500);
  const spleen = profile(z, -30, 35);
  if (spleen > 0) r.ellipse(85, 42, 32 * spleen, 45 * spleen, 50, (h) => h < 100 && h > -500);
  const kidney = profile(z, -85, 40);
  if (kidney > 0) {
    for (const side of [-1, 1]) {
      r.ellipse(side * 68, 55, 24 * kidney, 34 * kidney, 160, undefined, side * 0.4);
      r.ellipse(side * 66, 52, 10 * kidney, 14 * kidney, 35, undefined, side * 0.4);
    }
  }
  // Spine: vertebral body (cortex, cancellous bone, discs every 30 mm), canal, posterior elements.
  const disc = ((z % 30) + 30) % 30 < 5;
  r.ellipse(0, 72, 21, 19, disc ? 85 : 1000);
  if (!disc) r.ellipse(0, 72, 17, 15, 260);
  r.ellipse(0, 98, 8, 7, 20);
  r.ellipse(0, 112, 24, 7, 700, (h) => h !== 20);
  // Lesions last, inside whatever tissue they sit in.
  for (const [x, y, lz, rad, hu] of CT.lesions) {
    const dz = z - lz;
    if (Math.abs(dz) < rad) {
      const rr = Math.sqrt(rad * rad - dz * dz);
      r.ellipse(x, y, rr, rr, hu);
    }
  }
  r.addNoise(8, seed);
  return r;
}

export const MR = { size: 256, spacing: 0.9, sliceSpacing: 5 };

/** One axial T2-like MR slice of a head at height z (mm, 0 = mid-brain), in arbitrary signal units. */
export function mrSlice(z: number, seed = 1): Raster {
  const r = new Raster(MR.size, MR.spacing, 0);
  const head = profile(z, 0, 80);
  if (head === 0) return r;
  r.ellipse(0, 0, 78 * head, 98 * head, 900); // scalp fat
  r.ellipse(0, 0, 73 * head, 93 * head, 60); // skull: no signal
  r.ellipse(0, 0, 68 * head, 88 * head, 1300); // CSF around the brain
  r.ellipse(0, 0, 65 * head, 85 * head, 720); // grey matter
  r.ellipse(0, 4, 52 * head, 70 * head, 480); // white matter
  const vent = profile(z, 10, 25);
  if (vent > 0) {
    for (const side of [-1, 1]) r.ellipse(side * 9, -5, 6 * vent, 28 * vent, 1500, undefined, side * 0.15);
  }
  if (z < -20 && z > -50) for (const side of [-1, 1]) r.ellipse(side * 32, -78, 12, 12, 1400); // eyes
  r.addNoise(25, seed);
  return r;
}

// Synthetic anatomy for the demo: a contrast-enhanced chest/abdomen CT (Hounsfield units) and a T2-like brain MR.
// Pure functions of position, in DICOM patient coordinates (LPS, mm): +x patient's left, +y posterior, +z head.
// The CT is a list of simple solids painted in order (later ones win); every solid can be rasterised a slice at a
// time over its bounding box (fast) or asked about one point (`ctHuAt`, for tests), with the same arithmetic.

// ---- random numbers ---------------------------------------------------------------------------------------

/** mulberry32: a tiny seeded PRNG, so that reruns give identical images. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NORMALS_BITS = 20;
let normals: Float32Array | undefined;

/** 2^20 standard normal numbers (Box–Muller on mulberry32), made once: drawing fresh ones per pixel is slow. */
function normalTable(): Float32Array {
  if (normals) return normals;
  const table = new Float32Array(1 << NORMALS_BITS);
  const next = prng(0x5eed);
  for (let i = 0; i < table.length; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const t = 2 * Math.PI * next();
    table[i] = r * Math.cos(t);
    table[i + 1] = r * Math.sin(t);
  }
  return (normals = table);
}

/**
 * A source of standard normal numbers for one image: a walk through the shared table from a seeded start with
 * a seeded odd stride, so that images with different seeds get unrelated noise.
 */
export function normalSource(seed: number): () => number {
  const table = normalTable();
  const mask = table.length - 1;
  const next = prng(seed);
  let index = Math.floor(next() * table.length);
  const stride = (Math.floor(next() * (table.length / 2)) * 2 + 1) & mask;
  return () => table[(index = (index + stride) & mask)]!;
}

/** Adds Gaussian noise of standard deviation `sigma` to every value (deterministic for a seed). */
export function addGaussianNoise(data: Float32Array, sigma: number, seed: number): void {
  const table = normalTable();
  const mask = table.length - 1;
  const next = prng(seed);
  let index = Math.floor(next() * table.length);
  const stride = (Math.floor(next() * (table.length / 2)) * 2 + 1) & mask;
  for (let i = 0; i < data.length; i++) {
    index = (index + stride) & mask;
    data[i] = data[i]! + sigma * table[index]!;
  }
}

// ---- geometry ---------------------------------------------------------------------------------------------

/** A square slice grid centred on x = y = 0: pixel (i, j) has its centre at (origin + i·spacing, origin + j·spacing). */
export interface Grid {
  size: number;
  spacing: number;
}

export function gridOrigin(g: Grid): number {
  return (-(g.size - 1) / 2) * g.spacing;
}

type Vec3 = readonly [number, number, number];

/** Paint only where the value painted so far is within [min, max] (e.g. vessels only inside lung). */
type Where = readonly [number, number];

interface Section {
  cx: number;
  cy: number;
  a: number;
  b: number;
  /** Rotation of the `a` axis from +x towards +y, radians. */
  angle?: number;
}

/** A smooth dome z = top − (dx² + dy²) / (2·radius): the diaphragm. */
interface Dome {
  cx: number;
  cy: number;
  top: number;
  radius: number;
}

/** A solid with an elliptical cross-section that depends on z; optionally only above/below a dome. */
interface Prism {
  kind: 'prism';
  value: number;
  where?: Where;
  zMin: number;
  zMax: number;
  section: (z: number) => Section | null;
  dome?: { dome: Dome; keep: 'above' | 'below'; gap: number };
}

/** A cylinder of radius r around a 3D segment, with round ends (vessels, airways, ribs). */
interface Tube {
  kind: 'tube';
  value: number;
  where?: Where;
  p0: Vec3;
  p1: Vec3;
  r: number;
}

interface Box {
  kind: 'box';
  value: number;
  where?: Where;
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

export type Solid = Prism | Tube | Box;

function domeZ(d: Dome, x: number, y: number): number {
  const dx = x - d.cx;
  const dy = y - d.cy;
  return d.top - (dx * dx + dy * dy) / (2 * d.radius);
}

function passes(where: Where | undefined, v: number): boolean {
  return !where || (v >= where[0] && v <= where[1]);
}

/** The x interval [lo, hi] (relative to cx) of an ellipse on the row at dy from its centre; null if none. */
function ellipseSpan(s: Section, dy: number): [number, number] | null {
  const c = Math.cos(s.angle ?? 0);
  const sn = Math.sin(s.angle ?? 0);
  const ia = 1 / (s.a * s.a);
  const ib = 1 / (s.b * s.b);
  const A = c * c * ia + sn * sn * ib;
  const B = 2 * dy * c * sn * (ia - ib);
  const C = dy * dy * (sn * sn * ia + c * c * ib) - 1;
  const disc = B * B - 4 * A * C;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  return [(-B - root) / (2 * A), (-B + root) / (2 * A)];
}

function sectionAt(p: Prism, z: number): Section | null {
  if (z < p.zMin || z > p.zMax) return null;
  const s = p.section(z);
  return s && s.a > 0 && s.b > 0 ? s : null;
}

function inDome(p: Prism, x: number, y: number, z: number): boolean {
  if (!p.dome) return true;
  const dz = domeZ(p.dome.dome, x, y);
  return p.dome.keep === 'above' ? z > dz + p.dome.gap : z < dz - p.dome.gap;
}

function tubeDistance2(t: Tube, x: number, y: number, z: number): number {
  const dx = t.p1[0] - t.p0[0];
  const dy = t.p1[1] - t.p0[1];
  const dz = t.p1[2] - t.p0[2];
  const len2 = dx * dx + dy * dy + dz * dz;
  let u = len2 > 0 ? ((x - t.p0[0]) * dx + (y - t.p0[1]) * dy + (z - t.p0[2]) * dz) / len2 : 0;
  u = u < 0 ? 0 : u > 1 ? 1 : u;
  const ex = t.p0[0] + u * dx - x;
  const ey = t.p0[1] + u * dy - y;
  const ez = t.p0[2] + u * dz - z;
  return ex * ex + ey * ey + ez * ez;
}

/** Whether `solid` covers (x, y, z), ignoring its `where` condition. */
function covers(solid: Solid, x: number, y: number, z: number): boolean {
  switch (solid.kind) {
    case 'box':
      return x >= solid.x0 && x <= solid.x1 && y >= solid.y0 && y <= solid.y1;
    case 'tube':
      return tubeDistance2(solid, x, y, z) <= solid.r * solid.r;
    case 'prism': {
      const s = sectionAt(solid, z);
      if (!s) return false;
      const span = ellipseSpan(s, y - s.cy);
      return !!span && x - s.cx >= span[0] && x - s.cx <= span[1] && inDome(solid, x, y, z);
    }
  }
}

/** The value of a list of solids at one point (the last solid that covers it and whose condition holds). */
export function valueAt(solids: readonly Solid[], background: number, x: number, y: number, z: number): number {
  let v = background;
  for (const s of solids) if (covers(s, x, y, z) && passes(s.where, v)) v = s.value;
  return v;
}

/** Paints `solids` on the slice at z into `out` (size² values, row-major), over a `background` fill. */
export function rasterize(solids: readonly Solid[], background: number, z: number, grid: Grid, out: Float32Array): void {
  out.fill(background);
  const { size, spacing } = grid;
  const o = gridOrigin(grid);
  const toIndex = (mm: number) => (mm - o) / spacing;
  const clampI = (i: number) => (i < 0 ? 0 : i > size - 1 ? size - 1 : i);
  for (const s of solids) {
    if (s.kind === 'box') {
      const i0 = clampI(Math.ceil(toIndex(s.x0)));
      const i1 = clampI(Math.floor(toIndex(s.x1)));
      const j0 = clampI(Math.ceil(toIndex(s.y0)));
      const j1 = clampI(Math.floor(toIndex(s.y1)));
      for (let j = j0; j <= j1; j++) {
        for (let k = j * size + i0; k <= j * size + i1; k++) if (passes(s.where, out[k]!)) out[k] = s.value;
      }
    } else if (s.kind === 'prism') {
      const sec = sectionAt(s, z);
      if (!sec) continue;
      const r = Math.max(sec.a, sec.b);
      const j0 = clampI(Math.ceil(toIndex(sec.cy - r)));
      const j1 = clampI(Math.floor(toIndex(sec.cy + r)));
      for (let j = j0; j <= j1; j++) {
        const y = o + j * spacing;
        const span = ellipseSpan(sec, y - sec.cy);
        if (!span) continue;
        const i0 = Math.max(0, Math.ceil(toIndex(sec.cx + span[0])));
        const i1 = Math.min(size - 1, Math.floor(toIndex(sec.cx + span[1])));
        const row = j * size;
        for (let i = i0; i <= i1; i++) {
          const x = o + i * spacing;
          // Rounding at the span ends must agree with `covers`, which tests the same inequality.
          if (x - sec.cx < span[0] || x - sec.cx > span[1]) continue;
          const k = row + i;
          if (s.where && (out[k]! < s.where[0] || out[k]! > s.where[1])) continue;
          if (s.dome && !inDome(s, x, y, z)) continue;
          out[k] = s.value;
        }
      }
    } else {
      const zLo = Math.min(s.p0[2], s.p1[2]) - s.r;
      const zHi = Math.max(s.p0[2], s.p1[2]) + s.r;
      if (z < zLo || z > zHi) continue;
      // Bounding box of the part of the segment within r of this plane.
      const dz = s.p1[2] - s.p0[2];
      let u0 = 0;
      let u1 = 1;
      if (Math.abs(dz) > 1e-9) {
        const a = (z - s.r - s.p0[2]) / dz;
        const b = (z + s.r - s.p0[2]) / dz;
        u0 = Math.max(0, Math.min(a, b));
        u1 = Math.min(1, Math.max(a, b));
      }
      const xa = s.p0[0] + u0 * (s.p1[0] - s.p0[0]);
      const xb = s.p0[0] + u1 * (s.p1[0] - s.p0[0]);
      const ya = s.p0[1] + u0 * (s.p1[1] - s.p0[1]);
      const yb = s.p0[1] + u1 * (s.p1[1] - s.p0[1]);
      const i0 = clampI(Math.floor(toIndex(Math.min(xa, xb) - s.r)));
      const i1 = clampI(Math.ceil(toIndex(Math.max(xa, xb) + s.r)));
      const j0 = clampI(Math.floor(toIndex(Math.min(ya, yb) - s.r)));
      const j1 = clampI(Math.ceil(toIndex(Math.max(ya, yb) + s.r)));
      const r2 = s.r * s.r;
      for (let j = j0; j <= j1; j++) {
        const y = o + j * spacing;
        for (let i = i0; i <= i1; i++) {
          const k = j * size + i;
          if (s.where && (out[k]! < s.where[0] || out[k]! > s.where[1])) continue;
          if (tubeDistance2(s, o + i * spacing, y, z) <= r2) out[k] = s.value;
        }
      }
    }
  }
}

// ---- CT: chest and upper abdomen --------------------------------------------------------------------------

/** HU of the materials, for callers and tests. */
export const HU = {
  air: -1000,
  lung: -850,
  fat: -100,
  mediastinalFat: -80,
  skin: 30,
  muscle: 45,
  blood: 40,
  vessel: 40,
  myocardium: 45,
  aorta: 200,
  leftHeart: 170,
  rightHeart: 140,
  pulmonaryArtery: 160,
  venaCava: 120,
  liver: 60,
  liverVessel: 130,
  liverLesion: 10,
  spleen: 50,
  kidneyCortex: 160,
  kidneyMedulla: 90,
  sinusFat: -60,
  fluid: 15,
  bile: 8,
  bowel: 25,
  nodule: 30,
  corticalBone: 1000,
  ribBone: 750,
  cancellousBone: 250,
  disc: 80,
  csf: 15,
  cartilage: 110,
  table: 200,
} as const;

/** The CT volume covers z from +150 (lung apices) to −150 (lower poles of the kidneys); z = 0 is mid-volume. */
export const CT_EXTENT = { zTop: 150, zBottom: -150 } as const;

function smoothstep(e0: number, e1: number, x: number): number {
  const t = Math.min(1, Math.max(0, (x - e0) / (e1 - e0)));
  return t * t * (3 - 2 * t);
}

/** 1 at `mid`, falling to 0 at mid ± half like an ellipse profile (organs with rounded poles). */
function pole(z: number, mid: number, half: number): number {
  const t = (z - mid) / half;
  return t * t >= 1 ? 0 : Math.sqrt(1 - t * t);
}

/** Body outline: the chest is wider and flatter than the abdomen. */
export function bodySection(z: number): Section {
  const chest = smoothstep(-60, 20, z);
  const shoulders = smoothstep(100, 150, z);
  return { cx: 0, cy: 0, a: 150 + 10 * chest - 8 * shoulders, b: 116 - 4 * chest };
}

const RIGHT_DOME: Dome = { cx: -60, cy: 10, top: 5, radius: 150 };
const LEFT_DOME: Dome = { cx: 60, cy: 10, top: -8, radius: 150 };

const prism = (value: number, zMin: number, zMax: number, section: (z: number) => Section | null, extra: Partial<Prism> = {}): Prism => ({
  kind: 'prism',
  value,
  zMin,
  zMax,
  section,
  ...extra,
});
const tube = (value: number, p0: Vec3, p1: Vec3, r: number, where?: Where): Tube => ({ kind: 'tube', value, p0, p1, r, where });
/** A polyline of tubes. */
const path3 = (value: number, points: Vec3[], r: number, where?: Where): Tube[] =>
  points.slice(1).map((p, i) => tube(value, points[i]!, p, r, where));
const sphere = (value: number, c: Vec3, r: number, where?: Where): Prism =>
  prism(value, c[2] - r, c[2] + r, (z) => {
    const rr = Math.sqrt(Math.max(0, r * r - (z - c[2]) ** 2));
    return { cx: c[0], cy: c[1], a: rr, b: rr };
  }, { where });
const cylinder = (value: number, zMin: number, zMax: number, s: Section, where?: Where): Prism => prism(value, zMin, zMax, () => s, { where });

const IN_LUNG: Where = [HU.lung - 1, HU.lung + 1];
const IN_LIVER: Where = [HU.liver - 1, HU.liver + 1];

/** Branching pulmonary vessels from a hilum, as tubes (deterministic). */
function vesselTree(hilum: Vec3, side: 1 | -1, next: () => number): Tube[] {
  const out: Tube[] = [];
  const grow = (from: Vec3, dir: Vec3, length: number, r: number, depth: number) => {
    const to: Vec3 = [from[0] + dir[0] * length, from[1] + dir[1] * length, from[2] + dir[2] * length];
    out.push(tube(HU.vessel, from, to, r, IN_LUNG));
    if (depth === 0) return;
    for (let k = 0; k < 2; k++) {
      const d: [number, number, number] = [dir[0] + (next() - 0.5) * 0.9, dir[1] + (next() - 0.5) * 0.9, dir[2] + (next() - 0.5) * 0.9];
      const n = Math.hypot(...d) || 1;
      grow(to, [d[0] / n, d[1] / n, d[2] / n], length * 0.72, r * 0.72, depth - 1);
    }
  };
  // Primary branches fan out laterally, up (upper lobe), down (lower lobe, longer), forwards and backwards.
  for (let k = 0; k < 12; k++) {
    const d: Vec3 = [side * (0.25 + 0.75 * next()), (next() - 0.5) * 1.6, (k / 11 - 0.45) * 2.4];
    const n = Math.hypot(...d);
    grow(hilum, [d[0] / n, d[1] / n, d[2] / n], d[2] < 0 ? 42 : 34, 3.6, 4);
  }
  return out;
}

/** One pair of ribs: from the spine round the side to the front, sloping down. */
function ribs(level: number, zSpine: number): Tube[] {
  const out: Tube[] = [];
  const floating = level >= 9;
  const endAngle = floating ? -0.1 : -1.05; // radians; y = b·sin(θ), so negative θ is anterior
  const startAngle = 1.72;
  const steps = 10;
  for (const side of [-1, 1] as const) {
    const points: Vec3[] = [];
    for (let k = 0; k <= steps; k++) {
      const t = k / steps;
      const theta = startAngle + (endAngle - startAngle) * t;
      const z = zSpine - 85 * t;
      const body = bodySection(z);
      const ra = body.a - 20;
      const rb = body.b - 18;
      points.push([side * ra * Math.cos(theta), rb * Math.sin(theta), z]);
    }
    out.push(...path3(HU.ribBone, points, 4.5), ...path3(HU.cancellousBone, points, 2.2));
  }
  return out;
}

/** Vertebral bodies (cortical shell, cancellous core), discs and the posterior arch, top to bottom. */
function spine(): Solid[] {
  const out: Solid[] = [];
  let z = 190;
  while (z > -200) {
    const lumbar = smoothstep(-20, -90, z);
    const height = 21 + 10 * lumbar;
    const discH = 5 + 3 * lumbar;
    const top = z;
    const bottom = z - height;
    const a = 20 + 6 * lumbar;
    const b = 16 + 4 * lumbar;
    const cy = 64;
    out.push(cylinder(HU.disc, bottom - discH, bottom, { cx: 0, cy, a: a - 0.5, b: b - 0.5 }));
    out.push(cylinder(HU.corticalBone, bottom, top, { cx: 0, cy, a, b }));
    out.push(cylinder(HU.cancellousBone, bottom + 1.6, top - 1.6, { cx: 0, cy, a: a - 2.2, b: b - 2.2 }));
    // Arch, spinous and transverse processes over the middle of the vertebra (gaps are the foramina).
    const aTop = top - height * 0.15;
    const aBot = bottom + height * 0.3;
    out.push(cylinder(HU.ribBone, aBot, aTop, { cx: 0, cy: cy + b + 10, a: 14, b: 12 }));
    out.push(cylinder(HU.ribBone, aBot - 4, aTop - 2, { cx: 0, cy: cy + b + 24, a: 4, b: 8 }));
    for (const side of [-1, 1]) {
      out.push(cylinder(HU.ribBone, aBot + 2, aTop, { cx: side * (24 + 4 * lumbar), cy: cy + b + 6, a: 10 + 6 * lumbar, b: 4, angle: side * 0.25 }));
    }
    z = bottom - discH;
  }
  // The canal runs through everything.
  out.push(cylinder(HU.csf, -400, 400, { cx: 0, cy: 64 + 16 + 10, a: 8, b: 7 }));
  return out;
}

function buildCt(seed: number): Solid[] {
  const next = prng(seed);
  const solids: Solid[] = [];
  const { zTop, zBottom } = CT_EXTENT;
  const zLo = zBottom - 60;
  const zHi = zTop + 60;

  // Patient table under the body.
  solids.push({ kind: 'box', value: HU.table, x0: -172, x1: 172, y0: 121, y1: 127 });
  // Skin, subcutaneous fat, muscle wall.
  solids.push(prism(HU.skin, zLo, zHi, bodySection));
  solids.push(prism(HU.fat, zLo, zHi, (z) => { const s = bodySection(z); return { ...s, a: s.a - 2, b: s.b - 2 }; }));
  solids.push(prism(HU.muscle, zLo, zHi, (z) => { const s = bodySection(z); return { ...s, a: s.a - 14, b: s.b - 13 }; }));
  // Intra-abdominal fat below the diaphragm, organs go on top.
  solids.push(prism(HU.mediastinalFat, zLo, 10, (z) => { const s = bodySection(z); return { ...s, cy: -8, a: s.a - 30, b: s.b - 38 }; }, { dome: { dome: LEFT_DOME, keep: 'below', gap: 2 } }));

  // Scapulae and clavicles (upper chest), sternum.
  for (const side of [-1, 1]) {
    solids.push(cylinder(HU.ribBone, 55, 200, { cx: side * 95, cy: 68, a: 40, b: 4, angle: side * -0.55 }));
    solids.push(...path3(HU.ribBone, [[side * 18, -92, 142], [side * 70, -78, 150], [side * 112, -52, 156]], 7));
  }
  solids.push(cylinder(HU.ribBone, 5, 140, { cx: 0, cy: -100, a: 14, b: 6 }));
  solids.push(cylinder(HU.cancellousBone, 7, 138, { cx: 0, cy: -100, a: 11, b: 3.5 }));

  // Lungs: rounded apices, bases cut by the diaphragm domes (lower at the periphery: the recesses).
  for (const side of [-1, 1] as const) {
    const dome = side < 0 ? RIGHT_DOME : LEFT_DOME;
    solids.push(
      prism(HU.lung, -80, 160, (z) => {
        const p = z > 80 ? pole(z, 80, 80) : 1;
        const lower = z < 0 ? 1 - 0.15 * smoothstep(0, -60, z) : 1;
        return { cx: side * 66, cy: 6, a: 60 * p * lower, b: 84 * Math.sqrt(p) * lower };
      }, { dome: { dome, keep: 'above', gap: 2 } }),
    );
  }
  // Pulmonary vessels, then small solid nodules inside the lungs.
  solids.push(...vesselTree([-48, 8, 52], -1, next), ...vesselTree([50, 10, 48], 1, next));
  solids.push(sphere(HU.nodule, [78, -22, 64], 7, IN_LUNG), sphere(HU.nodule, [-70, 34, 22], 4, IN_LUNG), sphere(HU.nodule, [52, 14, 104], 3, IN_LUNG));

  // Mediastinum: fat, then the great vessels and the heart.
  solids.push(prism(HU.mediastinalFat, -12, 150, (z) => ({ cx: 2, cy: -22 + 12 * smoothstep(60, 140, z), a: 24 + 10 * smoothstep(100, 40, z), b: 52 - 18 * smoothstep(80, 140, z) })));
  // Trachea and main bronchi: a soft-tissue wall, then the air lumen.
  const airway: [Vec3[], number][] = [
    [[[0, 14, 220], [0, 16, 70]], 9],
    [[[0, 16, 70], [-38, 12, 48], [-62, 6, 62]], 6.5],
    [[[-38, 12, 48], [-60, 22, 18]], 5],
    [[[0, 16, 70], [40, 14, 44], [62, 8, 56]], 6],
    [[[40, 14, 44], [60, 26, 14]], 4.5],
  ];
  for (const [points, r] of airway) solids.push(...path3(HU.muscle, points, r + 2));
  for (const [points, r] of airway) solids.push(...path3(HU.air, points, r));
  // Oesophagus with a little air.
  solids.push(...path3(HU.muscle, [[-6, 38, 220], [-4, 38, 20], [30, 8, -28]], 7));
  solids.push(...path3(HU.air, [[-6, 38, 220], [-4, 38, 20]], 2));

  // Heart: myocardium, then contrast-filled chambers (arterial phase: left brighter than right).
  const heart = (z: number, scale: number, dx: number, dy: number, a: number, b: number, angle: number): Section | null => {
    const p = pole(z, 20, 42);
    return p > 0 ? { cx: 22 + dx, cy: -32 + dy, a: a * p * scale, b: b * p * scale, angle } : null;
  };
  solids.push(prism(HU.myocardium, -22, 62, (z) => heart(z, 1, 0, 0, 62, 48, 0.5)));
  solids.push(prism(HU.leftHeart, -16, 56, (z) => heart(z, 1, 18, -4, 26, 17, 0.6)));
  solids.push(prism(HU.rightHeart, -16, 50, (z) => heart(z, 1, -16, -22, 24, 13, 0.3)));
  solids.push(prism(HU.leftHeart, 28, 60, (z) => { const p = pole(z, 44, 16); return { cx: 18, cy: 2, a: 26 * p, b: 14 * p }; }));
  // Pulmonary trunk and arteries to the hila.
  solids.push(...path3(HU.pulmonaryArtery, [[4, -54, 36], [12, -40, 62], [48, 6, 56]], 11));
  solids.push(...path3(HU.pulmonaryArtery, [[12, -40, 62], [-10, -22, 60], [-46, 6, 54]], 10));
  // Aorta: ascending, arch, descending thoracic and abdominal.
  solids.push(...path3(HU.aorta, [[-6, -34, 14], [-6, -36, 92], [2, -12, 108], [18, 12, 104], [22, 28, 92]], 14));
  solids.push(...path3(HU.aorta, [[22, 28, 92], [18, 30, -20], [8, 34, -260]], 11.5));
  // Vena cava: superior into the right atrium, inferior from the abdomen.
  solids.push(...path3(HU.venaCava, [[-28, -28, 180], [-26, -28, 40], [-12, -24, 10]], 10));
  solids.push(...path3(HU.venaCava, [[-22, 30, -260], [-22, 24, -40], [-8, -6, -4]], 12));

  // Liver under the right dome, with a left lobe crossing the midline, veins and a hypodense lesion.
  const liverDome = { dome: RIGHT_DOME, keep: 'below' as const, gap: 4 };
  solids.push(prism(HU.liver, -140, 10, (z) => { const p = pole(z, -45, 95); return { cx: -58, cy: 0, a: 82 * Math.sqrt(p), b: 84 * Math.sqrt(p) }; }, { dome: liverDome }));
  solids.push(prism(HU.liver, -75, 10, (z) => { const p = pole(z, -30, 45); return { cx: -2, cy: -52, a: 52 * p, b: 26 * p, angle: -0.25 }; }, { dome: liverDome }));
  solids.push(...path3(HU.liverVessel, [[-16, 18, -10], [-60, -10, -34], [-96, -30, -50]], 5, IN_LIVER));
  solids.push(...path3(HU.liverVessel, [[-16, 18, -10], [-40, -44, -30]], 4.5, IN_LIVER));
  solids.push(...path3(HU.liverVessel, [[-12, 8, -88], [-40, -2, -66], [-70, 8, -60]], 6, IN_LIVER));
  solids.push(sphere(HU.liverLesion, [-84, -12, -56], 13, IN_LIVER));
  solids.push(prism(HU.bile, -98, -58, (z) => { const p = pole(z, -78, 20); return { cx: -42, cy: -46, a: 12 * p, b: 20 * p, angle: 0.4 }; }));

  // Under the left dome: stomach (fluid with an air cap at the front), spleen.
  const leftDome = { dome: LEFT_DOME, keep: 'below' as const, gap: 4 };
  solids.push(prism(HU.fluid, -90, 0, (z) => { const p = pole(z, -40, 50); return { cx: 50, cy: -28, a: 44 * p, b: 32 * p, angle: -0.4 }; }, { dome: leftDome }));
  solids.push(prism(HU.air, -60, 0, (z) => { const p = pole(z, -30, 30); return { cx: 46, cy: -48, a: 30 * p, b: 11 * p, angle: -0.4 }; }, { dome: leftDome, where: [HU.fluid - 1, HU.fluid + 1] }));
  solids.push(prism(HU.spleen, -105, 0, (z) => { const p = pole(z, -50, 55); return { cx: 86, cy: 46, a: 28 * p, b: 50 * p, angle: -0.7 }; }, { dome: leftDome }));

  // Kidneys (left higher than right): enhancing cortex, medulla, sinus fat; renal arteries from the aorta.
  for (const side of [-1, 1] as const) {
    const mid = side < 0 ? -122 : -112;
    const k = (scale: number, dx: number) => (z: number): Section | null => {
      const p = pole(z, mid, 42);
      return p > 0 ? { cx: side * (72 + dx), cy: 48, a: 28 * p * scale, b: 44 * p * scale, angle: side * 0.45 } : null;
    };
    solids.push(prism(HU.kidneyCortex, mid - 42, mid + 42, k(1, 0)));
    solids.push(prism(HU.kidneyMedulla, mid - 42, mid + 42, k(0.65, 0)));
    solids.push(prism(HU.sinusFat, mid - 42, mid + 42, k(0.35, -12)));
    solids.push(tube(HU.aorta, [side * 6, 34, mid + 10], [side * 62, 44, mid + 4], 3));
  }
  // Psoas muscles alongside the lumbar spine.
  for (const side of [-1, 1]) {
    solids.push(prism(HU.muscle, -260, -70, (z) => { const g = smoothstep(-70, -160, z); return { cx: side * (30 + 6 * g), cy: 58, a: 6 + 12 * g, b: 8 + 10 * g }; }));
  }
  // Bowel loops in the lower abdomen: fluid with some gas.
  for (let n = 0; n < 16; n++) {
    const cx = -70 + 140 * next();
    const cy = -80 + 70 * next();
    const cz = -150 + 70 * next();
    const r = 9 + 9 * next();
    const len = 18 + 20 * next();
    const angle = Math.PI * next();
    solids.push(prism(HU.bowel, cz - len, cz + len, (z) => { const p = pole(z, cz, len); return { cx, cy, a: r * Math.sqrt(p), b: r * 0.8 * Math.sqrt(p), angle }; }, { where: [HU.mediastinalFat - 1, HU.mediastinalFat + 1] }));
    if (next() < 0.4) solids.push(sphere(HU.air, [cx, cy - r * 0.4, cz], r * 0.45, [HU.bowel - 1, HU.bowel + 1]));
  }

  // Ribs (twelve pairs from the upper chest down), then the spine on top of everything near the midline.
  for (let level = 0; level < 12; level++) solids.push(...ribs(level, 168 - level * 24));
  solids.push(...spine());
  return solids;
}

const CT_SEED = 20250314;
let ctSolids: Solid[] | undefined;

/** The CT phantom's solids (built once; deterministic). */
export function ctPhantom(): readonly Solid[] {
  return (ctSolids ??= buildCt(CT_SEED));
}

/** HU of the CT phantom at one point, without noise. */
export function ctHuAt(x: number, y: number, z: number): number {
  return valueAt(ctPhantom(), HU.air, x, y, z);
}

/**
 * One CT slice at z: HU values with Gaussian noise (σ `noise`, seeded by `seed` so slices differ but reruns
 * don't), row-major, row j at y = origin + j·spacing.
 */
export function ctSliceHu(z: number, grid: Grid, options: { noise?: number; seed?: number; out?: Float32Array } = {}): Float32Array {
  const out = options.out ?? new Float32Array(grid.size * grid.size);
  rasterize(ctPhantom(), HU.air, z, grid, out);
  if (options.noise) addGaussianNoise(out, options.noise, options.seed ?? Math.round(z * 1000));
  return out;
}

// ---- MR: T2-weighted brain --------------------------------------------------------------------------------

/** Signal levels of a T2-like image (CSF bright, white matter darker than grey). */
export const MR_SIGNAL = {
  background: 0,
  scalp: 820,
  skull: 70,
  csf: 1850,
  grey: 1080,
  white: 720,
  deepGrey: 980,
  brainstem: 800,
  vitreous: 1900,
  orbitFat: 900,
  muscle: 380,
} as const;

/** The head: an ellipsoid centred at (0, 4, −8) mm. */
const HEAD = { cx: 0, cy: 4, cz: -8, a: 74, b: 94, c: 100 } as const;

/** T2-like signal of the synthetic brain at one point (no noise). */
export function mrSignalAt(x: number, y: number, z: number): number {
  const S = MR_SIGNAL;
  const nx = (x - HEAD.cx) / HEAD.a;
  const ny = (y - HEAD.cy) / HEAD.b;
  const nz = (z - HEAD.cz) / HEAD.c;
  const rho = Math.sqrt(nx * nx + ny * ny + nz * nz);
  if (rho > 1) return S.background;
  if (rho > 0.955) return S.scalp;
  if (rho > 0.905) return S.skull;
  // Orbits at the front of the lowest slices.
  if (z < -28) {
    for (const side of [-1, 1]) {
      const d = Math.hypot(x - side * 32, y + 66, (z + 44) * 1.1);
      if (d < 11) return S.vitreous;
      if (d < 17) return S.orbitFat;
    }
    // Nasal cavity and ethmoid air cells between the orbits.
    if (Math.abs(x) < 16 && y < -48) return S.skull;
  }
  if (rho > 0.885) return S.csf;
  const theta = Math.atan2(ny, nx);
  // Gyri: the grey/white boundary and the sulci follow angular waves that drift with z.
  const phase = 11 * theta + z / 8 + 1.3 * Math.sin(3 * theta + z / 30);
  const wave = 0.05 * Math.sin(phase) + 0.02 * Math.sin(17 * theta - z / 5);
  // Sulci: CSF clefts reaching into the cortex between gyri.
  if (rho > 0.78 + wave && Math.cos(phase) > 0.93) return S.csf;
  // Interhemispheric fissure above the corpus callosum.
  if (Math.abs(x) < 1.6 && z > 8 && (y < -20 || y > 30 || z > 40)) return S.csf;
  // Posterior fossa: cerebellum with folia, brainstem, fourth ventricle.
  if (z < -18) {
    const cb = ((x / 52) ** 2 + ((y - 52) / 34) ** 2 + ((z + 40) / 26) ** 2);
    if (Math.hypot(x, y - 38) < 5 && z > -45) return S.csf;
    if (Math.hypot(x / 14, (y - 22) / 13) < 1) return S.brainstem;
    if (cb < 1) return Math.sin(Math.hypot(x * 0.8, y - 30, z + 10) / 1.3 + Math.sin(x / 9)) > -0.2 ? S.grey : S.white;
  }
  // Lateral ventricles (butterfly-shaped at mid levels), third ventricle.
  const vz = pole(z, 18, 20);
  if (vz > 0) {
    for (const side of [-1, 1]) {
      const vx = (x - side * (7 + 4 * vz)) / (5 * vz + 1);
      const vy = (y + 2) / (28 * vz + 2);
      if (vx * vx + vy * vy < 1) return S.csf;
    }
  }
  if (Math.abs(x) < 2 && y > -4 && y < 14 && z > -12 && z < 6) return S.csf;
  // Deep grey nuclei (thalami, basal ganglia).
  for (const side of [-1, 1]) {
    if (((x - side * 17) / 11) ** 2 + ((y - 6) / 16) ** 2 + (z / 14) ** 2 < 1) return S.deepGrey;
  }
  return rho > 0.75 + wave ? S.grey : S.white;
}

/** One MR slice at z: signal with noise as in a magnitude image (|signal + complex Gaussian noise|). */
export function mrSlice(z: number, grid: Grid, options: { noise?: number; seed?: number } = {}): Float32Array {
  const out = new Float32Array(grid.size * grid.size);
  const o = gridOrigin(grid);
  for (let j = 0; j < grid.size; j++) {
    const y = o + j * grid.spacing;
    for (let i = 0; i < grid.size; i++) {
      const x = o + i * grid.spacing;
      // A gentle coil sensitivity falloff from front to back.
      out[j * grid.size + i] = mrSignalAt(x, y, z) * (1.06 - 0.12 * ((y + 120) / 240));
    }
  }
  const sigma = options.noise ?? 0;
  if (sigma > 0) {
    const normal = normalSource(options.seed ?? Math.round(z * 1000));
    for (let k = 0; k < out.length; k++) out[k] = Math.hypot(out[k]! + sigma * normal(), sigma * normal());
  }
  return out;
}

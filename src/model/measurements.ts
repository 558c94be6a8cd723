// Measurements as the app shows, lists and exports them: plain data, independent of the drawing library.
import type { DicomJson } from '../dicom/json';

/**
 * The measurement and annotation tools, in toolbar order, by the names DICOM SR tracking identifiers use
 * (Cornerstone3D's): the one list. imaging/annotations.ts maps each to its drawing tool, the viewer's commands give
 * each a button and hotkeys.
 */
export const MEASUREMENT_KINDS = [
  'Length',
  'Angle',
  'CobbAngle',
  'Bidirectional',
  'EllipticalROI',
  'RectangleROI',
  'CircleROI',
  'PlanarFreehandROI',
  'Probe',
  'ArrowAnnotate',
  'Label',
] as const;

export type MeasurementKind = (typeof MEASUREMENT_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(MEASUREMENT_KINDS);
export const isMeasurementKind = (name: string): name is MeasurementKind => KINDS.has(name);

export const KIND_LABELS: Record<MeasurementKind, string> = {
  Length: 'Length',
  Angle: 'Angle',
  CobbAngle: 'Cobb angle',
  Bidirectional: 'Bidirectional',
  EllipticalROI: 'Ellipse ROI',
  RectangleROI: 'Rectangle ROI',
  CircleROI: 'Circle ROI',
  PlanarFreehandROI: 'Freehand ROI',
  Probe: 'Probe',
  ArrowAnnotate: 'Arrow',
  Label: 'Text',
};

export type ReformattedPlane = 'axial' | 'sagittal' | 'coronal' | 'oblique';

/**
 * The MPR plane a view direction (the viewport's plane normal, patient axes) shows: the patient axis it lies
 * along within 1°, else oblique.
 */
export function planeOfNormal(normal: readonly number[] | undefined): ReformattedPlane {
  if (!normal || normal.length < 3) return 'oblique';
  const len = Math.hypot(normal[0]!, normal[1]!, normal[2]!);
  if (!len) return 'oblique';
  const cos1deg = Math.cos((1 * Math.PI) / 180);
  const names: ReformattedPlane[] = ['sagittal', 'coronal', 'axial'];
  for (let k = 0; k < 3; k++) if (Math.abs(normal[k]!) / len >= cos1deg) return names[k]!;
  return 'oblique';
}

/**
 * The MPR plane points lie in when the view they were drawn in is not recorded (a line put back from a report):
 * the one patient axis along which they do not move (within 0.01 mm); undefined when none or several.
 */
export function planeOfPoints(points: readonly (readonly number[])[]): ReformattedPlane | undefined {
  if (points.length < 2) return undefined;
  const names: ReformattedPlane[] = ['sagittal', 'coronal', 'axial'];
  const fixed = [0, 1, 2].filter((k) => points.every((p) => Math.abs(p[k]! - points[0]![k]!) < 0.01));
  return fixed.length === 1 ? names[fixed[0]!] : undefined;
}

export interface MeasurementValue {
  /** 'length', 'width', 'angle', 'area', 'mean', 'stdDev', 'min', 'max', 'value'. */
  name: string;
  value: number;
  unit: string;
}

export interface Measurement {
  uid: string;
  kind: MeasurementKind;
  /** The reader's label, or the text of an arrow or text annotation. */
  label: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** The image it is drawn on; empty for a measurement on a reformatted plane (see `reformatted`). */
  sopInstanceUID: string;
  /** 1-based frame of a multi-frame instance; 1 otherwise; 0 on a reformatted plane. */
  frameNumber: number;
  /**
   * Drawn on an MPR plane that is not one of the series' images (sagittal, coronal, oblique): it lies in the
   * series' volume, placed by patient coordinates (SCOORD3D in the report), and shows in MPR.
   */
  reformatted?: { plane: ReformattedPlane; /** Its first point (patient mm): where MPR centres to show it. */ point: [number, number, number] };
  values: MeasurementValue[];
  /** Where it is drawn: its points in patient coordinates, rounded to 0.1 mm (a move changes it). */
  geometry?: string;
  /** Why sizes may not be true patient sizes (no PixelSpacing), when that is so. */
  calibrationNote?: string;
  /** An area ROI not wholly on its image: what its values are over (see extentNote). */
  extentNote?: string;
}

/** The measurement kinds that outline an area and report pixel statistics over it. */
export const AREA_KINDS: ReadonlySet<MeasurementKind> = new Set(['EllipticalROI', 'RectangleROI', 'CircleROI', 'PlanarFreehandROI']);

export type Extent = 'inside' | 'partly' | 'outside';

/**
 * Where an outline lies on its image: `outline` in image coordinates (x along a row, y down the columns, in
 * pixels, the image spanning [0, columns] × [0, rows]), by its bounding box, with a hundredth of a pixel's
 * tolerance for handles placed on the edge.
 */
export function extentOnImage(outline: readonly (readonly number[])[], columns: number, rows: number): Extent {
  if (outline.length === 0) return 'inside';
  const xs = outline.map((p) => p[0]!);
  const ys = outline.map((p) => p[1]!);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const e = 0.01;
  if (x1 <= -e || y1 <= -e || x0 >= columns + e || y0 >= rows + e) return 'outside';
  return x0 >= -e && y0 >= -e && x1 <= columns + e && y1 <= rows + e ? 'inside' : 'partly';
}

/**
 * What the panel and the CSV say of an area ROI that is not wholly on its image. `hasValues`: the tool found
 * pixels under it (a box that overlaps the image may still cover none of it).
 */
export function extentNote(extent: Extent, hasValues: boolean): string | undefined {
  if (extent === 'inside') return undefined;
  if (extent === 'outside' || !hasValues) return MEASUREMENT_NOTES.outside;
  return MEASUREMENT_NOTES.partly;
}

/**
 * The notes a measurement may carry (calibrationNote, extentNote), in English: the measurement keeps them so (the
 * CSV and the report say them); a screen says them by key in the reader's language.
 */
export const MEASUREMENT_NOTES = {
  outside: 'Outside the image: no pixel values',
  partly: 'Partly outside the image: statistics over the part on it (area: the whole shape)',
  detector: 'Calibrated at the detector (Imager Pixel Spacing): sizes are not corrected for magnification',
  uncalibrated: 'Uncalibrated image: lengths and areas are in pixels',
} as const;

const NAMES: Record<string, string> = {
  length: 'Length',
  width: 'Width',
  angle: 'Angle',
  area: 'Area',
  mean: 'Mean',
  stdDev: 'SD',
  min: 'Min',
  max: 'Max',
  value: 'Value',
};

export const valueName = (name: string): string => NAMES[name] ?? name;

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/**
 * The values one tool computed for one image (Cornerstone's cachedStats entry), in display order. Units come
 * with the stats: 'mm' / 'mm²' with PixelSpacing, 'px' / 'px²' without, the modality unit (HU) for ROI statistics.
 */
export function valuesFromStats(kind: MeasurementKind, stats: Record<string, unknown> | undefined): MeasurementValue[] {
  if (!stats) return [];
  const out: MeasurementValue[] = [];
  const add = (name: string, value: unknown, unit: unknown) => {
    const v = num(value);
    if (v !== undefined) out.push({ name, value: v, unit: typeof unit === 'string' ? unit : '' });
  };
  const lengthUnit = stats.unit ?? stats.radiusUnit;
  switch (kind) {
    case 'Length':
      add('length', stats.length, lengthUnit);
      break;
    case 'Bidirectional':
      add('length', stats.length, lengthUnit);
      add('width', stats.width, lengthUnit);
      break;
    case 'Angle':
    case 'CobbAngle':
      add('angle', stats.angle, '°');
      break;
    case 'EllipticalROI':
    case 'RectangleROI':
    case 'CircleROI':
    case 'PlanarFreehandROI': {
      const unit = stats.modalityUnit ?? '';
      add('mean', stats.mean, unit);
      add('stdDev', stats.stdDev, unit);
      add('min', stats.min, unit);
      add('max', stats.max, unit);
      add('area', stats.area, stats.areaUnit);
      break;
    }
    case 'Probe': {
      const value = Array.isArray(stats.value) ? stats.value[0] : stats.value;
      add('value', value, stats.modalityUnit ?? '');
      break;
    }
    default:
      break;
  }
  return out;
}

/**
 * How a screen writes numbers, units and value names in the reader's language (features/common/useFormat.ts);
 * without it, as here: English, Western digits.
 */
export interface ValueWords {
  /** `n` with `digits` decimals (always that many). */
  number: (n: number, digits: number) => string;
  unit: (unit: string) => string;
  /** A value's name ('mean' → 'Mean'). */
  name: (name: string) => string;
  /** Between values ("Mean 40.0 HU, SD 2.0 HU"). */
  separator: string;
}

const ENGLISH: ValueWords = { number: (n, digits) => n.toFixed(digits), unit: (u) => u, name: valueName, separator: ', ' };

/** One value for reading: lengths and areas to 0.1, statistics to 0.1, angles to 0.1°. */
export function formatValue(v: MeasurementValue, words: ValueWords = ENGLISH): string {
  const rounded = Math.abs(v.value) >= 1000 ? words.number(Math.round(v.value), 0) : words.number(Math.round(v.value * 10) / 10, 1);
  if (!v.unit) return rounded;
  return v.unit === '°' ? `${rounded}°` : `${rounded} ${words.unit(v.unit)}`;
}

/** The line the measurement list shows for a measurement's values. */
export function summarize(m: Pick<Measurement, 'kind' | 'values'>, words: ValueWords = ENGLISH): string {
  const get = (name: string) => m.values.find((v) => v.name === name);
  const value = (v: MeasurementValue) => formatValue(v, words);
  switch (m.kind) {
    case 'Bidirectional': {
      const l = get('length');
      const w = get('width');
      return l && w ? `${value(l)} × ${value(w)}` : '';
    }
    case 'EllipticalROI':
    case 'RectangleROI':
    case 'CircleROI':
    case 'PlanarFreehandROI':
      return m.values.map((v) => `${words.name(v.name)} ${value(v)}`).join(words.separator);
    default:
      return m.values.map(value).join(words.separator);
  }
}

/**
 * Why lengths on this image may not be true patient sizes. PixelSpacing (or the enhanced multi-frame Pixel
 * Measures) calibrates to the patient; ImagerPixelSpacing alone is the detector's spacing (projection X-ray:
 * the patient is magnified by the beam's divergence); neither means lengths are in pixels.
 */
export function calibrationNote(instance: DicomJson): string | undefined {
  const has = (ds: DicomJson | undefined, tag: string) => Array.isArray(ds?.[tag]?.Value) && (ds[tag]!.Value as unknown[]).length >= 2;
  const inGroups = (tag: string) =>
    ['52009229', '52009230'].some((group) => {
      const items = (instance[group]?.Value ?? []) as DicomJson[];
      return items.some((item) => ((item['00289110']?.Value ?? []) as DicomJson[]).some((m) => has(m, tag)));
    });
  if (has(instance, '00280030') || inGroups('00280030')) return undefined;
  if (has(instance, '00181164')) {
    return MEASUREMENT_NOTES.detector;
  }
  return MEASUREMENT_NOTES.uncalibrated;
}

/** Opens a spreadsheet cell with a quote when it would otherwise start a formula (=, +, -, @). */
function cell(value: string | number): string {
  let s = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export interface CsvContext {
  /** Series number and description for a series UID, when known. */
  series: (seriesInstanceUID: string) => { number?: number; description?: string } | undefined;
  /** 1-based position of the image in its series as the viewer shows it, when known. */
  imageNumber: (m: Measurement) => number | undefined;
}

/** The measurement table as CSV: one row per value, so every column holds one kind of thing. */
export function measurementsToCsv(list: Measurement[], ctx: CsvContext): string {
  const rows: (string | number)[][] = [
    ['Label', 'Tool', 'Series number', 'Series description', 'Image', 'Frame', 'SOP Instance UID', 'Quantity', 'Value', 'Unit', 'Note'],
  ];
  for (const m of list) {
    const series = ctx.series(m.seriesInstanceUID);
    const base = [
      m.label,
      KIND_LABELS[m.kind],
      series?.number ?? '',
      series?.description ?? '',
      m.reformatted ? `${m.reformatted.plane} MPR` : (ctx.imageNumber(m) ?? ''),
      m.reformatted ? '' : m.frameNumber,
      m.sopInstanceUID,
    ];
    const note = [m.calibrationNote, m.extentNote].filter(Boolean).join('; ');
    if (m.values.length === 0) rows.push([...base, '', '', '', note]);
    for (const v of m.values) rows.push([...base, valueName(v.name), Math.round(v.value * 1000) / 1000, v.unit, note]);
  }
  return rows.map((r) => r.map(cell).join(',')).join('\r\n') + '\r\n';
}

// What the viewer needs to know of a DICOM Segmentation before (and besides) drawing it: its segments (number,
// label, algorithm, recommended colour) and the series it was made on, all from the instance's metadata, so the
// segments panel and the "referenced series missing" message need no pixel data. Pure functions.
import { getNumber, getNumbers, getSequence, getString, type DicomJson } from '../dicom/json';

export type Rgb = [number, number, number];

/** One segment of an overlay set (a SEG's segment or, later, an RTSTRUCT's ROI). */
export interface SegmentInfo {
  /** Segment Number (1-based): the value Cornerstone's labelmap holds for it. */
  number: number;
  label: string;
  /** Segment Algorithm Name, or the algorithm type (MANUAL…) when the name is absent. */
  algorithm?: string;
  /** sRGB 0–255: the recommended display colour, or a default one. */
  color: Rgb;
}

export interface SegInfo {
  segments: SegmentInfo[];
  /** The series the segmentation was made on (Referenced Series Sequence), when it says. */
  referencedSeriesUID?: string;
  fractional: boolean;
  /** Maximum Fractional Value (fractional SEGs). */
  maxFractional?: number;
}

/** Colours for segments without a recommended one (distinct at a glance, also for colour-blind readers). */
const FALLBACK: readonly Rgb[] = [
  [230, 159, 0],
  [86, 180, 233],
  [0, 158, 115],
  [240, 228, 66],
  [0, 114, 178],
  [213, 94, 0],
  [204, 121, 167],
];

const TAG = {
  SegmentSequence: '00620002',
  SegmentNumber: '00620004',
  SegmentLabel: '00620005',
  SegmentAlgorithmType: '00620008',
  SegmentAlgorithmName: '00620009',
  RecommendedDisplayCIELabValue: '0062000D',
  SegmentationType: '00620001',
  MaximumFractionalValue: '0062000E',
  ReferencedSeriesSequence: '00081115',
  SeriesInstanceUID: '0020000E',
  SharedFunctionalGroups: '52009229',
  PerFrameFunctionalGroups: '52009230',
  DerivationImageSequence: '08089124',
  SourceImageSequence: '00082112',
  ReferencedSOPInstanceUID: '00081155',
} as const;

/** The segments and referenced series of a SEG instance's metadata. */
export function segInfo(ds: DicomJson): SegInfo {
  const segments = getSequence(ds, TAG.SegmentSequence).map((item, i): SegmentInfo => {
    const number = getNumber(item, TAG.SegmentNumber) ?? i + 1;
    const lab = getNumbers(item, TAG.RecommendedDisplayCIELabValue);
    const algorithm = getString(item, TAG.SegmentAlgorithmName) || getString(item, TAG.SegmentAlgorithmType) || undefined;
    return {
      number,
      label: getString(item, TAG.SegmentLabel) || `Segment ${number}`,
      algorithm,
      color: lab && lab.length === 3 ? dicomLabToRgb(lab as Rgb) : FALLBACK[(number - 1) % FALLBACK.length]!,
    };
  });
  const referencedSeriesUID = getSequence(ds, TAG.ReferencedSeriesSequence)
    .map((item) => getString(item, TAG.SeriesInstanceUID))
    .find((uid) => uid.length > 0);
  const fractional = getString(ds, TAG.SegmentationType).toUpperCase() === 'FRACTIONAL';
  return { segments, referencedSeriesUID, fractional, maxFractional: fractional ? (getNumber(ds, TAG.MaximumFractionalValue) ?? 255) : undefined };
}

// ---- colour ---------------------------------------------------------------------------------------------

/** D65 white (CIE XYZ), the white point DICOM's CIELab values are relative to (PS3.3 C.10.7.1.1). */
const WHITE = [0.950456, 1, 1.088754] as const;

/**
 * DICOM's scaled CIELab (L 0…65535 for 0…100, a and b 0…65535 for −128…127) → sRGB 0–255, through CIE XYZ and
 * sRGB's transfer curve, clipped to the displayable range.
 */
export function dicomLabToRgb(lab: readonly [number, number, number]): Rgb {
  const L = (lab[0] * 100) / 65535;
  const a = (lab[1] * 255) / 65535 - 128;
  const b = (lab[2] * 255) / 65535 - 128;
  const fy = (L + 16) / 116;
  const finv = (t: number) => (t > 6 / 29 ? t ** 3 : 3 * (6 / 29) ** 2 * (t - 4 / 29));
  const x = WHITE[0] * finv(fy + a / 500);
  const y = WHITE[1] * finv(fy);
  const z = WHITE[2] * finv(fy - b / 200);
  const linear = [3.2406 * x - 1.5372 * y - 0.4986 * z, -0.9689 * x + 1.8758 * y + 0.0415 * z, 0.0557 * x - 0.204 * y + 1.057 * z];
  const gamma = (c: number) => (c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055);
  return linear.map((c) => Math.round(255 * Math.min(1, Math.max(0, gamma(Math.max(0, c)))))) as Rgb;
}

// ---- fractional ---------------------------------------------------------------------------------------

/**
 * A fractional segmentation as a binary one: a pixel belongs to the segment where its fraction (probability or
 * occupancy) is at least one half, and then holds the maximum value, else 0. The labelmap Cornerstone draws is
 * binary per segment; this is the threshold it is drawn at (docs/objects.md).
 */
export function binarizeFractional<T extends Uint8Array | Uint16Array>(pixels: T, maxValue: number): T {
  const out = new (pixels.constructor as { new (n: number): T })(pixels.length);
  const half = maxValue / 2;
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i]! >= half ? maxValue : 0;
  return out;
}

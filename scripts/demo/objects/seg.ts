// DICOM Segmentation objects over the demo CT, made from the phantom itself so that tests know where each segment
// is: a binary SEG with two overlapping segments (the liver, and the liver lesion inside it), a fractional SEG (a
// probability map of a lung nodule, 0.5 at its surface), and one whose referenced series is not in the study.
import fs from 'node:fs';
import path from 'node:path';
import { ctPhantom, HU, rasterize, type Grid, gridOrigin } from '../phantom.ts';
import { DatasetBuilder, writePart10, type Dataset } from '../part10.ts';

const SEG_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.66.4';
const CT_SOP_CLASS = '1.2.840.10008.5.1.4.1.1.2';

/** What the SEGs need of the demo CT: its instances in slice order and how they were made. */
export interface SegDemoInput {
  /** The CT's SOP Instance UIDs, slice k first (slice k at z = zTop − k·spacing). */
  ctInstances: readonly string[];
  ctSeriesUID: string;
  frameOfReferenceUID: string;
  grid: Grid;
  spacing: number;
  /** Patient/study/series attributes as the demo's other series have them. */
  base: (series: { uid: string; number: number; description: string; modality: string }) => DatasetBuilder;
  uid: (name: string) => string;
}

export interface SegDemoFile {
  path: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  description: string;
}

/** The segments the demo's SEGs hold, with the points tests sample (patient mm, LPS). */
export const SEG_DEMO = {
  liverLesion: { centre: [-84, -12, -56] as const, radius: 13 },
  nodule: { centre: [78, -22, 64] as const, radius: 7 },
  /** A point inside the liver away from the lesion and the vessels, and one outside it (stomach). */
  liverPoint: [-60, 40, -56] as const,
  outsidePoint: [50, -28, -56] as const,
} as const;

interface Segment {
  number: number;
  label: string;
  algorithm: string;
  /** CIELab scaled as DICOM stores it (0…65535). */
  lab: [number, number, number];
  category: [string, string, string];
  type: [string, string, string];
}

const code = (c: [string, string, string]): Dataset => new DatasetBuilder().set('CodeValue', c[0]).set('CodingSchemeDesignator', c[1]).set('CodeMeaning', c[2]).dataset;

function segmentItem(s: Segment, fractional: boolean): Dataset {
  return new DatasetBuilder()
    .set('SegmentNumber', s.number)
    .set('SegmentLabel', s.label)
    .set('SegmentAlgorithmType', fractional ? 'AUTOMATIC' : 'SEMIAUTOMATIC')
    .set('SegmentAlgorithmName', s.algorithm)
    .set('RecommendedDisplayCIELabValue', s.lab)
    .set('SegmentedPropertyCategoryCodeSequence', [code(s.category)])
    .set('SegmentedPropertyTypeCodeSequence', [code(s.type)]).dataset;
}

interface Frame {
  /** Index of the CT slice it lies on. */
  slice: number;
  segment: number;
  /** One value per pixel, row-major: 0/1 (binary) or 0…255 (fractional). */
  pixels: Uint8Array;
}

/** Packs 0/1 pixels of all frames into one bit stream (binary SEG: 1 bit per pixel, first pixel in the lowest bit). */
function packBits(frames: readonly Frame[], pixelsPerFrame: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((frames.length * pixelsPerFrame) / 8));
  let bit = 0;
  for (const f of frames) {
    for (let i = 0; i < pixelsPerFrame; i++, bit++) if (f.pixels[i]) out[bit >> 3]! |= 1 << (bit & 7);
  }
  return out;
}

function writeSeg(
  input: SegDemoInput,
  file: string,
  series: { uid: string; number: number; description: string },
  segments: readonly Segment[],
  frames: readonly Frame[],
  options: { fractional: boolean; referencedSeriesUID?: string; referencedInstance?: (slice: number) => string },
): SegDemoFile {
  const { grid, spacing } = input;
  const origin = gridOrigin(grid);
  const zTop = ((input.ctInstances.length - 1) / 2) * spacing;
  const sop = input.uid(`seg/${series.uid}/instance`);
  const referencedSeriesUID = options.referencedSeriesUID ?? input.ctSeriesUID;
  const instanceOf = options.referencedInstance ?? ((k: number) => input.ctInstances[k]!);
  const slicesUsed = [...new Set(frames.map((f) => f.slice))].sort((a, b) => a - b);
  const sourceItem = (k: number) => new DatasetBuilder().set('ReferencedSOPClassUID', CT_SOP_CLASS).set('ReferencedSOPInstanceUID', instanceOf(k)).dataset;
  const perFrame = frames.map((f) =>
    new DatasetBuilder()
      .set('DerivationImageSequence', [
        new DatasetBuilder()
          .set('SourceImageSequence', [
            new DatasetBuilder()
              .set('ReferencedSOPClassUID', CT_SOP_CLASS)
              .set('ReferencedSOPInstanceUID', instanceOf(f.slice))
              .set('PurposeOfReferenceCodeSequence', [code(['121322', 'DCM', 'Source image for image processing operation'])]).dataset,
          ])
          .set('DerivationCodeSequence', [code(['113076', 'DCM', 'Segmentation'])]).dataset,
      ])
      .set('FrameContentSequence', [new DatasetBuilder().set('DimensionIndexValues', [f.segment, f.slice + 1]).dataset])
      .set('PlanePositionSequence', [new DatasetBuilder().set('ImagePositionPatient', [origin, origin, zTop - f.slice * spacing]).dataset])
      .set('SegmentIdentificationSequence', [new DatasetBuilder().set('ReferencedSegmentNumber', f.segment).dataset]).dataset,
  );
  const pixelsPerFrame = grid.size * grid.size;
  const pixelData = options.fractional ? concat(frames.map((f) => f.pixels)) : packBits(frames, pixelsPerFrame);
  const b = input
    .base({ ...series, modality: 'SEG' })
    .set('SOPClassUID', SEG_SOP_CLASS)
    .set('SOPInstanceUID', sop)
    .set('ImageType', ['DERIVED', 'PRIMARY'])
    .set('InstanceNumber', 1)
    .set('ContentLabel', 'SEGMENTATION')
    .set('ContentDescription', series.description)
    .set('ContentCreatorName', 'DEMO^SEGMENTER')
    .set('FrameOfReferenceUID', input.frameOfReferenceUID)
    .set('PositionReferenceIndicator', '')
    .set('SamplesPerPixel', 1)
    .set('PhotometricInterpretation', 'MONOCHROME2')
    .set('Rows', grid.size)
    .set('Columns', grid.size)
    .set('BitsAllocated', options.fractional ? 8 : 1)
    .set('BitsStored', options.fractional ? 8 : 1)
    .set('HighBit', options.fractional ? 7 : 0)
    .set('PixelRepresentation', 0)
    .set('LossyImageCompression', '00')
    .set('SegmentationType', options.fractional ? 'FRACTIONAL' : 'BINARY')
    .set('NumberOfFrames', frames.length)
    .set('SegmentSequence', segments.map((s) => segmentItem(s, options.fractional)))
    .set('DimensionOrganizationSequence', [new DatasetBuilder().set('DimensionOrganizationUID', input.uid(`seg/${series.uid}/dimensions`)).dataset])
    .set('SharedFunctionalGroupsSequence', [
      new DatasetBuilder()
        .set('PlaneOrientationSequence', [new DatasetBuilder().set('ImageOrientationPatient', [1, 0, 0, 0, 1, 0]).dataset])
        .set('PixelMeasuresSequence', [
          new DatasetBuilder().set('PixelSpacing', [grid.spacing, grid.spacing]).set('SliceThickness', spacing).set('SpacingBetweenSlices', spacing).dataset,
        ]).dataset,
    ])
    .set('PerFrameFunctionalGroupsSequence', perFrame)
    .set('ReferencedSeriesSequence', [
      new DatasetBuilder().set('SeriesInstanceUID', referencedSeriesUID).set('ReferencedInstanceSequence', slicesUsed.map(sourceItem)).dataset,
    ])
    .set('PixelData', pixelData, options.fractional ? 'OB' : 'OB');
  if (options.fractional) b.set('SegmentationFractionalType', 'PROBABILITY').set('MaximumFractionalValue', 255);
  writePart10(b.dataset, file);
  return { path: file, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SEG_SOP_CLASS, description: series.description };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// Recommended colours as DICOM CIELab (sRGB through dcmjs's Colors.rgb2DICOMLAB): liver
// red-brown (sRGB 200 80 60), lesion yellow (250 220 40), nodule cyan (40 200 230).
const LIVER_LAB: [number, number, number] = [32707, 44879, 42151];
const LESION_LAB: [number, number, number] = [57543, 31350, 53983];
const NODULE_LAB: [number, number, number] = [48817, 25465, 26201];

/** Writes the demo SEGs under `outDir/seg/` (emptied first). */
export function writeSegDemo(outDir: string, input: SegDemoInput): SegDemoFile[] {
  const dir = path.join(outDir, 'seg');
  fs.rmSync(dir, { recursive: true, force: true });
  const { grid, spacing } = input;
  const n = grid.size;
  const origin = gridOrigin(grid);
  const zTop = ((input.ctInstances.length - 1) / 2) * spacing;
  const files: SegDemoFile[] = [];

  // Binary: the liver (parenchyma, its vessels and the lesion) and the lesion, which overlaps it.
  const liver: Frame[] = [];
  const lesion: Frame[] = [];
  const hu = new Float32Array(n * n);
  // Only the liver's solids (parenchyma, then its vessels and the lesion painted inside it): fast, and the segment
  // is the organ whole, ribs and other structures drawn over it in the CT included.
  const liverSolids = ctPhantom().filter((s) => s.value === HU.liver || s.value === HU.liverVessel || s.value === HU.liverLesion);
  for (let k = 0; k < input.ctInstances.length; k++) {
    const z = zTop - k * spacing;
    if (z > 12 || z < -142) continue; // the liver's extent (phantom.ts)
    rasterize(liverSolids, HU.air, z, grid, hu);
    const inLiver = new Uint8Array(n * n);
    const inLesion = new Uint8Array(n * n);
    let liverCount = 0;
    let lesionCount = 0;
    for (let i = 0; i < hu.length; i++) {
      const v = hu[i]!;
      if (v === HU.liverLesion) {
        inLesion[i] = 1;
        lesionCount++;
      }
      if (v === HU.liver || v === HU.liverVessel || v === HU.liverLesion) {
        inLiver[i] = 1;
        liverCount++;
      }
    }
    if (liverCount) liver.push({ slice: k, segment: 1, pixels: inLiver });
    if (lesionCount) lesion.push({ slice: k, segment: 2, pixels: inLesion });
  }
  files.push(
    writeSeg(
      input,
      path.join(dir, 'SEG-LIVER.dcm'),
      { uid: input.uid('seg/liver/series'), number: 300, description: 'Liver and lesion (synthetic AI)' },
      [
        { number: 1, label: 'Liver', algorithm: 'Lumen demo threshold', lab: LIVER_LAB, category: ['123037004', 'SCT', 'Anatomical Structure'], type: ['10200004', 'SCT', 'Liver'] },
        { number: 2, label: 'Liver lesion', algorithm: 'Lumen demo lesion finder', lab: LESION_LAB, category: ['49755003', 'SCT', 'Morphologically Altered Structure'], type: ['4147007', 'SCT', 'Mass'] },
      ],
      [...liver, ...lesion],
      { fractional: false },
    ),
  );

  // Fractional: the probability of "nodule", 1 within 5 mm of its centre falling to 0 at 9 mm (0.5 at its 7 mm surface).
  const [cx, cy, cz] = SEG_DEMO.nodule.centre;
  const nodule: Frame[] = [];
  for (let k = 0; k < input.ctInstances.length; k++) {
    const dz = zTop - k * spacing - cz;
    if (Math.abs(dz) >= 9) continue;
    const pixels = new Uint8Array(n * n);
    for (let j = 0; j < n; j++) {
      const dy = origin + j * grid.spacing - cy;
      for (let i = 0; i < n; i++) {
        const dx = origin + i * grid.spacing - cx;
        const d = Math.hypot(dx, dy, dz);
        if (d < 9) pixels[j * n + i] = Math.round(255 * Math.min(1, (9 - d) / 4));
      }
    }
    nodule.push({ slice: k, segment: 1, pixels });
  }
  files.push(
    writeSeg(
      input,
      path.join(dir, 'SEG-NODULE.dcm'),
      { uid: input.uid('seg/nodule/series'), number: 301, description: 'Lung nodule probability (synthetic AI)' },
      [{ number: 1, label: 'Nodule', algorithm: 'Lumen demo nodule net', lab: NODULE_LAB, category: ['49755003', 'SCT', 'Morphologically Altered Structure'], type: ['27925004', 'SCT', 'Nodule'] }],
      nodule,
      { fractional: true },
    ),
  );

  // A SEG made on a series this study does not have (one frame, the lesion's middle slice).
  const middle = lesion[Math.floor(lesion.length / 2)];
  if (middle) {
    files.push(
      writeSeg(
        input,
        path.join(dir, 'SEG-ELSEWHERE.dcm'),
        { uid: input.uid('seg/elsewhere/series'), number: 302, description: 'Lesion on another series (synthetic)' },
        [{ number: 1, label: 'Liver lesion', algorithm: 'Lumen demo lesion finder', lab: LESION_LAB, category: ['49755003', 'SCT', 'Morphologically Altered Structure'], type: ['4147007', 'SCT', 'Mass'] }],
        [{ ...middle, segment: 1 }],
        { fractional: false, referencedSeriesUID: input.uid('seg/elsewhere/missing-series'), referencedInstance: (k) => input.uid(`seg/elsewhere/missing-instance/${k}`) },
      ),
    );
  }
  return files;
}

// The demo's synthetic DICOM files: a chest/abdomen CT volume, an MR brain series, a multi-frame angiography cine,
// a palette colour image and a small CT study of a patient named in Arabic (UTF-8). Everything is deterministic (fixed UIDs, seeded noise), so reruns give identical files.
import fs from 'node:fs';
import path from 'node:path';
import { ctSliceHu, type Grid, gridOrigin, mrSlice, prng, normalSource } from './phantom.ts';
import { DatasetBuilder, uidFromSeed, writePart10 } from './part10.ts';
import { type VideoDemoKind, writeVideoObjects } from './objects/video.ts';
import { writeEcgDemo } from './objects/ecg.ts';
import { DOCUMENTS_FOLDER, writeDocuments } from './objects/documents.ts';
import { writeSegDemo } from './objects/seg.ts';

export type DemoKind = 'ct' | 'mr' | 'xa-multiframe' | 'palette' | 'arabic' | VideoDemoKind | 'waveform' | 'sr' | 'ko' | 'pdf' | 'cda' | 'seg';

export interface DemoFile {
  path: string;
  kind: DemoKind;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber: number;
  frames: number;
  /** Which series this is, in words (also its Series Description). */
  description: string;
}

export interface DemoOptions {
  /** Slices of the CT volume (default 200, 1.5 mm apart, centred on the phantom). */
  ctSlices?: number;
  /** mm between CT slices (default 1.5); thinner keeps a long series inside the phantom. */
  ctSpacing?: number;
  /** Gives every UID a different root, so several generated data sets can live in one PACS (the benchmark's). */
  uidSeed?: string;
  log?: (line: string) => void;
}

const SOP = {
  ct: '1.2.840.10008.5.1.4.1.1.2',
  mr: '1.2.840.10008.5.1.4.1.1.4',
  secondaryCapture: '1.2.840.10008.5.1.4.1.1.7',
  multiFrameGrayscaleByteSC: '1.2.840.10008.5.1.4.1.1.7.2',
} as const;

/** Every UID of the demo is derived from this and a name, so the demo's UIDs never change between runs. */
const UID_ROOT = 'lumen-dicom-viewer/demo/v1';
/** Set per call of generateDemoDicom: the demo's own root, or one derived from `uidSeed` for other data sets. */
let uidRoot = UID_ROOT;
const uid = (name: string) => uidFromSeed(`${uidRoot}/${name}`);

/** Subfolders of the output folder that belong to the generator (cleared before writing). */
const OWN_FOLDERS = ['ct', 'mr', 'xa', 'color', 'utf8', DOCUMENTS_FOLDER];
export const DEMO_MANIFEST = 'demo-manifest.json';

interface Patient {
  name: string;
  id: string;
  birthDate: string;
  sex: string;
  age: string;
}

export interface Study {
  patient: Patient;
  uid: string;
  date: string;
  time: string;
  accession: string;
  id: string;
  description: string;
  referrer: string;
}

const PATIENTS = {
  chest: { name: 'DEMO^CHEST', id: 'DEMO-0001', birthDate: '19580312', sex: 'F', age: '067Y' },
  neuro: { name: 'DEMO^NEURO', id: 'DEMO-0002', birthDate: '19710605', sex: 'M', age: '053Y' },
  color: { name: 'DEMO^COLOR', id: 'DEMO-0003', birthDate: '19900101', sex: 'O', age: '035Y' },
} satisfies Record<string, Patient>;

/** The demo's studies; a function so the study UIDs follow the current UID root. */
const studies = () => ({
  ct: {
    patient: PATIENTS.chest, uid: uid('ct/study'), date: '20250314', time: '093012', accession: 'DEMOCT0001', id: 'CT1',
    description: 'CT CHEST ABDOMEN WITH CONTRAST', referrer: 'DEMO^REFERRER^A',
  },
  mr: {
    patient: PATIENTS.neuro, uid: uid('mr/study'), date: '20250210', time: '140500', accession: 'DEMOMR0001', id: 'MR1',
    description: 'MR BRAIN WITHOUT CONTRAST', referrer: 'DEMO^NEUROLOGIST',
  },
  xa: {
    patient: PATIENTS.neuro, uid: uid('xa/study'), date: '20250217', time: '102000', accession: 'DEMOXA0001', id: 'XA1',
    description: 'CEREBRAL ANGIOGRAPHY', referrer: 'DEMO^NEUROLOGIST',
  },
  color: {
    patient: PATIENTS.color, uid: uid('color/study'), date: '20250301', time: '120000', accession: 'DEMOOT0001', id: 'OT1',
    description: 'PALETTE COLOR TEST', referrer: 'DEMO^REFERRER^B',
  },
}) satisfies Record<string, Study>;

/** Patient, study, series and equipment attributes shared by every demo instance. */
function common(study: Study, series: { uid: string; number: number; description: string; modality: string; bodyPart?: string }): DatasetBuilder {
  const p = study.patient;
  return new DatasetBuilder()
    .set('SpecificCharacterSet', 'ISO_IR 100')
    .set('StudyDate', study.date)
    .set('SeriesDate', study.date)
    .set('ContentDate', study.date)
    .set('StudyTime', study.time)
    .set('SeriesTime', study.time)
    .set('ContentTime', study.time)
    .set('AccessionNumber', study.accession)
    .set('Modality', series.modality)
    .set('Manufacturer', 'Lumen synthetic')
    .set('ManufacturerModelName', 'Lumen demo generator')
    .set('InstitutionName', 'Lumen Demo Hospital')
    .set('StationName', 'LUMEN-DEMO')
    .set('SoftwareVersions', 'lumen-demo 1')
    .set('ReferringPhysicianName', study.referrer)
    .set('StudyDescription', study.description)
    .set('SeriesDescription', series.description)
    .set('PatientName', p.name)
    .set('PatientID', p.id)
    .set('PatientBirthDate', p.birthDate)
    .set('PatientSex', p.sex)
    .set('PatientAge', p.age)
    .set('BodyPartExamined', series.bodyPart ?? null)
    .set('StudyInstanceUID', study.uid)
    .set('SeriesInstanceUID', series.uid)
    .set('StudyID', study.id)
    .set('SeriesNumber', series.number);
}

// ---- CT ---------------------------------------------------------------------------------------------------

function writeCt(outDir: string, slices: number, log: (line: string) => void, spacing = 1.5): DemoFile[] {
  const study = studies().ct;
  const series = { uid: uid('ct/series'), number: 3, description: `Axial ${spacing} mm soft tissue (synthetic)`, modality: 'CT', bodyPart: 'CHEST' };
  const frameOfReference = uid('ct/frame-of-reference');
  const grid: Grid = { size: 512, spacing: 0.7 };
  const origin = gridOrigin(grid);
  const zTop = ((slices - 1) / 2) * spacing;
  const hu = new Float32Array(grid.size * grid.size);
  const stored = new Uint16Array(grid.size * grid.size);
  const files: DemoFile[] = [];
  for (let k = 0; k < slices; k++) {
    const position = zTop - k * spacing;
    ctSliceHu(position, grid, { noise: 8, seed: 1000 + k, out: hu });
    // Stored as unsigned 12-bit with intercept −1024, as many scanners do (so viewers must apply the rescale).
    for (let i = 0; i < hu.length; i++) {
      const v = Math.round(hu[i]!) + 1024;
      stored[i] = v < 0 ? 0 : v > 4095 ? 4095 : v;
    }
    const sop = uid(`ct/instance/${k + 1}`);
    const b = common(study, series)
      .set('ImageType', ['ORIGINAL', 'PRIMARY', 'AXIAL'])
      .set('SOPClassUID', SOP.ct)
      .set('SOPInstanceUID', sop)
      .set('AcquisitionDate', study.date)
      .set('AcquisitionTime', study.time)
      .set('ContrastBolusAgent', 'Iodinated contrast (synthetic)')
      .set('ScanOptions', 'HELICAL MODE')
      .set('SliceThickness', spacing)
      .set('SpacingBetweenSlices', spacing)
      .set('KVP', 120)
      .set('DataCollectionDiameter', 500)
      .set('ReconstructionDiameter', grid.size * grid.spacing)
      .set('XRayTubeCurrent', 250)
      .set('ConvolutionKernel', 'STANDARD')
      .set('PatientPosition', 'HFS')
      .set('AcquisitionNumber', 1)
      .set('InstanceNumber', k + 1)
      .set('ImagePositionPatient', [origin, origin, position])
      .set('ImageOrientationPatient', [1, 0, 0, 0, 1, 0])
      .set('FrameOfReferenceUID', frameOfReference)
      .set('PositionReferenceIndicator', 'XY')
      .set('SliceLocation', position)
      .set('SamplesPerPixel', 1)
      .set('PhotometricInterpretation', 'MONOCHROME2')
      .set('Rows', grid.size)
      .set('Columns', grid.size)
      .set('PixelSpacing', [grid.spacing, grid.spacing])
      .set('BitsAllocated', 16)
      .set('BitsStored', 12)
      .set('HighBit', 11)
      .set('PixelRepresentation', 0)
      .set('WindowCenter', [40, -600])
      .set('WindowWidth', [400, 1500])
      .set('WindowCenterWidthExplanation', ['SOFT TISSUE', 'LUNG'])
      .set('RescaleIntercept', -1024)
      .set('RescaleSlope', 1)
      .set('RescaleType', 'HU')
      .set('PixelData', stored, 'OW');
    const file = path.join(outDir, 'ct', `CT${String(k + 1).padStart(4, '0')}.dcm`);
    writePart10(b.dataset, file);
    files.push({
      path: file, kind: 'ct', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SOP.ct,
      instanceNumber: k + 1, frames: 1, description: series.description,
    });
    if ((k + 1) % 50 === 0 || k + 1 === slices) log(`  CT ${k + 1}/${slices} slices`);
  }
  return files;
}

// ---- MR ---------------------------------------------------------------------------------------------------

function writeMr(outDir: string): DemoFile[] {
  const study = studies().mr;
  const series = { uid: uid('mr/series'), number: 4, description: 'AX T2 FSE (synthetic)', modality: 'MR', bodyPart: 'HEAD' };
  const frameOfReference = uid('mr/frame-of-reference');
  const grid: Grid = { size: 256, spacing: 0.9 };
  const origin = gridOrigin(grid);
  const slices = 24;
  const files: DemoFile[] = [];
  const stored = new Uint16Array(grid.size * grid.size);
  for (let k = 0; k < slices; k++) {
    // Inferior to superior, 5 mm apart: orbits and posterior fossa first, vertex last.
    const z = -55 + 5 * k;
    const signal = mrSlice(z, grid, { noise: 15, seed: 2000 + k });
    for (let i = 0; i < signal.length; i++) stored[i] = Math.min(65535, Math.round(signal[i]!));
    const sop = uid(`mr/instance/${k + 1}`);
    const b = common(study, series)
      .set('ImageType', ['ORIGINAL', 'PRIMARY', 'M', 'ND'])
      .set('SOPClassUID', SOP.mr)
      .set('SOPInstanceUID', sop)
      .set('ScanningSequence', 'SE')
      .set('SequenceVariant', 'SK')
      .set('ScanOptions', 'FAST_GEMS')
      .set('MRAcquisitionType', '2D')
      .set('SequenceName', 'fse2d')
      .set('SliceThickness', 5)
      .set('SpacingBetweenSlices', 5)
      .set('RepetitionTime', 4500)
      .set('EchoTime', 102)
      .set('EchoTrainLength', 16)
      .set('ImagingFrequency', 63.87)
      .set('ImagedNucleus', '1H')
      .set('MagneticFieldStrength', 1.5)
      .set('FlipAngle', 90)
      .set('PatientPosition', 'HFS')
      .set('AcquisitionNumber', 1)
      .set('InstanceNumber', k + 1)
      .set('ImagePositionPatient', [origin, origin, z])
      .set('ImageOrientationPatient', [1, 0, 0, 0, 1, 0])
      .set('FrameOfReferenceUID', frameOfReference)
      .set('PositionReferenceIndicator', '')
      .set('SliceLocation', z)
      .set('SamplesPerPixel', 1)
      .set('PhotometricInterpretation', 'MONOCHROME2')
      .set('Rows', grid.size)
      .set('Columns', grid.size)
      .set('PixelSpacing', [grid.spacing, grid.spacing])
      .set('BitsAllocated', 16)
      .set('BitsStored', 16)
      .set('HighBit', 15)
      .set('PixelRepresentation', 0)
      .set('WindowCenter', 1000)
      .set('WindowWidth', 2000)
      .set('PixelData', stored, 'OW');
    const file = path.join(outDir, 'mr', `MR${String(k + 1).padStart(4, '0')}.dcm`);
    writePart10(b.dataset, file);
    files.push({
      path: file, kind: 'mr', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SOP.mr,
      instanceNumber: k + 1, frames: 1, description: series.description,
    });
  }
  return files;
}

// ---- multi-frame angiography ------------------------------------------------------------------------------

interface Segment {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
  r: number;
  /** Distance along the tree from the catheter tip to the segment's start (pixels): when contrast gets there. */
  s0: number;
}

/** A 2D arterial tree (ICA → MCA/ACA branches) in pixel coordinates of a 256² frame. */
function angioTree(): Segment[] {
  const next = prng(4711);
  const segments: Segment[] = [];
  const grow = (x: number, y: number, angle: number, length: number, r: number, s0: number, depth: number) => {
    // Curved vessels: a few short straight pieces with a drifting angle.
    let s = s0;
    for (let k = 0; k < 4; k++) {
      angle += (next() - 0.5) * 0.5;
      const x1 = x + (Math.cos(angle) * length) / 4;
      const y1 = y + (Math.sin(angle) * length) / 4;
      segments.push({ x0: x, y0: y, x1, y1, r, s0: s });
      s += length / 4;
      x = x1;
      y = y1;
    }
    if (depth === 0 || r < 0.8) return;
    const spread = 0.5 + next() * 0.4;
    grow(x, y, angle - spread, length * 0.75, r * 0.72, s, depth - 1);
    grow(x, y, angle + spread, length * 0.75, r * 0.72, s, depth - 1);
  };
  // Internal carotid from the bottom of the frame, siphon, then the two main trunks.
  const ica: [number, number][] = [[150, 262], [146, 220], [156, 196], [138, 176], [132, 150]];
  let s = 0;
  for (let k = 1; k < ica.length; k++) {
    const [x0, y0] = ica[k - 1]!;
    const [x1, y1] = ica[k]!;
    segments.push({ x0, y0, x1, y1, r: 4.2, s0: s });
    s += Math.hypot(x1 - x0, y1 - y0);
  }
  grow(132, 150, -0.35, 70, 3.2, s, 4); // middle cerebral: laterally and up
  grow(132, 150, -1.9, 60, 2.6, s, 4); // anterior cerebral: up and forwards
  grow(132, 150, -2.9, 36, 1.8, s, 2); // ophthalmic / small branches
  return segments;
}

function angioFrame(f: number, frames: number, tree: Segment[], total: number): Uint8Array {
  const size = 256;
  const img = new Float32Array(size * size);
  // A subtracted image is flat grey; a faint skull outline survives imperfect subtraction.
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const d = Math.hypot((i - 128) / 118, (j - 132) / 126);
      img[j * size + i] = 196 - 10 * Math.exp(-(((d - 1) / 0.03) ** 2));
    }
  }
  // Contrast fills the tree from the catheter over the first two thirds of the run, then washes out.
  const t = f / (frames - 1);
  const front = total * Math.min(1, t / 0.6);
  const washout = t < 0.7 ? 1 : Math.max(0.25, 1 - (t - 0.7) / 0.4);
  for (const sg of tree) {
    if (sg.s0 > front) continue;
    const dx = sg.x1 - sg.x0;
    const dy = sg.y1 - sg.y0;
    const len2 = dx * dx + dy * dy || 1;
    const pad = sg.r + 1.5;
    const i0 = Math.max(0, Math.floor(Math.min(sg.x0, sg.x1) - pad));
    const i1 = Math.min(size - 1, Math.ceil(Math.max(sg.x0, sg.x1) + pad));
    const j0 = Math.max(0, Math.floor(Math.min(sg.y0, sg.y1) - pad));
    const j1 = Math.min(size - 1, Math.ceil(Math.max(sg.y0, sg.y1) + pad));
    const depth = 150 * Math.min(1, 0.45 + sg.r / 5) * washout;
    for (let j = j0; j <= j1; j++) {
      for (let i = i0; i <= i1; i++) {
        let u = ((i - sg.x0) * dx + (j - sg.y0) * dy) / len2;
        u = u < 0 ? 0 : u > 1 ? 1 : u;
        if (sg.s0 + u * Math.sqrt(len2) > front) continue;
        const d = Math.hypot(sg.x0 + u * dx - i, sg.y0 + u * dy - j);
        const cover = Math.min(1, Math.max(0, sg.r - d + 0.5));
        if (cover <= 0) continue;
        const k = j * size + i;
        img[k] = Math.min(img[k]!, 196 - depth * cover);
      }
    }
  }
  // A radiopaque marker that moves across the field frame by frame (so every frame is visibly different).
  const mx = 24 + (208 * f) / Math.max(1, frames - 1);
  const my = 232;
  for (let j = my - 7; j <= my + 7; j++) {
    for (let i = Math.floor(mx - 7); i <= Math.ceil(mx + 7); i++) {
      if (i < 0 || i >= size) continue;
      if (Math.hypot(i - mx, j - my) <= 6) img[j * size + i] = 20;
    }
  }
  const normal = normalSource(3000 + f);
  const out = new Uint8Array(size * size);
  for (let k = 0; k < out.length; k++) out[k] = Math.max(0, Math.min(255, Math.round(img[k]! + 4 * normal())));
  return out;
}

function writeAngio(outDir: string): DemoFile[] {
  const study = studies().xa;
  const series = { uid: uid('xa/series'), number: 1, description: 'DSA left ICA, cine 15 fps (synthetic multi-frame)', modality: 'XA', bodyPart: 'HEAD' };
  const frames = 30;
  const tree = angioTree();
  const total = Math.max(...tree.map((s) => s.s0 + Math.hypot(s.x1 - s.x0, s.y1 - s.y0)));
  const pixels = new Uint8Array(256 * 256 * frames);
  for (let f = 0; f < frames; f++) pixels.set(angioFrame(f, frames, tree, total), f * 256 * 256);
  const sop = uid('xa/instance/1');
  const b = common(study, series)
    .set('ImageType', ['DERIVED', 'SECONDARY'])
    .set('SOPClassUID', SOP.multiFrameGrayscaleByteSC)
    .set('SOPInstanceUID', sop)
    .set('ConversionType', 'SYN')
    .set('PatientOrientation', null)
    .set('BurnedInAnnotation', 'NO')
    .set('InstanceNumber', 1)
    .set('NumberOfFrames', frames)
    .set('FrameIncrementPointer', 0x00181063)
    .set('FrameTime', 1000 / 15)
    .set('CineRate', 15)
    .set('RecommendedDisplayFrameRate', 15)
    .set('SamplesPerPixel', 1)
    .set('PhotometricInterpretation', 'MONOCHROME2')
    .set('Rows', 256)
    .set('Columns', 256)
    .set('BitsAllocated', 8)
    .set('BitsStored', 8)
    .set('HighBit', 7)
    .set('PixelRepresentation', 0)
    .set('WindowCenter', 128)
    .set('WindowWidth', 256)
    .set('PixelData', pixels, 'OB');
  const file = path.join(outDir, 'xa', 'XA0001.dcm');
  writePart10(b.dataset, file);
  return [{
    path: file, kind: 'xa-multiframe', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop,
    sopClassUID: SOP.multiFrameGrayscaleByteSC, instanceNumber: 1, frames, description: series.description,
  }];
}

// ---- palette colour ---------------------------------------------------------------------------------------

/** A 256-entry "jet"-like colour map with 16-bit entries (red, green, blue). */
export function jetPalette(): [Uint16Array, Uint16Array, Uint16Array] {
  const r = new Uint16Array(256);
  const g = new Uint16Array(256);
  const b = new Uint16Array(256);
  const ramp = (x: number) => Math.max(0, Math.min(1, x));
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    r[i] = Math.round(65535 * ramp(1.5 - Math.abs(4 * t - 3)));
    g[i] = Math.round(65535 * ramp(1.5 - Math.abs(4 * t - 2)));
    b[i] = Math.round(65535 * ramp(1.5 - Math.abs(4 * t - 1)));
  }
  return [r, g, b];
}

/** Indices of the palette image: smooth "hot spots" over a gradient, with a colour bar along the bottom. */
export function paletteIndices(size = 256): Uint8Array {
  const out = new Uint8Array(size * size);
  const spots: [number, number, number, number][] = [[0.32, 0.35, 0.12, 1], [0.7, 0.3, 0.09, 0.8], [0.55, 0.68, 0.16, 0.9], [0.25, 0.72, 0.07, 0.6]];
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const x = i / (size - 1);
      const y = j / (size - 1);
      let v: number;
      if (y > 0.9) v = x; // colour bar: every index left to right
      else {
        v = 0.12 * (1 - y);
        for (const [cx, cy, s, a] of spots) v += a * Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * s * s));
      }
      out[j * size + i] = Math.max(0, Math.min(255, Math.round(v * 255)));
    }
  }
  return out;
}

function writePalette(outDir: string): DemoFile[] {
  const study = studies().color;
  const series = { uid: uid('color/series'), number: 1, description: 'Palette color map, 8-bit indices, 16-bit LUT (synthetic)', modality: 'OT' };
  const size = 256;
  const [r, g, bl] = jetPalette();
  const sop = uid('color/instance/1');
  const b = common(study, series)
    .set('ImageType', ['DERIVED', 'SECONDARY'])
    .set('SOPClassUID', SOP.secondaryCapture)
    .set('SOPInstanceUID', sop)
    .set('ConversionType', 'SYN')
    .set('PatientOrientation', null)
    .set('BurnedInAnnotation', 'NO')
    .set('InstanceNumber', 1)
    .set('SamplesPerPixel', 1)
    .set('PhotometricInterpretation', 'PALETTE COLOR')
    .set('Rows', size)
    .set('Columns', size)
    .set('BitsAllocated', 8)
    .set('BitsStored', 8)
    .set('HighBit', 7)
    .set('PixelRepresentation', 0)
    // 256 entries, first mapped value 0, 16 bits per entry.
    .set('RedPaletteColorLookupTableDescriptor', [256, 0, 16], 'US')
    .set('GreenPaletteColorLookupTableDescriptor', [256, 0, 16], 'US')
    .set('BluePaletteColorLookupTableDescriptor', [256, 0, 16], 'US')
    .set('RedPaletteColorLookupTableData', r, 'OW')
    .set('GreenPaletteColorLookupTableData', g, 'OW')
    .set('BluePaletteColorLookupTableData', bl, 'OW')
    .set('PixelData', paletteIndices(size), 'OB');
  const file = path.join(outDir, 'color', 'PAL0001.dcm');
  writePart10(b.dataset, file);
  return [{
    path: file, kind: 'palette', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop,
    sopClassUID: SOP.secondaryCapture, instanceNumber: 1, frames: 1, description: series.description,
  }];
}

// ---- all --------------------------------------------------------------------------------------------------

/**
 * Writes the synthetic demo as DICOM Part 10 files under `outDir` (subfolders ct/, mr/, xa/, color/, which are
 * emptied first) plus `demo-manifest.json` describing them. Returns the files written.
 */
// ---- A patient named in Arabic ------------------------------------------------------------------------------

/** The Arabic study's patient: names, description and series in Arabic script, UTF-8 (ISO_IR 192). */
export const ARABIC_PATIENT = { name: 'الحسيني^ليلى', id: 'DEMO-0004', birthDate: '19800214', sex: 'F', age: '045Y' } satisfies Patient;
export const ARABIC_STUDY_DESCRIPTION = 'تصوير مقطعي للصدر';
export const ARABIC_SERIES_DESCRIPTION = 'مقاطع محورية 5 مم (اصطناعية)';
/** Its images: 256×256, 1 mm pixels, 0 HU, with a 1000 HU square in the upper left (the patient's right, anterior). */
export const ARABIC_IMAGE = { size: 256, square: { from: 24, to: 88 }, inside: 1000, outside: 0 } as const;

/**
 * A small CT study (three axial slices) whose patient, study and series are named in Arabic, in UTF-8: the study
 * list, banner and overlays show right-to-left names. Its images are plain and asymmetric (a bright square on the
 * patient's right), so a test can tell that a right-to-left page does not mirror them.
 */
function writeArabic(outDir: string): DemoFile[] {
  const study: Study = {
    patient: ARABIC_PATIENT, uid: uid('utf8/study'), date: '20250405', time: '081500', accession: 'DEMOAR0001', id: 'AR1',
    description: ARABIC_STUDY_DESCRIPTION, referrer: 'DEMO^REFERRER^A',
  };
  // No body part: the chest protocol would hang it twice in chest windows; alone, in its own window, it shows plainly.
  const series = { uid: uid('utf8/series'), number: 2, description: ARABIC_SERIES_DESCRIPTION, modality: 'CT' };
  const { size, square, inside, outside } = ARABIC_IMAGE;
  const stored = new Uint16Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const inSquare = x >= square.from && x < square.to && y >= square.from && y < square.to;
      stored[y * size + x] = (inSquare ? inside : outside) + 1024;
    }
  }
  const files: DemoFile[] = [];
  for (let k = 0; k < 3; k++) {
    const sop = uid(`utf8/instance/${k + 1}`);
    const position = -5 * k;
    const b = common(study, series)
      .set('SpecificCharacterSet', 'ISO_IR 192')
      .set('ImageType', ['ORIGINAL', 'PRIMARY', 'AXIAL'])
      .set('SOPClassUID', SOP.ct)
      .set('SOPInstanceUID', sop)
      .set('SliceThickness', 5)
      .set('PatientPosition', 'HFS')
      .set('InstanceNumber', k + 1)
      .set('ImagePositionPatient', [-size / 2, -size / 2, position])
      .set('ImageOrientationPatient', [1, 0, 0, 0, 1, 0])
      .set('FrameOfReferenceUID', uid('utf8/frame-of-reference'))
      .set('SliceLocation', position)
      .set('SamplesPerPixel', 1)
      .set('PhotometricInterpretation', 'MONOCHROME2')
      .set('Rows', size)
      .set('Columns', size)
      .set('PixelSpacing', [1, 1])
      .set('BitsAllocated', 16)
      .set('BitsStored', 12)
      .set('HighBit', 11)
      .set('PixelRepresentation', 0)
      .set('WindowCenter', 500)
      .set('WindowWidth', 1000)
      .set('RescaleIntercept', -1024)
      .set('RescaleSlope', 1)
      .set('RescaleType', 'HU')
      .set('PixelData', stored, 'OW');
    const file = path.join(outDir, 'utf8', `AR${String(k + 1).padStart(4, '0')}.dcm`);
    writePart10(b.dataset, file);
    files.push({
      path: file, kind: 'arabic', studyInstanceUID: study.uid, seriesInstanceUID: series.uid, sopInstanceUID: sop, sopClassUID: SOP.ct,
      instanceNumber: k + 1, frames: 1, description: series.description,
    });
  }
  return files;
}

export function generateDemoDicom(outDir: string, options: DemoOptions = {}): DemoFile[] {
  const ctSlices = Math.floor(options.ctSlices ?? 200);
  if (!(ctSlices >= 1 && ctSlices <= 2000)) throw new Error(`ctSlices must be 1…2000, not ${options.ctSlices}`);
  const log = options.log ?? (() => {});
  uidRoot = options.uidSeed ? `${UID_ROOT}/${options.uidSeed}` : UID_ROOT;
  for (const f of OWN_FOLDERS) fs.rmSync(path.join(outDir, f), { recursive: true, force: true });
  fs.mkdirSync(outDir, { recursive: true });
  const ct = writeCt(outDir, ctSlices, log, options.ctSpacing);
  const files = [...ct, ...writeMr(outDir), ...writeAngio(outDir), ...writePalette(outDir), ...writeArabic(outDir)];
  files.push(...writeSegDemo(outDir, { ctInstances: ct.map((f) => f.sopInstanceUID), ctSeriesUID: ct[0]!.seriesInstanceUID, frameOfReferenceUID: uid('ct/frame-of-reference'), grid: { size: 512, spacing: 0.7 }, spacing: options.ctSpacing ?? 1.5, base: (s) => common(studies().ct, s), uid }).map((f) => ({ ...f, kind: 'seg' as const, studyInstanceUID: studies().ct.uid, instanceNumber: 1, frames: 0 })));
  files.push(...writeVideoObjects(outDir, uid));
  files.push(...writeEcgDemo(outDir, uid).map((f) => ({ ...f, kind: 'waveform' as const })));
  files.push(...writeDocuments(outDir, { uid, header: common, ctStudy: studies().ct, ct }));
  log(`  MR ${files.filter((f) => f.kind === 'mr').length} slices, multi-frame cine, palette colour image`);
  fs.writeFileSync(path.join(outDir, DEMO_MANIFEST), JSON.stringify({ files: files.map((f) => ({ ...f, path: path.relative(outDir, f.path) })) }, null, 1));
  return files;
}

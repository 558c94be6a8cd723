// The embedded demo: synthetic studies written as DICOM Part 10 files, then imported (with Debian's pydicom
// test files, when installed) into the static DICOMweb tree `npm start` serves.
//
//   npm run demo:generate -- [--dicom-out DIR] [--out DIR] [--ct-slices N] [--force]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../import/staticTree.ts';
import { CT, ctSlice, MR, mrSlice, rng } from './phantom.ts';
import { uid, writePart10 } from './part10.ts';

const GENERATOR_VERSION = 3;
const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';

export interface DemoFile {
  path: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  description: string;
}

const CT_IMAGE = '1.2.840.10008.5.1.4.1.1.2';
const MR_IMAGE = '1.2.840.10008.5.1.4.1.1.4';
const MF_GRAY_BYTE_SC = '1.2.840.10008.5.1.4.1.1.7.2';
const SC_IMAGE = '1.2.840.10008.5.1.4.1.1.7';

function common(patient: { name: string; id: string; birth: string; sex: string }, study: { uid: string; date: string; time: string; description: string; accession: string; id: string }) {
  return {
    SpecificCharacterSet: 'ISO_IR 100',
    PatientName: patient.name,
    PatientID: patient.id,
    PatientBirthDate: patient.birth,
    PatientSex: patient.sex,
    StudyInstanceUID: study.uid,
    StudyDate: study.date,
    StudyTime: study.time,
    StudyDescription: study.description,
    AccessionNumber: study.accession,
    StudyID: study.id,
    ReferringPhysicianName: 'WELBY^MARCUS',
    InstitutionName: 'Lumen Demo Hospital',
    Manufacturer: 'Lumen synthetic',
  };
}

function toUint16(values: Float32Array, offset: number, max: number): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let k = 0; k < values.length; k++) out[k] = Math.max(0, Math.min(max, Math.round(values[k]! + offset)));
  return out;
}

function writeCt(dir: string, slices: number, files: DemoFile[], log: (s: string) => void) {
  const patient = { name: 'DEMO^CHEST CT', id: 'DEMO-0001', birth: '19580312', sex: 'M' };
  const study = { uid: uid('demo-ct-study'), date: '20261014', time: '093012', description: 'CT CHEST ABDOMEN W CONTRAST', accession: 'ACC-1001', id: '1001' };
  const seriesUID = uid('demo-ct-series');
  const frameOfReference = uid('demo-ct-for');
  const top = CT.topZ(slices);
  const origin = -((CT.size - 1) / 2) * CT.spacing;
  for (let s = 0; s < slices; s++) {
    const z = top - s * CT.sliceSpacing;
    const hu = ctSlice(z, 1000 + s);
    const sop = uid(`demo-ct-${s}`);
    const file = path.join(dir, 'ct', `CT${String(s + 1).padStart(4, '0')}.dcm`);
    writePart10(
      {
        ...common(patient, study),
        SOPClassUID: CT_IMAGE,
        SOPInstanceUID: sop,
        Modality: 'CT',
        SeriesInstanceUID: seriesUID,
        SeriesNumber: 2,
        SeriesDescription: 'Axial 1.5mm soft tissue',
        SeriesDate: study.date,
        SeriesTime: '093512',
        BodyPartExamined: 'CHEST',
        FrameOfReferenceUID: frameOfReference,
        PositionReferenceIndicator: '',
        InstanceNumber: s + 1,
        ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'],
        ImagePositionPatient: [origin, origin, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        SliceLocation: z,
        SliceThickness: CT.sliceSpacing,
        PixelSpacing: [CT.spacing, CT.spacing],
        KVP: 120,
        PatientPosition: 'FFS',
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        Rows: CT.size,
        Columns: CT.size,
        BitsAllocated: 16,
        BitsStored: 12,
        HighBit: 11,
        PixelRepresentation: 0,
        RescaleIntercept: -1024,
        RescaleSlope: 1,
        RescaleType: 'HU',
        WindowCenter: 40,
        WindowWidth: 400,
        PixelData: toUint16(hu.data, 1024, 4095).buffer,
        _vrMap: { PixelData: 'OW' },
      },
      file,
    );
    files.push({ path: file, studyInstanceUID: study.uid, seriesInstanceUID: seriesUID, sopInstanceUID: sop, description: 'CT chest/abdomen' });
    if ((s + 1) % 50 === 0) log(`  CT ${s + 1}/${slices}`);
  }
}

function writeMr(dir: string, files: DemoFile[]) {
  const patient = { name: 'DEMO^BRAIN MR', id: 'DEMO-0002', birth: '19790704', sex: 'F' };
  const study = { uid: uid('demo-mr-study'), date: '20260902', time: '141500', description: 'MR BRAIN WO CONTRAST', accession: 'ACC-1002', id: '1002' };
  const seriesUID = uid('demo-mr-series');
  const frameOfReference = uid('demo-mr-for');
  const origin = -((MR.size - 1) / 2) * MR.spacing;
  const slices = 24;
  for (let s = 0; s < slices; s++) {
    const z = 60 - s * MR.sliceSpacing;
    const signal = mrSlice(z, 2000 + s);
    const sop = uid(`demo-mr-${s}`);
    const file = path.join(dir, 'mr', `MR${String(s + 1).padStart(4, '0')}.dcm`);
    writePart10(
      {
        ...common(patient, study),
        SOPClassUID: MR_IMAGE,
        SOPInstanceUID: sop,
        Modality: 'MR',
        SeriesInstanceUID: seriesUID,
        SeriesNumber: 3,
        SeriesDescription: 'Ax T2 TSE',
        BodyPartExamined: 'BRAIN',
        FrameOfReferenceUID: frameOfReference,
        InstanceNumber: s + 1,
        ImagePositionPatient: [origin, origin, z],
        ImageOrientationPatient: [1, 0, 0, 0, 1, 0],
        SliceThickness: MR.sliceSpacing,
        SpacingBetweenSlices: MR.sliceSpacing,
        PixelSpacing: [MR.spacing, MR.spacing],
        ScanningSequence: 'SE',
        SequenceVariant: 'SK',
        RepetitionTime: 4000,
        EchoTime: 90,
        MagneticFieldStrength: 1.5,
        SamplesPerPixel: 1,
        PhotometricInterpretation: 'MONOCHROME2',
        Rows: MR.size,
        Columns: MR.size,
        BitsAllocated: 16,
        BitsStored: 16,
        HighBit: 15,
        PixelRepresentation: 0,
        WindowCenter: 750,
        WindowWidth: 1500,
        PixelData: toUint16(signal.data, 0, 65535).buffer,
        _vrMap: { PixelData: 'OW' },
      },
      file,
    );
    files.push({ path: file, studyInstanceUID: study.uid, seriesInstanceUID: seriesUID, sopInstanceUID: sop, description: 'MR brain' });
  }
}

/** A 30-frame angiography-like cine: contrast fills a vessel tree frame by frame. */
function writeMultiframe(dir: string, files: DemoFile[]) {
  const patient = { name: 'DEMO^ANGIO XA', id: 'DEMO-0003', birth: '19650121', sex: 'M' };
  const study = { uid: uid('demo-xa-study'), date: '20260820', time: '103000', description: 'XA CORONARY ANGIOGRAPHY', accession: 'ACC-1003', id: '1003' };
  const size = 256;
  const frames = 30;
  const next = rng(11);
  // A branching vessel tree as polylines from the ostium at the top.
  const branches: [number, number][][] = [];
  const grow = (x: number, y: number, angle: number, len: number, depth: number) => {
    const pts: [number, number][] = [[x, y]];
    for (let i = 0; i < len; i++) {
      angle += (next() - 0.5) * 0.3;
      x += Math.cos(angle) * 3;
      y += Math.sin(angle) * 3;
      pts.push([x, y]);
      if (depth < 3 && next() < 0.06) grow(x, y, angle + (next() < 0.5 ? -0.7 : 0.7), Math.floor(len * 0.6), depth + 1);
    }
    branches.push(pts);
  };
  grow(128, 20, Math.PI / 2, 70, 0);
  const pixels = new Uint8Array(size * size * frames);
  const noise = rng(12);
  for (let f = 0; f < frames; f++) {
    const frame = pixels.subarray(f * size * size, (f + 1) * size * size);
    for (let j = 0; j < size; j++) {
      for (let i = 0; i < size; i++) {
        const vignette = 1 - 0.35 * (((i - 128) / 128) ** 2 + ((j - 128) / 128) ** 2);
        frame[j * size + i] = Math.max(0, Math.min(255, Math.round(170 * vignette + (noise() - 0.5) * 12)));
      }
    }
    // The bolus reaches further along every branch as frames advance.
    const reach = (f + 1) / frames;
    for (const b of branches) {
      const n = Math.floor(b.length * Math.min(1, reach * 1.3));
      for (let p = 0; p < n; p++) {
        const [x, y] = b[p]!;
        for (let dj = -2; dj <= 2; dj++) {
          for (let di = -2; di <= 2; di++) {
            const xi = Math.round(x) + di;
            const yj = Math.round(y) + dj;
            if (xi < 0 || yj < 0 || xi >= size || yj >= size || di * di + dj * dj > 5) continue;
            frame[yj * size + xi] = 45;
          }
        }
      }
    }
  }
  const sop = uid('demo-xa-0');
  const seriesUID = uid('demo-xa-series');
  const file = path.join(dir, 'xa', 'XA0001.dcm');
  writePart10(
    {
      ...common(patient, study),
      SOPClassUID: MF_GRAY_BYTE_SC,
      SOPInstanceUID: sop,
      Modality: 'XA',
      ConversionType: 'WSD',
      SeriesInstanceUID: seriesUID,
      SeriesNumber: 1,
      SeriesDescription: 'LCA RAO 30 cine',
      InstanceNumber: 1,
      NumberOfFrames: frames,
      FrameIncrementPointer: 0x00181063,
      FrameTime: 66.7,
      CineRate: 15,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'MONOCHROME2',
      Rows: size,
      Columns: size,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      PixelData: pixels.buffer,
      _vrMap: { PixelData: 'OB' },
    },
    file,
  );
  files.push({ path: file, studyInstanceUID: study.uid, seriesInstanceUID: seriesUID, sopInstanceUID: sop, description: 'XA multi-frame' });
}

/** A palette-colour image (no such file ships with Debian's pydicom). */
function writePalette(dir: string, files: DemoFile[]) {
  const patient = { name: 'DEMO^COLOR', id: 'DEMO-0004', birth: '19900101', sex: 'O' };
  const study = { uid: uid('demo-pal-study'), date: '20260601', time: '080000', description: 'NM PERFUSION MAP', accession: 'ACC-1004', id: '1004' };
  const size = 128;
  const idx = new Uint8Array(size * size);
  for (let j = 0; j < size; j++) {
    for (let i = 0; i < size; i++) {
      const d = Math.hypot(i - 64, j - 64);
      idx[j * size + i] = d > 60 ? 0 : Math.round(255 * (0.5 + 0.5 * Math.cos(d / 9)) * (1 - d / 70));
    }
  }
  // A "hot" colour table: black → red → yellow → white, 16-bit entries.
  const lut = (f: (t: number) => number) => {
    const a = new Uint16Array(256);
    for (let k = 0; k < 256; k++) a[k] = Math.round(65535 * Math.max(0, Math.min(1, f(k / 255))));
    return a.buffer;
  };
  const sop = uid('demo-pal-0');
  const seriesUID = uid('demo-pal-series');
  const file = path.join(dir, 'palette', 'PAL0001.dcm');
  writePart10(
    {
      ...common(patient, study),
      SOPClassUID: SC_IMAGE,
      SOPInstanceUID: sop,
      Modality: 'OT',
      ConversionType: 'WSD',
      SeriesInstanceUID: seriesUID,
      SeriesNumber: 1,
      SeriesDescription: 'Palette colour map',
      InstanceNumber: 1,
      SamplesPerPixel: 1,
      PhotometricInterpretation: 'PALETTE COLOR',
      Rows: size,
      Columns: size,
      BitsAllocated: 8,
      BitsStored: 8,
      HighBit: 7,
      PixelRepresentation: 0,
      RedPaletteColorLookupTableDescriptor: [256, 0, 16],
      GreenPaletteColorLookupTableDescriptor: [256, 0, 16],
      BluePaletteColorLookupTableDescriptor: [256, 0, 16],
      RedPaletteColorLookupTableData: lut((t) => t * 3),
      GreenPaletteColorLookupTableData: lut((t) => t * 3 - 1),
      BluePaletteColorLookupTableData: lut((t) => t * 3 - 2),
      PixelData: idx.buffer,
      _vrMap: {
        PixelData: 'OB',
        RedPaletteColorLookupTableData: 'OW',
        GreenPaletteColorLookupTableData: 'OW',
        BluePaletteColorLookupTableData: 'OW',
        RedPaletteColorLookupTableDescriptor: 'US',
        GreenPaletteColorLookupTableDescriptor: 'US',
        BluePaletteColorLookupTableDescriptor: 'US',
      },
    },
    file,
  );
  files.push({ path: file, studyInstanceUID: study.uid, seriesInstanceUID: seriesUID, sopInstanceUID: sop, description: 'palette colour' });
}

/** Writes the demo studies as Part 10 files under outDir; the e2e harness loads the same files into Orthanc. */
export function generateDemoDicom(outDir: string, opts: { ctSlices?: number; log?: (s: string) => void } = {}): DemoFile[] {
  const files: DemoFile[] = [];
  const log = opts.log ?? (() => {});
  writeCt(outDir, opts.ctSlices ?? 200, files, log);
  writeMr(outDir, files);
  writeMultiframe(outDir, files);
  writePalette(outDir, files);
  return files;
}

function main() {
  const args = process.argv.slice(2);
  const opt = (name: string, fallback: string) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
  };
  const dicomOut = path.resolve(opt('--dicom-out', '.cache/demo-dicom'));
  const out = path.resolve(opt('--out', '.cache/demo/dicom-web'));
  const ctSlices = Number(opt('--ct-slices', '200'));
  const withPydicom = fs.existsSync(PYDICOM_TEST_FILES);
  const stamp = JSON.stringify({ GENERATOR_VERSION, ctSlices, withPydicom });
  const stampFile = path.join(out, '.demo-stamp');
  if (!args.includes('--force') && fs.existsSync(path.join(out, 'studies', 'index.json')) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) {
    console.log(`Demo already generated in ${path.relative(process.cwd(), out)}`);
    return;
  }
  const t0 = Date.now();
  console.log(`Generating demo studies (CT ${ctSlices} × 512², MR 24 × 256², 30-frame XA, palette colour)…`);
  fs.rmSync(dicomOut, { recursive: true, force: true });
  fs.rmSync(out, { recursive: true, force: true });
  const files = generateDemoDicom(dicomOut, { ctSlices, log: console.log });
  console.log(`  ${files.length} DICOM files in ${Date.now() - t0} ms; building the static DICOMweb tree…`);
  const inputs = [dicomOut, ...(withPydicom ? [PYDICOM_TEST_FILES] : [])];
  const summary = importFiles(inputs, out);
  fs.writeFileSync(stampFile, stamp);
  console.log(
    `Demo ready in ${path.relative(process.cwd(), out)}: ${summary.studies} studies, ${summary.instances} instances, ${summary.frames} frames (${Date.now() - t0} ms)` +
      (withPydicom ? `; ${summary.skipped.length} pydicom files skipped (not images, duplicates or unreadable)` : '; install python3-pydicom to add its test files'),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();

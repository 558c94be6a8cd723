// Shape of .cache/e2e-data/manifest.json, written by scripts/prepare-e2e-data.mjs.
// Paths are relative to the repository root.

/** A pixel read from the entry's uncompressed reference file (decoded by DCMTK / GDCM, not by the app). */
export interface PixelProbe {
  /** Column, row (0-based) and frame (0-based) in the image. */
  x: number;
  y: number;
  frame: number;
  /** Stored sample values, one per sample (1 for MONOCHROME/PALETTE, 3 for RGB/YBR), before any LUT. */
  stored: number[];
  /** Monochrome only: stored × RescaleSlope + RescaleIntercept (HU for CT). */
  modality?: number;
  /** Colour images: the displayed 8-bit RGB (YBR converted, palette looked up). */
  rgb?: [number, number, number];
}

export interface InstanceInfo {
  sopInstanceUID: string;
  instanceNumber: number | null;
  frames: number;
  uploadedPath: string;
}

/**
 * `object`: pydicom's non-image objects (waveform_ecg.dcm), each in a study of its own. `objects`: reports and
 * documents that are not demo material (pydicom's test-SR.dcm, broken and hostile PDFs). `charset`: names in a
 * character set of their own (ISO_IR 127 Arabic), built from the demo's images.
 */
export type EntryGroup = 'transfer-syntax' | 'demo' | 'corrupt' | 'object' | 'objects' | 'charset';

/** One series in the PACS. Transfer-syntax entries are single-instance series, each in its own study. */
export interface ManifestEntry {
  /** Short unique id, e.g. "jpeg-ls-lossless". Transfer-syntax entries have PatientName "TS^<label>". */
  label: string;
  group: EntryGroup;
  description: string;
  /** Transfer syntax of the file given to Orthanc (what a WADO-RS `transfer-syntax=*` request returns). */
  transferSyntaxUID: string;
  /** The (first) file POSTed to Orthanc. */
  uploadedPath: string;
  /** Same instance decoded to explicit VR little endian; null where none exists (the corrupt frame). */
  referencePath: string | null;
  /** The pydicom test file or generator this was made from. */
  source: string;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** The (first) instance. */
  sopInstanceUID: string;
  sopClassUID: string;
  modality: string;
  patientName: string;
  patientId: string;
  studyDescription: string;
  seriesDescription: string;
  rows: number;
  columns: number;
  /** Frames of the (first) instance. */
  frames: number;
  /** Photometric interpretation as uploaded (e.g. YBR_FULL_422 for a JPEG baseline colour file). */
  photometric: string;
  /** Photometric interpretation of the reference file (DCMTK converts YBR JPEG to RGB). */
  referencePhotometric: string | null;
  samplesPerPixel: number;
  bitsAllocated: number;
  bitsStored: number;
  pixelRepresentation: number;
  rescaleSlope: number;
  rescaleIntercept: number;
  /** Lossy codecs: decoders may differ from the reference by a few units. */
  lossy: boolean;
  /** True for data that Orthanc stores but that must fail to decode in the browser. */
  expectDecodeError: boolean;
  instanceCount: number;
  /** All instances, in InstanceNumber order. */
  instances: InstanceInfo[];
  probes: PixelProbe[];
}

export interface CtProbe {
  x: number;
  y: number;
  /** 0-based index into ct.sopInstanceUIDs (InstanceNumber order). */
  slice: number;
  stored: number;
  modality: number;
}

export interface CtInfo {
  label: string;
  slices: number;
  rows: number;
  columns: number;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  /** In InstanceNumber order. */
  sopInstanceUIDs: string[];
  rescaleSlope: number;
  rescaleIntercept: number;
  /** ImagePositionPatient of the first and last slice in that order. */
  firstPosition: number[] | null;
  lastPosition: number[] | null;
  probes: CtProbe[];
}

export interface StudyInfo {
  studyInstanceUID: string;
  patientName: string;
  patientId: string;
  studyDescription: string;
  seriesCount: number;
  instanceCount: number;
  labels: string[];
}

export interface UploadFile {
  path: string;
  label: string;
  /** Orthanc is expected to refuse this file; the harness fails if it accepts it, and vice versa. */
  expectRejected: boolean;
}

export interface Manifest {
  version: 1;
  createdAt: string;
  /** False only when prepared with --no-demo (harness development before scripts/demo existed). */
  demoIncluded: boolean;
  ctSlices: number;
  /** Distinct studies / instances Orthanc holds after the upload (rejected files excluded). */
  studyCount: number;
  instanceCount: number;
  entries: ManifestEntry[];
  studies: StudyInfo[];
  ct: CtInfo | null;
  uploads: UploadFile[];
}

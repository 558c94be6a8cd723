import type { DicomJson } from '../dicom/json';
import type { ObjectClassKind } from '../dicom/objectClasses.generated';

/**
 * What an object is to the viewer (model/objectKinds.ts decides). `image`: frames for the stack viewport. `seg`,
 * `rtstruct`: overlays on the images they refer to. `sr`, `ko`: a report (a key object selection also lists key
 * images). `pdf`, `cda`: encapsulated documents. `waveform`: ECG and other waveforms. `video`: an MPEG-2/H.264/HEVC
 * stream for a video element. `other`: nothing this viewer shows (presentation states, audio, raw data, STL…).
 */
export type ObjectKind = 'image' | ObjectClassKind | 'other';

/** Patient → Study → Series → Instance → Frame, as the viewer uses it. All text is raw DICOM text. */
export interface StudySummary {
  studyInstanceUID: string;
  patientName: string;
  patientId: string;
  /** Issuer of Patient ID (0010,0021): the namespace of patientId, when the source gives it. */
  issuerOfPatientId?: string;
  patientBirthDate: string;
  patientSex: string;
  studyDate: string;
  studyTime: string;
  accessionNumber: string;
  description: string;
  modalities: string[];
  referringPhysician: string;
  numSeries?: number;
  numInstances?: number;
}

export interface SeriesSummary {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  modality: string;
  seriesNumber?: number;
  description: string;
  bodyPart: string;
  numInstances?: number;
}

export type Vec3 = [number, number, number];

export interface InstanceMeta {
  sopInstanceUID: string;
  sopClassUID: string;
  instanceNumber?: number;
  numberOfFrames: number;
  rows?: number;
  columns?: number;
  imagePositionPatient?: Vec3;
  /** Row direction cosines then column direction cosines. */
  imageOrientationPatient?: [number, number, number, number, number, number];
  /** Per-frame positions of an enhanced multi-frame instance, when given. */
  framePositions?: (Vec3 | undefined)[];
  frameOrientations?: ([number, number, number, number, number, number] | undefined)[];
  /** Frame time in ms for cine, when given (FrameTime, CineRate or RecommendedDisplayFrameRate: model/cine.ts). */
  frameTimeMs?: number;
  /** The Frame Time Vector (ms since the previous frame, the first 0), when it has one usable value per frame. */
  frameTimeVectorMs?: number[];
  /** The WADO-RS metadata the instance came from (the tag browser shows it; the image loader needs it). */
  raw: DicomJson;
}

/** One displayable image: a frame of an instance (frameNumber is 1-based). */
export interface FrameRef {
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  frameNumber: number;
  instance: InstanceMeta;
}

/** Why a series is shown the way it is (sorting, skipped objects), for the person reading it. */
export interface SeriesLayoutNote {
  kind: 'sorted-by-position' | 'sorted-by-instance-number' | 'non-image-skipped' | 'no-images';
  message: string;
}

/** A series' frames in display order, or the objects its own viewer shows (see model/objectKinds.ts). */
export interface DisplaySet {
  series: SeriesSummary;
  /** `image`: `frames` go to the stack; otherwise `objects` (of this kind) go to the kind's viewer. */
  kind: ObjectKind;
  frames: FrameRef[];
  objects: InstanceMeta[];
  notes: SeriesLayoutNote[];
}

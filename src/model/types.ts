import type { DicomJson } from '../dicom/json';

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
  /** Frame time in ms for cine, when given. */
  frameTimeMs?: number;
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

/** A series' frames in display order. */
export interface DisplaySet {
  series: SeriesSummary;
  frames: FrameRef[];
  notes: SeriesLayoutNote[];
}

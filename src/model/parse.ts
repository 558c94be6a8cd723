import type { DicomJson } from '../dicom/json';
import { getNumber, getNumbers, getSequence, getPersonName, getString, getStrings } from '../dicom/json';
import { Tag } from '../dicom/tags';
import { frameTimeMs, frameTimeVectorMs } from './cine';
import type { InstanceMeta, SeriesSummary, StudySummary, Vec3 } from './types';

export function studyFromQido(ds: DicomJson): StudySummary {
  return {
    studyInstanceUID: getString(ds, Tag.StudyInstanceUID),
    patientName: getPersonName(ds, Tag.PatientName),
    patientId: getString(ds, Tag.PatientID),
    issuerOfPatientId: getString(ds, Tag.IssuerOfPatientID) || undefined,
    patientBirthDate: getString(ds, Tag.PatientBirthDate),
    patientSex: getString(ds, Tag.PatientSex),
    studyDate: getString(ds, Tag.StudyDate),
    studyTime: getString(ds, Tag.StudyTime),
    accessionNumber: getString(ds, Tag.AccessionNumber),
    description: getString(ds, Tag.StudyDescription),
    modalities: getStrings(ds, Tag.ModalitiesInStudy),
    referringPhysician: getPersonName(ds, Tag.ReferringPhysicianName),
    numSeries: getNumber(ds, Tag.NumberOfStudyRelatedSeries),
    numInstances: getNumber(ds, Tag.NumberOfStudyRelatedInstances),
  };
}

export function seriesFromQido(ds: DicomJson, studyInstanceUID?: string): SeriesSummary {
  return {
    studyInstanceUID: getString(ds, Tag.StudyInstanceUID) || studyInstanceUID || '',
    seriesInstanceUID: getString(ds, Tag.SeriesInstanceUID),
    modality: getString(ds, Tag.Modality),
    seriesNumber: getNumber(ds, Tag.SeriesNumber),
    description: getString(ds, Tag.SeriesDescription),
    bodyPart: getString(ds, Tag.BodyPartExamined),
    numInstances: getNumber(ds, Tag.NumberOfSeriesRelatedInstances),
  };
}

const isVec3 = (v: number[] | undefined): v is Vec3 => v?.length === 3;
type Orientation = [number, number, number, number, number, number];
const isOrientation = (v: number[] | undefined): v is Orientation => v?.length === 6;

function finite(v: number[] | undefined, n: number): number[] | undefined {
  return v && v.length === n && v.every(Number.isFinite) ? v : undefined;
}

export function instanceFromMetadata(ds: DicomJson): InstanceMeta {
  const frames = Math.max(1, Math.floor(getNumber(ds, Tag.NumberOfFrames) ?? 1));
  const ipp = finite(getNumbers(ds, Tag.ImagePositionPatient), 3);
  const iop = finite(getNumbers(ds, Tag.ImageOrientationPatient), 6);
  const instance: InstanceMeta = {
    sopInstanceUID: getString(ds, Tag.SOPInstanceUID),
    sopClassUID: getString(ds, Tag.SOPClassUID),
    instanceNumber: getNumber(ds, Tag.InstanceNumber),
    numberOfFrames: frames,
    rows: getNumber(ds, Tag.Rows),
    columns: getNumber(ds, Tag.Columns),
    imagePositionPatient: isVec3(ipp) ? ipp : undefined,
    imageOrientationPatient: isOrientation(iop) ? iop : undefined,
    frameTimeMs: frameTimeMs(ds),
    frameTimeVectorMs: frameTimeVectorMs(ds, frames),
    raw: ds,
  };
  // Enhanced multi-frame objects carry geometry per frame in functional groups.
  const perFrame = getSequence(ds, Tag.PerFrameFunctionalGroupsSequence);
  if (frames > 1 && perFrame.length === frames) {
    const shared = getSequence(ds, Tag.SharedFunctionalGroupsSequence)[0];
    const sharedIop = shared
      ? finite(getNumbers(getSequence(shared, Tag.PlaneOrientationSequence)[0] ?? {}, Tag.ImageOrientationPatient), 6)
      : undefined;
    instance.framePositions = perFrame.map((item) => {
      const v = finite(getNumbers(getSequence(item, Tag.PlanePositionSequence)[0] ?? {}, Tag.ImagePositionPatient), 3);
      return isVec3(v) ? v : undefined;
    });
    instance.frameOrientations = perFrame.map((item) => {
      const v =
        finite(getNumbers(getSequence(item, Tag.PlaneOrientationSequence)[0] ?? {}, Tag.ImageOrientationPatient), 6) ??
        sharedIop ??
        iop;
      return isOrientation(v) ? v : undefined;
    });
  }
  return instance;
}

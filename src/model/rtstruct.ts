// What the viewer needs of an RT Structure Set: its ROIs (number, name, display colour) and their contours (closed
// planar, open planar, points) in patient coordinates, and the series they were drawn on. Pure functions over the
// instance's DICOM JSON metadata (contour data is not bulk data, so WADO-RS metadata carries it).
import { getNumber, getNumbers, getSequence, getString, type DicomJson } from '../dicom/json';
import type { Rgb, SegmentInfo } from './segmentation';
import type { Vec3 } from './types';

export type ContourType = 'CLOSED_PLANAR' | 'OPEN_PLANAR' | 'POINT' | 'OPEN_NONPLANAR';

export interface Contour {
  type: ContourType;
  /** Points in patient coordinates (mm). */
  points: Vec3[];
  /** The images it was drawn on (Contour Image Sequence), when given. */
  imageSOPInstanceUIDs: string[];
}

export interface RoiInfo extends SegmentInfo {
  contours: Contour[];
}

export interface RtStructInfo {
  rois: RoiInfo[];
  /** The series its contours were drawn on (the first RT Referenced Series). */
  referencedSeriesUID?: string;
  frameOfReferenceUID?: string;
}

const TAG = {
  StructureSetROISequence: '30060020',
  ROINumber: '30060022',
  ROIName: '30060026',
  ROIGenerationAlgorithm: '30060036',
  ROIContourSequence: '30060039',
  ReferencedROINumber: '30060084',
  ROIDisplayColor: '3006002A',
  ContourSequence: '30060040',
  ContourGeometricType: '30060042',
  ContourData: '30060050',
  ContourImageSequence: '30060016',
  ReferencedSOPInstanceUID: '00081155',
  ReferencedFrameOfReferenceSequence: '30060010',
  FrameOfReferenceUID: '00200052',
  RTReferencedStudySequence: '30060012',
  RTReferencedSeriesSequence: '30060014',
  SeriesInstanceUID: '0020000E',
} as const;

const DEFAULT_COLOR: Rgb = [255, 255, 0];
const CONTOUR_TYPES = new Set<ContourType>(['CLOSED_PLANAR', 'OPEN_PLANAR', 'POINT', 'OPEN_NONPLANAR']);

/** The ROIs, contours and referenced series of an RTSTRUCT instance's metadata. */
export function rtStructInfo(ds: DicomJson): RtStructInfo {
  const contoursByRoi = new Map<number, { color?: Rgb; contours: Contour[] }>();
  for (const item of getSequence(ds, TAG.ROIContourSequence)) {
    const roi = getNumber(item, TAG.ReferencedROINumber);
    if (roi === undefined) continue;
    const c = getNumbers(item, TAG.ROIDisplayColor);
    const contours = getSequence(item, TAG.ContourSequence).flatMap((contour): Contour[] => {
      const type = getString(contour, TAG.ContourGeometricType).toUpperCase() as ContourType;
      const data = getNumbers(contour, TAG.ContourData) ?? [];
      if (!CONTOUR_TYPES.has(type) || data.length < 3 || data.length % 3 !== 0) return [];
      const points: Vec3[] = [];
      for (let i = 0; i < data.length; i += 3) points.push([data[i]!, data[i + 1]!, data[i + 2]!]);
      const imageSOPInstanceUIDs = getSequence(contour, TAG.ContourImageSequence)
        .map((ref) => getString(ref, TAG.ReferencedSOPInstanceUID))
        .filter((u) => u.length > 0);
      return [{ type, points, imageSOPInstanceUIDs }];
    });
    contoursByRoi.set(roi, {
      color: c && c.length === 3 ? (c.map((v) => Math.max(0, Math.min(255, Math.round(v)))) as Rgb) : undefined,
      contours,
    });
  }
  const rois = getSequence(ds, TAG.StructureSetROISequence).map((item, i): RoiInfo => {
    const number = getNumber(item, TAG.ROINumber) ?? i + 1;
    const entry = contoursByRoi.get(number);
    return {
      number,
      label: getString(item, TAG.ROIName) || `ROI ${number}`,
      algorithm: getString(item, TAG.ROIGenerationAlgorithm) || undefined,
      color: entry?.color ?? DEFAULT_COLOR,
      contours: entry?.contours ?? [],
    };
  });
  const frame = getSequence(ds, TAG.ReferencedFrameOfReferenceSequence)[0];
  const referencedSeriesUID = frame
    ? getSequence(frame, TAG.RTReferencedStudySequence)
        .flatMap((study) => getSequence(study, TAG.RTReferencedSeriesSequence))
        .map((series) => getString(series, TAG.SeriesInstanceUID))
        .find((u) => u.length > 0)
    : undefined;
  return { rois, referencedSeriesUID, frameOfReferenceUID: frame ? getString(frame, TAG.FrameOfReferenceUID) || undefined : undefined };
}

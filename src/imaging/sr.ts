// Measurements ⇄ DICOM SR (TID 1500 measurement report), with Cornerstone's adapters and dcmjs. Loaded on demand
// (saving or opening a report), so none of this is fetched before the first image.
import { metaData } from '@cornerstonejs/core';
import { annotation as csAnnotation, type Types as ToolTypes } from '@cornerstonejs/tools';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { adaptersSR, NO_IMAGE_ID } from '@cornerstonejs/adapters';
import dcmjs from 'dcmjs';
import type { DicomJson } from '../dicom/json';
import { frameOfImageId } from './imageIds';
import { isMeasurementKind } from '../model/measurements';
import { statsOf, type MeasurementBook } from './annotations';
import { readMeasurementGroups } from '../model/srContent';
import { sliceNormal } from '../model/geometry';
import { uuidToUid } from '../model/uid';

const { MeasurementReport: AdaptersReport, Probe } = adaptersSR.Cornerstone3D;

/**
 * The adapters' report, except that measurements on reformatted planes (written with SCOORD3D under
 * NO_IMAGE_ID) reference the first image of their series from the session's record of the volume's images
 * (`book`): the adapters look in the volume cache, which MPR empties when it closes.
 */
function reportWriter(book: MeasurementBook) {
  return class extends AdaptersReport {
    static override getImageIdFromVolume({ toolData, toolTypes }: { toolData: Record<string, { data?: ToolTypes.Annotation[] }>; toolTypes: string[] }): string {
      const first = toolData[toolTypes[0]!]?.data?.[0];
      const imageId = first && book.sourceImageOf(first);
      if (!imageId) throw new Error('a measurement on a reformatted plane has lost its series');
      return imageId;
    }
  };
}

// Text annotations have no adapter of their own: they are points with a text, saved like a probe under their own
// tracking identifier ("…:Probe:Label") so that they come back as text annotations.
let labelAdapterRegistered = false;
function registerLabelAdapter(): void {
  if (labelAdapterRegistered || AdaptersReport.measurementAdapterByToolType.has('Label')) return;
  Probe.registerSubType(Probe as never, 'Label');
  labelAdapterRegistered = true;
}

type Naturalized = Record<string, unknown>;

/** The image's own header as dcmjs's naturalized dataset (what the adapters copy patient and study tags from). */
function naturalizedInstance(imageId: string): Naturalized | undefined {
  const raw = wadors.metaDataManager.get(imageId) as DicomJson | undefined;
  if (!raw) return undefined;
  const header: DicomJson = {};
  for (const [tag, element] of Object.entries(raw)) {
    // Only the header matters here; bulk data references and pixel data are left out.
    if (tag.startsWith('7FE0') || (element as { BulkDataURI?: string }).BulkDataURI) continue;
    // An empty Modality was added for Cornerstone's sake (cornerstoneMetadata.ts): the report copies what the file says.
    if (tag === '00080060' && element?.Value?.[0] === '') continue;
    header[tag] = element;
  }
  return dcmjs.data.DicomMetaDictionary.naturalizeDataset(header) as Naturalized;
}

const metadataProvider = {
  get(type: string, imageId: string): unknown {
    if (type === 'instance') return naturalizedInstance(imageId);
    if (type === 'frameNumber') return frameOfImageId(imageId)?.frameNumber ?? 1;
    return metaData.get(type, imageId);
  },
};

/**
 * The DICOM UID a measurement is tracked by across saves: Cornerstone's annotation UIDs are UUIDs, which
 * PS3.5 B.2 turns into UIDs under 2.25; one that is already a UID (restored from a report) stays as it is.
 */
export function trackingUidOf(annotationUID: string): string | undefined {
  if (/^[0-9]+(\.[0-9]+)+$/.test(annotationUID) && annotationUID.length <= 64) return annotationUID;
  return uuidToUid(annotationUID);
}

const asList = (v: unknown): Naturalized[] => (v === undefined || v === null ? [] : Array.isArray(v) ? (v as Naturalized[]) : [v as Naturalized]);
const meaning = (item: Naturalized) => String(asList(item.ConceptNameCodeSequence)[0]?.CodeMeaning ?? '');

/** dcmjs gives every measurement group a fresh tracking UID; this writes each measurement's own instead. */
function setTrackingUids(dataset: Naturalized, inOrder: ToolTypes.Annotation[]): void {
  const container = asList(dataset.ContentSequence).find((i) => i.ValueType === 'CONTAINER' && meaning(i) === 'Imaging Measurements');
  const groups = asList(container?.ContentSequence).filter((i) => i.ValueType === 'CONTAINER');
  if (groups.length !== inOrder.length) return;
  groups.forEach((group, i) => {
    const item = asList(group.ContentSequence).find((c) => meaning(c) === 'Tracking Unique Identifier');
    const uid = trackingUidOf(inOrder[i]!.annotationUID ?? '');
    if (item && uid) item.UID = uid;
  });
}

export interface ReportOptions {
  /** One series per viewing session: later saves add instances to it. */
  seriesInstanceUID: string;
  seriesNumber: number;
  instanceNumber: number;
  seriesDescription: string;
  softwareVersion: string;
}

export interface BuiltReport {
  bytes: Uint8Array;
  studyInstanceUID: string;
  seriesInstanceUID: string;
  sopInstanceUID: string;
  count: number;
}

/**
 * A TID 1500 measurement report of the given annotations (all measurements when `uids` is undefined). Each
 * measurement references its image (SOP instance and frame) with image coordinates, and carries its label.
 */
export function buildMeasurementReport(book: MeasurementBook, uids: string[] | undefined, options: ReportOptions): BuiltReport {
  registerLabelAdapter();
  const wanted = uids ? new Set(uids) : undefined;
  const annotations = book.annotations().filter((a) => !wanted || wanted.has(a.annotationUID!));
  if (annotations.length === 0) throw new Error('there are no measurements to save');
  const studies = new Set(annotations.map((a) => frameOfImageId(book.sourceImageOf(a)!)?.studyInstanceUID));
  if (studies.size !== 1) throw new Error('measurements of several studies are saved one study at a time');
  const toolState: Record<string, Record<string, { data: ToolTypes.Annotation[] }>> = {};
  for (const a of annotations) {
    // On an image: image coordinates (SCOORD) on that image. On a reformatted plane: patient coordinates
    // (SCOORD3D) in the series' frame of reference, which makes the report a Comprehensive 3D SR.
    const imageId = a.metadata!.referencedImageId ?? NO_IMAGE_ID;
    const byTool = (toolState[imageId] ??= {});
    // The adapters read a value only under the image's or the volume's plain key; MPR keys them by view. A copy
    // carries the values under the key the adapters read, and leaves the annotation as it is.
    const key = a.metadata!.referencedImageId ? `imageId:${a.metadata!.referencedImageId}` : `volumeId:${a.metadata!.volumeId}`;
    const copy = { ...a, metadata: { ...a.metadata! }, data: { ...a.data, cachedStats: { [key]: statsOf(a) ?? {} } } } as ToolTypes.Annotation;
    (byTool[a.metadata!.toolName] ??= { data: [] }).data.push(copy);
  }
  const report = reportWriter(book).generateReport(toolState, metadataProvider, {
    SeriesInstanceUID: options.seriesInstanceUID,
    SeriesNumber: String(options.seriesNumber),
    SeriesDescription: options.seriesDescription,
    InstanceNumber: options.instanceNumber,
    Manufacturer: 'Lumen DICOM viewer',
    ManufacturerModelName: 'Lumen',
    SoftwareVersions: options.softwareVersion,
    ImageComments: 'Measurements',
  });
  const dataset = report.dataset as Naturalized;
  // The adapters write groups image by image, tool by tool, in the order of toolState's keys.
  setTrackingUids(
    dataset,
    Object.values(toolState).flatMap((byTool) => Object.values(byTool).flatMap((t) => t.data)),
  );
  // dcmjs marks every derived object as research data; these are a reader's clinical measurements.
  delete dataset.ContentQualification;
  dataset.InstanceNumber = options.instanceNumber;
  const buffer = dcmjs.data.datasetToDict(dataset).write() as ArrayBuffer;
  return {
    bytes: new Uint8Array(buffer),
    studyInstanceUID: String(dataset.StudyInstanceUID),
    seriesInstanceUID: String(dataset.SeriesInstanceUID),
    sopInstanceUID: String(dataset.SOPInstanceUID),
    count: annotations.length,
  };
}

/** A report file read: its dataset, and the series its measurements were made on (to load before restoring). */
export interface ParsedReport {
  dataset: Naturalized;
  sopInstanceUID: string;
  referencedSeries: string[];
}

const asArray = <T,>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

export function parseMeasurementReport(part10: Uint8Array): ParsedReport {
  const buffer = part10.buffer.slice(part10.byteOffset, part10.byteOffset + part10.byteLength) as ArrayBuffer;
  const file = dcmjs.data.DicomMessage.readFile(buffer);
  const dataset = dcmjs.data.DicomMetaDictionary.naturalizeDataset(file.dict) as Naturalized;
  const template = asArray(dataset.ContentTemplateSequence as Naturalized | Naturalized[])[0];
  if (template?.TemplateIdentifier !== '1500') {
    throw new Error('this structured report is not a measurement report (TID 1500), so it has no measurements to show');
  }
  const evidence = asArray(dataset.CurrentRequestedProcedureEvidenceSequence as Naturalized[] | Naturalized);
  const referencedSeries = evidence.flatMap((study) =>
    asArray(study.ReferencedSeriesSequence as Naturalized[] | Naturalized).map((s) => String(s.SeriesInstanceUID)),
  );
  return { dataset, sopInstanceUID: String(dataset.SOPInstanceUID), referencedSeries };
}

/**
 * The plane normal of a measurement's points when they span a plane (three or more, not in a line), as a unit
 * vector; undefined for a line or a point, which the viewports place by their points alone.
 */
export function planeNormalOf(points: number[][]): [number, number, number] | undefined {
  if (points.length < 3) return undefined;
  const [o, ...rest] = points as [number[], ...number[][]];
  const sub = (p: number[]) => [p[0]! - o[0]!, p[1]! - o[1]!, p[2]! - o[2]!];
  let best: [number, number, number] | undefined;
  let bestLen = 1e-6;
  const u = sub(rest[0]!);
  for (const p of rest.slice(1)) {
    const v = sub(p);
    const n: [number, number, number] = [u[1]! * v[2]! - u[2]! * v[1]!, u[2]! * v[0]! - u[0]! * v[2]!, u[0]! * v[1]! - u[1]! * v[0]!];
    const len = Math.hypot(...n);
    if (len > bestLen) {
      bestLen = len;
      best = [n[0] / len, n[1] / len, n[2] / len];
    }
  }
  return best;
}

export interface RestoreResult {
  restored: number;
  /** Already shown (the same report opened before). */
  already: number;
  /** Annotation UIDs of the measurements put back. */
  uids: string[];
  /** Measurements whose image is not in the study as loaded, or of a kind this viewer cannot draw. */
  skipped: number;
}

/**
 * Puts a report's measurements back on their images. `imageIdFor` maps "SOP instance UID:frame" to the image id
 * the viewer uses for that frame. Measurements already present (same tracking UID) are not added twice.
 */
export function restoreMeasurementReport(
  /** The viewer's measurements (imaging session): told the images of volumes that measurements are put back on. */
  book: MeasurementBook,
  report: ParsedReport,
  imageIdFor: (sopInstanceUID: string, frame: number) => string | undefined,
  /** The volume (MPR) of a loaded series in a frame of reference, for measurements made on reformatted planes. */
  volumeFor: (frameOfReferenceUID: string) => { volumeId: string; imageIds: string[] } | undefined = () => undefined,
): RestoreResult {
  registerLabelAdapter();
  const map = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const at = key.lastIndexOf(':');
      return imageIdFor(key.slice(0, at), Number(key.slice(at + 1)) || 1);
    },
  });
  const byTool = AdaptersReport.generateToolState(report.dataset, map, metaData, {}) as Record<
    string,
    { annotation: ToolTypes.Annotation; TrackingUniqueIdentifier?: string }[]
  >;
  const present = new Set(csAnnotation.state.getAllAnnotations().map((x) => trackingUidOf(x.annotationUID ?? '')));
  let restored = 0;
  const uids: string[] = [];
  let already = 0;
  let skipped = 0;
  const total = readMeasurementGroups(report.dataset).length;
  for (const [toolName, items] of Object.entries(byTool)) {
    for (const item of items) {
      const a = item.annotation;
      const imageId = a.metadata?.referencedImageId;
      // On no image (SCOORD3D): it belongs to the volume of a loaded series in its frame of reference.
      const volume = imageId ? undefined : volumeFor(a.metadata?.FrameOfReferenceUID ?? '');
      if (!isMeasurementKind(toolName) || (!imageId && !volume)) {
        skipped++;
        continue;
      }
      // The report's tracking UID identifies the measurement: opening the same report twice, or the report just
      // saved from these very measurements, adds nothing.
      const uid = item.TrackingUniqueIdentifier || a.annotationUID!;
      if (csAnnotation.state.getAnnotation(uid) || present.has(uid)) {
        already++;
        continue;
      }
      a.annotationUID = uid;
      (a.data as { annotationUID?: string }).annotationUID = uid;
      a.metadata!.toolName = toolName;
      if (volume) {
        book.registerVolumeImages(volume.volumeId, volume.imageIds);
        a.metadata!.volumeId = volume.volumeId;
        const normal = planeNormalOf((a.data?.handles?.points ?? []) as number[][]);
        if (normal) a.metadata!.viewPlaneNormal = normal;
      }
      // The stack viewport shows an annotation when its view reference matches the image; give it the plane.
      const plane = imageId ? (metaData.get('imagePlaneModule', imageId) as { rowCosines?: number[]; columnCosines?: number[] } | undefined) : undefined;
      if (plane?.rowCosines && plane.columnCosines) {
        // As a stack viewport's camera looks at the image: along −(row × column), up = −column.
        const n = sliceNormal([...plane.rowCosines, ...plane.columnCosines]);
        const c = plane.columnCosines;
        a.metadata!.viewPlaneNormal = [-n[0], -n[1], -n[2]];
        a.metadata!.viewUp = [-c[0]!, -c[1]!, -c[2]!];
      }
      a.invalidated = true;
      a.isLocked = false;
      a.isVisible = true;
      csAnnotation.state.addAnnotation(a, a.metadata!.FrameOfReferenceUID ?? 'lumen');
      uids.push(uid);
      restored++;
    }
  }
  // Groups the adapters could not read at all (unknown kinds, no image) are not in byTool: count them too.
  return { restored, already, uids, skipped: Math.max(skipped, total - restored - already) };
}

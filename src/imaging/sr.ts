// Measurements ⇄ DICOM SR (TID 1500 measurement report), with Cornerstone's adapters and dcmjs. Loaded on demand
// (saving or opening a report), so none of this is fetched before the first image.
import { metaData } from '@cornerstonejs/core';
import { annotation as csAnnotation, type Types as ToolTypes } from '@cornerstonejs/tools';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import { adaptersSR } from '@cornerstonejs/adapters';
import dcmjs from 'dcmjs';
import type { DicomJson } from '../dicomweb/json';
import { frameOfImageId } from './imageIds';
import { isMeasurementKind } from './annotations';
import { readMeasurementGroups } from '../model/srContent';
import { sliceNormal } from '../model/geometry';
import { uuidToUid } from '../model/uid';

const { MeasurementReport, Probe } = adaptersSR.Cornerstone3D;

// Text annotations have no adapter of their own: they are points with a text, saved like a probe under their own
// tracking identifier ("…:Probe:Label") so that they come back as text annotations.
let labelAdapterRegistered = false;
function registerLabelAdapter(): void {
  if (labelAdapterRegistered || MeasurementReport.measurementAdapterByToolType.has('Label')) return;
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
export function buildMeasurementReport(uids: string[] | undefined, options: ReportOptions): BuiltReport {
  registerLabelAdapter();
  const wanted = uids ? new Set(uids) : undefined;
  const annotations = csAnnotation.state
    .getAllAnnotations()
    .filter((a) => isMeasurementKind(a.metadata?.toolName ?? '') && a.metadata?.referencedImageId && (!wanted || wanted.has(a.annotationUID!)));
  if (annotations.length === 0) throw new Error('there are no measurements to save');
  const studies = new Set(annotations.map((a) => frameOfImageId(a.metadata!.referencedImageId!)?.studyInstanceUID));
  if (studies.size !== 1) throw new Error('measurements of several studies are saved one study at a time');
  const toolState: Record<string, Record<string, { data: ToolTypes.Annotation[] }>> = {};
  for (const a of annotations) {
    const imageId = a.metadata!.referencedImageId!;
    const byTool = (toolState[imageId] ??= {});
    (byTool[a.metadata!.toolName] ??= { data: [] }).data.push(a);
  }
  const report = MeasurementReport.generateReport(toolState, metadataProvider, {
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
export function restoreMeasurementReport(report: ParsedReport, imageIdFor: (sopInstanceUID: string, frame: number) => string | undefined): RestoreResult {
  registerLabelAdapter();
  const map = new Proxy({} as Record<string, string | undefined>, {
    get: (_t, key) => {
      if (typeof key !== 'string') return undefined;
      const at = key.lastIndexOf(':');
      return imageIdFor(key.slice(0, at), Number(key.slice(at + 1)) || 1);
    },
  });
  const byTool = MeasurementReport.generateToolState(report.dataset, map, metaData, {}) as Record<
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
      if (!isMeasurementKind(toolName) || !imageId) {
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
      // The stack viewport shows an annotation when its view reference matches the image; give it the plane.
      const plane = metaData.get('imagePlaneModule', imageId) as { rowCosines?: number[]; columnCosines?: number[] } | undefined;
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

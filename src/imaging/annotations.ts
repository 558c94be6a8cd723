// Measurements on the Cornerstone side: the drawing tools, their annotations as plain Measurement records, and
// the edits the measurement panel makes (rename, delete, select, undo/redo). Annotations stay in Cornerstone's
// annotation state for the session; the app keeps a read-only copy (see store/measurements.ts).
import { eventTarget, getRenderingEngine, utilities, type StackViewport } from '@cornerstonejs/core';
import {
  annotation as csAnnotation,
  AnnotationTool,
  addTool,
  AngleTool,
  ArrowAnnotateTool,
  BidirectionalTool,
  CircleROITool,
  CobbAngleTool,
  Enums as ToolEnums,
  EllipticalROITool,
  LabelTool,
  LengthTool,
  PlanarFreehandROITool,
  RectangleROITool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { wadors } from '@cornerstonejs/dicom-image-loader';
import type { DicomJson } from '../dicomweb/json';
import { calibrationNote, valuesFromStats, type Measurement, type MeasurementKind } from '../model/measurements';
import { frameOfImageId } from './imageIds';
import { StackProbeTool } from './stackProbeTool';

export const ENGINE_ID = 'lumen-stack-engine';

/** The drawing tool of each measurement kind; each tool's name is the kind (Cornerstone's SR tracking names). */
export const MEASUREMENT_TOOLS: Record<MeasurementKind, { toolName: string }> = {
  Length: LengthTool,
  Angle: AngleTool,
  CobbAngle: CobbAngleTool,
  Bidirectional: BidirectionalTool,
  EllipticalROI: EllipticalROITool,
  RectangleROI: RectangleROITool,
  CircleROI: CircleROITool,
  PlanarFreehandROI: PlanarFreehandROITool,
  Probe: StackProbeTool,
  ArrowAnnotate: ArrowAnnotateTool,
  Label: LabelTool,
};

/** The tool classes to register (Cornerstone's addTool wants the classes themselves). */
export const MEASUREMENT_TOOL_CLASSES = Object.values(MEASUREMENT_TOOLS) as unknown as Parameters<typeof addTool>[0][];

const KINDS = new Set<string>(Object.keys(MEASUREMENT_TOOLS));
export const isMeasurementKind = (name: string): name is MeasurementKind => KINDS.has(name);

/** Asks the reader for a text (arrow and text annotations); undefined when cancelled. Set by the UI. */
export type TextPrompt = (title: string, initial: string) => Promise<string | undefined>;
let textPrompt: TextPrompt = async () => undefined;

export function setTextPrompt(prompt: TextPrompt): void {
  textPrompt = prompt;
}

/** Tool configuration for tools that ask for text: the app's own dialog instead of window.prompt. */
export function textToolConfiguration(title: string): Record<string, unknown> {
  return {
    getTextCallback: (done: (text: string | undefined) => void) => void textPrompt(title, '').then((t) => done(t?.trim() || undefined)),
    changeTextCallback: (data: { data?: { label?: string } }, _event: unknown, done: (text: string | undefined) => void) =>
      void textPrompt(title, data?.data?.label ?? '').then((t) => done(t?.trim() || data?.data?.label)),
  };
}

type Annotation = ToolTypes.Annotation;

function measurementAnnotations(): Annotation[] {
  return csAnnotation.state.getAllAnnotations().filter((a) => isMeasurementKind(a.metadata?.toolName ?? '') && a.metadata?.referencedImageId);
}

/** A plain record of one annotation; undefined for annotations not on a DICOMweb frame of ours. */
export function toMeasurement(a: Annotation): Measurement | undefined {
  const kind = a.metadata?.toolName ?? '';
  const imageId = a.metadata?.referencedImageId;
  if (!isMeasurementKind(kind) || !imageId || !a.annotationUID) return undefined;
  const frame = frameOfImageId(imageId);
  if (!frame) return undefined;
  const stats = (a.data?.cachedStats as Record<string, Record<string, unknown>> | undefined)?.[`imageId:${imageId}`];
  const raw = wadors.metaDataManager.get(imageId) as DicomJson | undefined;
  const lengthy = kind !== 'Angle' && kind !== 'CobbAngle' && kind !== 'Probe' && kind !== 'ArrowAnnotate' && kind !== 'Label';
  return {
    uid: a.annotationUID,
    kind,
    label: (a.data?.label as string | undefined) ?? '',
    ...frame,
    values: valuesFromStats(kind, stats),
    geometry: ((a.data?.handles?.points ?? []) as number[][]).map((p) => p.map((v) => v.toFixed(1)).join(' ')).join(';'),
    calibrationNote: lengthy && raw ? calibrationNote(raw) : undefined,
  };
}

export function listMeasurements(): Measurement[] {
  return measurementAnnotations()
    .map(toMeasurement)
    .filter((m): m is Measurement => !!m);
}

export interface AnnotationSnapshot {
  measurements: Measurement[];
  selected: string[];
  canUndo: boolean;
  canRedo: boolean;
}

function snapshot(): AnnotationSnapshot {
  const history = utilities.HistoryMemo.DefaultHistoryMemo;
  return {
    measurements: listMeasurements(),
    selected: csAnnotation.selection.getAnnotationsSelected() ?? [],
    canUndo: history.canUndo,
    canRedo: history.canRedo,
  };
}

const WATCHED = [
  ToolEnums.Events.ANNOTATION_ADDED,
  ToolEnums.Events.ANNOTATION_COMPLETED,
  ToolEnums.Events.ANNOTATION_MODIFIED,
  ToolEnums.Events.ANNOTATION_REMOVED,
  ToolEnums.Events.ANNOTATION_SELECTION_CHANGE,
  'CORNERSTONE_TOOLS_HISTORY_UNDO',
  'CORNERSTONE_TOOLS_HISTORY_REDO',
];

/** Watchers told about changes that fire no Cornerstone event (clearing the history). */
const localWatchers = new Set<() => void>();
const notifyWatchers = () => localWatchers.forEach((fn) => fn());

/**
 * Calls `onChange` with every measurement whenever one is added, edited, removed or selected, at most once per
 * animation frame (dragging a handle fires an event per mouse move). Returns the unsubscribe function.
 */
export function watchMeasurements(onChange: (s: AnnotationSnapshot) => void): () => void {
  let scheduled = 0;
  const schedule = () => {
    if (scheduled) return;
    scheduled = requestAnimationFrame(() => {
      scheduled = 0;
      onChange(snapshot());
    });
  };
  for (const type of WATCHED) eventTarget.addEventListener(type, schedule);
  localWatchers.add(schedule);
  schedule();
  return () => {
    cancelAnimationFrame(scheduled);
    localWatchers.delete(schedule);
    for (const type of WATCHED) eventTarget.removeEventListener(type, schedule);
  };
}

function stackViewports(): StackViewport[] {
  const engine = getRenderingEngine(ENGINE_ID);
  return (engine?.getViewports() ?? []) as StackViewport[];
}

/** The element of the viewport that shows the annotation's image series (undo moves that viewport to it). */
function elementFor(a: Annotation): HTMLDivElement | undefined {
  const imageId = a.metadata?.referencedImageId;
  const viewports = stackViewports();
  const showing = viewports.find((vp) => imageId && vp.getImageIds?.().includes(imageId));
  return (showing ?? viewports[0])?.element;
}

/** Draws every viewport again (after annotations were added from outside the tools). */
export function renderAll(): void {
  for (const vp of stackViewports()) vp.render();
}

/** Every change goes through Cornerstone's history, so Ctrl+Z undoes panel edits and drawing alike. */
export function renameMeasurement(uid: string, label: string): void {
  const a = csAnnotation.state.getAnnotation(uid);
  if (!a) return;
  const element = elementFor(a);
  AnnotationTool.createAnnotationMemo(element as HTMLDivElement, a);
  a.data.label = label;
  if (element) csAnnotation.state.triggerAnnotationModified(a, element, ToolEnums.ChangeTypes.LabelChange);
  renderAll();
}

export function removeMeasurements(uids: string[]): void {
  for (const uid of uids) {
    const a = csAnnotation.state.getAnnotation(uid);
    if (!a) continue;
    AnnotationTool.createAnnotationMemo(elementFor(a) as HTMLDivElement, a, { deleting: true });
    csAnnotation.state.removeAnnotation(uid);
  }
  renderAll();
}

export function selectMeasurement(uid: string | undefined): void {
  if (uid) csAnnotation.selection.setAnnotationSelected(uid, true, false);
  else csAnnotation.selection.deselectAnnotation();
  renderAll();
}

export function undo(): void {
  utilities.HistoryMemo.DefaultHistoryMemo.undo();
  renderAll();
}

export function redo(): void {
  utilities.HistoryMemo.DefaultHistoryMemo.redo();
  renderAll();
}

/** Forgets every measurement and the undo history (another study opened). */
export function clearMeasurements(): void {
  csAnnotation.state.removeAllAnnotations();
  const history = utilities.HistoryMemo.DefaultHistoryMemo;
  // The ring has no clear(); setting its size starts an empty one.
  history.size = history.size;
  notifyWatchers();
}

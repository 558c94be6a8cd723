// Measurements on the Cornerstone side: the drawing tools, their annotations as plain Measurement records, and
// the edits the measurement panel makes (rename, delete, select, undo/redo). Annotations stay in Cornerstone's
// annotation state for the session; the app keeps a read-only copy (see store/measurements.ts).
import { eventTarget, getRenderingEngine, metaData, utilities, type StackViewport, type Types } from '@cornerstonejs/core';
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
import type { DicomJson } from '../dicom/json';
import {
  AREA_KINDS,
  calibrationNote,
  extentNote,
  extentOnImage,
  isMeasurementKind,
  planeOfNormal,
  planeOfPoints,
  valuesFromStats,
  type Measurement,
  type MeasurementKind,
} from '../model/measurements';
import { frameOfImageId } from './imageIds';
import { StackProbeTool } from './stackProbeTool';
import { calculateStatsNow, recordStatsCalls, type StatsTool } from './cornerstonePrivate';

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

/** Asks the reader for a text (arrow and text annotations); undefined when cancelled. Given by the UI. */
export type TextPrompt = (title: string, initial: string) => Promise<string | undefined>;

/** Tool configuration for tools that ask for text: the app's own dialog instead of window.prompt. */
function textToolConfiguration(title: string, textPrompt: TextPrompt): Record<string, unknown> {
  return {
    getTextCallback: (done: (text: string | undefined) => void) => void textPrompt(title, '').then((t) => done(t?.trim() || undefined)),
    changeTextCallback: (data: { data?: { label?: string } }, _event: unknown, done: (text: string | undefined) => void) =>
      void textPrompt(title, data?.data?.label ?? '').then((t) => done(t?.trim() || data?.data?.label)),
  };
}

type Annotation = ToolTypes.Annotation;

type Stats = Record<string, Record<string, unknown>>;

/**
 * The values a tool computed for an annotation: for its image when it has one (a stack viewport keys them by
 * image), else those of the (MPR) view it was measured in.
 */
export function statsOf(a: Annotation): Record<string, unknown> | undefined {
  const all = (a.data?.cachedStats ?? {}) as Stats;
  const imageId = a.metadata?.referencedImageId;
  if (imageId && all[`imageId:${imageId}`]) return all[`imageId:${imageId}`];
  const filled = Object.entries(all).filter(([, v]) => v && typeof v === 'object' && Object.keys(v).length > 0);
  // Cornerstone also measures an annotation in other planes that cut it (an ellipse seen edge-on from another
  // plane has a sliver of area there): the values are those of the plane it was drawn in.
  const own = a.metadata?.viewPlaneNormal;
  const inOwnPlane = own && filled.find(([key]) => sameDirection(normalOfStatsKey(key), own));
  return (inOwnPlane ?? filled[0])?.[1];
}

/** The view plane normal a volume viewport's stats key names (`…&viewPlaneNormal=x,y,z`). */
export function normalOfStatsKey(key: string): number[] | undefined {
  const m = /[?&]viewPlaneNormal=([-0-9.e]+),([-0-9.e]+),([-0-9.e]+)/.exec(key);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

function sameDirection(a: readonly number[] | undefined, b: readonly number[]): boolean {
  if (!a) return false;
  const dot = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  return Math.abs(dot) / (Math.hypot(a[0]!, a[1]!, a[2]!) * Math.hypot(b[0]!, b[1]!, b[2]!) || 1) > 0.999;
}

/**
 * A plain record of one annotation; undefined for annotations not on a DICOMweb frame of ours. `source`: the image
 * it is on, or for one on a reformatted plane, the first image of its volume (MeasurementBook.sourceImageOf).
 */
export function toMeasurement(a: Annotation, source: string | undefined): Measurement | undefined {
  const kind = a.metadata?.toolName ?? '';
  const imageId = a.metadata?.referencedImageId;
  if (!isMeasurementKind(kind) || !source || !a.annotationUID) return undefined;
  const frame = frameOfImageId(source);
  if (!frame) return undefined;
  const raw = wadors.metaDataManager.get(source) as DicomJson | undefined;
  const lengthy = kind !== 'Angle' && kind !== 'CobbAngle' && kind !== 'Probe' && kind !== 'ArrowAnnotate' && kind !== 'Label';
  const points = (a.data?.handles?.points ?? []) as number[][];
  const first = points[0];
  const values = valuesFromStats(kind, statsOf(a));
  return {
    uid: a.annotationUID,
    kind,
    label: (a.data?.label as string | undefined) ?? '',
    ...frame,
    ...(imageId
      ? {}
      : {
          sopInstanceUID: '',
          frameNumber: 0,
          reformatted: {
            plane: a.metadata?.viewPlaneNormal ? planeOfNormal(a.metadata.viewPlaneNormal) : (planeOfPoints(points) ?? 'oblique'),
            point: [first?.[0] ?? 0, first?.[1] ?? 0, first?.[2] ?? 0],
          },
        }),
    values,
    extentNote: imageId && AREA_KINDS.has(kind) ? extentNote(extentOf(a, kind, imageId), values.some((v) => v.name === 'mean')) : undefined,
    geometry: ((a.data?.handles?.points ?? []) as number[][]).map((p) => p.map((v) => v.toFixed(1)).join(' ')).join(';'),
    calibrationNote: lengthy && raw ? calibrationNote(raw) : undefined,
  };
}

/**
 * Where an area ROI lies on its image (a stack image; reformatted planes are not checked): its outline in the
 * image's pixel coordinates against the image's size. The ROI tools measure over the pixels the shape covers on
 * the image (patches/…roi-partly-outside), and the panel says when that is not the whole shape.
 */
function extentOf(a: Annotation, kind: MeasurementKind, imageId: string): ReturnType<typeof extentOnImage> {
  const plane = metaData.get('imagePlaneModule', imageId) as
    | { rows?: number; columns?: number; rowCosines?: number[]; columnCosines?: number[] }
    | undefined;
  if (!plane?.rows || !plane.columns) return 'inside';
  let world = ((kind === 'PlanarFreehandROI' ? a.data?.contour?.polyline : undefined) ?? a.data?.handles?.points ?? []) as Types.Point3[];
  if (kind === 'CircleROI' && world.length >= 2 && plane.rowCosines && plane.columnCosines) {
    // A circle's handles are its centre and a point on it: its extent is the centre ± the radius along the image's axes.
    const [c, e] = world as [Types.Point3, Types.Point3];
    const r = Math.hypot(e[0] - c[0], e[1] - c[1], e[2] - c[2]);
    const along = (v: number[], k: number): Types.Point3 => [c[0] + k * r * v[0]!, c[1] + k * r * v[1]!, c[2] + k * r * v[2]!];
    world = [along(plane.rowCosines, 1), along(plane.rowCosines, -1), along(plane.columnCosines, 1), along(plane.columnCosines, -1)];
  }
  try {
    return extentOnImage(
      world.map((p) => utilities.worldToImageCoords(imageId, p) as number[]),
      plane.columns,
      plane.rows,
    );
  } catch {
    return 'inside';
  }
}

export interface AnnotationSnapshot {
  measurements: Measurement[];
  selected: string[];
  canUndo: boolean;
  canRedo: boolean;
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

/** Every viewport of the engine: the stack viewports and, while MPR is open, its planes. */
function allViewports(): Types.IViewport[] {
  return getRenderingEngine(ENGINE_ID)?.getViewports() ?? [];
}

/** The element of a viewport that shows the annotation (undo moves that viewport to it). */
function elementFor(a: Annotation): HTMLDivElement | undefined {
  const imageId = a.metadata?.referencedImageId;
  const viewports = allViewports();
  const showing = imageId
    ? viewports.find((vp) => (vp as StackViewport).getImageIds?.().includes(imageId))
    : viewports.find((vp) => vp.isReferenceViewable?.(a.metadata as never, { withNavigation: true }));
  return (showing ?? viewports[0])?.element;
}

/** Draws every viewport again (after annotations were added from outside the tools). */
export function renderAll(): void {
  for (const vp of allViewports()) vp.render();
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

/**
 * The viewer's measurement bookkeeping beside Cornerstone's annotation state: one per imaging session (session.ts),
 * not module globals. It holds what the drawing tools need from the app (the text prompt), what settles a
 * measurement's values when a drag ends, which images each MPR volume was built from, and who watches the list.
 */
export class MeasurementBook {
  /**
   * Settling a measurement's values. Cornerstone's tools measure an annotation when they draw it, at most every
   * 100 ms while it changes (a throttle whose last call comes up to 100 ms late), and only on the image a viewport
   * shows at that moment. A reader who steps to the next image right after letting go of a handle left the
   * annotation with the values from mid-drag, in the panel and in the saved report; the tool marked it measured
   * all the same. So the values are taken again as the drag ends (mouse or touch released, annotation completed),
   * while the image is still shown, with the arguments the tool last measured that annotation with: they differ
   * from tool to tool, and the tool's own call has them right.
   */
  private readonly lastStatsCall = new Map<string, { tool: StatsTool; args: unknown[] }>();
  /**
   * The images of each MPR volume (by volume id). A measurement drawn on a sagittal, coronal or oblique plane is
   * on no single image: it belongs to the volume's series, which this tells, also after the MPR has closed.
   */
  private readonly volumeImages = new Map<string, string[]>();
  /** Watchers told about changes that fire no Cornerstone event (clearing the history). */
  private readonly localWatchers = new Set<() => void>();

  /** `textPrompt`: asks the reader for an arrow's or a text label's text (the app's dialog). */
  constructor(private readonly textPrompt: TextPrompt = async () => undefined) {}

  /** Adds every measurement tool to a tool group (a stack's or MPR's), each able to have its values settled. */
  addTools(group: ToolTypes.IToolGroup): void {
    for (const [kind, tool] of Object.entries(MEASUREMENT_TOOLS)) {
      const texts = kind === 'ArrowAnnotate' || kind === 'Label';
      group.addTool(tool.toolName, texts ? textToolConfiguration(kind === 'Label' ? 'Text annotation' : 'Arrow annotation', this.textPrompt) : {});
      this.recordStatsArguments(group.getToolInstance(tool.toolName));
    }
  }

  /** Wraps the tool's measuring (cornerstonePrivate.ts, `recordStatsCalls`) to keep the arguments of its last call per annotation. */
  private recordStatsArguments(tool: StatsTool | undefined): void {
    if (!tool) return;
    recordStatsCalls(tool, (args) => {
      const uid = (args[0] as Annotation | undefined)?.annotationUID;
      if (uid) this.lastStatsCall.set(uid, { tool, args });
    });
  }

  /** Measures again, now, every annotation changed since its tool last measured it (see lastStatsCall). */
  readonly settle = (): void => {
    for (const [uid, { tool, args }] of this.lastStatsCall) {
      const a = csAnnotation.state.getAnnotation(uid);
      if (!a) {
        this.lastStatsCall.delete(uid);
        continue;
      }
      if (!a.invalidated) continue;
      try {
        calculateStatsNow(tool, [a, ...args.slice(1)]);
      } catch (e) {
        // Its viewport has gone (MPR closed): the tool measures it when it is next drawn.
        console.warn('measurement values not settled:', e instanceof Error ? e.message : e);
      }
    }
  };

  /** Settles values whenever a drag or a drawing ends, until the returned function is called. */
  settleOnRelease(): () => void {
    // Window, bubbling: after Cornerstone's own document-level mouseup handling has ended the drag.
    const types = ['mouseup', 'touchend', 'touchcancel'];
    for (const type of types) window.addEventListener(type, this.settle);
    eventTarget.addEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, this.settle);
    return () => {
      for (const type of types) window.removeEventListener(type, this.settle);
      eventTarget.removeEventListener(ToolEnums.Events.ANNOTATION_COMPLETED, this.settle);
    };
  }

  registerVolumeImages(volumeId: string, imageIds: string[]): void {
    if (imageIds.length > 0) this.volumeImages.set(volumeId, imageIds);
  }

  imagesOfVolume(volumeId: string | undefined): string[] | undefined {
    return volumeId ? this.volumeImages.get(volumeId) : undefined;
  }

  /** The image an annotation is on, or for one on a reformatted plane, the first image of its volume. */
  sourceImageOf(a: Annotation): string | undefined {
    return a.metadata?.referencedImageId ?? this.imagesOfVolume(a.metadata?.volumeId)?.[0];
  }

  /** The measurement tools' annotations that are on an image of ours (directly or through an MPR volume). */
  annotations(): Annotation[] {
    return csAnnotation.state.getAllAnnotations().filter((a) => isMeasurementKind(a.metadata?.toolName ?? '') && this.sourceImageOf(a));
  }

  list(): Measurement[] {
    return this.annotations()
      .map((a) => toMeasurement(a, this.sourceImageOf(a)))
      .filter((m): m is Measurement => !!m);
  }

  private snapshot(): AnnotationSnapshot {
    const history = utilities.HistoryMemo.DefaultHistoryMemo;
    return {
      measurements: this.list(),
      selected: csAnnotation.selection.getAnnotationsSelected() ?? [],
      canUndo: history.canUndo,
      canRedo: history.canRedo,
    };
  }

  /**
   * Calls `onChange` with every measurement whenever one is added, edited, removed or selected, at most once per
   * animation frame (dragging a handle fires an event per mouse move). Returns the unsubscribe function.
   */
  watch(onChange: (s: AnnotationSnapshot) => void): () => void {
    let scheduled = 0;
    const schedule = () => {
      if (scheduled) return;
      scheduled = requestAnimationFrame(() => {
        scheduled = 0;
        onChange(this.snapshot());
      });
    };
    for (const type of WATCHED) eventTarget.addEventListener(type, schedule);
    this.localWatchers.add(schedule);
    schedule();
    return () => {
      cancelAnimationFrame(scheduled);
      this.localWatchers.delete(schedule);
      for (const type of WATCHED) eventTarget.removeEventListener(type, schedule);
    };
  }

  /** Forgets every measurement and the undo history (another study opened). */
  clear(): void {
    csAnnotation.state.removeAllAnnotations();
    this.lastStatsCall.clear();
    const history = utilities.HistoryMemo.DefaultHistoryMemo;
    // The ring has no clear(); setting its size starts an empty one.
    history.size = history.size;
    for (const fn of this.localWatchers) fn();
  }
}

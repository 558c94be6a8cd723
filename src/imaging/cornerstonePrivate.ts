/**
 * The one place that touches Cornerstone's private and protected members (and the underscore methods of its tools
 * that the viewer wraps). Each function names the member it reaches, says why the viewer needs it, and types it
 * here, so the rest of `src/` uses typed functions and never casts a Cornerstone object to get at its internals.
 *
 * Written against @cornerstonejs/core and tools 5.14.0 (pinned in package.json, like the patches in patches/).
 * TypeScript cannot see a rename of a private member: after an upgrade, check each one named here against the
 * package's .d.ts files (`private renderingPipelineFunctions;` and so on) and run the e2e suite (the `default`
 * and `gpu-stacks` Playwright projects). docs/cornerstone-patches.md lists them with the reasons in full.
 */
import type { RenderingEngine, StackViewport, Types } from '@cornerstonejs/core';

// ---------------------------------------------------------------------------------------------------------------
// StackViewport's CPU pipeline (used by cpuStack.ts: stacks drawn on the CPU with WebGL's geometry)
// ---------------------------------------------------------------------------------------------------------------

/** The part of the CPU pipeline's `getImageData()` that cpuStack.ts corrects. */
export interface CpuImageData {
  imageData: {
    worldToIndex: (point: Types.Point3) => Types.Point3;
    indexToWorld: (point: Types.Point3, out?: Types.Point3) => Types.Point3;
  };
}

/** The fields of the CPU pipeline's image that cpuStack.ts reads. */
export interface CpuImage {
  rows: number;
  columns: number;
  rowPixelSpacing?: number;
  columnPixelSpacing?: number;
}

/** `StackViewport._cpuFallbackEnabledElement`: the CPU pipeline's own state, as far as cpuStack.ts reads or sets it. */
export interface CpuEnabledElement {
  canvas: HTMLCanvasElement;
  image?: CpuImage;
  metadata?: { spacing?: number[]; direction?: number[] };
  viewport: { rotation?: number; hflip?: boolean; vflip?: boolean };
}

/**
 * The entries of `StackViewport.renderingPipelineFunctions` (private: the per-pipeline method table, `{ name:
 * { cpu, gpu } }`) whose `cpu` member cpuStack.ts replaces, so that the CPU pipeline has WebGL's geometry. Called
 * with the viewport as `this`, as the viewport calls them.
 */
export interface CpuPipelineFunctions {
  canvasToWorld: (canvasPos: Types.Point2, out?: Types.Point3) => Types.Point3 | undefined;
  worldToCanvas: (worldPos: Types.Point3) => Types.Point2;
  getImageData: () => CpuImageData | undefined;
  getZoom: () => number;
  setZoom: (zoom: number) => void;
}

/** The CPU coordinate conversions (`canvasToWorldCPU`, `worldToCanvasCPU`: private arrow functions, no `this`). */
export interface CpuCoordinates {
  canvasToWorld: (canvasPos: Types.Point2, out?: Types.Point3) => Types.Point3 | undefined;
  worldToCanvas: (worldPos: Types.Point3) => Types.Point2;
}

interface StackViewportPrivate {
  renderingPipelineFunctions: { [K in keyof CpuPipelineFunctions]: { cpu: CpuPipelineFunctions[K] } };
  canvasToWorldCPU: CpuCoordinates['canvasToWorld'];
  worldToCanvasCPU: CpuCoordinates['worldToCanvas'];
  _cpuFallbackEnabledElement?: CpuEnabledElement;
  setFlipCPU: (flip: { flipHorizontal?: boolean; flipVertical?: boolean }) => void;
  _updateToDisplayImageCPU: (image: unknown) => void;
  triggerCameraEvent: (camera: Types.ICamera, previous: Types.ICamera) => void;
  stackInvalidated: boolean;
  voiRange?: Types.VOIRange;
}

const stack = (viewport: StackViewport) => viewport as unknown as StackViewportPrivate;

/**
 * `renderingPipelineFunctions[name].cpu`: what the viewport runs for `name` on the CPU pipeline. Why: Cornerstone's
 * CPU pipeline puts world coordinates and image indices at pixel corners and zoom 1 at the raw canvas-to-image
 * scale; cpuStack.ts wraps these entries to match WebGL (pixel centres, 1 = fitted).
 */
export function cpuPipelineFunction<K extends keyof CpuPipelineFunctions>(viewport: StackViewport, name: K): CpuPipelineFunctions[K] {
  return stack(viewport).renderingPipelineFunctions[name].cpu;
}

/** Replaces `renderingPipelineFunctions[name].cpu` (see `cpuPipelineFunction`). */
export function setCpuPipelineFunction<K extends keyof CpuPipelineFunctions>(viewport: StackViewport, name: K, fn: CpuPipelineFunctions[K]): void {
  stack(viewport).renderingPipelineFunctions[name].cpu = fn;
}

/**
 * `canvasToWorldCPU` / `worldToCanvasCPU`. Why: the CPU pipeline's own camera code calls them directly (not through
 * the table), so the half-pixel correction must replace them too, or the camera and the tools would disagree.
 */
export function cpuCoordinates(viewport: StackViewport): CpuCoordinates {
  const v = stack(viewport);
  return { canvasToWorld: v.canvasToWorldCPU, worldToCanvas: v.worldToCanvasCPU };
}

/** Replaces `canvasToWorldCPU` / `worldToCanvasCPU` (see `cpuCoordinates`). */
export function setCpuCoordinates(viewport: StackViewport, { canvasToWorld, worldToCanvas }: CpuCoordinates): void {
  const v = stack(viewport);
  v.canvasToWorldCPU = canvasToWorld;
  v.worldToCanvasCPU = worldToCanvas;
}

/**
 * `_cpuFallbackEnabledElement`: the CPU pipeline's canvas, image, geometry and display state (undefined before the
 * first image). Why: the half-pixel offset and the fitted scale are computed from its spacing, direction, canvas
 * and image; flips set its `hflip` / `vflip` after its `rotation`.
 */
export function cpuEnabledElement(viewport: StackViewport): CpuEnabledElement | undefined {
  return stack(viewport)._cpuFallbackEnabledElement;
}

/**
 * Replaces `setFlipCPU` (private; the viewport calls it from `setCamera` on the CPU pipeline). Why: the CPU pipeline
 * flips along the image's axes before its rotation, WebGL along the screen's. `handler` gets the flip asked for and
 * the CPU pipeline's display state (`_cpuFallbackEnabledElement.viewport`: `rotation`, `hflip`, `vflip`) at the call.
 */
export function setCpuFlipHandler(
  viewport: StackViewport,
  handler: (flip: { flipHorizontal?: boolean; flipVertical?: boolean }, state: CpuEnabledElement['viewport']) => void,
): void {
  const v = stack(viewport);
  v.setFlipCPU = (flip) => handler(flip, v._cpuFallbackEnabledElement!.viewport);
}

/**
 * Wraps `_updateToDisplayImageCPU`, which shows a stack's new image on the CPU pipeline. Why: on WebGL a new image
 * moves the camera and fires CAMERA_MODIFIED; the CPU pipeline did neither (reference lines followed the first
 * image only) and reported each image's default window while drawing with the reader's. `show` must be called with
 * the viewport as `this`.
 */
export function wrapCpuImageDisplay(viewport: StackViewport, wrap: (show: (this: StackViewport, image: unknown) => void) => (image: unknown) => void): void {
  const v = stack(viewport);
  v._updateToDisplayImageCPU = wrap(v._updateToDisplayImageCPU as (this: StackViewport, image: unknown) => void);
}

/** `stackInvalidated`: true while the viewport shows a stack's first image (a new stack), false for further ones. */
export function isStackInvalidated(viewport: StackViewport): boolean {
  return stack(viewport).stackInvalidated;
}

/** `voiRange`: the window the viewport draws with and reports (`getProperties().voiRange`). */
export function drawnVoiRange(viewport: StackViewport): Types.VOIRange | undefined {
  return stack(viewport).voiRange;
}

/** Sets `voiRange` without a redraw or an event (see `wrapCpuImageDisplay`: keeps the reader's window). */
export function setDrawnVoiRange(viewport: StackViewport, range: Types.VOIRange): void {
  stack(viewport).voiRange = range;
}

/** `triggerCameraEvent`: fires CAMERA_MODIFIED as WebGL does when a new image moves the camera. */
export function triggerCameraModified(viewport: StackViewport, camera: Types.ICamera, previous: Types.ICamera): void {
  stack(viewport).triggerCameraEvent(camera, previous);
}

// ---------------------------------------------------------------------------------------------------------------
// RenderingEngine (used by StackController.ts)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Runs the engine's protected `_renderFlaggedViewports()` (its animation-frame callback) now: draws what is flagged
 * for drawing. Why: an image set by a wheel event was drawn at the next animation frame, after that frame's wheel
 * event had set another, so scrolling at frame rate drew every other image. Does nothing if an upgrade renamed it.
 */
export function renderFlaggedViewportsNow(engine: RenderingEngine): void {
  (engine as unknown as { _renderFlaggedViewports?: () => void })._renderFlaggedViewports?.();
}

// ---------------------------------------------------------------------------------------------------------------
// Streaming volumes (used by MprController.ts)
// ---------------------------------------------------------------------------------------------------------------

/**
 * Sets a streaming volume's protected `reRenderFraction` and `reRenderTarget`: its viewports redraw each time that
 * many more frames have arrived. Why: Cornerstone redraws every plane each 2% of the frames; without a GPU a redraw
 * of three planes costs more than the frames it shows. Call after `load()`, which sets the default. Returns false
 * (and sets nothing) where the volume has no such members.
 */
export function setStreamingRedrawEvery(volume: object, frames: number): boolean {
  const streaming = volume as { reRenderFraction?: number; reRenderTarget?: number };
  if (streaming.reRenderFraction === undefined) return false;
  streaming.reRenderFraction = frames;
  streaming.reRenderTarget = frames;
  return true;
}

// ---------------------------------------------------------------------------------------------------------------
// Annotation tools' measuring (used by annotations.ts)
// ---------------------------------------------------------------------------------------------------------------

/** A measurement tool's `_calculateCachedStats(annotation, …)` and its 100 ms throttle `_throttledCalculateCachedStats`. */
interface StatsToolInternals {
  _calculateCachedStats?: (...args: unknown[]) => unknown;
  _throttledCalculateCachedStats?: (...args: unknown[]) => unknown;
}

/** A measurement tool instance whose measuring is wrapped (see `recordStatsCalls`). */
export type StatsTool = object;

/**
 * Wraps a tool instance's `_calculateCachedStats` and `_throttledCalculateCachedStats` so that `record` sees the
 * arguments of each call (the annotation first). Why: the tools measure a changing shape at most every 100 ms, and
 * only on the image shown; the viewer measures again with the last arguments when a drag ends. Returns false when
 * the tool has no `_calculateCachedStats`. The throttle holds the unwrapped function, so each records for itself.
 */
export function recordStatsCalls(tool: StatsTool | undefined, record: (args: unknown[]) => void): boolean {
  const t = tool as StatsToolInternals | undefined;
  const measure = t?._calculateCachedStats;
  const throttled = t?._throttledCalculateCachedStats;
  if (!t || typeof measure !== 'function') return false;
  t._calculateCachedStats = function (this: unknown, ...args: unknown[]) {
    record(args);
    return measure.apply(this, args);
  };
  if (typeof throttled === 'function') {
    t._throttledCalculateCachedStats = function (this: unknown, ...args: unknown[]) {
      record(args);
      return throttled.apply(this, args);
    };
  }
  return true;
}

/** Calls the tool's `_calculateCachedStats(...args)` now, as the tool itself would (see `recordStatsCalls`). */
export function calculateStatsNow(tool: StatsTool, args: unknown[]): unknown {
  return (tool as StatsToolInternals)._calculateCachedStats!(...args);
}

import { cache, Enums, eventTarget, RenderingEngine, utilities, type StackViewport, type Types } from '@cornerstonejs/core';
import { utilities as toolUtilities } from '@cornerstonejs/tools';
import { edgeLabels, type EdgeLabels } from '../model/geometry';
import type { ViewState } from '../model/viewState';
import { ENGINE_ID } from './annotations';
import { renderingEngine, stackViewportType } from './cpuStack';
import type { Vec3 } from '../model/types';
import { describeLoadError } from './errors';
import { loadFaults } from './loadFaults';
import { imageOnScreen } from './onScreen';
import { onDoubleTap } from './touch';
import type { ImagingSession } from './session';

export type { ViewState };
export type { NavigationTool, PrimaryTool, ToolChoice } from './session';

export interface ProbeResult {
  column: number;
  row: number;
  /** Modality value (HU for CT), or the RGB components of a colour image. */
  values: number[];
  unit: string;
}

function engine(): RenderingEngine {
  return renderingEngine(ENGINE_ID);
}

/**
 * One Cornerstone stack viewport bound to a DOM element. The React layer owns the element and receives
 * ViewState updates; it never touches Cornerstone itself.
 */
export class StackController {
  private imageIds: string[] = [];
  private requestedImageId?: string;
  private failed = new Map<string, string>();
  private state: ViewState = {
    status: 'empty',
    imageIndex: 0,
    imageCount: 0,
    zoom: 1,
    pan: [0, 0],
    stack: 0,
    rotation: 0,
    flipHorizontal: false,
    flipVertical: false,
    invert: false,
    cinePlaying: false,
  };
  /** How long each image stays on screen in cine at the files' timing; undefined: they have none. */
  private cineIntervals?: number[];
  /** The timer stepping cine at the files' timing (Cornerstone's clip player steps the reader's rate). */
  private cineTimer?: number;
  private readonly resizeObserver: ResizeObserver;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;

  constructor(
    /** The viewer's imaging session: the tool choice and reference lines this viewport follows. */
    private readonly session: ImagingSession,
    private readonly element: HTMLDivElement,
    readonly viewportId: string,
    private readonly onChange: (state: ViewState) => void,
  ) {
    this.enable(false);

    const on = (target: EventTarget, type: string, fn: (e: Event) => void) => {
      target.addEventListener(type, fn);
      this.cleanups.push(() => target.removeEventListener(type, fn));
    };
    on(element, Enums.Events.PRE_STACK_NEW_IMAGE, (e) => {
      const { imageId, imageIdIndex } = (e as CustomEvent).detail as { imageId: string; imageIdIndex: number };
      this.requestedImageId = imageId;
      const error = this.failed.get(imageId);
      this.update({ imageIndex: imageIdIndex, status: error ? 'error' : 'loading', error });
    });
    on(element, Enums.Events.STACK_NEW_IMAGE, (e) => {
      const { imageId } = (e as CustomEvent).detail as { imageId: string };
      this.failed.delete(imageId);
      this.update({ status: 'ready', error: undefined });
      imageOnScreen();
      this.session.drawNewImageNow(engine());
    });
    on(element, Enums.Events.IMAGE_RENDERED, () => this.update({}));
    on(element, Enums.Events.VOI_MODIFIED, () => this.update({}));
    on(element, Enums.Events.CAMERA_MODIFIED, () => this.update({}));
    const onFailure = (e: Event) => {
      const detail = (e as CustomEvent).detail as { imageId?: string; error?: unknown };
      if (!detail?.imageId || !this.imageIds.includes(detail.imageId)) return;
      const reason = describeLoadError(detail.error);
      this.failed.set(detail.imageId, reason);
      if (detail.imageId === this.requestedImageId) this.update({ status: 'error', error: reason });
    };
    on(eventTarget, Enums.Events.IMAGE_LOAD_ERROR, onFailure);
    on(eventTarget, Enums.Events.IMAGE_LOAD_FAILED, onFailure);

    // A double tap fits the image, as the fit command does; while measuring, taps are the tool's.
    this.cleanups.push(onDoubleTap(element, () => session.measuringNow() || this.fit()));

    this.resizeObserver = new ResizeObserver(() => this.onResize());
    this.resizeObserver.observe(element);
  }

  private enable(gpu: boolean): void {
    engine().enableElement({
      viewportId: this.viewportId,
      element: this.element,
      type: stackViewportType(gpu),
      defaultOptions: { background: [0, 0, 0] as Types.Point3 },
    });
    this.session.stackToolGroup().addViewport(this.viewportId, ENGINE_ID);
    // Which pipeline draws it (config `stackRendering`, or WebGL for a segmentation), for support and tests.
    this.element.dataset.rendering = this.viewport?.getUseCustomRenderingPipeline() ? 'cpu' : 'gpu';
  }

  private onGpu = false;

  /**
   * Draws this viewport on WebGL even where stacks are on the CPU (config `stackRendering`): Cornerstone draws
   * segmentations only there. The viewport is made again on the other pipeline, on the same image, window, camera.
   */
  async drawOnGpu(gpu: boolean): Promise<void> {
    if (this.onGpu === gpu || this.destroyed) return;
    this.onGpu = gpu;
    const before = this.viewport;
    if (before && stackViewportType(gpu) === stackViewportType(!gpu)) return; // every stack is on WebGL already
    const voiRange = before?.getProperties().voiRange;
    const invert = before?.getProperties().invert;
    const presentation = before?.getViewPresentation();
    const index = this.state.imageIndex;
    this.session.releaseStackViewport(this.viewportId);
    this.enable(gpu);
    if (this.imageIds.length === 0) return;
    const vp = this.viewport;
    if (!vp) return;
    await vp.setStack(this.imageIds, Math.min(index, this.imageIds.length - 1));
    if (this.destroyed) return;
    if (voiRange) vp.setProperties({ voiRange, invert });
    if (presentation) vp.setViewPresentation(presentation);
    vp.render();
  }

  /** The viewport's Cornerstone element (overlay layers listen to it). */
  get viewportElement(): HTMLDivElement {
    return this.element;
  }

  /**
   * After a layout change an image the user had not zoomed or panned is fitted to its new size; one the user
   * had zoomed or panned keeps that view. Rotation and flips survive either way.
   */
  private onResize(): void {
    if (this.destroyed) return;
    const vp = this.viewport;
    // Only an image on screen has a camera worth refitting (mid-load, a reset would aim at nothing).
    const fitted =
      vp &&
      this.state.status === 'ready' &&
      Math.abs(vp.getZoom() - 1) < 0.01 &&
      vp.getPan().every((v) => Math.abs(v) < 0.5);
    engine().resize(true, true);
    if (vp && fitted) {
      const { rotation, flipHorizontal, flipVertical } = vp.getViewPresentation();
      vp.resetCamera();
      vp.setViewPresentation({ rotation, flipHorizontal, flipVertical });
      vp.render();
    }
  }

  private get viewport(): StackViewport | undefined {
    return engine().getViewport(this.viewportId) as StackViewport | undefined;
  }

  private update(partial: Partial<ViewState>): void {
    if (this.destroyed) return;
    const vp = this.viewport;
    const next: ViewState = { ...this.state, ...partial, imageCount: this.imageIds.length };
    if (vp && vp.getImageIds().length > 0 && next.status === 'ready') {
      const props = vp.getProperties();
      if (props.voiRange) {
        const { windowCenter, windowWidth } = utilities.windowLevel.toWindowLevel(
          props.voiRange.lower,
          props.voiRange.upper,
        );
        next.windowCenter = windowCenter;
        next.windowWidth = windowWidth;
      }
      next.invert = props.invert ?? false;
      const presentation = vp.getViewPresentation();
      next.zoom = vp.getZoom();
      const pan = vp.getPan();
      next.pan = [pan[0], pan[1]];
      next.rotation = presentation.rotation ?? 0;
      next.flipHorizontal = presentation.flipHorizontal ?? false;
      next.flipVertical = presentation.flipVertical ?? false;
      next.labels = this.edgeLabels(vp);
    }
    this.state = next;
    this.onChange(next);
  }

  private edgeLabels(vp: StackViewport): EdgeLabels | undefined {
    // Screen directions in patient space, whatever rotation and flips are applied.
    const o = vp.canvasToWorld([0, 0]);
    const r = vp.canvasToWorld([1, 0]);
    const d = vp.canvasToWorld([0, 1]);
    // The CPU pipeline has no geometry until its first image is drawn (STACK_NEW_IMAGE comes just before).
    if (!o || !r || !d) return undefined;
    const unit = (a: Types.Point3, b: Types.Point3): Vec3 => {
      const v: Vec3 = [b[0] - a[0], b[1] - a[1], b[2] - a[2]];
      const n = Math.hypot(...v);
      return n > 0 ? [v[0] / n, v[1] / n, v[2] / n] : [0, 0, 0];
    };
    const right = unit(o, r);
    const down = unit(o, d);
    return right.some((x) => x !== 0) && down.some((x) => x !== 0) ? edgeLabels(right, down) : undefined;
  }

  /**
   * Shows a stack, starting at `index` (its frame is requested before any other of this stack). `cineIntervalsMs`:
   * how long each image stays on screen when cine plays at the file's own timing (model/cine.ts).
   */
  async setStack(imageIds: string[], index = 0, cineIntervalsMs?: number[]): Promise<void> {
    this.stopCine();
    this.imageIds = imageIds;
    this.cineIntervals = cineIntervalsMs?.length === imageIds.length ? cineIntervalsMs : undefined;
    this.failed.clear();
    const vp = this.viewport;
    if (!vp) return;
    if (imageIds.length === 0) {
      this.update({ status: 'empty', imageIndex: 0 });
      return;
    }
    const start = Math.min(Math.max(0, index), imageIds.length - 1);
    this.update({ status: 'loading', imageIndex: start, error: undefined, stack: this.state.stack + 1 });
    try {
      await vp.setStack(imageIds, start);
      vp.render();
    } catch (e) {
      // The failure is also reported through IMAGE_LOAD_ERROR; make sure the viewport says so. A metadata
      // provider's failure (caught by the guard, see loadFaults.ts) explains it better than what it led to.
      const reason = loadFaults.providerFault(imageIds[start]!) ?? describeLoadError(e);
      if (this.imageIds === imageIds) this.update({ status: 'error', error: reason });
    }
  }

  get isCinePlaying(): boolean {
    return this.state.cinePlaying;
  }

  get imageIndex(): number {
    return this.state.imageIndex;
  }

  async setImageIndex(index: number): Promise<void> {
    const vp = this.viewport;
    if (!vp || this.imageIds.length === 0) return;
    const i = Math.min(Math.max(0, Math.round(index)), this.imageIds.length - 1);
    try {
      await vp.setImageIdIndex(i);
    } catch (e) {
      if (this.imageIds[i] === this.requestedImageId) this.update({ status: 'error', error: describeLoadError(e) });
    }
  }

  scroll(delta: number): Promise<void> {
    return this.setImageIndex(this.state.imageIndex + delta);
  }

  setWindow(center: number, width: number): void {
    const vp = this.viewport;
    if (!vp) return;
    const { lower, upper } = utilities.windowLevel.toLowHighRange(width, center);
    vp.setProperties({ voiRange: { lower, upper } });
    vp.render();
  }

  /** Back to the image's own window (from the file, or its pixel range). */
  resetWindow(): void {
    const vp = this.viewport;
    if (!vp) return;
    const invert = vp.getProperties().invert;
    vp.resetProperties();
    if (invert) vp.setProperties({ invert });
    vp.render();
  }

  toggleInvert(): void {
    const vp = this.viewport;
    if (!vp) return;
    vp.setProperties({ invert: !vp.getProperties().invert });
    vp.render();
  }

  rotate(degrees: number): void {
    const vp = this.viewport;
    if (!vp) return;
    const current = vp.getViewPresentation().rotation ?? 0;
    vp.setViewPresentation({ rotation: (((current + degrees) % 360) + 360) % 360 });
    vp.render();
  }

  flip(direction: 'horizontal' | 'vertical'): void {
    const vp = this.viewport;
    if (!vp) return;
    const p = vp.getViewPresentation();
    vp.setViewPresentation(
      direction === 'horizontal' ? { flipHorizontal: !p.flipHorizontal } : { flipVertical: !p.flipVertical },
    );
    vp.render();
  }

  zoomBy(factor: number): void {
    const vp = this.viewport;
    if (!vp) return;
    vp.setZoom(vp.getZoom() * factor);
    vp.render();
  }

  /** Zoom (1 = fit) and pan as another viewport has them (zoom/pan sync). */
  setZoomPan(zoom: number, pan: [number, number]): void {
    const vp = this.viewport;
    if (!vp || vp.getImageIds().length === 0) return;
    vp.setZoom(zoom);
    vp.setPan(pan);
    vp.render();
  }

  fit(): void {
    const vp = this.viewport;
    if (!vp) return;
    vp.resetCamera({ resetPan: true, resetZoom: true });
    vp.render();
  }

  /** Everything back as loaded: camera, rotation, flips, window, invert. */
  reset(): void {
    const vp = this.viewport;
    if (!vp) return;
    this.stopCine();
    vp.setViewPresentation({ rotation: 0, flipHorizontal: false, flipVertical: false });
    vp.resetCamera();
    vp.resetProperties();
    vp.render();
  }

  /** Whether the stack has a timing of its own (its files' frame time or frame time vector) for cine. */
  get hasFileCineTiming(): boolean {
    return this.cineIntervals !== undefined;
  }

  /**
   * Plays the stack in a loop: at the files' own timing when they have one and `fileTiming` is asked for (each image
   * for its own interval), else at `framesPerSecond` (the reader's rate).
   */
  playCine(framesPerSecond: number, fileTiming = true): void {
    if (this.imageIds.length < 2) return;
    const intervals = fileTiming ? this.cineIntervals : undefined;
    if (intervals) {
      // Cornerstone's clip player takes a frame time vector only for one instance's frames, and shows each frame for
      // the interval before it rather than the one after it; this timer keeps each image for its own interval.
      // Each step is scheduled from when it was due, not when the last one ran, so a late frame does not slow the
      // loop down over time (as a timer restarted after each frame would); but no image is cut to less than half
      // its interval to catch up, and after a long stall (a hidden tab's throttled timers) the loop goes on from now.
      const count = this.imageIds.length;
      let index = this.state.imageIndex;
      let due = performance.now();
      const step = () => {
        const interval = intervals[index] ?? intervals[0]!;
        const now = performance.now();
        due = Math.max(due + interval, now + interval / 2);
        this.cineTimer = window.setTimeout(() => {
          index = (index + 1) % count;
          void this.setImageIndex(index);
          step();
        }, Math.max(0, due - performance.now()));
      };
      step();
    } else {
      toolUtilities.cine.playClip(this.element, { framesPerSecond, loop: true });
    }
    this.update({ cinePlaying: true });
  }

  stopCine(): void {
    if (!this.state.cinePlaying) return;
    this.stopCineTimer();
    toolUtilities.cine.stopClip(this.element);
    this.update({ cinePlaying: false });
  }

  private stopCineTimer(): void {
    if (this.cineTimer !== undefined) window.clearTimeout(this.cineTimer);
    this.cineTimer = undefined;
  }

  /** The modality value under a canvas point (CSS pixels), or undefined outside the image. */
  probe(canvasX: number, canvasY: number): ProbeResult | undefined {
    const vp = this.viewport;
    const imageId = vp?.getCurrentImageId();
    if (!vp || !imageId || this.state.status !== 'ready') return undefined;
    const image = cache.getImage(imageId);
    if (!image) return undefined;
    const world = vp.canvasToWorld([canvasX, canvasY]);
    const ij = utilities.worldToImageCoords(imageId, world);
    if (!ij) return undefined;
    // Image coordinates put pixel centres on integers (ImagePositionPatient is the first pixel's centre).
    const column = Math.round(ij[0]);
    const row = Math.round(ij[1]);
    if (column < 0 || row < 0 || column >= image.columns || row >= image.rows) return undefined;
    const pixels = image.getPixelData();
    // From the data itself: the CPU pipeline's colour images are RGBA whatever `image.rgba` says.
    const samples = image.color ? Math.max(3, Math.round(pixels.length / (image.rows * image.columns))) : 1;
    const at = (row * image.columns + column) * samples;
    if (image.color) {
      return { column, row, values: [pixels[at]!, pixels[at + 1]!, pixels[at + 2]!], unit: 'RGB' };
    }
    const stored = pixels[at]!;
    const value = image.preScale?.scaled ? stored : stored * (image.slope ?? 1) + (image.intercept ?? 0);
    const modality = (vp.getImageData()?.metadata as { Modality?: string } | undefined)?.Modality;
    return { column, row, values: [value], unit: modality === 'CT' ? 'HU' : '' };
  }

  destroy(): void {
    this.destroyed = true;
    this.stopCineTimer();
    this.resizeObserver.disconnect();
    try {
      toolUtilities.cine.stopClip(this.element);
    } catch {
      // No clip was playing.
    }
    for (const c of this.cleanups) c();
    this.session.releaseStackViewport(this.viewportId);
    engine().disableElement(this.viewportId);
  }
}

// Three orthographic views (axial, sagittal, coronal) of one streaming image volume, linked by crosshairs.
// The React layer owns the three elements; this class owns the Cornerstone side.
import {
  cache,
  Enums,
  eventTarget,
  getRenderingCapabilities,
  getShouldUseCPURendering,
  RenderingEngine,
  setVolumesForViewports,
  utilities,
  volumeLoader,
  type Types,
  type VolumeViewport,
} from '@cornerstonejs/core';
import {
  addTool,
  CrosshairsTool,
  Enums as ToolEnums,
  PanTool,
  StackScrollTool,
  ToolGroupManager,
  TrackballRotateTool,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import { ENGINE_ID, MEASUREMENT_TOOLS } from './annotations';
import { renderingEngine } from './cpuStack';
import { setStreamingRedrawEvery } from './cornerstonePrivate';
import type { ImagingSession, ToolChoice } from './session';
import type { MeasurementKind } from '../model/measurements';
import { describeLoadError } from './errors';
import { volumeIdFor } from './imageIds';
import { BULK_MIN_FRAMES, seriesStreaming, streamSeries, type BulkRetrieve } from './seriesStream';
import { imageOnScreen } from './onScreen';
import { onDoubleTap, TWO_FINGER_BINDING } from './touch';

export type MprPlane = 'axial' | 'sagittal' | 'coronal';
export const MPR_PLANES: MprPlane[] = ['axial', 'sagittal', 'coronal'];
export type SlabMode = 'mip' | 'minip' | 'average';

const ORIENTATION: Record<MprPlane, Enums.OrientationAxis> = {
  axial: Enums.OrientationAxis.AXIAL,
  sagittal: Enums.OrientationAxis.SAGITTAL,
  coronal: Enums.OrientationAxis.CORONAL,
};
const BLEND: Record<SlabMode, Enums.BlendModes> = {
  mip: Enums.BlendModes.MAXIMUM_INTENSITY_BLEND,
  minip: Enums.BlendModes.MINIMUM_INTENSITY_BLEND,
  average: Enums.BlendModes.AVERAGE_INTENSITY_BLEND,
};
const LINE_COLOURS: Record<MprPlane, string> = { axial: 'rgb(255, 80, 80)', sagittal: 'rgb(255, 220, 0)', coronal: 'rgb(80, 200, 255)' };

/** 3D rendering presets offered (Cornerstone's transfer functions by name). */
export const VOLUME_PRESETS = [
  { id: 'CT-Bone', label: 'CT bone' },
  { id: 'CT-Soft-Tissue', label: 'CT soft tissue' },
  { id: 'CT-Lung', label: 'CT lung' },
  { id: 'CT-MIP', label: 'CT MIP' },
  { id: 'MR-Default', label: 'MR default' },
] as const;
export type VolumePreset = (typeof VOLUME_PRESETS)[number]['id'];

/**
 * Sample distance multipliers of the 3D view on a software rasterizer: very coarse while frames stream in, coarse
 * (draft) while the reader rotates, zooms or shifts the preset, full once the view has been still for IDLE_MS.
 */
const SAMPLES = { full: 1, draft: 2, streaming: 6 };
const IDLE_MS = 1200;

export interface MprState {
  status: 'loading' | 'ready' | 'error';
  error?: string;
  /** Frames of the volume loaded so far. */
  loaded: number;
  total: number;
  /** Frames that could not be loaded or decoded: the volume has a gap there, which the view says. */
  failed: number;
  /** Why the first of them failed. */
  failure?: string;
  /** The crosshairs' centre in patient coordinates (mm). */
  center?: [number, number, number];
  windowCenter?: number;
  windowWidth?: number;
  slabThickness: number;
  slabMode: SlabMode;
  /**
   * Each plane's canvas → patient mapping: the point at the element's top-left corner and the step per CSS pixel
   * right and down. Lets overlays (and tests) place patient points on screen.
   */
  mapping: Partial<Record<MprPlane, { origin: number[]; right: number[]; down: number[] }>>;
  /** The 3D view, when shown: its preset, and whether it renders without a GPU (reduced quality, slower). */
  volume3d?: {
    preset: VolumePreset;
    software: boolean;
    /** HU the preset is moved by (Shift+drag). */
    shift: number;
    /** How finely the 3D view is sampled now: full, or coarser (draft) while streaming or moving on a CPU. */
    quality: 'full' | 'draft';
  };
}

/** Volume viewports need WebGL 2 (3D textures); Cornerstone's CPU fallback has none. */
export function canReformat(): boolean {
  try {
    return !getShouldUseCPURendering() && !!getRenderingCapabilities().webgl2;
  } catch {
    return false;
  }
}

/** The id of the volume MPR builds from a series (the same each time, so measurements made in it find it again). */
// The tools only MPR uses are registered with the first MPR: this module and they load when MPR is first opened.
let mprToolsAdded = false;
function addMprTools(): void {
  if (mprToolsAdded) return;
  addTool(CrosshairsTool);
  addTool(TrackballRotateTool);
  mprToolsAdded = true;
}

export class MprController {
  private readonly ids: Record<MprPlane, string>;
  private readonly toolGroupId: string;
  private readonly volumeId: string;
  private readonly cleanups: (() => void)[] = [];
  private destroyed = false;
  private state: MprState;
  private readonly resizeObserver: ResizeObserver;
  private readonly id3d: string;
  private readonly toolGroup3d: string;
  private readonly software: boolean;

  constructor(
    /** The viewer's imaging session: the tool choice the planes follow. */
    private readonly session: ImagingSession,
    private readonly elements: Record<MprPlane, HTMLDivElement>,
    private readonly imageIds: string[],
    volumeKey: string,
    private readonly onChange: (state: MprState) => void,
    /** A fourth element for 3D volume rendering (the "MPR + 3D" layout). */
    private readonly element3d?: HTMLDivElement,
    preset: VolumePreset = 'CT-Bone',
    /** The data source offers bulk retrieval: the volume's frames come in one series stream. */
    private readonly bulk?: BulkRetrieve,
  ) {
    addMprTools();
    const n = session.nextMprNumber();
    this.ids = { axial: `mpr-${n}-axial`, sagittal: `mpr-${n}-sagittal`, coronal: `mpr-${n}-coronal` };
    this.id3d = `mpr-${n}-3d`;
    this.toolGroup3d = `lumen-3d-tools-${n}`;
    this.software = !!getRenderingCapabilities().softwareRasterizer;
    this.toolGroupId = `lumen-mpr-tools-${n}`;
    this.volumeId = volumeIdFor(volumeKey);
    this.state = {
      status: 'loading',
      loaded: 0,
      total: imageIds.length,
      failed: 0,
      slabThickness: 0,
      slabMode: 'mip',
      mapping: {},
      volume3d: element3d ? { preset, software: this.software, shift: 0, quality: this.software ? 'draft' : 'full' } : undefined,
    };
    this.resizeObserver = new ResizeObserver(() => {
      if (!this.destroyed) this.engine.resize(true, false);
    });
    for (const plane of MPR_PLANES) this.resizeObserver.observe(elements[plane]);
    if (element3d) this.resizeObserver.observe(element3d);
    void this.start();
  }

  private get engine(): RenderingEngine {
    return renderingEngine(ENGINE_ID);
  }

  private viewport(plane: MprPlane): VolumeViewport | undefined {
    return this.engine.getViewport(this.ids[plane]) as VolumeViewport | undefined;
  }

  private update(partial: Partial<MprState>): void {
    if (this.destroyed) return;
    this.state = { ...this.state, ...partial };
    const vp = this.viewport('axial');
    const range = vp?.getProperties()?.voiRange;
    if (range) {
      const { windowCenter, windowWidth } = utilities.windowLevel.toWindowLevel(range.lower, range.upper);
      this.state.windowCenter = windowCenter;
      this.state.windowWidth = windowWidth;
    }
    const tool = this.crosshairs();
    if (tool?.toolCenter) this.state.center = [tool.toolCenter[0], tool.toolCenter[1], tool.toolCenter[2]];
    if (this.state.status === 'ready') {
      const mapping: MprState['mapping'] = {};
      for (const plane of MPR_PLANES) {
        const vp = this.viewport(plane);
        if (!vp) continue;
        const o = vp.canvasToWorld([0, 0]);
        const r = vp.canvasToWorld([1, 0]);
        const d = vp.canvasToWorld([0, 1]);
        mapping[plane] = { origin: [...o], right: [0, 1, 2].map((k) => r[k]! - o[k]!), down: [0, 1, 2].map((k) => d[k]! - o[k]!) };
      }
      this.state.mapping = mapping;
    }
    this.onChange({ ...this.state });
  }

  private crosshairs(): (ToolTypes.IBaseTool & { toolCenter?: Types.Point3; setToolCenter?: (p: Types.Point3) => void }) | undefined {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    return group?.getToolInstance(CrosshairsTool.toolName) as never;
  }

  private async start(): Promise<void> {
    try {
      const engine = this.engine;
      // One viewport at a time: setViewports would remove the stack viewports sharing this engine.
      for (const plane of MPR_PLANES) {
        engine.enableElement({
          viewportId: this.ids[plane],
          element: this.elements[plane],
          type: Enums.ViewportType.ORTHOGRAPHIC,
          defaultOptions: { orientation: ORIENTATION[plane], background: [0, 0, 0] as Types.Point3 },
        });
      }
      const group = ToolGroupManager.createToolGroup(this.toolGroupId)!;
      for (const plane of MPR_PLANES) group.addViewport(this.ids[plane], ENGINE_ID);
      const planeOf = (viewportId: string) => MPR_PLANES.find((p) => this.ids[p] === viewportId) ?? 'axial';
      group.addTool(CrosshairsTool.toolName, {
        getReferenceLineColor: (viewportId: string) => LINE_COLOURS[planeOf(viewportId)],
        getReferenceLineControllable: () => true,
        getReferenceLineDraggableRotatable: () => true,
        getReferenceLineSlabThicknessControlsOn: () => true,
        slabThicknessBlendMode: BLEND[this.state.slabMode],
      });
      // The measurement tools work on the planes as on stacks: on the axial (acquisition) plane a measurement is on
      // an image; on the others it is placed in the volume by patient coordinates.
      this.session.measurements.addTools(group);
      group.addTool(WindowLevelTool.toolName);
      group.addTool(PanTool.toolName);
      group.addTool(ZoomTool.toolName);
      group.addTool(StackScrollTool.toolName);
      const { MouseBindings } = ToolEnums;
      this.applyToolChoice(this.session.toolChoice());
      this.cleanups.push(this.session.watchToolChoice((choice) => this.applyToolChoice(choice)));
      group.setToolActive(WindowLevelTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary, modifierKey: ToolEnums.KeyboardBindings.Shift }] });
      group.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
      group.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }, TWO_FINGER_BINDING] });
      group.setToolActive(StackScrollTool.toolName, { bindings: [{ mouseButton: MouseBindings.Wheel }] });

      const on = (target: EventTarget, type: string, fn: (e: Event) => void) => {
        target.addEventListener(type, fn);
        this.cleanups.push(() => target.removeEventListener(type, fn));
      };
      on(eventTarget, Enums.Events.IMAGE_VOLUME_MODIFIED, (e) => {
        const d = (e as CustomEvent).detail as { volumeId?: string; framesProcessed?: number; numberOfFrames?: number };
        if (d.volumeId === this.volumeId) this.update({ loaded: d.framesProcessed ?? this.state.loaded, total: d.numberOfFrames ?? this.state.total });
      });
      on(eventTarget, Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, (e) => {
        if ((e as CustomEvent).detail?.volumeId === this.volumeId) this.update({ loaded: this.state.total });
      });
      // IMAGE_LOAD_FAILED carries the image id (5.14's volume IMAGE_LOAD_ERROR passes the index in its place).
      const members = new Set(this.imageIds);
      const failedIds = new Set<string>();
      on(eventTarget, Enums.Events.IMAGE_LOAD_FAILED, (e) => {
        const d = (e as CustomEvent).detail as { imageId?: string; error?: unknown };
        if (!d?.imageId || !members.has(d.imageId) || failedIds.has(d.imageId)) return;
        failedIds.add(d.imageId);
        this.update({ failed: failedIds.size, failure: this.state.failure ?? describeLoadError(d.error) });
      });
      on(eventTarget, ToolEnums.Events.CROSSHAIR_TOOL_CENTER_CHANGED, (e) => {
        if ((e as CustomEvent).detail?.toolGroupId === this.toolGroupId) this.update({});
      });
      for (const plane of MPR_PLANES) {
        on(this.elements[plane], Enums.Events.VOI_MODIFIED, () => this.update({}));
        on(this.elements[plane], Enums.Events.CAMERA_MODIFIED, () => this.update({}));
        // A double tap fits the plane (zoom and pan reset), on the slice it shows; while measuring, taps are the tool's.
        this.cleanups.push(
          onDoubleTap(this.elements[plane], () => {
            if (this.session.measuringNow()) return;
            const vp = this.viewport(plane);
            vp?.resetCamera({ resetPan: true, resetZoom: true, resetToCenter: false });
            vp?.render();
          }),
        );
      }

      if (this.element3d) {
        engine.enableElement({
          viewportId: this.id3d,
          element: this.element3d,
          type: Enums.ViewportType.VOLUME_3D,
          defaultOptions: { orientation: Enums.OrientationAxis.CORONAL, background: [0, 0, 0] as Types.Point3 },
        });
        // Its own tool group: the crosshairs would otherwise steer the 3D camera too.
        const g3 = ToolGroupManager.createToolGroup(this.toolGroup3d)!;
        g3.addViewport(this.id3d, ENGINE_ID);
        g3.addTool(TrackballRotateTool.toolName);
        g3.addTool(ZoomTool.toolName);
        g3.addTool(PanTool.toolName);
        g3.setToolActive(TrackballRotateTool.toolName, { bindings: [{ mouseButton: MouseBindings.Primary }] });
        g3.setToolActive(ZoomTool.toolName, { bindings: [{ mouseButton: MouseBindings.Secondary }, { mouseButton: MouseBindings.Wheel }, TWO_FINGER_BINDING] });
        g3.setToolActive(PanTool.toolName, { bindings: [{ mouseButton: MouseBindings.Auxiliary }] });
        on(eventTarget, Enums.Events.IMAGE_VOLUME_LOADING_COMPLETED, (e) => {
          if ((e as CustomEvent).detail?.volumeId !== this.volumeId) return;
          this.streamed = true;
          this.moved();
        });
        // Moving the 3D view (rotate, zoom, pan) draws drafts until it is still again.
        on(this.element3d, Enums.Events.CAMERA_MODIFIED, () => this.moved());
        on(this.element3d, 'pointerdown', () => this.moved());
        // Shift+drag left/right moves the preset along the values, as W/L moves a window (1 px ≈ 2 HU).
        let dragFrom: number | undefined;
        const element3d = this.element3d;
        on(element3d, 'pointerdown', (e) => {
          const p = e as PointerEvent;
          if (p.shiftKey && p.button === 0) {
            dragFrom = p.clientX;
            element3d.setPointerCapture?.(p.pointerId);
            p.stopImmediatePropagation();
          }
        });
        on(element3d, 'pointermove', (e) => {
          const p = e as PointerEvent;
          if (dragFrom === undefined) return;
          const delta = (p.clientX - dragFrom) * 2;
          dragFrom = p.clientX;
          if (delta) this.shiftPreset(delta);
        });
        const end = () => {
          dragFrom = undefined;
        };
        on(element3d, 'pointerup', end);
        on(element3d, 'pointercancel', end);
      }

      this.session.measurements.registerVolumeImages(this.volumeId, this.imageIds);
      const volume = (await volumeLoader.createAndCacheVolume(this.volumeId, { imageIds: this.imageIds })) as Types.IStreamingImageVolume;
      if (this.destroyed) return;
      // Before the volume meets its viewports, which may start its loading.
      this.streamVolume();
      await setVolumesForViewports(engine, [{ volumeId: this.volumeId }], MPR_PLANES.map((p) => this.ids[p]));
      if (this.destroyed) return;
      if (this.element3d) {
        await setVolumesForViewports(engine, [{ volumeId: this.volumeId }], [this.id3d]);
        if (this.destroyed) return;
        // Without a GPU every 3D frame is ray-cast on the CPU: coarse samples while the volume streams in.
        this.setSamples(this.software ? SAMPLES.streaming : SAMPLES.full);
        this.setPreset(this.state.volume3d!.preset);
      }
      // Progress comes from IMAGE_VOLUME_MODIFIED; load() itself only starts the stream.
      volume.load();
      // Cornerstone redraws every plane each time 2% of the frames arrive. Without a GPU a redraw of three planes
      // costs more than the frames it shows: every 10% (set after load(), which sets the default).
      if (this.software) setStreamingRedrawEvery(volume, Math.max(1, this.imageIds.length * 0.1));
      // A volume whose frames were all cached already is complete at once (no completion event may follow).
      if ((volume as { loadStatus?: { loaded?: boolean } }).loadStatus?.loaded) {
        this.streamed = true;
        this.moved();
      }
      engine.renderViewports(this.allIds());
      this.update({ status: 'ready', total: this.imageIds.length });
      imageOnScreen();
    } catch (e) {
      this.update({ status: 'error', error: e instanceof Error ? e.message : String(e) });
    }
  }

  /**
   * The left button: the measurement tool the reader chose in the toolbar, else the crosshairs. Read-only viewing
   * shows measurements without letting them change.
   */
  private applyToolChoice(choice: ToolChoice): void {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (!group || this.destroyed) return;
    const measuring = choice.editable && choice.primary in MEASUREMENT_TOOLS ? MEASUREMENT_TOOLS[choice.primary as MeasurementKind].toolName : undefined;
    const primary = [{ mouseButton: ToolEnums.MouseBindings.Primary }];
    for (const tool of Object.values(MEASUREMENT_TOOLS)) {
      if (tool.toolName === measuring) group.setToolActive(tool.toolName, { bindings: primary });
      else if (choice.editable) group.setToolPassive(tool.toolName);
      else group.setToolEnabled(tool.toolName);
    }
    // While measuring, the lines are shown but do not take the mouse: a stroke near one draws, it does not move a
    // plane (the wheel still scrolls each plane).
    if (measuring) group.setToolEnabled(CrosshairsTool.toolName);
    else group.setToolActive(CrosshairsTool.toolName, { bindings: primary });
  }

  /** A plane's Cornerstone viewport id (overlays drawn in it: segmentations). */
  viewportIdOf(plane: MprPlane): string {
    return this.ids[plane];
  }

  private allIds(): string[] {
    return [...MPR_PLANES.map((p) => this.ids[p]), ...(this.element3d ? [this.id3d] : [])];
  }

  private get viewport3d(): (Types.IVolumeViewport & { setSampleDistanceMultiplier?: (m: number) => void }) | undefined {
    return this.element3d ? (this.engine.getViewport(this.id3d) as never) : undefined;
  }

  private samples = 0;
  private streamed = false;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;

  private setSamples(multiplier: number): void {
    const vp = this.viewport3d;
    if (!vp || this.destroyed || multiplier === this.samples) return;
    this.samples = multiplier;
    // (Cornerstone's setter renders.)
    vp.setSampleDistanceMultiplier?.(multiplier);
    const quality = multiplier === SAMPLES.full ? 'full' : 'draft';
    if (this.state.volume3d && this.state.volume3d.quality !== quality) this.update({ volume3d: { ...this.state.volume3d, quality } });
  }

  /**
   * The 3D view changed (moved, preset shifted, volume complete). On a CPU: draft quality now, full quality once
   * it has been still for a moment; a GPU always draws at full quality.
   */
  private moved(): void {
    if (!this.software || !this.element3d || this.destroyed) return;
    clearTimeout(this.idleTimer);
    if (!this.streamed) return;
    this.setSamples(SAMPLES.draft);
    this.idleTimer = setTimeout(() => this.setSamples(SAMPLES.full), IDLE_MS);
  }

  /** The 3D view's transfer function (colours and opacities by value). */
  setPreset(preset: VolumePreset): void {
    const vp = this.viewport3d;
    if (!vp) return;
    vp.setProperties({ preset } as never);
    vp.render();
    this.update({ volume3d: { preset, software: this.software, shift: 0, quality: this.state.volume3d?.quality ?? 'full' } });
    this.moved();
  }

  /** Moves the preset's colour and opacity points by `hu` (brighter tissue shows when moved down). */
  shiftPreset(hu: number): void {
    const vp = this.viewport3d;
    const current = this.state.volume3d;
    if (!vp || !current) return;
    type Fn = { getSize(): number; getNodeValue(i: number, node: number[]): void; setNodeValue(i: number, node: number[]): void };
    const property = (vp.getDefaultActor?.() as { actor?: { getProperty(): { getRGBTransferFunction(i: number): Fn; getScalarOpacity(i: number): Fn } } } | undefined)
      ?.actor?.getProperty();
    if (!property) return;
    for (const fn of [property.getRGBTransferFunction(0), property.getScalarOpacity(0)]) {
      // Nodes stay in order when all move by the same amount; walk from the end that moves away first.
      const n = fn.getSize();
      const order = hu > 0 ? [...Array(n).keys()].reverse() : [...Array(n).keys()];
      for (const i of order) {
        const node: number[] = [];
        fn.getNodeValue(i, node);
        node[0] = node[0]! + hu;
        fn.setNodeValue(i, node);
      }
    }
    this.moved();
    vp.render();
    this.update({ volume3d: { ...this.state.volume3d!, shift: current.shift + hu } });
  }

  /** Moves all three planes to a point (patient mm), as a crosshair click there would. */
  setCenter(point: [number, number, number]): void {
    this.crosshairs()?.setToolCenter?.(point as Types.Point3);
    this.update({});
  }

  /** Back to the volume's own window (from the images), keeping the slab. */
  resetWindow(): void {
    for (const plane of MPR_PLANES) this.viewport(plane)?.resetProperties?.();
    this.setSlab(this.state.slabThickness, this.state.slabMode);
  }

  setWindow(center: number, width: number): void {
    const { lower, upper } = utilities.windowLevel.toLowHighRange(width, center);
    for (const plane of MPR_PLANES) this.viewport(plane)?.setProperties({ voiRange: { lower, upper } });
    this.engine.renderViewports(MPR_PLANES.map((p) => this.ids[p]));
  }

  /** Slab of `thickness` mm in every plane (0: a thin slice), projected as MIP, MinIP or average. */
  setSlab(thickness: number, mode: SlabMode): void {
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    // The crosshairs' slab handles apply their own blend mode: keep it the same as the one chosen here.
    group?.setToolConfiguration(CrosshairsTool.toolName, { slabThicknessBlendMode: BLEND[mode] });
    for (const plane of MPR_PLANES) {
      const vp = this.viewport(plane);
      if (!vp) continue;
      if (thickness > 0) {
        vp.setBlendMode(BLEND[mode]);
        vp.setSlabThickness(thickness);
      } else {
        vp.setBlendMode(Enums.BlendModes.COMPOSITE);
        vp.resetSlabThickness();
      }
    }
    this.engine.renderViewports(MPR_PLANES.map((p) => this.ids[p]));
    this.update({ slabThickness: thickness, slabMode: mode });
  }

  /** Back to the centre of the volume, unrotated, thin slices, the volume's own window. */
  reset(): void {
    const tool = this.crosshairs() as { resetCrosshairs?: () => void } | undefined;
    for (const plane of MPR_PLANES) {
      const vp = this.viewport(plane);
      vp?.resetProperties?.();
      vp?.resetCamera();
    }
    this.setSlab(0, this.state.slabMode);
    tool?.resetCrosshairs?.();
    this.viewport3d?.resetCamera();
    this.engine.renderViewports(this.allIds());
    this.update({});
  }

  /**
   * With bulk retrieval the volume's frames that are not cached yet come in one series stream, which the volume's
   * loads wait for instead of fetching each frame (those it does not bring are then fetched alone). Not when the
   * stack is streaming the series already: that would download it twice.
   */
  private streamVolume(): void {
    if (!this.bulk || seriesStreaming(this.imageIds[0] ?? '')) return;
    const missing = this.imageIds.filter((id) => !cache.getImageLoadObject(id));
    if (missing.length < BULK_MIN_FRAMES) return;
    // A frame whose load is under way (waiting for this stream) is wanted; only a loaded one is not.
    const stream = streamSeries(missing, this.bulk, () => {}, (id) => cache.getImage(id) !== undefined, { awaitable: true });
    if (stream) this.cleanups.push(() => stream.cancel());
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.idleTimer);
    this.resizeObserver.disconnect();
    for (const c of this.cleanups) c();
    ToolGroupManager.destroyToolGroup(this.toolGroupId);
    if (this.element3d) ToolGroupManager.destroyToolGroup(this.toolGroup3d);
    for (const id of this.allIds()) this.engine.disableElement(id);
    // The frames stay cached for the stack; only the volume's texture and bookkeeping go (a failed start may
    // have left none).
    if (cache.getVolumeLoadObject(this.volumeId)) cache.removeVolumeLoadObject(this.volumeId);
  }
}

import {
  Enums,
  getRenderingCapabilities,
  getRenderingEngine,
  getShouldUseCPURendering,
  registerViewportType,
  RenderingEngine,
  setUseCPURendering,
  StackViewport,
  type Types,
} from '@cornerstonejs/core';
import {
  cpuCoordinates,
  cpuEnabledElement,
  cpuPipelineFunction,
  drawnVoiRange,
  isStackInvalidated,
  setCpuCoordinates,
  setCpuFlipHandler,
  setCpuPipelineFunction,
  setDrawnVoiRange,
  triggerCameraModified,
  wrapCpuImageDisplay,
} from './cornerstonePrivate';

/**
 * Where stack viewports draw. `cpu` paints the image into the viewport's 2D canvas in JavaScript; `gpu` renders it
 * with WebGL into a shared offscreen context and copies it over. Without a GPU (virtual desktops, Citrix, headless
 * browsers) WebGL is a software rasterizer, and there the copy back from it costs more than the CPU path's whole
 * draw: scrolling a cached 512² CT ran at ~22 images/s on WebGL against ~54/s, every display frame, on the CPU
 * (`npm run bench`, SwiftShader, 2 cores).
 * MPR and 3D always use WebGL; only stacks take the CPU path.
 */
export type StackRendering = 'auto' | 'cpu' | 'gpu';

/** The choice `auto` makes: the CPU when WebGL is missing or is a software rasterizer. */
export function stacksOnCpu(choice: StackRendering): boolean {
  if (choice !== 'auto') return choice === 'cpu';
  const caps = getRenderingCapabilities();
  return !caps.webgl || !!caps.softwareRasterizer;
}

/**
 * A stack viewport on Cornerstone's CPU pipeline while the rest of the app (MPR, 3D) stays on WebGL. Cornerstone
 * only knows a global CPU switch, read when a viewport is built and when the engine decides how to draw it; this
 * class answers "CPU" for itself alone.
 */
class CpuStackViewport extends StackViewport {
  constructor(props: ConstructorParameters<typeof StackViewport>[0]) {
    // The constructor sets its pipeline up from the global switch: CPU for just this construction (as
    // withCpuSwitchOn does; `super` cannot be called from a function).
    const global = getShouldUseCPURendering();
    setUseCPURendering(true, false);
    try {
      super(props);
    } finally {
      setUseCPURendering(global, false);
    }
    // Cornerstone rebuilds pipelines from the global switch on configuration changes; this one stays on the CPU.
    this.updateRenderingPipeline = () => this.setUseCPURendering(true);
    this.matchWebGlGeometry();
    this.followNewImages();
  }

  /**
   * Each new image of the stack, as on WebGL. There a new image moves the camera to its plane and says so
   * (CAMERA_MODIFIED); the CPU pipeline swapped the image without a word, so the tools that follow a viewport's
   * plane (reference lines) kept the first one. And it reported the new image's own default window while it drew
   * with the reader's (the overlay said W 400 L 40 over a bone window); within a stack the reader's stays.
   */
  private followNewImages(): void {
    wrapCpuImageDisplay(this, (show) => (image) => {
      const previous = this.getCamera();
      // A new stack starts from its image's window; a further image of it keeps the window drawn with.
      const window = isStackInvalidated(this) ? undefined : drawnVoiRange(this);
      show.call(this, image);
      if (window) setDrawnVoiRange(this, window);
      triggerCameraModified(this, this.getCamera(), previous);
    });
  }

  /**
   * Cornerstone's CPU pipeline differs from its WebGL one in ways the tools and the app would inherit: its world
   * coordinates are those of pixel corners, not centres (half a pixel off: a probe reads the neighbour, a saved
   * report's points shift), and so are its image data's indices; its zoom is the raw canvas-to-image scale, not
   * 1 = fitted; its flips act on the image's axes. These entries of its per-pipeline table are corrected, then
   * the table applied again.
   */
  private matchWebGlGeometry(): void {
    // The CPU pipeline's own camera code calls these two as well (getCameraCPU through the table, setCameraCPU
    // directly): both places get the corrected pair, so the camera's differences stay consistent.
    const { canvasToWorld: toWorld, worldToCanvas: toCanvas } = cpuCoordinates(this);
    const getZoom = cpuPipelineFunction(this, 'getZoom');
    const setZoom = cpuPipelineFunction(this, 'setZoom');
    // Half a pixel along the image's rows and columns, in world units. Read from the pipeline's own geometry (what
    // getImageData reports too) rather than through getImageData: these conversions run for every pointer move
    // and every annotation handle drawn, and getImageData builds a new object each time. None before an image.
    const half = (): Types.Point3 => {
      const { spacing, direction } = cpuEnabledElement(this)?.metadata ?? {};
      if (!spacing || !direction) return [0, 0, 0];
      return [0.5 * (spacing[0]! * direction[0]! + spacing[1]! * direction[3]!), 0.5 * (spacing[0]! * direction[1]! + spacing[1]! * direction[4]!), 0.5 * (spacing[0]! * direction[2]! + spacing[1]! * direction[5]!)];
    };
    const corrected = {
      canvasToWorld: (p: Types.Point2, out?: Types.Point3): Types.Point3 | undefined => {
        const w = toWorld(p, out);
        if (!w) return w;
        const h = half();
        return [w[0] - h[0], w[1] - h[1], w[2] - h[2]];
      },
      worldToCanvas: (w: Types.Point3): Types.Point2 => {
        const h = half();
        return toCanvas([w[0] + h[0], w[1] + h[1], w[2] + h[2]]);
      },
    };
    setCpuCoordinates(this, corrected);
    setCpuPipelineFunction(this, 'canvasToWorld', corrected.canvasToWorld);
    setCpuPipelineFunction(this, 'worldToCanvas', corrected.worldToCanvas);
    // Flips: WebGL's act on the screen's axes, the CPU pipeline's on the image's, before its rotation. A quarter
    // turn swaps the two, so a flip asked for on screen goes to the other image axis then.
    setCpuFlipHandler(this, ({ flipHorizontal, flipVertical }, vp) => {
      const turned = Math.abs((vp.rotation ?? 0) % 180) === 90;
      if (flipHorizontal !== undefined) {
        this.flipHorizontal = flipHorizontal;
        if (turned) vp.vflip = flipHorizontal;
        else vp.hflip = flipHorizontal;
      }
      if (flipVertical !== undefined) {
        this.flipVertical = flipVertical;
        if (turned) vp.hflip = flipVertical;
        else vp.vflip = flipVertical;
      }
    });
    // The image data the tools measure with: its index ↔ world pair goes through the canvas with pixel corners
    // at whole numbers; an index is a pixel's centre (as vtk's on WebGL), so a probe rounded to the neighbour.
    const getImageData = cpuPipelineFunction(this, 'getImageData');
    setCpuPipelineFunction(this, 'getImageData', () => {
      const data = getImageData.call(this);
      if (!data) return data;
      const { worldToIndex, indexToWorld } = data.imageData;
      data.imageData.worldToIndex = (point) => {
        const p = worldToIndex(point);
        return [p[0] - 0.5, p[1] - 0.5, p[2]];
      };
      data.imageData.indexToWorld = (point, out) => indexToWorld([point[0] + 0.5, point[1] + 0.5, point[2]], out);
      return data;
    });
    setCpuPipelineFunction(this, 'getZoom', () => getZoom.call(this) / this.fitScale());
    setCpuPipelineFunction(this, 'setZoom', (z: number) => setZoom.call(this, z * this.fitScale()));
    this.setUseCPURendering(true);
  }

  /** The canvas-to-image scale at which the whole image fits (Cornerstone's own rule, with pixel aspect). */
  private fitScale(): number {
    const el = cpuEnabledElement(this);
    const image = el?.image;
    if (!el || !image) return 1;
    const turned = Math.abs(((el.viewport?.rotation ?? 0) % 180)) === 90;
    const width = turned ? image.rows : image.columns;
    const height = turned ? image.columns : image.rows;
    const row = image.rowPixelSpacing || 1;
    const column = image.columnPixelSpacing || 1;
    const horizontal = el.canvas.width / width / (row < column ? column / row : 1);
    const vertical = el.canvas.height / height / (row < column ? 1 : row / column);
    return Math.min(horizontal, vertical) || 1;
  }

  /**
   * A flip toggles. Cornerstone's shared `flip` moves the WebGL camera and never reaches the CPU pipeline's own
   * flip (it leaves the image as it was while reporting it flipped), so on the CPU it goes through the camera.
   */
  override flip({ flipHorizontal, flipVertical }: { flipHorizontal?: boolean; flipVertical?: boolean }): void {
    this.setCamera({
      flipHorizontal: flipHorizontal ? !this.flipHorizontal : undefined,
      flipVertical: flipVertical ? !this.flipVertical : undefined,
    });
    this.render();
  }

  static override get useCustomRenderingPipeline(): boolean {
    return true;
  }

  override getUseCustomRenderingPipeline(): boolean {
    return true;
  }
}

/**
 * A stack viewport on WebGL while the page's other stacks are on the CPU: one showing a segmentation, which
 * Cornerstone draws as labelmap actors that only its WebGL pipeline renders. A type of its own, because
 * Cornerstone picks the pipeline by viewport type; to the tools it is a stack like any other.
 */
class GpuStackViewport extends StackViewport {
  constructor(props: ConstructorParameters<typeof StackViewport>[0]) {
    super(props);
    (this as { type: string }).type = Enums.ViewportType.STACK;
  }
}
const GPU_STACK_TYPE = 'lumen-gpu-stack';

let installed = false;

/**
 * The viewport type a stack is enabled with: with stacks on the CPU, `gpu` asks for one on WebGL all the same
 * (segmentations); otherwise every stack is on WebGL already.
 */
export function stackViewportType(gpu: boolean): Enums.ViewportType {
  return installed && gpu ? (GPU_STACK_TYPE as Enums.ViewportType) : Enums.ViewportType.STACK;
}

/** From now on, every stack viewport (including thumbnails) is drawn on the CPU. Once per page. */
export function renderStacksOnCpu(): void {
  if (installed) return;
  installed = true;
  registerViewportType({ type: GPU_STACK_TYPE, ViewportClass: GpuStackViewport });
  registerViewportType({
    type: 'lumen-cpu-stack',
    ViewportClass: CpuStackViewport,
    // Consulted before the built-in table, so `ViewportType.STACK` elements get this class (and stay of type STACK
    // for the tools).
    resolveClass: ({ type }) => (type === Enums.ViewportType.STACK ? CpuStackViewport : undefined),
  });
}

/**
 * The app's one rendering engine, made on first use. With stacks on the CPU it is made without its WebGL context:
 * Cornerstone then creates the context when the first WebGL viewport (MPR, 3D) is added, not before the first
 * image of a stack, which never uses it.
 */
export function renderingEngine(id: string): RenderingEngine {
  const existing = getRenderingEngine(id) as RenderingEngine | undefined;
  if (existing) return existing;
  return installed ? withCpuSwitchOn(() => new RenderingEngine(id)) : new RenderingEngine(id);
}

/** Runs `make` with Cornerstone's global CPU switch on, for what reads it while being built. */
function withCpuSwitchOn<T>(make: () => T): T {
  const global = getShouldUseCPURendering();
  setUseCPURendering(true, false);
  try {
    return make();
  } finally {
    setUseCPURendering(global, false);
  }
}

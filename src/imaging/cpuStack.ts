import { Enums, getRenderingCapabilities, getShouldUseCPURendering, registerViewportType, setUseCPURendering, StackViewport } from '@cornerstonejs/core';

/**
 * Where stack viewports draw. `cpu` paints the image into the viewport's 2D canvas in JavaScript; `gpu` renders it
 * with WebGL into a shared offscreen context and copies it over. Without a GPU (virtual desktops, Citrix, headless
 * browsers) WebGL is a software rasterizer, and there the copy back from it costs more than the CPU path's whole
 * draw: scrolling a cached 512² CT ran at ~18 images/s on WebGL against ~28/s on the CPU (SwiftShader, 2 cores).
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
    // The constructor sets its pipeline up from the global switch: CPU for just this construction.
    const global = getShouldUseCPURendering();
    setUseCPURendering(true, false);
    try {
      super(props);
    } finally {
      setUseCPURendering(global, false);
    }
    // Cornerstone rebuilds pipelines from the global switch on configuration changes; this one stays on the CPU.
    this.updateRenderingPipeline = () => this.setUseCPURendering(true);
  }

  static override get useCustomRenderingPipeline(): boolean {
    return true;
  }

  override getUseCustomRenderingPipeline(): boolean {
    return true;
  }
}

let installed = false;

/** From now on, every stack viewport (including thumbnails) is drawn on the CPU. Once per page. */
export function renderStacksOnCpu(): void {
  if (installed) return;
  installed = true;
  registerViewportType({
    type: 'lumen-cpu-stack',
    ViewportClass: CpuStackViewport,
    // Consulted before the built-in table, so `ViewportType.STACK` elements get this class (and stay of type STACK
    // for the tools).
    resolveClass: ({ type }) => (type === Enums.ViewportType.STACK ? CpuStackViewport : undefined),
  });
}

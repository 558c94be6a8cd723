// The viewer's imaging session: what the imaging layer keeps for one viewer beside Cornerstone's own state (the
// reader's tool choice as the stack and MPR tool groups apply it, the reference lines' source, the early-draw
// clock, the measurement bookkeeping, the open MPR). The viewer makes one (ViewerPage) and hands it down; the stack
// and MPR controllers take it when they are made. Nothing of a viewer's lives in module globals. Cornerstone stays the truth for what it holds itself (cameras,
// windows, annotations, its tool groups): this is the one place that binds the app's choices to them.
import { getRenderingEngine, type RenderingEngine } from '@cornerstonejs/core';
import {
  Enums as ToolEnums,
  PanTool,
  ReferenceLinesTool,
  StackScrollTool,
  ToolGroupManager,
  WindowLevelTool,
  ZoomTool,
  type Types as ToolTypes,
} from '@cornerstonejs/tools';
import type { MeasurementKind } from '../model/measurements';
import { ENGINE_ID, MeasurementBook, MEASUREMENT_TOOLS, type TextPrompt } from './annotations';
import { renderFlaggedViewportsNow } from './cornerstonePrivate';
import { TWO_FINGER_BINDING } from './touch';

/** Each session's stack tool group has its own id: its tools are bound to that session's measurement book. */
let sessions = 0;

export type NavigationTool = 'windowLevel' | 'pan' | 'zoom' | 'scroll';
/** What the left mouse button does: a navigation tool or a measurement tool (named by its kind). */
export type PrimaryTool = NavigationTool | MeasurementKind;
const NAVIGATION_TOOL_NAMES: Record<NavigationTool, string> = {
  windowLevel: WindowLevelTool.toolName,
  pan: PanTool.toolName,
  zoom: ZoomTool.toolName,
  scroll: StackScrollTool.toolName,
};
const toolNameOf = (tool: PrimaryTool): string =>
  tool in NAVIGATION_TOOL_NAMES ? NAVIGATION_TOOL_NAMES[tool as NavigationTool] : MEASUREMENT_TOOLS[tool as MeasurementKind].toolName;

/** The reader's tool choice, which MPR follows too (its planes take the measurement tools). */
export interface ToolChoice {
  primary: PrimaryTool;
  editable: boolean;
}

/**
 * The MPR the viewer shows (one at a time), as commands and hotkeys reach it: the MPR view registers it while it is
 * open (so that the commands reach it without loading the MPR view's chunk).
 */
export interface OpenMpr {
  reset(): void;
  setWindow(center: number, width: number): void;
  resetWindow(): void;
  /** Back to the stack, on the slice under the crosshairs. */
  close(): void;
}

/**
 * What the viewer's overlays (segmentations) keep in the session: made by the overlay layer's chunk when a first
 * overlay is shown (so that its code is not loaded before), destroyed with the viewer.
 */
export interface OverlayBook {
  destroy(): void;
}

export interface ImagingSessionOptions {
  /** Asks the reader for an arrow's or a text label's text (the app's dialog). */
  textPrompt?: TextPrompt;
}

export class ImagingSession {
  /** Measurements: tools, settling, MPR volumes' images, watchers (annotations.ts). */
  readonly measurements: MeasurementBook;
  private openMprView: OpenMpr | undefined;
  private mprCount = 0;
  private primaryTool: PrimaryTool = 'windowLevel';
  private measurementsEditable = true;
  private referenceLinesSource: string | undefined;
  private readonly toolChoiceWatchers = new Set<(choice: ToolChoice) => void>();
  private lastEarlyDraw = -Infinity;
  private overlayBook: OverlayBook | undefined;

  private readonly toolGroupId = `lumen-stack-tools-${++sessions}`;

  constructor(options: ImagingSessionOptions = {}) {
    this.measurements = new MeasurementBook(options.textPrompt);
  }

  /**
   * Starts what the session does by itself while the viewer is shown (measurement values settled as drags end);
   * returns the function that stops it and gives the session's stack tool group back to Cornerstone.
   */
  attach(): () => void {
    const stopSettling = this.measurements.settleOnRelease();
    return () => {
      stopSettling();
      this.overlayBook?.destroy();
      this.overlayBook = undefined;
      if (ToolGroupManager.getToolGroup(this.toolGroupId)) ToolGroupManager.destroyToolGroup(this.toolGroupId);
    };
  }

  /** The open MPR, if any. */
  get mpr(): OpenMpr | undefined {
    return this.openMprView;
  }

  /** Registers the MPR now shown; returns the function that unregisters it (when that view closes). */
  showMpr(mpr: OpenMpr): () => void {
    this.openMprView = mpr;
    return () => {
      if (this.openMprView === mpr) this.openMprView = undefined;
    };
  }

  /** The session's overlay book, made by `make` the first time (the overlay chunk's one kind of book). */
  overlays<T extends OverlayBook>(make: () => T): T {
    return (this.overlayBook ??= make()) as T;
  }

  /** A number for each MPR made in this session (its viewports' and tool groups' ids). */
  nextMprNumber(): number {
    return ++this.mprCount;
  }

  /** The stack viewports' tool group (made with the first viewport, with the session's choices applied). */
  stackToolGroup(): ToolTypes.IToolGroup {
    const existing = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (existing) return existing;
    const group = ToolGroupManager.createToolGroup(this.toolGroupId)!;
    for (const name of Object.values(NAVIGATION_TOOL_NAMES)) group.addTool(name);
    this.measurements.addTools(group);
    this.applyBindings(group);
    this.applyReferenceLines(group);
    return group;
  }

  /** Takes a stack viewport out of the session's tool group (its controller is destroyed). */
  releaseStackViewport(viewportId: string): void {
    ToolGroupManager.getToolGroup(this.toolGroupId)?.removeViewports(ENGINE_ID, viewportId);
  }

  private applyBindings(group: ToolTypes.IToolGroup): void {
    const { MouseBindings } = ToolEnums;
    const { primaryTool, measurementsEditable } = this;
    const primary = toolNameOf(measurementsEditable ? primaryTool : primaryTool in NAVIGATION_TOOL_NAMES ? primaryTool : 'windowLevel');
    for (const name of Object.values(NAVIGATION_TOOL_NAMES)) group.setToolPassive(name);
    // Measurement tools not in use stay passive, so their annotations can be selected and their handles moved;
    // read-only viewers only see them (enabled: drawn, not interactive).
    for (const tool of Object.values(MEASUREMENT_TOOLS)) {
      if (tool.toolName === primary) continue;
      if (measurementsEditable) group.setToolPassive(tool.toolName);
      else group.setToolEnabled(tool.toolName);
    }
    const bindings: Record<string, ToolTypes.IToolBinding[]> = {
      [WindowLevelTool.toolName]: [],
      [PanTool.toolName]: [{ mouseButton: MouseBindings.Auxiliary }],
      // Two fingers pinch-zoom and pan whatever one finger does (touch.ts).
      [ZoomTool.toolName]: [{ mouseButton: MouseBindings.Secondary }, TWO_FINGER_BINDING],
      [StackScrollTool.toolName]: [{ mouseButton: MouseBindings.Wheel }],
    };
    (bindings[primary] ??= []).push({ mouseButton: MouseBindings.Primary });
    for (const [name, b] of Object.entries(bindings)) group.setToolActive(name, { bindings: b });
  }

  /**
   * Reference lines: the plane of `sourceViewportId`'s image drawn where it cuts the other viewports' images
   * (Cornerstone's ReferenceLinesTool); undefined turns them off.
   */
  setReferenceLines(sourceViewportId: string | undefined): void {
    this.referenceLinesSource = sourceViewportId;
    // Before the first viewport the group does not exist (and must not be made before the tools are registered):
    // it picks the setting up when it is made.
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (group) this.applyReferenceLines(group);
  }

  private applyReferenceLines(group: ToolTypes.IToolGroup): void {
    const sourceViewportId = this.referenceLinesSource;
    if (!sourceViewportId && !group.hasTool(ReferenceLinesTool.toolName)) return;
    if (!group.hasTool(ReferenceLinesTool.toolName)) group.addTool(ReferenceLinesTool.toolName);
    if (sourceViewportId) {
      group.setToolConfiguration(ReferenceLinesTool.toolName, { sourceViewportId }, true);
      group.setToolEnabled(ReferenceLinesTool.toolName);
    } else {
      group.setToolDisabled(ReferenceLinesTool.toolName);
    }
    const e = getRenderingEngine(ENGINE_ID) as RenderingEngine | undefined;
    e?.render();
  }

  /** Whether one finger or the left button draws measurements now (taps and double taps are then the tool's). */
  measuringNow(): boolean {
    return this.measurementsEditable && !(this.primaryTool in NAVIGATION_TOOL_NAMES);
  }

  toolChoice(): ToolChoice {
    return { primary: this.primaryTool, editable: this.measurementsEditable };
  }

  /** Calls `fn` whenever the tool choice changes; returns the unsubscribe function. */
  watchToolChoice(fn: (choice: ToolChoice) => void): () => void {
    this.toolChoiceWatchers.add(fn);
    return () => this.toolChoiceWatchers.delete(fn);
  }

  private toolChoiceChanged(): void {
    // Before the first viewport there is no group yet: it takes the choice when it is made.
    const group = ToolGroupManager.getToolGroup(this.toolGroupId);
    if (group) this.applyBindings(group);
    for (const fn of this.toolChoiceWatchers) fn(this.toolChoice());
  }

  /** Chooses what the left mouse button does in every stack viewport (middle pans, right zooms, wheel scrolls). */
  setPrimaryTool(tool: PrimaryTool): void {
    this.primaryTool = tool;
    this.toolChoiceChanged();
  }

  /** Read-only viewing (links for referring doctors): measurements are shown but cannot be drawn or changed. */
  setMeasurementsEditable(editable: boolean): void {
    this.measurementsEditable = editable;
    this.toolChoiceChanged();
  }

  /**
   * Draws a stack's new image now instead of at the next animation frame. Cornerstone draws at animation frames;
   * an image set by a wheel event in one frame was drawn in the next, after that frame's wheel event had set
   * another: scrolling drew every other image. Once the loader has set the image (a microtask after its event), the
   * engine's pending draw is done at once. At most one early draw per display frame: a burst of wheel events in one
   * frame still coalesces (the rest wait for the frame). The engine's own frame callback runs (cornerstonePrivate.ts,
   * `renderFlaggedViewportsNow`); if a Cornerstone upgrade renames it this does nothing and drawing stays at frames.
   */
  drawNewImageNow(engine: RenderingEngine): void {
    const now = performance.now();
    if (now - this.lastEarlyDraw < 6) return;
    this.lastEarlyDraw = now;
    queueMicrotask(() => renderFlaggedViewportsNow(engine));
  }
}

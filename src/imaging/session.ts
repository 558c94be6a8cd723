// The viewer's imaging session: what the imaging layer keeps for one viewer beside Cornerstone's own state (the
// reader's tool choice as the stack and MPR tool groups apply it, the reference lines' source, the early-draw
// clock). The viewer makes one (ViewerPage) and hands it down; the stack and
// MPR controllers take it when they are made. Cornerstone stays the truth for what it holds itself (cameras,
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
import { addMeasurementTools, ENGINE_ID, MEASUREMENT_TOOLS } from './annotations';
import { renderFlaggedViewportsNow } from './cornerstonePrivate';

const TOOL_GROUP_ID = 'lumen-stack-tools';

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

export class ImagingSession {
  private primaryTool: PrimaryTool = 'windowLevel';
  private measurementsEditable = true;
  private referenceLinesSource: string | undefined;
  private readonly toolChoiceWatchers = new Set<(choice: ToolChoice) => void>();
  private lastEarlyDraw = -Infinity;

  /** The stack viewports' tool group (made with the first viewport, with the session's choices applied). */
  stackToolGroup(): ToolTypes.IToolGroup {
    const existing = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
    if (existing) return existing;
    const group = ToolGroupManager.createToolGroup(TOOL_GROUP_ID)!;
    for (const name of Object.values(NAVIGATION_TOOL_NAMES)) group.addTool(name);
    addMeasurementTools(group);
    this.applyBindings(group);
    this.applyReferenceLines(group);
    return group;
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
      [ZoomTool.toolName]: [{ mouseButton: MouseBindings.Secondary }],
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
    const group = ToolGroupManager.getToolGroup(TOOL_GROUP_ID);
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

  toolChoice(): ToolChoice {
    return { primary: this.primaryTool, editable: this.measurementsEditable };
  }

  /** Calls `fn` whenever the tool choice changes; returns the unsubscribe function. */
  watchToolChoice(fn: (choice: ToolChoice) => void): () => void {
    this.toolChoiceWatchers.add(fn);
    return () => this.toolChoiceWatchers.delete(fn);
  }

  private toolChoiceChanged(): void {
    this.applyBindings(this.stackToolGroup());
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

// The imaging layer's public API: the only place the rest of the app reaches Cornerstone through.
export { initImaging, setFrameRequestPolicies, setFrameUrlResolver, type FrameRequestPolicy, type FrameUrlResolver } from './init';
export { imageIdsFor } from './imageIds';
export { ImagingSession, type OpenMpr, type ToolChoice } from './session';
export {
  StackController,
  type NavigationTool,
  type PrimaryTool,
  type ViewState,
  type ProbeResult,
} from './StackController';
export {
  MeasurementBook,
  renameMeasurement,
  removeMeasurements,
  selectMeasurement,
  undo,
  redo,
  renderAll,
  type AnnotationSnapshot,
  type TextPrompt,
} from './annotations';
export { frameOfImageId } from './imageIds';
export { prefetchStack, renderThumbnail, type LoadProgress } from './prefetch';
export type { BulkRetrieve } from './seriesStream';
export { volumeIdFor } from './imageIds';
// MPR and 3D: the MPR view imports './MprController' itself, so that it loads (with the tools only it uses) when
// MPR is first opened, in the MPR view's chunk; only its types are here.
export type { MprController, MprPlane, MprState, SlabMode, VolumePreset } from './MprController';
export { captureViewport } from './capture';

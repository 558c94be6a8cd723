// The imaging layer's public API: the only place the rest of the app reaches Cornerstone through.
export { initImaging, setFrameRequestPolicies, type FrameRequestPolicy } from './init';
export { imageIdsFor } from './imageIds';
export {
  StackController,
  setPrimaryTool,
  setMeasurementsEditable,
  setReferenceLines,
  type NavigationTool,
  type PrimaryTool,
  type ViewState,
  type ProbeResult,
} from './StackController';
export {
  watchMeasurements,
  renameMeasurement,
  removeMeasurements,
  selectMeasurement,
  undo,
  redo,
  clearMeasurements,
  renderAll,
  setTextPrompt,
  type AnnotationSnapshot,
  type TextPrompt,
} from './annotations';
export { frameOfImageId } from './imageIds';
export { prefetchStack, renderThumbnail, type LoadProgress } from './prefetch';
export { CT_PRESETS, type WindowPreset } from './presets';
export { MprController, volumeIdFor, canReformat, MPR_PLANES, VOLUME_PRESETS, type MprPlane, type MprState, type SlabMode, type VolumePreset } from './MprController';
export { captureViewport } from './capture';

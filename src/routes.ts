/**
 * The viewer's path. The app's routes (features/app), the links it makes (model/shareLink) and the build's preload
 * script for the viewer's chunks (build/preloadViewerChunks.ts) all read it from here.
 */
export const VIEWER_PATH = '/viewer';

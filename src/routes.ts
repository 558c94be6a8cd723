/**
 * The viewer's path. The app's routes (features/app), the links it makes (model/shareLink) and the build's preload
 * script for the viewer's chunks (build/preloadViewerChunks.ts) all read it from here.
 */
export const VIEWER_PATH = '/viewer';

/** IHE Invoke Image Display (RAD-106): where an EHR or a RIS sends its launch request (model/launch.ts). */
export const IID_PATH = '/IHEInvokeImageDisplay';
/** The short patient launch form's path (`/studies?PatientID=`); without a patient ID, the study list. */
export const STUDIES_PATH = '/studies';
/** Shown in the address bar while a launch resolves: no identifier in it. */
export const LAUNCH_PATH = '/launch';

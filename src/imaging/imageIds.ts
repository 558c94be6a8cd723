import { wadors } from '@cornerstonejs/dicom-image-loader';
import type { DicomWebClient } from '../dicomweb/client';
import type { FrameRef } from '../model/types';
import { metadataForCornerstone } from './cornerstoneMetadata';

/**
 * Cornerstone image ids for a display set's frames (`wadors:<frame URL>`), registering each instance's
 * WADO-RS metadata with the loader so it needs no further metadata requests.
 */
export function imageIdsFor(client: DicomWebClient, frames: FrameRef[]): string[] {
  return frames.map((f) => {
    const imageId = `wadors:${client.frameUrl(f.studyInstanceUID, f.seriesInstanceUID, f.sopInstanceUID, f.frameNumber)}`;
    // The loader's metadata provider reads the DICOM JSON as is, and finds a multi-frame instance's metadata
    // under its frame-1 URL whatever frame is asked for: register that too (a thumbnail may ask for frame 15 only).
    // Normalized for Cornerstone's assumptions (unusable geometry left out, see cornerstoneMetadata.ts).
    const metadata = metadataForCornerstone(f.instance.raw);
    wadors.metaDataManager.add(imageId, metadata as never);
    if (f.frameNumber !== 1) {
      const first = `wadors:${client.frameUrl(f.studyInstanceUID, f.seriesInstanceUID, f.sopInstanceUID, 1)}`;
      wadors.metaDataManager.add(first, metadata as never);
    }
    return imageId;
  });
}

const FRAME_URL = /\/studies\/([^/]+)\/series\/([^/]+)\/instances\/([^/]+)\/frames\/(\d+)$/;

/** Study, series, instance and frame of one of our image ids (undefined for any other kind of id). */
export function frameOfImageId(
  imageId: string,
): { studyInstanceUID: string; seriesInstanceUID: string; sopInstanceUID: string; frameNumber: number } | undefined {
  const m = FRAME_URL.exec(imageId.split('?')[0] ?? '');
  if (!m) return undefined;
  return {
    studyInstanceUID: decodeURIComponent(m[1]!),
    seriesInstanceUID: decodeURIComponent(m[2]!),
    sopInstanceUID: decodeURIComponent(m[3]!),
    frameNumber: Number(m[4]),
  };
}

/** The id of the streaming volume built from a series' images (MPR, and measurements made on it). */
export const volumeIdFor = (volumeKey: string): string => `cornerstoneStreamingImageVolume:${volumeKey}`;

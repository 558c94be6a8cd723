import { loadDictionarySoon } from './metadataDcmjs';
import { letThumbnailsLoad } from './prefetch';

/**
 * An image is on screen, in any viewport; called for every image shown. What the first image must not wait behind
 * starts from here: the series panel's thumbnails, and the full DICOM dictionary (tried again with the next image
 * if it failed to load).
 */
export function imageOnScreen(): void {
  letThumbnailsLoad();
  loadDictionarySoon();
}

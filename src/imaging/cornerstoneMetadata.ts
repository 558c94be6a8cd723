import type { DicomJson } from '../dicom/json';
import { Tag } from '../dicom/tags';
import { sanitizeGeometry } from '../model/frameChecks';

// imageIdsFor runs on every render of a viewport: one copy per instance's metadata object, not one per call.
const normalized = new WeakMap<DicomJson, DicomJson>();

/**
 * The copy of an instance's WADO-RS metadata that Cornerstone's loader reads (wadors.metaDataManager). The app's
 * own model, overlays and tag browser keep the original.
 *
 * - Geometry the renderer cannot use is left out (sanitizeGeometry), so the image shows uncalibrated.
 * - An absent or empty Modality becomes an empty value. The loader's provider calls `modality.includes('NM')`
 *   whenever Image Orientation or Position (Patient) is absent (extractPositioningFromMetadata.js), which is the
 *   normal case for a secondary capture: PS3.3 C.8.6.1 makes Modality optional there (Type 3). An empty string is
 *   DICOM's own "no value" and reads as falsy in Cornerstone's other checks, so nothing is claimed that the file
 *   does not say (not even "OT").
 *
 * Nothing else is filled in: missing orientation and position already make Cornerstone fall back to an
 * uncalibrated plane (usingDefaultValues), and missing spacing to 1 px, which the app shows as "uncalibrated".
 * Returns the original object when nothing needed changing.
 */
export function metadataForCornerstone(ds: DicomJson): DicomJson {
  const known = normalized.get(ds);
  if (known) return known;
  let out = sanitizeGeometry(ds);
  const modality = ds[Tag.Modality]?.Value?.[0];
  if (typeof modality !== 'string') {
    out = out === ds ? { ...ds } : out;
    out[Tag.Modality] = { vr: 'CS', Value: [''] };
  }
  normalized.set(ds, out);
  return out;
}

// Modalities whose objects are not images to put in a viewport: the one list. Hanging protocols, the viewer's
// default hanging, prior comparison and the key a protocol choice is remembered under all skip these series.

/**
 * Reports and documents (SR, DOC, KO), presentation states (PR), segmentations and RT objects (SEG, RTSTRUCT,
 * RTPLAN, RTRECORD, RTDOSE: a dose grid is shown over its CT, not alone), registrations and fiducials (REG, FID),
 * waveforms (ECG, AU). Upper case.
 */
export const NON_IMAGE_MODALITIES: ReadonlySet<string> = new Set([
  'SR',
  'DOC',
  'KO',
  'PR',
  'SEG',
  'RTSTRUCT',
  'RTPLAN',
  'RTRECORD',
  'RTDOSE',
  'REG',
  'FID',
  'ECG',
  'AU',
]);

/** The modality (any case, padded or not) is one of NON_IMAGE_MODALITIES. */
export function isNonImageModality(modality: string | undefined): boolean {
  return NON_IMAGE_MODALITIES.has((modality ?? '').trim().toUpperCase());
}

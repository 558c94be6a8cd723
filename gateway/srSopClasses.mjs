// @ts-check
// The Structured Report storage SOP classes (PS3.4 Annex B), generated from innolitics/dicom-standard
// standard/sops.json at commit 7f4749d09ed3ef2fa70637d376d423a4b13523cd (a script filtered it, nothing retyped):
// the classes under 1.2.840.10008.5.1.4.1.1.88 whose name says SR, so not Key Object Selection or Procedure Log.
// A `reporter` may store these and nothing else (see signIn.mjs).

/** @type {ReadonlyMap<string, string>} UID → name */
export const SR_SOP_CLASSES = new Map([
  ["1.2.840.10008.5.1.4.1.1.88.11", "Basic Text SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.22", "Enhanced SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.33", "Comprehensive SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.34", "Comprehensive 3D SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.35", "Extensible SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.50", "Mammography CAD SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.65", "Chest CAD SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.67", "X-Ray Radiation Dose SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.68", "Radiopharmaceutical Radiation Dose SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.69", "Colon CAD SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.70", "Implantation Plan SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.71", "Acquisition Context SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.72", "Simplified Adult Echo SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.73", "Patient Radiation Dose SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.74", "Planned Imaging Agent Administration SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.75", "Performed Imaging Agent Administration SR Storage"],
  ["1.2.840.10008.5.1.4.1.1.88.76", "Enhanced X-Ray Radiation Dose SR Storage"],
]);

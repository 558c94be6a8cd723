// QIDO-RS study and series results built from instances' DICOM JSON, as a server would answer: for static trees
// (scripts/import) and local files (./localSource). Pure and small: the worklist's chunk includes it.
import type { DicomJson } from '../dicom/json';

// ---- QIDO-RS results --------------------------------------------------------------------------------------

/** [tag, VR] of the study result attributes taken from an instance (QIDO-RS returns them, empty when absent). */
const STUDY_ATTRIBUTES: [string, string][] = [
  ['00080005', 'CS'], // SpecificCharacterSet
  ['00080020', 'DA'], // StudyDate
  ['00080030', 'TM'], // StudyTime
  ['00080050', 'SH'], // AccessionNumber
  ['00080090', 'PN'], // ReferringPhysicianName
  ['00100010', 'PN'], // PatientName
  ['00100020', 'LO'], // PatientID
  ['00100030', 'DA'], // PatientBirthDate
  ['00100040', 'CS'], // PatientSex
  ['0020000D', 'UI'], // StudyInstanceUID
  ['00200010', 'SH'], // StudyID
  ['00081030', 'LO'], // StudyDescription
];
const SERIES_ATTRIBUTES: [string, string][] = [
  ['00080005', 'CS'], // SpecificCharacterSet
  ['00080060', 'CS'], // Modality
  ['0020000E', 'UI'], // SeriesInstanceUID
  ['00200011', 'IS'], // SeriesNumber
  ['0008103E', 'LO'], // SeriesDescription
  ['00080021', 'DA'], // SeriesDate
  ['00080031', 'TM'], // SeriesTime
  ['00180015', 'CS'], // BodyPartExamined
  ['0020000D', 'UI'], // StudyInstanceUID
];
/** Sent only when the instance has them (an absent character set means the default one). */
const OPTIONAL: ReadonlySet<string> = new Set(['00080005']);

function pick(instance: DicomJson, attributes: [string, string][]): DicomJson {
  const out: DicomJson = {};
  for (const [tag, vr] of attributes) {
    const a = instance[tag];
    if (a) out[tag] = a;
    else if (!OPTIONAL.has(tag)) out[tag] = { vr };
  }
  return out;
}

function first(ds: DicomJson, tag: string): unknown {
  return ds[tag]?.Value?.[0];
}

export function text(ds: DicomJson, tag: string): string {
  const v = first(ds, tag);
  return v === undefined || v === null ? '' : String(v);
}

export function numberOf(ds: DicomJson, tag: string): number {
  const v = Number(first(ds, tag));
  return Number.isFinite(v) ? v : 0;
}

/** Instances of a series in InstanceNumber order (then by UID, so the order is stable). */
export function sortInstances(instances: DicomJson[]): DicomJson[] {
  const key = (d: DicomJson) => {
    const n = Number(first(d, '00200013'));
    return Number.isFinite(n) && first(d, '00200013') !== null ? n : Number.MAX_SAFE_INTEGER;
  };
  return [...instances].sort((a, b) => key(a) - key(b) || text(a, '00080018').localeCompare(text(b, '00080018')));
}

/** The QIDO-RS series result for a series' (sorted) instances. */
export function seriesResult(instances: DicomJson[]): DicomJson {
  const head = instances[0];
  if (!head) throw new Error('a series needs at least one instance');
  return { ...pick(head, SERIES_ATTRIBUTES), '00201209': { vr: 'IS', Value: [instances.length] } };
}

/** The QIDO-RS study result from one of its instances and all its series results. */
export function studyResult(instance: DicomJson, series: DicomJson[]): DicomJson {
  const modalities = [...new Set(series.map((s) => text(s, '00080060')).filter(Boolean))];
  const instances = series.reduce((n, s) => n + numberOf(s, '00201209'), 0);
  const out = pick(instance, STUDY_ATTRIBUTES);
  out['00080061'] = modalities.length ? { vr: 'CS', Value: modalities } : { vr: 'CS' };
  out['00201206'] = { vr: 'IS', Value: [series.length] };
  out['00201208'] = { vr: 'IS', Value: [instances] };
  return out;
}

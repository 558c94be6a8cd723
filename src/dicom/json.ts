/** The DICOM JSON model (PS3.18 F.2) as QIDO-RS and WADO-RS metadata return it. */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  InlineBinary?: string;
  BulkDataURI?: string;
}
export type DicomJson = Record<string, DicomJsonAttribute | undefined>;

export interface PersonNameValue {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

function firstValue(ds: DicomJson, tag: string): unknown {
  return ds[tag]?.Value?.[0];
}

/** A string attribute, or '' when absent. Person names come back as their alphabetic form. */
export function getString(ds: DicomJson, tag: string): string {
  const v = firstValue(ds, tag);
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return (v as PersonNameValue).Alphabetic ?? '';
  return String(v);
}

/**
 * A person name in DICOM's string form, 'Alphabetic=Ideographic=Phonetic' (empty trailing groups dropped), so
 * names written in Japanese, Chinese or Korean keep their ideographic and phonetic forms.
 */
export function getPersonName(ds: DicomJson, tag: string): string {
  const v = firstValue(ds, tag);
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return String(v);
  const { Alphabetic = '', Ideographic = '', Phonetic = '' } = v as PersonNameValue;
  return [Alphabetic, Ideographic, Phonetic].join('=').replace(/[=^\s]+$/, '');
}

/** All values of a multi-valued string attribute (e.g. ModalitiesInStudy). */
export function getStrings(ds: DicomJson, tag: string): string[] {
  const values = ds[tag]?.Value ?? [];
  return values.filter((v) => v !== null && v !== undefined).map((v) => String(v));
}

/** A finite number, or undefined. DS/IS may arrive as strings from some servers. */
export function getNumber(ds: DicomJson, tag: string): number | undefined {
  const v = firstValue(ds, tag);
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** All values as numbers; undefined if absent or any value is not a finite number. */
export function getNumbers(ds: DicomJson, tag: string): number[] | undefined {
  const values = ds[tag]?.Value;
  if (!values || values.length === 0) return undefined;
  const out = values.map((v) => (typeof v === 'number' ? v : Number(v)));
  return out.every(Number.isFinite) ? out : undefined;
}

/** Items of a sequence attribute. */
export function getSequence(ds: DicomJson, tag: string): DicomJson[] {
  const values = ds[tag]?.Value ?? [];
  return values.filter((v): v is DicomJson => typeof v === 'object' && v !== null);
}

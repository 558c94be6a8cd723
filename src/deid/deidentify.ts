// De-identification of one DICOM instance for export, following DICOM PS3.15 Annex E, the Basic Application Level
// Confidentiality Profile, on dcmjs's tag-keyed ("dict") form of a dataset.
//
// What it does:
//   - applies Table E.1-1 (./profile.ts, generated from the standard's data) at every level of the dataset, inside
//     sequences too: attributes that name or describe the patient, the people involved, the institution, the
//     device, the visit and the order are removed, emptied or replaced with dummies; instance UIDs (study, series, SOP instance, frame of reference, and every
//     reference to them) are replaced by new ones that stay consistent across all instances of one export session
//     (UidMap), so series, studies and references still line up; SOP Class and other DICOM-defined UIDs are kept;
//   - removes all private attributes, curve (50xx) and overlay (60xx) groups, and group lengths;
//   - removes attributes the table does not list in the patient, Exif/GPS, request, visit, specimen/procedure step/SR
//     and media label groups (0010, 0016, 0032, 0038, 0040, 2200), but for a few that say how to read the pixels or
//     the report's structure (./groups.ts);
//   - keeps the pixel data and every attribute describing it (size, spacing, geometry, rescale, windowing…);
//   - records what was done: Patient Identity Removed = YES, De-identification Method (Code Sequence, CID 7050);
//   - options: Retain Longitudinal Temporal Information with Modified Dates (dates shifted by a fixed number of days,
//     times kept) and Retain Patient Characteristics (sex, age, size, weight… kept).
//
// What it does not do:
//   - it does not look at the pixels: text burned into the image (names, dates on ultrasound, secondary captures,
//     video) stays there. burnedInAnnotationWarning says when that is likely, and deidentify returns its text among
//     the warnings, so the caller can make the user review or leave out such images;
//   - it does not clean free text or structured content (the Clean Descriptors / Clean Structured Content options,
//     which it does not claim): descriptions and comments are removed, and an SR's Content Sequence keeps its
//     structure with every text, code and date replaced by a dummy (D, as the Basic Profile requires);
//   - it does not de-identify encapsulated documents (PDF, CDA) or the inside of binary attributes it keeps;
//   - outside the groups above it keeps attributes the table does not list (as the profile does), so an attribute
//     added to the standard after the table's edition (./profile.generated.ts) is kept there.
//
// Pure functions: no DOM, no I/O, no logging (the values are patient data). The input is not modified; attributes
// that are kept are shallow copies whose values (the pixel data's ArrayBuffer included) are shared with the input.

import { removedOutsideTable } from './groups';
import { isCurveOrOverlayGroup, isPrivateGroup, PROFILE_BY_TAG, type Action, type ProfileEntry } from './profile';

/** One attribute of dcmjs's tag-keyed form: `{ vr, Value }` (sequences: Value = item datasets). */
export interface DicomElement {
  vr: string;
  Value?: unknown[];
  [key: string]: unknown;
}

/** dcmjs's tag-keyed dataset ("dict"), as `DicomMessage.readFile(buffer).dict` (or `.meta`) gives it. */
export type DicomDataset = Record<string, DicomElement>;

export interface DeidOptions {
  /** Retain Longitudinal Temporal Information with Modified Dates Option: when set, dates (DA, and the date part of
   * DT) are kept but shifted by this many days (negative: earlier); times are kept. 0 keeps the dates as they are,
   * which is the Full Dates Option and is recorded as such. Unset: dates are removed, emptied or replaced as the
   * Basic Profile says. */
  shiftDatesByDays?: number;
  /** Retain Patient Characteristics Option: keep sex, age, size, weight, ethnic group, smoking and pregnancy status. */
  keepPatientCharacteristics?: boolean;
  /** Patient's Name written in place of the real one; default 'ANONYMOUS'. */
  patientName?: string;
  /** Patient ID written in place of the real one; default 'ANON'. */
  patientId?: string;
}

export interface DeidResult {
  /** The de-identified dataset (for `new dcmjs.data.DicomDict(meta)` + `.dict = dict` + `.write()`). */
  dict: DicomDataset;
  /** The file meta information with the new Media Storage SOP Instance UID. */
  meta: DicomDataset;
  /** Things the caller should tell the user (burned-in text, removed report content); never attribute values. */
  warnings: string[];
}

export const DEFAULT_PATIENT_NAME = 'ANONYMOUS';
export const DEFAULT_PATIENT_ID = 'ANON';
const DUMMY_TEXT = 'ANONYMOUS';

/** UIDs under the DICOM root (SOP classes, transfer syntaxes, coding schemes, well-known frames of reference). */
const DICOM_UID_ROOT = '1.2.840.10008.';

/** A UID the standard defines (never remapped). */
export function isWellKnownUid(uid: string): boolean {
  return uid.startsWith(DICOM_UID_ROOT);
}

// ---------------------------------------------------------------------------------------------------------------
// UIDs

/** Fills the array with random bytes and returns it (crypto.getRandomValues). */
export type RandomSource = (bytes: Uint8Array<ArrayBuffer>) => Uint8Array;

const cryptoRandom: RandomSource = (bytes) => {
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
};

/** A new UID under the UUID-derived root: "2.25." + the decimal of a random 128-bit number (a version 4 UUID, as
 * ITU-T X.667 and PS3.5 B.2 describe); at most 44 characters. */
export function newUid(random: RandomSource = cryptoRandom): string {
  const bytes = random(new Uint8Array(16));
  let n = 0n;
  bytes.forEach((b, i) => {
    let v = b;
    if (i === 6) v = (v & 0x0f) | 0x40; // UUID version 4
    if (i === 8) v = (v & 0x3f) | 0x80; // UUID variant
    n = (n << 8n) | BigInt(v);
  });
  return `2.25.${n.toString(10)}`;
}

/** UI values from dcmjs may keep the padding byte. */
function cleanUid(uid: string): string {
  return uid.replace(/[\0\s]+$/, '').trim();
}

/** Original UID → new UID for one export session: use one UidMap for every instance exported together, so that the
 * same study, series, frame of reference or referenced instance gets the same new UID everywhere. */
export class UidMap {
  readonly #map = new Map<string, string>();
  readonly #random: RandomSource;

  constructor(random: RandomSource = cryptoRandom) {
    this.#random = random;
  }

  /** The new UID for this original (created on first use). DICOM-defined UIDs and empty values are returned as is. */
  remap(uid: string): string {
    const original = cleanUid(uid);
    if (original === '' || isWellKnownUid(original)) return original;
    let mapped = this.#map.get(original);
    if (mapped === undefined) {
      do mapped = newUid(this.#random);
      while (this.#map.has(mapped));
      this.#map.set(original, mapped);
    }
    return mapped;
  }

  /** The new UID already given to this original, if any (to find the new Study/Series Instance UIDs). */
  lookup(uid: string): string | undefined {
    return this.#map.get(cleanUid(uid));
  }

  get size(): number {
    return this.#map.size;
  }

  /** [original, new] pairs, in the order they were created. */
  entries(): IterableIterator<[string, string]> {
    return this.#map.entries();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Dates

const DAY_MS = 86_400_000;

/** A DA value ("YYYYMMDD"; the old "YYYY.MM.DD" form is read too) moved by `days` days, as "YYYYMMDD"; undefined
 * when the value is not a valid date. */
export function shiftDate(da: string, days: number): string | undefined {
  const m = /^(\d{4})\.?(\d{2})\.?(\d{2})$/.exec(da.trim());
  if (!m || !Number.isInteger(days)) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return undefined;
  const shifted = new Date(date.getTime() + days * DAY_MS);
  const yy = shifted.getUTCFullYear();
  if (yy < 0 || yy > 9999) return undefined;
  const pad = (v: number, n: number) => String(v).padStart(n, '0');
  return `${pad(yy, 4)}${pad(shifted.getUTCMonth() + 1, 2)}${pad(shifted.getUTCDate(), 2)}`;
}

/** A DT value with its date part (the first 8 digits) moved by `days` days; the time and UTC offset are kept.
 * Undefined when the value has no full date (only a year or a month cannot be moved by days). */
export function shiftDateTime(dt: string, days: number): string | undefined {
  const m = /^(\d{8})(.*)$/.exec(dt.trim());
  if (!m) return undefined;
  const date = shiftDate(m[1] ?? '', days);
  return date === undefined ? undefined : date + (m[2] ?? '');
}

// ---------------------------------------------------------------------------------------------------------------
// Burned-in annotation

const SECONDARY_CAPTURE = '1.2.840.10008.5.1.4.1.1.7';
const ULTRASOUND_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.6.1', // US Image
  '1.2.840.10008.5.1.4.1.1.6.2', // Enhanced US Volume
  '1.2.840.10008.5.1.4.1.1.3.1', // US Multi-frame Image
  '1.2.840.10008.5.1.4.1.1.6', // US Image (retired)
  '1.2.840.10008.5.1.4.1.1.3', // US Multi-frame Image (retired)
]);
const VIDEO_CLASSES = new Set([
  '1.2.840.10008.5.1.4.1.1.77.1.1.1', // Video Endoscopic Image
  '1.2.840.10008.5.1.4.1.1.77.1.2.1', // Video Microscopic Image
  '1.2.840.10008.5.1.4.1.1.77.1.4.1', // Video Photographic Image
]);
/** Modalities whose images commonly carry text burned into the pixels. */
const BURN_IN_MODALITIES = new Set(['US', 'IVUS', 'XA', 'RF', 'ES', 'XC', 'GM', 'SC']);

function firstString(el: DicomElement | undefined): string {
  const v = el?.Value?.[0];
  return typeof v === 'string' ? v.replace(/[\0\s]+$/, '').trim() : '';
}

/** A warning when the pixel data probably contains burned-in text the header de-identification leaves there:
 * Burned In Annotation (0028,0301) is YES, or it is absent or unknown for a modality or SOP class that commonly
 * burns text in (ultrasound, angiography and fluoroscopy, endoscopy and other video, secondary captures).
 * Undefined when Burned In Annotation is NO, or absent for other modalities. */
export function burnedInAnnotationWarning(dict: DicomDataset): string | undefined {
  const burnedIn = firstString(dict['00280301']).toUpperCase();
  const modality = firstString(dict['00080060']).toUpperCase();
  const sopClass = firstString(dict['00080016']);
  const isSecondaryCapture = sopClass === SECONDARY_CAPTURE || sopClass.startsWith(`${SECONDARY_CAPTURE}.`);
  const kind = isSecondaryCapture
    ? `secondary capture${modality ? ` (${modality})` : ''}`
    : VIDEO_CLASSES.has(sopClass)
      ? `video${modality ? ` (${modality})` : ''}`
      : modality || 'unknown modality';
  if (burnedIn === 'YES') {
    return `Burned In Annotation is YES for this ${kind} image: text in the pixels (names, dates, IDs) is not removed by de-identification. Review the images before sharing.`;
  }
  if (burnedIn === 'NO') return undefined;
  const likely =
    BURN_IN_MODALITIES.has(modality) || isSecondaryCapture || VIDEO_CLASSES.has(sopClass) || ULTRASOUND_CLASSES.has(sopClass);
  if (!likely) return undefined;
  return `Burned In Annotation is not stated, and ${kind} images commonly carry text in the pixels (names, dates, IDs) that de-identification does not remove. Review the images before sharing.`;
}

// ---------------------------------------------------------------------------------------------------------------
// De-identification

interface Context {
  readonly uids: UidMap;
  readonly shiftDays: number | undefined;
  readonly keepPatientCharacteristics: boolean;
  /** In an item of a sequence that action D fills with dummies. */
  readonly inDummyItem?: boolean;
}

const TEXT_VRS = new Set(['AE', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'PN']);
const NUMBER_VRS = new Set(['DS', 'IS', 'FL', 'FD', 'SL', 'SS', 'UL', 'US', 'SV', 'UV']);

/** A dummy value consistent with the VR (action D). */
function dummyValue(vr: string): unknown[] {
  if (vr === 'PN') return [{ Alphabetic: DUMMY_TEXT }];
  if (vr === 'DA') return ['19000101'];
  if (vr === 'TM') return ['000000'];
  if (vr === 'DT') return ['19000101000000'];
  if (vr === 'AS') return ['000D'];
  if (vr === 'CS' || TEXT_VRS.has(vr)) return [DUMMY_TEXT];
  if (NUMBER_VRS.has(vr)) return [0];
  return []; // binary, UR, UI: zero length
}

/** A rebuilt element: no `_rawValue`, so dcmjs writes `Value` (it writes `_rawValue` when it thinks them equal). */
function element(vr: string, value: unknown[]): DicomElement {
  return { vr, Value: value };
}

function keep(el: DicomElement): DicomElement {
  return { ...el };
}

function values(el: DicomElement): unknown[] {
  return Array.isArray(el.Value) ? el.Value : [];
}

function remapUids(el: DicomElement, uids: UidMap): DicomElement {
  return element(
    el.vr,
    values(el).map((v) => (typeof v === 'string' ? uids.remap(v) : v)),
  );
}

/** DA/DT values moved by the shift; values that are not dates become empty. TM and other VRs are kept. */
function shiftElement(el: DicomElement, days: number): DicomElement {
  const shift = el.vr === 'DA' ? shiftDate : el.vr === 'DT' ? shiftDateTime : undefined;
  if (!shift) return keep(el);
  return element(
    el.vr,
    values(el).map((v) => (typeof v === 'string' && v.trim() !== '' ? (shift(v, days) ?? '') : '')),
  );
}

function isItem(v: unknown): v is DicomDataset {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof ArrayBuffer);
}

function sequence(el: DicomElement, ctx: Context): DicomElement {
  return element(
    'SQ',
    values(el).map((item) => (isItem(item) ? processDataset(item, ctx, true) : item)),
  );
}

/** Action D on a sequence: its items keep their structure (the table has already been applied to them), and every
 * text, person name and date left in them is replaced with a dummy (dates shifted instead under the option). */
function dummySequence(el: DicomElement, ctx: Context): DicomElement {
  const fill = (item: DicomDataset): DicomDataset => {
    const out: DicomDataset = {};
    for (const [tag, e] of Object.entries(item)) {
      if (e.vr === 'SQ') out[tag] = element('SQ', values(e).map((i) => (isItem(i) ? fill(i) : i)));
      else if (TEXT_VRS.has(e.vr)) out[tag] = element(e.vr, dummyValue(e.vr));
      else if (e.vr === 'DA' || e.vr === 'DT' || e.vr === 'TM') {
        out[tag] = ctx.shiftDays === undefined ? element(e.vr, dummyValue(e.vr)) : e;
      } else out[tag] = e;
    }
    return out;
  };
  const processed = sequence(el, { ...ctx, inDummyItem: true });
  return element('SQ', values(processed).map((i) => (isItem(i) ? fill(i) : i)));
}

type Applied = Action | 'shift';

function actionFor(entry: ProfileEntry | undefined, el: DicomElement, ctx: Context, nested: boolean): Applied {
  const shifting = ctx.shiftDays !== undefined;
  if (!entry) return shifting && (el.vr === 'DA' || el.vr === 'DT') ? 'shift' : 'K';
  if (entry.patientCharacteristic && ctx.keepPatientCharacteristics) return 'K';
  if (entry.temporal && shifting) return 'shift';
  if (nested && entry.nestedAction) return entry.nestedAction;
  return entry.action;
}

function processDataset(ds: DicomDataset, ctx: Context, nested: boolean): DicomDataset {
  const out: DicomDataset = {};
  for (const [key, el] of Object.entries(ds)) {
    if (!el || typeof el !== 'object') continue;
    const tag = key.toUpperCase();
    if (!/^[0-9A-F]{8}$/.test(tag)) continue; // not an attribute
    const group = parseInt(tag.slice(0, 4), 16);
    if (isPrivateGroup(group) || isCurveOrOverlayGroup(group)) continue;
    if (tag.endsWith('0000')) continue; // group length (retired in datasets; would be stale)

    const entry = PROFILE_BY_TAG.get(tag);
    if (!entry && removedOutsideTable(tag, ctx.inDummyItem)) continue; // patient, visit, specimen… groups (./groups.ts)
    const action = actionFor(entry, el, ctx, nested);
    const isSequence = el.vr === 'SQ';
    switch (action) {
      case 'X':
      case 'C': // cleaning is not implemented: remove
        break;
      case 'Z':
        out[key] = element(el.vr, []);
        break;
      case 'D':
        // A UID's only dummy that stays unique is a new UID (Annotation Group UID is D, not U).
        out[key] = isSequence ? dummySequence(el, ctx) : el.vr === 'UI' ? remapUids(el, ctx.uids) : element(el.vr, dummyValue(el.vr));
        break;
      case 'U':
        out[key] = isSequence ? sequence(el, ctx) : remapUids(el, ctx.uids);
        break;
      case 'shift':
        out[key] = shiftElement(el, ctx.shiftDays ?? 0);
        break;
      case 'K':
        out[key] = isSequence ? sequence(el, ctx) : keep(el);
        break;
    }
  }
  return out;
}

/** Codes of CID 7050 (De-identification Method), coding scheme DCM. */
export const DEID_CODES = {
  basicProfile: { value: '113100', meaning: 'Basic Application Confidentiality Profile' },
  retainPatientCharacteristics: { value: '113108', meaning: 'Retain Patient Characteristics Option' },
  retainLongitudinalFullDates: { value: '113106', meaning: 'Retain Longitudinal Temporal Information Full Dates Option' },
  retainLongitudinalModifiedDates: {
    value: '113107',
    meaning: 'Retain Longitudinal Temporal Information Modified Dates Option',
  },
} as const;

export type DeidCode = (typeof DEID_CODES)[keyof typeof DEID_CODES];

/** The profile and exactly the options these options apply, for De-identification Method (0012,0063) and its Code
 * Sequence (0012,0064). Options this implementation does not implement (Clean Descriptors, Clean Structured
 * Content, Clean Graphics, Retain UIDs, Device or Institution Identity, Safe Private) are never listed: where such an
 * option would keep or clean, the Basic Profile's action is applied. */
export function deidMethods(options: DeidOptions): DeidCode[] {
  const methods: DeidCode[] = [DEID_CODES.basicProfile];
  // A shift by 0 days keeps the dates: that is the Full Dates Option, not Modified Dates.
  if (options.shiftDatesByDays === 0) methods.push(DEID_CODES.retainLongitudinalFullDates);
  else if (options.shiftDatesByDays !== undefined) methods.push(DEID_CODES.retainLongitudinalModifiedDates);
  if (options.keepPatientCharacteristics === true) methods.push(DEID_CODES.retainPatientCharacteristics);
  return methods;
}

function codeItem(code: { value: string; meaning: string }): DicomDataset {
  return {
    '00080100': element('SH', [code.value]),
    '00080102': element('SH', ['DCM']),
    '00080104': element('LO', [code.meaning]),
  };
}

/** File meta attributes that name the sending or receiving station, or carry private data: removed. */
const META_REMOVED = new Set(['00020016', '00020017', '00020018', '00020100', '00020102']);

function deidentifyMeta(meta: DicomDataset, newSopInstanceUid: string | undefined, uids: UidMap): DicomDataset {
  const out: DicomDataset = {};
  for (const [key, el] of Object.entries(meta)) {
    if (META_REMOVED.has(key.toUpperCase())) continue;
    out[key] = keep(el);
  }
  const old = firstString(meta['00020003']);
  const sop = newSopInstanceUid ?? (old ? uids.remap(old) : undefined);
  if (sop) out['00020003'] = element('UI', [sop]);
  return out;
}

/** De-identifies one instance (dcmjs's `{ meta, dict }`) by the Basic Application Level Confidentiality Profile
 * with the chosen options. `uids` must be shared by every instance of one export so that UIDs stay consistent. The
 * input is not modified. */
export function deidentify(dict: DicomDataset, meta: DicomDataset, options: DeidOptions, uids: UidMap): DeidResult {
  const shiftDays = options.shiftDatesByDays;
  if (shiftDays !== undefined && !Number.isInteger(shiftDays)) {
    throw new RangeError('shiftDatesByDays must be a whole number of days');
  }
  const ctx: Context = { uids, shiftDays, keepPatientCharacteristics: options.keepPatientCharacteristics === true };
  const warnings: string[] = [];
  const burnedIn = burnedInAnnotationWarning(dict);
  if (burnedIn) warnings.push(burnedIn);
  if (dict['0040A730']) {
    warnings.push(
      'The report content (Content Sequence) was replaced with dummy values, as the Basic Profile requires: the exported object keeps the structure of the report and its numbers, not its text, codes or dates.',
    );
  }
  if (dict['00420011']) {
    warnings.push('The encapsulated document (PDF or CDA) inside this object is not de-identified; it is exported as it is.');
  }

  const out = processDataset(dict, ctx, false);

  // Patient's Name and ID (action Z) take the caller's pseudonyms, which Z allows.
  if (dict['00100010']) {
    const name = options.patientName ?? DEFAULT_PATIENT_NAME;
    out['00100010'] = element('PN', name ? [{ Alphabetic: name }] : []);
  }
  if (dict['00100020']) out['00100020'] = element('LO', [options.patientId ?? DEFAULT_PATIENT_ID]);

  // What was done (PS3.15 E.1.1; PS3.3 SOP Common module).
  const methods = deidMethods(options);
  out['00120062'] = element('CS', ['YES']);
  out['00120063'] = element(
    'LO',
    methods.map((m) => m.meaning),
  );
  out['00120064'] = element('SQ', methods.map(codeItem));
  if (shiftDays !== undefined) out['00280303'] = element('CS', [shiftDays === 0 ? 'UNMODIFIED' : 'MODIFIED']);
  else if (dict['00280303']) out['00280303'] = element('CS', ['REMOVED']);

  const newSop = firstString(out['00080018']) || undefined;
  return { dict: out, meta: deidentifyMeta(meta, newSop, uids), warnings };
}

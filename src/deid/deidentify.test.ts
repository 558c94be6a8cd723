import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import dcmjs from 'dcmjs';
import { describe, expect, it } from 'vitest';
import {
  burnedInAnnotationWarning,
  DEID_CODES,
  deidentify,
  deidMethods,
  newUid,
  shiftDate,
  shiftDateTime,
  UidMap,
  type DeidOptions,
  type DeidResult,
  type DicomDataset,
  type DicomElement,
} from './deidentify';
import { removedOutsideTable } from './groups';
import { BASIC_PROFILE, PROFILE_BY_TAG, resolveAction, type ProfileEntry } from './profile';

// Real files from pydicom's test data (present where python3-pydicom is installed).
const FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const haveFiles = existsSync(join(FILES, 'CT_small.dcm'));

interface Instance {
  dict: DicomDataset;
  meta: DicomDataset;
}

function readPart10(buffer: ArrayBuffer): Instance {
  const { dict, meta } = dcmjs.data.DicomMessage.readFile(buffer);
  return { dict: dict as DicomDataset, meta: meta as DicomDataset };
}

function load(name: string): Instance {
  const b = readFileSync(join(FILES, name));
  return readPart10(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

function write(instance: Instance): ArrayBuffer {
  const file = new dcmjs.data.DicomDict(instance.meta);
  file.dict = instance.dict;
  return file.write();
}

/** Through dcmjs write() and readFile(), as an exported file would be read again. */
function roundTrip(instance: Instance): Instance {
  return readPart10(write(instance));
}

function el(ds: DicomDataset | undefined, tag: string): DicomElement | undefined {
  return ds?.[tag];
}

function vals(e: DicomElement | undefined): unknown[] {
  return Array.isArray(e?.Value) ? e.Value : [];
}

function str(ds: DicomDataset | undefined, tag: string): string | undefined {
  const v = vals(el(ds, tag))[0];
  return typeof v === 'string' ? v : undefined;
}

function items(ds: DicomDataset | undefined, tag: string): DicomDataset[] {
  return vals(el(ds, tag)) as DicomDataset[];
}

function isEmptyValue(e: DicomElement | undefined): boolean {
  return vals(e).every((v) => v === '' || v === null || v === undefined);
}

function clone(instance: Instance): Instance {
  return roundTrip(instance);
}

function setValue(ds: DicomDataset, tag: string, vr: string, value: unknown[]): void {
  ds[tag] = { vr, Value: value };
}

// ---------------------------------------------------------------------------------------------------------------
// A checker that walks the input and the output side by side and asserts, attribute by attribute, that the profile
// table's action was applied (and that attributes outside the table are kept).

interface CheckOptions {
  uids: UidMap;
  shift?: number;
  keepPc?: boolean;
}

/** Attributes deidentify sets itself at the top level (pseudonyms and the de-identification record). */
const SET_AT_TOP = new Set(['00100010', '00100020', '00120062', '00120063', '00120064', '00280303']);

const DUMMY: Record<string, unknown[]> = {
  PN: [{ Alphabetic: 'ANONYMOUS' }],
  DA: ['19000101'],
  TM: ['000000'],
  DT: ['19000101000000'],
  LO: ['ANONYMOUS'],
  SH: ['ANONYMOUS'],
  ST: ['ANONYMOUS'],
  LT: ['ANONYMOUS'],
  UT: ['ANONYMOUS'],
  CS: ['ANONYMOUS'],
};

function removedGroup(tag: string): boolean {
  const group = parseInt(tag.slice(0, 4), 16);
  return group % 2 === 1 || (group >= 0x5000 && group <= 0x50ff) || (group >= 0x6000 && group <= 0x60ff) || tag.endsWith('0000');
}

function expectShifted(orig: DicomElement, got: DicomElement | undefined, days: number, where: string): void {
  expect(got, where).toBeDefined();
  const expected = vals(orig).map((v) => {
    if (typeof v !== 'string' || v.trim() === '') return '';
    return (orig.vr === 'DA' ? shiftDate(v, days) : orig.vr === 'DT' ? shiftDateTime(v, days) : v) ?? '';
  });
  expect(vals(got), where).toEqual(orig.vr === 'TM' ? vals(orig) : expected);
}

function expectUidsRemapped(orig: DicomElement, got: DicomElement | undefined, uids: UidMap, where: string): void {
  expect(got, where).toBeDefined();
  const before = vals(orig);
  const after = vals(got);
  expect(after.length, where).toBe(before.length);
  before.forEach((v, i) => {
    if (typeof v !== 'string' || v === '') return;
    if (v.startsWith('1.2.840.10008.')) {
      expect(after[i], where).toBe(v);
      return;
    }
    expect(after[i], where).not.toBe(v);
    expect(after[i], where).toBe(uids.lookup(v));
    expect(after[i], where).toMatch(/^2\.25\.[1-9]\d*$/);
  });
}

/** All text, names and dates left in a D sequence's items are dummies; returns nothing, asserts. */
function expectDummyItems(got: DicomElement | undefined, orig: DicomElement, opts: CheckOptions, where: string): void {
  expect(got?.vr, where).toBe('SQ');
  const origItems = vals(orig) as DicomDataset[];
  const outItems = vals(got) as DicomDataset[];
  expect(outItems.length, where).toBe(origItems.length);
  const walk = (item: DicomDataset, path: string) => {
    for (const [tag, e] of Object.entries(item)) {
      if (e.vr === 'SQ') (vals(e) as DicomDataset[]).forEach((i, n) => walk(i, `${path}${tag}[${n}].`));
      else if (['PN', 'LO', 'SH', 'ST', 'LT', 'UT', 'UC', 'AE'].includes(e.vr)) {
        expect(vals(e), `${path}${tag}`).toEqual(DUMMY[e.vr] ?? ['ANONYMOUS']);
      } else if (['DA', 'TM', 'DT'].includes(e.vr) && opts.shift === undefined) {
        expect(vals(e), `${path}${tag}`).toEqual(DUMMY[e.vr]);
      }
    }
  };
  outItems.forEach((item, n) => walk(item, `${where}[${n}].`));
}

/** Returns the number of table attributes met (at any depth). */
function checkProfileApplied(orig: DicomDataset, out: DicomDataset, opts: CheckOptions, nested = false, path = ''): number {
  let met = 0;
  for (const [tag, o] of Object.entries(orig)) {
    const got = out[tag];
    const where = `${path}${tag}`;
    if (removedGroup(tag)) {
      expect(got, `${where} (private, curve, overlay or group length) removed`).toBeUndefined();
      continue;
    }
    if (!nested && SET_AT_TOP.has(tag)) continue;
    const entry: ProfileEntry | undefined = PROFILE_BY_TAG.get(tag);
    if (entry) met++;
    const shifting = opts.shift !== undefined;

    if (!entry && removedOutsideTable(tag)) {
      expect(got, `${where} (outside the table in a patient, visit, specimen… group) removed`).toBeUndefined();
      continue;
    }
    if (!entry || (entry.patientCharacteristic && opts.keepPc)) {
      // Kept (sequences: kept with the table applied to their items; dates shifted under the option).
      expect(got, `${where} kept`).toBeDefined();
      if (o.vr === 'SQ') {
        const oi = vals(o) as DicomDataset[];
        const gi = vals(got) as DicomDataset[];
        expect(gi.length, where).toBe(oi.length);
        oi.forEach((item, n) => {
          met += checkProfileApplied(item, gi[n] ?? {}, opts, true, `${where}[${n}].`);
        });
      } else if (shifting && (o.vr === 'DA' || o.vr === 'DT') && !entry) {
        expectShifted(o, got, opts.shift ?? 0, where);
      } else {
        expect(vals(got), where).toEqual(vals(o));
      }
      continue;
    }
    if (entry.temporal && shifting) {
      expectShifted(o, got, opts.shift ?? 0, `${where} ${entry.keyword} shifted`);
      continue;
    }
    const action = nested && entry.nestedAction ? entry.nestedAction : entry.action;
    const label = `${where} ${entry.keyword} (${entry.code} → ${action})`;
    switch (action) {
      case 'X':
        expect(got, label).toBeUndefined();
        break;
      case 'Z':
        expect(got, label).toBeDefined();
        expect(isEmptyValue(got), label).toBe(true);
        break;
      case 'D':
        if (o.vr === 'SQ') expectDummyItems(got, o, opts, label);
        else expect(vals(got), label).toEqual(DUMMY[o.vr] ?? expect.anything());
        break;
      case 'U':
        if (o.vr === 'SQ') {
          const oi = vals(o) as DicomDataset[];
          const gi = vals(got) as DicomDataset[];
          expect(gi.length, label).toBe(oi.length);
          oi.forEach((item, n) => {
            met += checkProfileApplied(item, gi[n] ?? {}, opts, true, `${where}[${n}].`);
          });
        } else expectUidsRemapped(o, got, opts.uids, label);
        break;
      default:
        throw new Error(`unexpected action ${action} for ${label}`);
    }
  }
  return met;
}

/** No odd group anywhere in the dataset. */
function privateTags(ds: DicomDataset, path = ''): string[] {
  const found: string[] = [];
  for (const [tag, e] of Object.entries(ds)) {
    if (parseInt(tag.slice(0, 4), 16) % 2 === 1) found.push(path + tag);
    if (e.vr === 'SQ') (vals(e) as DicomDataset[]).forEach((i, n) => found.push(...privateTags(i, `${path}${tag}[${n}].`)));
  }
  return found;
}

function bytes(e: DicomElement | undefined): Uint8Array {
  const v = vals(e)[0];
  if (!(v instanceof ArrayBuffer)) throw new Error('no binary value');
  return new Uint8Array(v);
}

/** A JSON image of a dataset (binary values by length and a checksum) to compare before and after. */
function snapshot(ds: unknown): string {
  return JSON.stringify(ds, (_k, v: unknown) => {
    if (v instanceof ArrayBuffer) {
      const b = new Uint8Array(v);
      let sum = 0;
      for (const x of b) sum = (sum * 31 + x) >>> 0;
      return `AB(${b.length}:${sum})`;
    }
    return v;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// A dataset holding every attribute of the table (on top of a real CT), each with an identifying-looking value of
// its VR, and sequences with nested identifying content, private data and references.

const SAMPLE: Record<string, (i: number) => unknown[]> = {
  PN: () => [{ Alphabetic: 'Doe^Jane' }],
  DA: () => ['20230415'],
  TM: () => ['101530'],
  DT: () => ['20230415101530'],
  UI: (i) => [`1.2.826.0.1.3680043.99.${i}`],
  AS: () => ['042Y'],
  CS: () => ['SECRET'],
  AE: () => ['SECRETAE'],
  DS: () => [72.5],
  IS: () => [7],
  US: () => [4],
  OB: () => [new Uint8Array([1, 2, 3, 4]).buffer],
  UN: () => [new Uint8Array([1, 2, 3, 4]).buffer],
};

function sampleItem(i: number): DicomDataset {
  return {
    '00080100': { vr: 'SH', Value: ['CODE1'] },
    '00080102': { vr: 'SH', Value: ['99LOCAL'] },
    '00080104': { vr: 'LO', Value: ['Jane Doe at St Elsewhere'] },
    '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
    '00081155': { vr: 'UI', Value: [`1.2.826.0.1.3680043.98.${i}`] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Nested^Patient' }] },
    '00090010': { vr: 'LO', Value: ['ACME 1.0'] },
    '00091001': { vr: 'LO', Value: ['private nested value'] },
  };
}

function kitchenSink(base: Instance): Instance {
  const ds = clone(base);
  BASIC_PROFILE.forEach((e, i) => {
    if (e.vr === 'SQ') setValue(ds.dict, e.tag, 'SQ', [sampleItem(i)]);
    else setValue(ds.dict, e.tag, e.vr, (SAMPLE[e.vr] ?? (() => [`Secret ${e.keyword}`]))(i));
  });
  setValue(ds.dict, '00100030', 'DA', ['19500101']); // a birth date to see removed, not shifted
  setValue(ds.dict, '00280301', 'CS', ['NO']);
  // A reference structure not in the table, holding reference sequences the table removes at the top level only.
  setValue(ds.dict, '00081115', 'SQ', [
    {
      '0020000E': { vr: 'UI', Value: ['1.2.826.0.1.3680043.97.1'] },
      '00081140': { vr: 'SQ', Value: [sampleItem(1001)] },
      '00082112': { vr: 'SQ', Value: [sampleItem(1002)] },
      '00080021': { vr: 'DA', Value: ['20230416'] },
    },
  ]);
  // Curves and overlays.
  setValue(ds.dict, '50003000', 'OW', [new Uint8Array(8).buffer]);
  setValue(ds.dict, '60000010', 'US', [128]);
  setValue(ds.dict, '60003000', 'OW', [new Uint8Array(8).buffer]);
  setValue(ds.dict, '60004000', 'LT', ['Overlay with Jane Doe']);
  // Through write and read, so the values are as dcmjs reads them.
  return roundTrip(ds);
}

// ---------------------------------------------------------------------------------------------------------------

describe('profile table', () => {
  it('has unique 8-hex-digit tags whose keyword and VR match the DICOM dictionary', () => {
    const dictionary = dcmjs.data.DicomMetaDictionary.dictionary;
    expect(new Set(BASIC_PROFILE.map((e) => e.tag)).size).toBe(BASIC_PROFILE.length);
    for (const e of BASIC_PROFILE) {
      expect(e.tag).toMatch(/^[0-9A-F]{8}$/);
      const d = dictionary[`(${e.tag.slice(0, 4)},${e.tag.slice(4)})`];
      expect(d, e.keyword).toBeDefined();
      expect(d?.name.replace(/^RETIRED_/, ''), e.tag).toBe(e.keyword);
      expect(d?.vr, e.keyword).toBe(e.vr);
    }
    expect(BASIC_PROFILE.length).toBeGreaterThan(300);
  });

  it('lists the identifying attributes of Table E.1-1', () => {
    const byKeyword = new Map(BASIC_PROFILE.map((e) => [e.keyword, e]));
    const expected: Record<string, string> = {
      PatientName: 'Z',
      PatientID: 'Z',
      PatientBirthDate: 'Z',
      PatientSex: 'Z',
      PatientAge: 'X',
      PatientSize: 'X',
      PatientWeight: 'X',
      PatientAddress: 'X',
      PatientTelephoneNumbers: 'X',
      PatientComments: 'X',
      OtherPatientIDs: 'X',
      OtherPatientNames: 'X',
      OtherPatientIDsSequence: 'X',
      PatientBirthName: 'X',
      PatientMotherBirthName: 'X',
      EthnicGroup: 'X',
      InstitutionName: 'X',
      InstitutionAddress: 'X',
      InstitutionalDepartmentName: 'X',
      ReferringPhysicianName: 'Z',
      PerformingPhysicianName: 'X',
      NameOfPhysiciansReadingStudy: 'X',
      OperatorsName: 'X',
      AccessionNumber: 'Z',
      StudyID: 'Z',
      StudyDate: 'Z',
      StudyTime: 'Z',
      SeriesDate: 'X',
      AcquisitionDate: 'X',
      ContentDate: 'D',
      StudyDescription: 'X',
      SeriesDescription: 'X',
      ImageComments: 'X',
      DeviceSerialNumber: 'D', // X/Z/D, Type 1 in the Enhanced General Equipment module (segmentations)
      StationName: 'X',
      StudyInstanceUID: 'U',
      SeriesInstanceUID: 'U',
      SOPInstanceUID: 'U',
      FrameOfReferenceUID: 'U',
      ReferencedSOPInstanceUID: 'U',
      SynchronizationFrameOfReferenceUID: 'U',
      RequestAttributesSequence: 'X',
      ReferencedPatientSequence: 'X',
      ReferencedImageSequence: 'X',
      SourceImageSequence: 'X',
      ContentSequence: 'D',
      VerifyingObserverName: 'D',
    };
    for (const [keyword, action] of Object.entries(expected)) expect(byKeyword.get(keyword)?.action, keyword).toBe(action);
    expect(byKeyword.get('ReferencedImageSequence')?.nestedAction).toBe('U');
  });

  it('resolves combined action codes to the stricter action, D where Type 1', () => {
    expect(resolveAction('X/Z/D')).toBe('X');
    expect(resolveAction('X/Z')).toBe('X');
    expect(resolveAction('X/D')).toBe('X');
    expect(resolveAction('Z/D')).toBe('Z');
    expect(resolveAction('Z/D', true)).toBe('D');
    expect(resolveAction('X/Z/U*')).toBe('X');
    expect(resolveAction('U')).toBe('U');
    expect(resolveAction('D')).toBe('D');
    expect(() => resolveAction('Q')).toThrow();
  });

  it('remaps only UIDs (every U row is UI, every UI row is U but where the table says otherwise), never SOP Class UIDs', () => {
    for (const e of BASIC_PROFILE) {
      if (e.action === 'U') expect(e.vr, e.keyword).toBe('UI');
      if (e.vr === 'UI') expect(e.action, e.keyword).toBe(e.code === 'U' ? 'U' : e.code);
    }
    expect(PROFILE_BY_TAG.get('00001000')?.action).toBe('X'); // Affected SOP Instance UID (a command element)
    expect(PROFILE_BY_TAG.get('006A0003')?.action).toBe('D'); // Annotation Group UID
    expect(PROFILE_BY_TAG.get('00080016')).toBeUndefined(); // SOP Class UID
    expect(PROFILE_BY_TAG.get('00081150')).toBeUndefined(); // Referenced SOP Class UID
    expect(PROFILE_BY_TAG.get('00020010')).toBeUndefined(); // Transfer Syntax UID
  });

  it('marks dates and times (not the birth date) and the patient characteristics', () => {
    const temporal = new Set(BASIC_PROFILE.filter((e) => e.temporal).map((e) => e.keyword));
    for (const k of ['StudyDate', 'StudyTime', 'SeriesDate', 'AcquisitionDateTime', 'ContentDate', 'InstanceCreationDate']) {
      expect(temporal.has(k), k).toBe(true);
    }
    expect(temporal.has('PatientBirthDate')).toBe(false);
    expect(temporal.has('PatientBirthTime')).toBe(false);
    expect(temporal.has('PatientName')).toBe(false);
    for (const e of BASIC_PROFILE) if (e.temporal) expect(['DA', 'TM', 'DT'], e.keyword).toContain(e.vr);

    const pc = BASIC_PROFILE.filter((e) => e.patientCharacteristic).map((e) => e.keyword).sort();
    expect(pc).toEqual(
      ['EthnicGroup', 'PatientAge', 'PatientSex', 'PatientSexNeutered', 'PatientSize', 'PatientWeight', 'PregnancyStatus', 'SelectorASValue', 'SmokingStatus'].sort(),
    );
  });
});

describe('date shift', () => {
  it('moves DA values across month, year and leap-day boundaries', () => {
    expect(shiftDate('20040119', 10)).toBe('20040129');
    expect(shiftDate('19970430', 10)).toBe('19970510');
    expect(shiftDate('20231231', 1)).toBe('20240101');
    expect(shiftDate('20240105', -10)).toBe('20231226');
    expect(shiftDate('20240301', -1)).toBe('20240229');
    expect(shiftDate('20230301', -1)).toBe('20230228');
    expect(shiftDate('20000131', 30)).toBe('20000301');
    expect(shiftDate('19991231', 366)).toBe('20001231');
    expect(shiftDate('20040119', -3652)).toBe('19940119'); // ten years, two leap days
    expect(shiftDate('20040119', 0)).toBe('20040119');
    expect(shiftDate('00500101', 1)).toBe('00500102'); // years below 100 are not read as 19xx
    expect(shiftDate('1997.04.30', 1)).toBe('19970501'); // the old ACR-NEMA form
  });

  it('rejects what is not a full valid date', () => {
    expect(shiftDate('20230230', 1)).toBeUndefined();
    expect(shiftDate('20231301', 1)).toBeUndefined();
    expect(shiftDate('2023', 1)).toBeUndefined();
    expect(shiftDate('', 1)).toBeUndefined();
    expect(shiftDate('20230101', 1.5)).toBeUndefined();
  });

  it('moves the date part of DT values and keeps time and offset', () => {
    expect(shiftDateTime('20231231235959.123456+0100', 1)).toBe('20240101235959.123456+0100');
    expect(shiftDateTime('20040119', 10)).toBe('20040129');
    expect(shiftDateTime('20040119072730', -19)).toBe('20031231072730');
    expect(shiftDateTime('2004', 1)).toBeUndefined();
  });
});

describe('UidMap', () => {
  it('maps each original to one new 2.25 UID, consistently', () => {
    const uids = new UidMap();
    const a = uids.remap('1.2.3.4');
    expect(a).toMatch(/^2\.25\.[1-9]\d*$/);
    expect(a.length).toBeLessThanOrEqual(64);
    expect(uids.remap('1.2.3.4')).toBe(a);
    expect(uids.remap('1.2.3.4\0')).toBe(a);
    expect(uids.lookup('1.2.3.4')).toBe(a);
    const b = uids.remap('1.2.3.5');
    expect(b).not.toBe(a);
    expect(uids.size).toBe(2);
    expect([...uids.entries()]).toEqual([
      ['1.2.3.4', a],
      ['1.2.3.5', b],
    ]);
    expect(new UidMap().remap('1.2.3.4')).not.toBe(a); // another session, other UIDs
  });

  it('leaves DICOM-defined and empty UIDs alone', () => {
    const uids = new UidMap();
    expect(uids.remap('1.2.840.10008.5.1.4.1.1.2')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(uids.remap('1.2.840.10008.15.1.1')).toBe('1.2.840.10008.15.1.1');
    expect(uids.remap('')).toBe('');
    expect(uids.size).toBe(0);
    expect(uids.lookup('1.2.3')).toBeUndefined();
  });

  it('builds the UID from 128 random bits as a version 4 UUID', () => {
    const zeros = newUid((b) => b.fill(0));
    expect(zeros).toBe(`2.25.${((0x40n << 72n) | (0x80n << 56n)).toString()}`);
    const ones = newUid((b) => b.fill(0xff));
    const max = (1n << 128n) - 1n;
    const expected = max & ~(0xb0n << 72n) & ~(0x40n << 56n);
    expect(ones).toBe(`2.25.${expected.toString()}`);
    expect(ones.length).toBeLessThanOrEqual(64);
    for (let i = 0; i < 50; i++) expect(newUid()).toMatch(/^2\.25\.[1-9]\d{0,38}$/);
  });
});

describe('burnedInAnnotationWarning', () => {
  const ds = (values: Record<string, string>): DicomDataset =>
    Object.fromEntries(Object.entries(values).map(([t, v]) => [t, { vr: t === '00080016' ? 'UI' : 'CS', Value: [v] }]));

  it('warns when Burned In Annotation is YES, naming the modality', () => {
    const w = burnedInAnnotationWarning(ds({ '00080060': 'CT', '00280301': 'YES' }));
    expect(w).toMatch(/YES/);
    expect(w).toMatch(/CT/);
  });

  it('warns when it is not stated for modalities that burn text in', () => {
    for (const m of ['US', 'XA', 'RF', 'ES']) expect(burnedInAnnotationWarning(ds({ '00080060': m })), m).toMatch(new RegExp(`\\b${m}\\b`));
    expect(burnedInAnnotationWarning(ds({ '00080060': 'OT', '00080016': '1.2.840.10008.5.1.4.1.1.7' }))).toMatch(/secondary capture/);
    expect(burnedInAnnotationWarning(ds({ '00080060': 'OT', '00080016': '1.2.840.10008.5.1.4.1.1.7.4' }))).toMatch(/secondary capture/);
    expect(burnedInAnnotationWarning(ds({ '00080016': '1.2.840.10008.5.1.4.1.1.77.1.1.1' }))).toMatch(/video/);
    expect(burnedInAnnotationWarning(ds({ '00080060': 'US', '00280301': 'UNKNOWN' }))).toMatch(/US/);
  });

  it('is silent for NO, and for other modalities when not stated', () => {
    expect(burnedInAnnotationWarning(ds({ '00080060': 'US', '00280301': 'NO' }))).toBeUndefined();
    expect(burnedInAnnotationWarning(ds({ '00080060': 'CT' }))).toBeUndefined();
    expect(burnedInAnnotationWarning(ds({ '00080060': 'MR', '00080016': '1.2.840.10008.5.1.4.1.1.4' }))).toBeUndefined();
    expect(burnedInAnnotationWarning({})).toBeUndefined();
  });
});

describe.skipIf(!haveFiles)('deidentify (real files)', () => {
  const run = (instance: Instance, options: DeidOptions = {}, uids = new UidMap()): DeidResult & { uids: UidMap } => ({
    ...deidentify(instance.dict, instance.meta, options, uids),
    uids,
  });

  it('applies the table attribute by attribute to real files', () => {
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'liver_1frame.dcm', 'test-SR.dcm', 'reportsi.dcm', 'rtplan.dcm', 'rtdose.dcm', 'JPEG2000.dcm']) {
      const input = load(name);
      const res = run(input);
      const met = checkProfileApplied(input.dict, res.dict, { uids: res.uids });
      expect(met, name).toBeGreaterThan(5);
      expect(privateTags(res.dict), name).toEqual([]);
    }
  });

  it('applies every table attribute, at the top level and nested, to a dataset holding all of them', () => {
    const input = kitchenSink(load('CT_small.dcm'));
    for (const e of BASIC_PROFILE) expect(input.dict[e.tag], e.keyword).toBeDefined();
    const res = run(input);
    const met = checkProfileApplied(input.dict, res.dict, { uids: res.uids });
    expect(met).toBeGreaterThanOrEqual(BASIC_PROFILE.length);
    expect(privateTags(res.dict)).toEqual([]);
    // spot checks with literal values
    expect(res.dict['00080080']).toBeUndefined(); // InstitutionName X
    expect(res.dict['00101002']).toBeUndefined(); // OtherPatientIDsSequence X
    expect(res.dict['00400275']).toBeUndefined(); // RequestAttributesSequence X
    expect(res.dict['00081120']).toBeUndefined(); // ReferencedPatientSequence X
    expect(res.dict['00081140']).toBeUndefined(); // ReferencedImageSequence X at the top level
    expect(vals(res.dict['00080020'])).toEqual([]); // StudyDate Z
    expect(vals(res.dict['00100030'])).toEqual([]); // PatientBirthDate Z
    expect(vals(res.dict['00080023'])).toEqual(['19000101']); // ContentDate D
    expect(vals(res.dict['00080033'])).toEqual(['000000']); // ContentTime D
    expect(vals(res.dict['0040A075'])).toEqual([{ Alphabetic: 'ANONYMOUS' }]); // VerifyingObserverName D
    expect(vals(res.dict['00120010'])).toEqual(['ANONYMOUS']); // ClinicalTrialSponsorName D
    const person = items(res.dict, '00401101')[0]; // PersonIdentificationCodeSequence D: its code is a dummy
    expect(str(person, '00080100')).toBe('ANONYMOUS');
    expect(str(person, '00080104')).toBe('ANONYMOUS');
    expect(str(person, '00081150')).toBe('1.2.840.10008.5.1.4.1.1.2');
    // nested: reference sequences inside a kept structure stay, with their instance UIDs replaced
    const series = items(res.dict, '00081115')[0];
    const nestedRef = items(series, '00081140')[0];
    expect(str(nestedRef, '00081155')).toBe(res.uids.lookup('1.2.826.0.1.3680043.98.1001'));
    expect(str(nestedRef, '00081150')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(vals(el(nestedRef, '00100010'))).toEqual([]); // a nested Patient's Name is emptied too (Z)
    expect(el(nestedRef, '00091001')).toBeUndefined(); // nested private data removed
    expect(el(series, '00080021')).toBeUndefined(); // nested SeriesDate removed (X)
    // curves and overlays gone
    for (const t of ['50003000', '60000010', '60003000', '60004000']) expect(res.dict[t], t).toBeUndefined();
    // the output is a valid Part 10 file
    const back = roundTrip(res);
    expect(str(back.dict, '00080018')).toBe(str(res.dict, '00080018'));
  });

  it('keeps pixel data byte for byte and the image pixel and geometry attributes', () => {
    for (const name of ['CT_small.dcm', 'MR_small.dcm', 'MR_small_bigendian.dcm', 'JPEG2000.dcm']) {
      const input = load(name);
      const res = run(input, { shiftDatesByDays: 30, keepPatientCharacteristics: true });
      const back = roundTrip(res);
      expect(bytes(back.dict['7FE00010']), name).toEqual(bytes(input.dict['7FE00010']));
      for (const tag of ['00280002', '00280004', '00280010', '00280011', '00280030', '00280100', '00280101', '00280102', '00280103', '00180050', '00200032', '00200037', '00281052', '00281053', '00280008']) {
        if (input.dict[tag]) expect(vals(back.dict[tag]), `${name} ${tag}`).toEqual(vals(input.dict[tag]));
      }
      expect(str(back.dict, '00080016'), name).toBe(str(input.dict, '00080016'));
      expect(str(back.meta, '00020010'), name).toBe(str(input.meta, '00020010'));
    }
  });

  it('replaces the patient with the pseudonyms and records the method', () => {
    const input = load('CT_small.dcm');
    expect(vals(input.dict['00100010'])).toEqual([{ Alphabetic: 'CompressedSamples^CT1' }]);
    const res = run(input);
    expect(vals(res.dict['00100010'])).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
    expect(vals(res.dict['00100020'])).toEqual(['ANON']);
    const named = run(input, { patientName: 'Case^042', patientId: 'CASE042' });
    expect(vals(named.dict['00100010'])).toEqual([{ Alphabetic: 'Case^042' }]);
    expect(vals(named.dict['00100020'])).toEqual(['CASE042']);

    const back = roundTrip(res);
    expect(str(back.dict, '00120062')).toBe('YES');
    expect(vals(back.dict['00120063'])).toEqual(['Basic Application Confidentiality Profile']);
    const codes = items(back.dict, '00120064');
    expect(codes.map((c) => [str(c, '00080100'), str(c, '00080102'), str(c, '00080104')])).toEqual([
      ['113100', 'DCM', 'Basic Application Confidentiality Profile'],
    ]);
    expect(back.dict['00280303']).toBeUndefined();
    // nothing of the patient left anywhere in the written file
    const text = new TextDecoder('latin1').decode(write(res));
    for (const secret of ['CompressedSamples', '1CT1', 'JFK IMAGING', 'CT01_OC0', 'ABCD1234', '20040119', '1.3.6.1.4.1.5962.1.2.1']) {
      expect(text.includes(secret), secret).toBe(false);
    }
  });

  it('records the options in the code sequence and the method', () => {
    const res = run(load('CT_small.dcm'), { shiftDatesByDays: 10, keepPatientCharacteristics: true });
    const back = roundTrip(res);
    const codes = items(back.dict, '00120064').map((c) => [str(c, '00080100'), str(c, '00080102'), str(c, '00080104')]);
    expect(codes).toEqual([
      ['113100', 'DCM', 'Basic Application Confidentiality Profile'],
      ['113107', 'DCM', 'Retain Longitudinal Temporal Information Modified Dates Option'],
      ['113108', 'DCM', 'Retain Patient Characteristics Option'],
    ]);
    expect(vals(back.dict['00120063'])).toEqual([
      DEID_CODES.basicProfile.meaning,
      DEID_CODES.retainLongitudinalModifiedDates.meaning,
      DEID_CODES.retainPatientCharacteristics.meaning,
    ]);
    expect(str(back.dict, '00280303')).toBe('MODIFIED');
  });

  it('records a shift by 0 days as the Full Dates Option, with the dates unmodified', () => {
    const input = load('CT_small.dcm');
    const back = roundTrip(run(input, { shiftDatesByDays: 0 }));
    expect(items(back.dict, '00120064').map((c) => str(c, '00080100'))).toEqual(['113100', '113106']);
    expect(vals(back.dict['00120063'])).toEqual([DEID_CODES.basicProfile.meaning, DEID_CODES.retainLongitudinalFullDates.meaning]);
    expect(str(back.dict, '00280303')).toBe('UNMODIFIED');
    expect(str(back.dict, '00080020')).toBe('20040119');
  });

  it('lists exactly the options applied, never one it does not implement', () => {
    const all = [{}, { shiftDatesByDays: 3 }, { shiftDatesByDays: 0 }, { keepPatientCharacteristics: true }, { shiftDatesByDays: -1, keepPatientCharacteristics: true }];
    for (const options of all) {
      const back = roundTrip(run(load('CT_small.dcm'), options));
      const codes = items(back.dict, '00120064').map((c) => str(c, '00080100'));
      expect(codes).toEqual(deidMethods(options).map((m) => m.value));
      expect(vals(back.dict['00120063'])).toEqual(deidMethods(options).map((m) => m.meaning));
      expect(codes[0]).toBe('113100');
      for (const notDone of ['113101', '113102', '113103', '113104', '113105', '113109', '113110', '113111']) expect(codes).not.toContain(notDone);
    }
  });

  it('shifts dates by the given days across month and year boundaries, keeping times', () => {
    const input = load('CT_small.dcm');
    expect(str(input.dict, '00080020')).toBe('20040119');
    expect(str(input.dict, '00080021')).toBe('19970430');
    const later = roundTrip(run(input, { shiftDatesByDays: 10 }));
    expect(str(later.dict, '00080020')).toBe('20040129'); // StudyDate
    expect(str(later.dict, '00080021')).toBe('19970510'); // SeriesDate, across the month
    expect(str(later.dict, '00080022')).toBe('19970510'); // AcquisitionDate
    expect(str(later.dict, '00080012')).toBe('20040129'); // InstanceCreationDate
    expect(str(later.dict, '00080030')).toBe('072730'); // StudyTime kept
    expect(str(later.dict, '00080032')).toBe('112936'); // AcquisitionTime kept
    const earlier = roundTrip(run(input, { shiftDatesByDays: -19 }));
    expect(str(earlier.dict, '00080020')).toBe('20031231'); // across the year
    expect(str(earlier.dict, '00080021')).toBe('19970411');

    const sink = kitchenSink(input);
    const uids = new UidMap();
    const res = deidentify(sink.dict, sink.meta, { shiftDatesByDays: 10 }, uids);
    checkProfileApplied(sink.dict, res.dict, { uids, shift: 10 });
    expect(vals(res.dict['00100030'])).toEqual([]); // the birth date is not kept
    expect(str(res.dict, '0008002A')).toBe('20230425101530'); // AcquisitionDateTime: date part shifted
    expect(str(res.dict, '00080031')).toBe('101530'); // SeriesTime kept
    expect(str(items(res.dict, '00081115')[0], '00080021')).toBe('20230426'); // nested dates shifted as well
  });

  it('without the option, removes or empties dates as the table says', () => {
    const input = load('CT_small.dcm');
    input.dict['00280303'] = { vr: 'CS', Value: ['UNMODIFIED'] };
    const res = run(input);
    expect(vals(res.dict['00080020'])).toEqual([]); // StudyDate Z
    expect(vals(res.dict['00080030'])).toEqual([]); // StudyTime Z
    expect(res.dict['00080021']).toBeUndefined(); // SeriesDate X
    expect(res.dict['00080012']).toBeUndefined(); // InstanceCreationDate X
    expect(vals(res.dict['00080023'])).toEqual(['19000101']); // ContentDate D
    expect(str(res.dict, '00280303')).toBe('REMOVED');
  });

  it('keeps patient characteristics only with the option', () => {
    const input = load('CT_small.dcm');
    expect(str(input.dict, '00100040')).toBe('O');
    expect(str(input.dict, '00101010')).toBe('000Y');
    const without = run(input);
    expect(isEmptyValue(without.dict['00100040'])).toBe(true); // PatientSex Z
    expect(without.dict['00101010']).toBeUndefined(); // PatientAge X
    expect(without.dict['00101030']).toBeUndefined(); // PatientWeight X
    const withPc = run(input, { keepPatientCharacteristics: true });
    expect(str(withPc.dict, '00100040')).toBe('O');
    expect(str(withPc.dict, '00101010')).toBe('000Y');
    expect(vals(withPc.dict['00101030'])).toEqual(vals(input.dict['00101030']));
    expect(withPc.dict['00101002']).toBeUndefined(); // other identifiers still go

    const sink = kitchenSink(input);
    const uids = new UidMap();
    const res = deidentify(sink.dict, sink.meta, { keepPatientCharacteristics: true }, uids);
    checkProfileApplied(sink.dict, res.dict, { uids, keepPc: true });
    for (const tag of ['00100040', '00101010', '00101020', '00101030', '00102160', '001021A0', '001021C0', '00102203']) {
      expect(vals(res.dict[tag]), tag).toEqual(vals(sink.dict[tag]));
    }
    expect(res.dict['001021B0']).toBeUndefined(); // AdditionalPatientHistory: not kept (cleaning not implemented)
  });

  it('gives two instances of one series the same new study, series and frame of reference UIDs', () => {
    const first = load('CT_small.dcm');
    const second = clone(first);
    setValue(second.dict, '00080018', 'UI', ['1.3.6.1.4.1.5962.1.1.1.1.2.20040119072730.12322']);
    setValue(second.dict, '00200013', 'IS', [2]);
    second.meta['00020003'] = { vr: 'UI', Value: ['1.3.6.1.4.1.5962.1.1.1.1.2.20040119072730.12322'] };
    const uids = new UidMap();
    const a = deidentify(first.dict, first.meta, {}, uids);
    const b = deidentify(second.dict, second.meta, {}, uids);
    for (const tag of ['0020000D', '0020000E', '00200052']) {
      expect(str(a.dict, tag), tag).toBe(str(b.dict, tag));
      expect(str(a.dict, tag), tag).not.toBe(str(first.dict, tag));
      expect(str(a.dict, tag), tag).toMatch(/^2\.25\./);
      expect(uids.lookup(str(first.dict, tag) ?? ''), tag).toBe(str(a.dict, tag));
    }
    expect(str(a.dict, '00080018')).not.toBe(str(b.dict, '00080018'));
    expect(str(a.meta, '00020003')).toBe(str(a.dict, '00080018'));
    expect(str(b.meta, '00020003')).toBe(str(b.dict, '00080018'));
    expect(str(a.meta, '00020002')).toBe('1.2.840.10008.5.1.4.1.1.2');
    expect(a.meta['00020016']).toBeUndefined(); // Source AE Title (a station name) removed
    expect(str(a.dict, '00080016')).toBe('1.2.840.10008.5.1.4.1.1.2');

    // the same files through real readers: MR_small and its RLE copy are one instance
    const mr = load('MR_small.dcm');
    const mrRle = load('MR_small_RLE.dcm');
    const uids2 = new UidMap();
    const m1 = deidentify(mr.dict, mr.meta, {}, uids2);
    const m2 = deidentify(mrRle.dict, mrRle.meta, {}, uids2);
    for (const tag of ['0020000D', '0020000E', '00080018']) expect(str(m1.dict, tag), tag).toBe(str(m2.dict, tag));
    // another export session gives other UIDs
    const m3 = deidentify(mr.dict, mr.meta, {}, new UidMap());
    expect(str(m3.dict, '0020000D')).not.toBe(str(m1.dict, '0020000D'));
  });

  it('maps references inside sequences to the referenced instance’s own new UIDs', () => {
    const seg = load('liver_1frame.dcm');
    const refSeries = items(seg.dict, '00081115')[0];
    const refInstance = items(refSeries, '0008114A')[0];
    const referencedSop = str(refInstance, '00081155') ?? '';
    expect(referencedSop).toMatch(/^1\.2\.392\./);
    // the CT slice the segmentation was drawn on: same study, series and frame of reference as referenced
    const ct = clone(load('CT_small.dcm'));
    setValue(ct.dict, '00080018', 'UI', [referencedSop]);
    setValue(ct.dict, '0020000E', 'UI', [str(refSeries, '0020000E') ?? '']);
    setValue(ct.dict, '0020000D', 'UI', [str(seg.dict, '0020000D') ?? '']);
    setValue(ct.dict, '00200052', 'UI', [str(seg.dict, '00200052') ?? '']);

    const uids = new UidMap();
    const segOut = deidentify(seg.dict, seg.meta, {}, uids);
    const ctOut = deidentify(ct.dict, ct.meta, {}, uids);
    const newCtSop = str(ctOut.dict, '00080018');
    expect(newCtSop).toMatch(/^2\.25\./);

    const outSeries = items(segOut.dict, '00081115')[0];
    expect(str(outSeries, '0020000E')).toBe(str(ctOut.dict, '0020000E'));
    const outRefs = items(outSeries, '0008114A');
    expect(outRefs).toHaveLength(items(refSeries, '0008114A').length);
    expect(str(outRefs[0], '00081155')).toBe(newCtSop);
    expect(str(outRefs[0], '00081150')).toBe('1.2.840.10008.5.1.4.1.1.2'); // SOP Class kept
    expect(str(segOut.dict, '0020000D')).toBe(str(ctOut.dict, '0020000D'));
    expect(str(segOut.dict, '00200052')).toBe(str(ctOut.dict, '00200052'));
    expect(str(segOut.dict, '0020000E')).not.toBe(str(ctOut.dict, '0020000E')); // the SEG's own series

    // per-frame Derivation Image → Source Image Sequence (nested X/Z/U*): kept, UIDs replaced
    const frames = items(segOut.dict, '52009230');
    const inFrames = items(seg.dict, '52009230');
    expect(frames).toHaveLength(inFrames.length);
    frames.forEach((frame, i) => {
      const source = items(items(frame, '00089124')[0], '00082112')[0];
      const inSource = items(items(inFrames[i], '00089124')[0], '00082112')[0];
      expect(str(source, '00081155')).toBe(uids.lookup(str(inSource, '00081155') ?? ''));
    });
    const firstSource = items(items(frames.find((f) => str(items(items(f, '00089124')[0], '00082112')[0], '00081155') === newCtSop), '00089124')[0], '00082112');
    expect(firstSource).toHaveLength(1);
    // Dimension Organization UID: the same new UID in both places
    const dimOrg = str(items(segOut.dict, '00209221')[0], '00209164');
    expect(dimOrg).toMatch(/^2\.25\./);
    for (const index of items(segOut.dict, '00209222')) expect(str(index, '00209164')).toBe(dimOrg);

    // an SR's predecessor reference points to its (new) study
    const sr = load('test-SR.dcm');
    const srOut = deidentify(sr.dict, sr.meta, {}, uids);
    const predecessor = items(srOut.dict, '0040A360')[0];
    expect(str(predecessor, '0020000D')).toBe(str(srOut.dict, '0020000D'));
    expect(str(items(predecessor, '00081115')[0], '0020000E')).toBe(str(srOut.dict, '0020000E'));
  });

  // Table E.1-1 (2024b) says D for Content Sequence and Verifying Organization; the hand-typed table had X.
  it('handles a structured report: observers replaced, content replaced with dummies with a warning', () => {
    const sr = load('test-SR.dcm');
    const res = run(sr);
    const observers = items(res.dict, '0040A073');
    expect(observers).toHaveLength(2);
    for (const o of observers) {
      expect(vals(el(o, '0040A075'))).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
      expect(vals(el(o, '0040A030'))).toEqual(['19000101000000']);
      expect(vals(el(o, '0040A027'))).toEqual(['ANONYMOUS']);
      expect(vals(el(o, '0040A088'))).toEqual([]);
    }
    const content = items(res.dict, '0040A730');
    expect(content).toHaveLength(items(sr.dict, '0040A730').length);
    const first = content[0];
    expect(str(first, '0040A040')).toBe('UIDREF'); // the structure stays
    expect(str(items(first, '0040A043')[0], '00080104')).toBe('ANONYMOUS'); // its text does not
    expect(str(first, '0040A124')).toBe(res.uids.lookup('1.2.3.4.5'));
    const text = items(content[1], '0040A730')[0]; // a TEXT item keeps a (dummy) Text Value, so it stays valid
    expect(str(text, '0040A040')).toBe('TEXT');
    expect(str(text, '0040A160')).toBe('ANONYMOUS');
    expect(res.warnings.some((w) => /Content Sequence/.test(w))).toBe(true);
    const back = roundTrip(res);
    expect(items(back.dict, '0040A073')).toHaveLength(2);
  });

  it('warns about burned-in text for ultrasound and secondary captures, not for CT', () => {
    const us = load('ExplVR_BigEnd.dcm');
    expect(str(us.dict, '00080060')).toBe('US');
    expect(burnedInAnnotationWarning(us.dict)).toMatch(/US/);
    expect(run(us).warnings).toContain(burnedInAnnotationWarning(us.dict));
    const sc = load('SC_rgb_small_odd.dcm');
    expect(run(sc).warnings.some((w) => /secondary capture/.test(w))).toBe(true);
    expect(run(load('CT_small.dcm')).warnings).toEqual([]);
    const marked = clone(load('CT_small.dcm'));
    setValue(marked.dict, '00280301', 'CS', ['YES']);
    expect(run(marked).warnings.some((w) => /YES/.test(w) && /CT/.test(w))).toBe(true);
    // warnings never carry attribute values
    for (const w of run(marked).warnings) expect(w).not.toMatch(/CompressedSamples|1CT1|JFK/);
  });

  it('removes attributes the table does not list in the patient, Exif/GPS, request, visit, specimen and label groups', () => {
    const input = clone(load('CT_small.dcm'));
    const outside: [string, string, unknown[]][] = [
      ['00102201', 'LO', ['Canis familiaris, owned by Jane Doe']], // PatientSpeciesDescription
      ['00100212', 'UC', ['Strain of lab 12']], // StrainDescription
      ['00160003', 'UT', ['Battery 12%']], // BatteryLevel (Exif)
      ['00160005', 'DS', [2.8]], // FNumber (Exif)
      ['00321031', 'SQ', [{ '00401101': { vr: 'SQ', Value: [] }, '00401104': { vr: 'LT', Value: ['Dr Who'] } }]], // RequestingPhysicianIdentificationSequence
      ['00380016', 'LO', ['Ambulance from 12 High Street']], // RouteOfAdmissions
      ['00400560', 'SQ', [{ '00400551': { vr: 'LO', Value: ['S-123'] } }]], // SpecimenDescriptionSequence
      ['0040A370', 'SQ', [{ '00080050': { vr: 'SH', Value: ['ACC123'] } }]], // ReferencedRequestSequence
      ['0040A160', 'UT', ['Jane Doe said…']], // TextValue, outside an SR's content
      ['22000004', 'LT', ['Give to Jane Doe']], // MediaDisposition
    ];
    for (const [tag, vr, value] of outside) setValue(input.dict, tag, vr, value);
    setValue(input.dict, '00102210', 'CS', ['QUADRUPED']); // AnatomicalOrientationType: kept
    const mapping = { '00409224': { vr: 'FD', Value: [0] }, '00409225': { vr: 'FD', Value: [0.5] }, '00409210': { vr: 'SH', Value: ['ADC'] } };
    setValue(input.dict, '00409096', 'SQ', [mapping]); // RealWorldValueMappingSequence: kept
    // nested in a kept sequence too
    setValue(input.dict, '00081115', 'SQ', [{ '0020000E': { vr: 'UI', Value: ['1.2.3.4'] }, '00102201': { vr: 'LO', Value: ['nested'] } }]);
    const sink = roundTrip(input);
    const uids = new UidMap();
    const res = deidentify(sink.dict, sink.meta, { keepPatientCharacteristics: true }, uids);
    for (const [tag] of outside) expect(res.dict[tag], tag).toBeUndefined();
    expect(str(res.dict, '00102210')).toBe('QUADRUPED');
    expect(vals(items(res.dict, '00409096')[0]?.['00409225'])).toEqual([0.5]);
    expect(str(items(res.dict, '00409096')[0], '00409210')).toBe('ADC');
    expect(items(res.dict, '00081115')[0]?.['00102201']).toBeUndefined();
    expect(str(res.dict, '00100040')).toBe('O'); // a table row still follows the table (Patient's Sex, kept by the option)
    checkProfileApplied(sink.dict, res.dict, { uids, keepPc: true });
    const text = new TextDecoder('latin1').decode(write(res));
    for (const secret of ['Jane Doe', 'Dr Who', 'S-123', 'ACC123', 'High Street', 'Battery']) expect(text.includes(secret), secret).toBe(false);
  });

  it('does not modify its input', () => {
    const input = kitchenSink(load('CT_small.dcm'));
    const before = snapshot(input);
    run(input, { shiftDatesByDays: 5 });
    run(input);
    expect(snapshot(input)).toBe(before);
  });

  it('rejects a date shift that is not whole days', () => {
    const input = load('CT_small.dcm');
    expect(() => deidentify(input.dict, input.meta, { shiftDatesByDays: 0.5 }, new UidMap())).toThrow(RangeError);
  });
});

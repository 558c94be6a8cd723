// Launch requests from other systems (an EHR, a RIS): IHE Invoke Image Display (RAD-106) at /IHEInvokeImageDisplay,
// and the short forms /viewer?AccessionNumber=… and /studies?PatientID=…. Pure parsing and selection; resolving
// identifiers to studies is app/launch.ts. Patient IDs and accession numbers are PHI: they live in memory only.

import { IID_PATH, STUDIES_PATH, VIEWER_PATH } from '../routes';
import type { StudySummary } from './types';
import { isUid } from './uid';

/** An assigning authority of an HL7 CX identifier (component 4: namespace ID & universal ID & its type). */
export interface Issuer {
  namespaceId?: string;
  universalId?: string;
  universalIdType?: string;
}

export interface PatientIdentifier {
  id: string;
  issuer?: Issuer;
}

export type LaunchTarget =
  | { kind: 'studies'; studyUIDs: string[] }
  | { kind: 'accessions'; accessionNumbers: string[] }
  | {
      kind: 'patient';
      patient: PatientIdentifier;
      /** Inclusive bounds as DICOM date and time (YYYYMMDD, HHMMSS). */
      lower?: { date: string; time: string };
      upper?: { date: string; time: string };
      mostRecentResults?: number;
      modalities?: string[];
    };

export interface LaunchRequest {
  target: LaunchTarget;
  /** `&datasource=`; undefined for the deployment's default. */
  dataSource?: string;
  /** Which form it came in, for messages. */
  form: 'iid' | 'short';
  /** IID diagnosticQuality=true: images must reach the screen without lossy recompression on the way. */
  diagnosticQuality?: boolean;
}

export type ParsedLaunch = { ok: true; request: LaunchRequest } | { ok: false; error: string };

/** Whether this location is a launch request (and so holds identifiers that must leave the address bar). */
export function isLaunch(pathname: string, search: URLSearchParams): boolean {
  if (pathname === IID_PATH) return true;
  if (pathname === VIEWER_PATH) return has(search, 'AccessionNumber');
  if (pathname === STUDIES_PATH) return has(search, 'PatientID');
  return false;
}

/** Parameter names are matched without regard to case (systems differ: accessionNumber, AccessionNumber). */
function get(search: URLSearchParams, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const values = [...search].filter(([k]) => k.toLowerCase() === wanted).map(([, v]) => v);
  return values.length ? values.join(',') : undefined;
}
const has = (search: URLSearchParams, name: string) => get(search, name) !== undefined;

const list = (value: string) => [...new Set(value.split(',').map((v) => v.trim()).filter(Boolean))];

/** QIDO matching characters: a value holding one would match other studies (wildcards, list or escape). */
const MATCHING = /[*?\\,]/;
/** Longest value of the attributes matched: LO (Patient ID) 64, SH (Accession Number) 16 characters. */
const tooLong = (v: string, max: number) => v.length > max;

/**
 * An HL7 CX value (`ID^^^ISSUER`, the issuer `NS&UID&TYPE`) as sent by IID. The escape sequences of HL7 (\S\ \T\ …)
 * are decoded; a plain ID without `^` is taken as it is.
 */
export function parseCx(value: string): PatientIdentifier | undefined {
  const unescape = (s: string) => s.replace(/\\([FSTRE])\\/g, (_, c: string) => ({ F: '|', S: '^', T: '&', R: '~', E: '\\' })[c] ?? '');
  const components = value.split('^');
  const id = unescape(components[0] ?? '').trim();
  if (!id) return undefined;
  const authority = components[3];
  if (!authority?.trim()) return { id };
  const [ns, uid, type] = authority.split('&').map((s) => unescape(s).trim());
  const issuer: Issuer = { ...(ns ? { namespaceId: ns } : {}), ...(uid ? { universalId: uid } : {}), ...(type ? { universalIdType: type } : {}) };
  return Object.keys(issuer).length ? { id, issuer } : { id };
}

/** An XML dateTime or date (`2024-01-15`, `2024-01-15T08:30:00`, with fractions or a zone) as DICOM DA/TM. */
export function parseXmlDateTime(value: string, end: boolean): { date: string; time: string } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:\d{2})?$/.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s] = m;
  if (Number(mo) < 1 || Number(mo) > 12 || Number(d) < 1 || Number(d) > 31) return undefined;
  // A date alone bounds the whole day.
  const time = h === undefined ? (end ? '235959' : '000000') : `${h}${mi}${s ?? (end ? '59' : '00')}`;
  return { date: `${y}${mo}${d}`, time };
}

function fail(error: string): ParsedLaunch {
  return { ok: false, error };
}

const BOOLEAN = /^(true|false)$/i;

/**
 * The launch a location asks for, or why it cannot be honoured. `pathname` must satisfy isLaunch.
 * IID (RAD TF-2 Table 4.106.4.1.2-1): requestType STUDY with studyUID or accessionNumber (comma lists, not both),
 * or PATIENT with patientID (HL7 CX) and optional lowerDateTime, upperDateTime, mostRecentResults,
 * modalitiesInStudy; viewerType (absent or IHE_BIR), diagnosticQuality and keyImagesOnly (true/false).
 */
export function parseLaunch(pathname: string, search: URLSearchParams): ParsedLaunch {
  const dataSource = search.get('datasource')?.trim() || undefined;
  if (pathname === VIEWER_PATH) {
    if (has(search, 'StudyInstanceUIDs')) return fail('The link names both StudyInstanceUIDs and AccessionNumber: send one of them.');
    return accessions(get(search, 'AccessionNumber') ?? '', dataSource, 'short');
  }
  if (pathname === STUDIES_PATH) return patient(get(search, 'PatientID') ?? '', search, dataSource, 'short');

  const requestType = get(search, 'requestType')?.trim().toUpperCase();
  const viewerType = get(search, 'viewerType')?.trim();
  if (viewerType && viewerType !== 'IHE_BIR') {
    return fail(`viewerType "${viewerType}" is not offered here: this Image Display has one viewer (leave viewerType out, or send IHE_BIR).`);
  }
  for (const flag of ['diagnosticQuality', 'keyImagesOnly']) {
    const v = get(search, flag)?.trim();
    if (v !== undefined && !BOOLEAN.test(v)) return fail(`${flag} must be true or false, not "${v}".`);
  }
  if (/^true$/i.test(get(search, 'keyImagesOnly')?.trim() ?? '')) {
    return fail('keyImagesOnly=true is not offered: this viewer shows whole studies. Send keyImagesOnly=false or leave it out.');
  }
  const diagnosticQuality = /^true$/i.test(get(search, 'diagnosticQuality')?.trim() ?? '') ? { diagnosticQuality: true } : {};
  const parsed = iidTarget(requestType, search, dataSource);
  return parsed.ok ? { ok: true, request: { ...parsed.request, ...diagnosticQuality } } : parsed;
}

function iidTarget(requestType: string | undefined, search: URLSearchParams, dataSource: string | undefined): ParsedLaunch {
  if (requestType === 'STUDY') {
    const uids = get(search, 'studyUID');
    const numbers = get(search, 'accessionNumber');
    if (uids !== undefined && numbers !== undefined) return fail('A STUDY request names studyUID or accessionNumber, not both.');
    if (uids !== undefined) {
      const studyUIDs = list(uids);
      if (studyUIDs.length === 0) return fail('studyUID is empty.');
      const invalid = studyUIDs.filter((u) => !isUid(u));
      if (invalid.length) return fail(`studyUID holds ${invalid.length === 1 ? 'a value that is' : 'values that are'} not a DICOM UID.`);
      return { ok: true, request: { target: { kind: 'studies', studyUIDs }, dataSource, form: 'iid' } };
    }
    if (numbers !== undefined) return accessions(numbers, dataSource, 'iid');
    return fail('A STUDY request needs studyUID or accessionNumber.');
  }
  if (requestType === 'PATIENT') return patient(get(search, 'patientID') ?? '', search, dataSource, 'iid');
  if (!requestType) return fail('The request has no requestType: send requestType=STUDY or requestType=PATIENT.');
  return fail(`requestType "${get(search, 'requestType')}" is not supported: send STUDY or PATIENT.`);
}

function accessions(value: string, dataSource: string | undefined, form: LaunchRequest['form']): ParsedLaunch {
  const accessionNumbers = list(value);
  if (accessionNumbers.length === 0) return fail('The accession number is empty.');
  if (accessionNumbers.some((a) => MATCHING.test(a) || tooLong(a, 16))) {
    return fail('An accession number holds a wildcard or escape character (* ? \\) or is longer than 16 characters.');
  }
  return { ok: true, request: { target: { kind: 'accessions', accessionNumbers }, dataSource, form } };
}

function patient(value: string, search: URLSearchParams, dataSource: string | undefined, form: LaunchRequest['form']): ParsedLaunch {
  const parsed = parseCx(value);
  if (!parsed) return fail('The patient ID is empty.');
  if (MATCHING.test(parsed.id) || tooLong(parsed.id, 64)) {
    return fail('The patient ID holds a wildcard, list or escape character (* ? , \\) or is longer than 64 characters.');
  }
  const target: Extract<LaunchTarget, { kind: 'patient' }> = { kind: 'patient', patient: parsed };
  const bound = (name: string, end: boolean) => {
    const v = get(search, name)?.trim();
    if (!v) return { ok: true as const };
    const at = parseXmlDateTime(v, end);
    return at ? { ok: true as const, at } : { ok: false as const, error: `${name} must be an XML date or dateTime (2024-01-15 or 2024-01-15T08:30:00), not "${v}".` };
  };
  const lower = bound('lowerDateTime', false);
  if (!lower.ok) return fail(lower.error);
  const upper = bound('upperDateTime', true);
  if (!upper.ok) return fail(upper.error);
  if (lower.at) target.lower = lower.at;
  if (upper.at) target.upper = upper.at;
  const recent = get(search, 'mostRecentResults')?.trim();
  if (recent) {
    if (!/^\d+$/.test(recent) || Number(recent) < 1) return fail(`mostRecentResults must be a whole number from 1, not "${recent}".`);
    target.mostRecentResults = Number(recent);
  }
  const modalities = get(search, 'modalitiesInStudy');
  if (modalities) {
    const codes = list(modalities).map((m) => m.toUpperCase());
    if (codes.some((m) => !/^[A-Z0-9_]{1,16}$/.test(m))) return fail('modalitiesInStudy must be DICOM modality codes separated by commas (CT,MR).');
    target.modalities = codes;
  }
  return { ok: true, request: { target, dataSource, form } };
}

/**
 * Transfer syntaxes a data source may ask frames in (`requestTransferSyntaxUID`) that keep what the PACS stores: as
 * stored (`*`), uncompressed, RLE, JPEG lossless, JPEG-LS lossless, JPEG 2000 and HTJ2K lossless only.
 */
const LOSSLESS_REQUESTS = new Set([
  '*',
  '1.2.840.10008.1.2',
  '1.2.840.10008.1.2.1',
  '1.2.840.10008.1.2.1.99',
  '1.2.840.10008.1.2.2',
  '1.2.840.10008.1.2.5',
  '1.2.840.10008.1.2.4.57',
  '1.2.840.10008.1.2.4.70',
  '1.2.840.10008.1.2.4.80',
  '1.2.840.10008.1.2.4.90',
  '1.2.840.10008.1.2.4.92',
  '1.2.840.10008.1.2.4.201',
  '1.2.840.10008.1.2.4.202',
]);

/** Whether a source set to ask frames in this transfer syntax shows them at diagnostic quality (no lossy step). */
export function keepsDiagnosticQuality(requestTransferSyntaxUID: string): boolean {
  return LOSSLESS_REQUESTS.has(requestTransferSyntaxUID.trim());
}

/** Whether a study's Issuer of Patient ID (0010,0021) is the CX assigning authority (either of its IDs). */
export function issuerMatches(studyIssuer: string | undefined, issuer: Issuer | undefined): boolean {
  // The source does not say, or the request does not ask: the patient ID alone decides.
  if (!issuer || !studyIssuer?.trim()) return true;
  const v = studyIssuer.trim();
  return v === issuer.namespaceId || v === issuer.universalId;
}

const when = (s: StudySummary) => `${s.studyDate}${(s.studyTime || '').replace(/[^0-9]/g, '').padEnd(6, '0').slice(0, 6)}`;

/**
 * A patient request's studies among what the source found for the patient ID: the same ID exactly, the issuer when
 * both say one, inside the date bounds, with one of the modalities; newest first, the most recent N when asked.
 */
export function selectPatientStudies(found: StudySummary[], target: Extract<LaunchTarget, { kind: 'patient' }>): StudySummary[] {
  const lower = target.lower ? `${target.lower.date}${target.lower.time}` : undefined;
  const upper = target.upper ? `${target.upper.date}${target.upper.time}` : undefined;
  const wanted = target.modalities ? new Set(target.modalities) : undefined;
  const chosen = found
    .filter((s) => s.patientId === target.patient.id && issuerMatches(s.issuerOfPatientId, target.patient.issuer))
    .filter((s) => (!lower || (s.studyDate && when(s) >= lower)) && (!upper || (s.studyDate && when(s) <= upper)))
    .filter((s) => !wanted || s.modalities.some((m) => wanted.has(m.toUpperCase())))
    .sort((a, b) => when(b).localeCompare(when(a)));
  return target.mostRecentResults ? chosen.slice(0, target.mostRecentResults) : chosen;
}

/** A patient identifier as a person reads it: the ID and, when sent, its issuer. */
export function describePatient(p: PatientIdentifier): string {
  const issuer = p.issuer?.namespaceId ?? p.issuer?.universalId;
  return issuer ? `patient ID ${p.id} (issuer ${issuer})` : `patient ID ${p.id}`;
}

/** Accession numbers resolved so far: each with the studies that carry it. */
export interface AccessionMatch {
  accessionNumber: string;
  studies: StudySummary[];
}

export type AccessionOutcome =
  | { kind: 'open'; studyUIDs: string[] }
  | { kind: 'missing'; accessionNumber: string }
  | { kind: 'choose'; accessionNumber: string; studies: StudySummary[] };

/**
 * What several accession numbers open: every one must name exactly one study (the first current, the others as
 * priors); the first that names none is reported, the first that names several is offered to choose from.
 */
export function accessionOutcome(matches: AccessionMatch[]): AccessionOutcome {
  const missing = matches.find((m) => m.studies.length === 0);
  if (missing) return { kind: 'missing', accessionNumber: missing.accessionNumber };
  const ambiguous = matches.find((m) => m.studies.length > 1);
  if (ambiguous) return { kind: 'choose', accessionNumber: ambiguous.accessionNumber, studies: [...ambiguous.studies].sort((a, b) => when(b).localeCompare(when(a))) };
  return { kind: 'open', studyUIDs: [...new Set(matches.map((m) => m.studies[0]!.studyInstanceUID))] };
}

/** The matches once the reader has chosen `studyUID` for an ambiguous accession number. */
export function chooseStudy(matches: AccessionMatch[], accessionNumber: string, studyUID: string): AccessionMatch[] {
  return matches.map((m) => (m.accessionNumber === accessionNumber ? { ...m, studies: m.studies.filter((s) => s.studyInstanceUID === studyUID) } : m));
}

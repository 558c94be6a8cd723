import type { DicomJson } from '../dicom/json';
import { getString, getStrings } from '../dicom/json';
import { Tag } from '../dicom/tags';

/** Worklist filters, as the user typed them. Dates are YYYYMMDD. */
export interface StudyQuery {
  patientName?: string;
  patientId?: string;
  studyDateFrom?: string;
  studyDateTo?: string;
  modality?: string;
  accessionNumber?: string;
  description?: string;
  studyInstanceUID?: string;
  /**
   * `prefix` (default): the name starts with what was typed, family name first. `anywhere`: the typed words appear
   * in the name in that order, anywhere in it (the quick search).
   */
  nameMatch?: 'prefix' | 'anywhere';
  /**
   * The quick search: one text looked for in the patient name (any part), patient ID, accession number and study
   * description, each a query of its own with the other filters; the client merges the answers by study.
   */
  quick?: string;
}

export interface Paging {
  limit: number;
  offset: number;
}

export interface QidoCapabilities {
  qidoSupportsIncludeField: boolean;
  supportsFuzzyMatching: boolean;
  supportsWildcard: boolean;
}

/** Attributes the worklist shows beyond the QIDO-RS required study keys. */
export const STUDY_INCLUDE_FIELDS = [
  Tag.StudyDescription,
  Tag.ModalitiesInStudy,
  Tag.NumberOfStudyRelatedSeries,
  Tag.NumberOfStudyRelatedInstances,
  Tag.PatientBirthDate,
  Tag.PatientSex,
  Tag.ReferringPhysicianName,
  Tag.InstitutionName,
  Tag.IssuerOfPatientID,
];

export const SERIES_INCLUDE_FIELDS = [
  Tag.SeriesDescription,
  Tag.NumberOfSeriesRelatedInstances,
  Tag.BodyPartExamined,
  Tag.SeriesDate,
  Tag.SeriesTime,
];

const hasWildcard = (s: string) => /[*?]/.test(s);

/**
 * A substring match value (descriptions), unless the user wrote wildcards or the server has none. Spaces become
 * the single-character wildcard, which matches them on every server (see qidoQueryString).
 */
export function containsValue(value: string, caps: QidoCapabilities): string {
  const v = value.trim();
  if (!caps.supportsWildcard) return v;
  const spaced = v.replace(/\s+/g, '?');
  return hasWildcard(v) ? spaced : `*${spaced}*`;
}

/**
 * A patient-name match value from what a person types: "doe", "DOE^J", "doe, jane" or "doe jane" all become
 * family^given components, matched as a prefix.
 */
export function personNameValue(value: string, caps: QidoCapabilities, match: StudyQuery['nameMatch'] = 'prefix'): string {
  const v = value.trim();
  const parts = v.split(/[\^,\s]+/).filter(Boolean);
  if (!caps.supportsWildcard || hasWildcard(v)) return parts.join('^');
  // Anywhere: the words in order with any text around and between them (components, middle names, prefixes).
  return match === 'anywhere' ? `*${parts.join('*')}*` : `${parts.join('^')}*`;
}

/**
 * The queries a study query stands for: itself, or for a quick search one query per field searched, each with the
 * other filters. IDs and accession numbers match as typed (whole, unless the reader writes wildcards): they are
 * codes, and a part of one finds unrelated studies.
 */
export function expandQuickSearch(query: StudyQuery): StudyQuery[] {
  const { quick, ...rest } = query;
  const text = quick?.trim();
  if (!text) return [rest];
  // A field the reader also filled in keeps its own value: the quick text is looked for in the others.
  const free = (v: string | undefined) => !v?.trim();
  const queries: StudyQuery[] = [
    ...(free(rest.patientName) ? [{ ...rest, patientName: text, nameMatch: 'anywhere' as const }] : []),
    ...(free(rest.patientId) ? [{ ...rest, patientId: text }] : []),
    ...(free(rest.accessionNumber) ? [{ ...rest, accessionNumber: text }] : []),
    ...(free(rest.description) ? [{ ...rest, description: text }] : []),
  ];
  return queries.length ? queries : [rest];
}

/**
 * The query string of a QIDO request. Matching characters (* ? ^ ,) go unescaped: some servers (Orthanc 1.10's
 * DICOMweb plugin) do not percent-decode query values, so an escaped "^" or space would match nothing.
 */
export function qidoQueryString(params: URLSearchParams): string {
  const keep = (s: string) => encodeURIComponent(s).replace(/%(2A|3F|5E|2C)/gi, (m) => decodeURIComponent(m));
  return [...params].map(([k, v]) => `${encodeURIComponent(k)}=${keep(v)}`).join('&');
}

export function dateRange(from?: string, to?: string): string | undefined {
  if (!from && !to) return undefined;
  if (from && to && from === to) return from;
  return `${from ?? ''}-${to ?? ''}`;
}

/**
 * QIDO-RS query parameters for a study search. Asks for one row more than the page so the worklist knows
 * whether another page exists (QIDO has no total count).
 */
export function studySearchParams(query: StudyQuery, paging: Paging, caps: QidoCapabilities): URLSearchParams {
  const p = new URLSearchParams();
  const set = (key: string, value: string | undefined) => {
    if (value !== undefined && value.trim() !== '') p.set(key, value.trim());
  };
  if (query.patientName?.trim()) set('PatientName', personNameValue(query.patientName, caps, query.nameMatch));
  set('PatientID', query.patientId);
  set('StudyDate', dateRange(query.studyDateFrom, query.studyDateTo));
  set('ModalitiesInStudy', query.modality);
  set('AccessionNumber', query.accessionNumber);
  if (query.description?.trim()) set('StudyDescription', containsValue(query.description, caps));
  set('StudyInstanceUID', query.studyInstanceUID);
  if (caps.supportsFuzzyMatching && query.patientName?.trim()) p.set('fuzzymatching', 'true');
  if (caps.qidoSupportsIncludeField) p.set('includefield', STUDY_INCLUDE_FIELDS.join(','));
  p.set('limit', String(paging.limit + 1));
  if (paging.offset > 0) p.set('offset', String(paging.offset));
  return p;
}

// ---- QIDO matching in the browser, for static trees (which cannot filter) ----

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`, 'i');
}

/** Person-name matching as PACS usually do it: case-insensitive, `^` and spaces equivalent. */
function matchesName(pattern: string, name: string): boolean {
  const norm = (s: string) => s.replace(/\^/g, ' ').replace(/\s+/g, ' ').trim();
  return globToRegExp(norm(pattern)).test(norm(name));
}

function inDateRange(date: string, from?: string, to?: string): boolean {
  if (!date) return !from && !to;
  if (from && date < from) return false;
  if (to && date > to) return false;
  return true;
}

/**
 * Applies a study query to full study results, with the same semantics the live server request has (a quick search:
 * any of its queries).
 */
export function matchStudy(study: DicomJson, query: StudyQuery, caps: QidoCapabilities): boolean {
  if (query.quick?.trim()) return expandQuickSearch(query).some((q) => matchStudy(study, q, caps));
  if (query.patientName?.trim()) {
    if (!matchesName(personNameValue(query.patientName, caps, query.nameMatch), getString(study, Tag.PatientName))) return false;
  }
  if (query.patientId?.trim() && !globToRegExp(query.patientId.trim()).test(getString(study, Tag.PatientID))) {
    return false;
  }
  if (!inDateRange(getString(study, Tag.StudyDate), query.studyDateFrom, query.studyDateTo)) return false;
  if (query.modality?.trim()) {
    const wanted = query.modality.trim().toUpperCase();
    if (!getStrings(study, Tag.ModalitiesInStudy).some((m) => m.toUpperCase() === wanted)) return false;
  }
  if (
    query.accessionNumber?.trim() &&
    !globToRegExp(query.accessionNumber.trim()).test(getString(study, Tag.AccessionNumber))
  ) {
    return false;
  }
  if (query.description?.trim()) {
    const pattern = containsValue(query.description, caps);
    if (!globToRegExp(pattern).test(getString(study, Tag.StudyDescription))) return false;
  }
  if (query.studyInstanceUID?.trim() && getString(study, Tag.StudyInstanceUID) !== query.studyInstanceUID.trim()) {
    return false;
  }
  return true;
}

/** A wider search to offer when a query found nothing: the field and the value with wildcards. */
export interface WildcardSuggestion {
  field: 'quick' | 'patientName' | 'patientId' | 'accessionNumber';
  value: string;
  /** What the wider form matches, for the reader. */
  because: string;
}

/**
 * The wildcard form of what the reader typed, for an empty result: names match from the start of the family name
 * and IDs as typed, so `*doe*` or `12*` may find what `doe` or `12` did not. Undefined where the reader already
 * used wildcards or the source has none.
 */
export function wildcardSuggestion(query: StudyQuery, caps: QidoCapabilities): WildcardSuggestion | undefined {
  if (!caps.supportsWildcard) return undefined;
  const plain = (v: string | undefined): v is string => !!v?.trim() && !hasWildcard(v);
  if (plain(query.patientName)) {
    return { field: 'patientName', value: `*${query.patientName.trim()}*`, because: 'any part of the name' };
  }
  if (plain(query.quick)) {
    return { field: 'quick', value: `${query.quick.trim()}*`, because: 'patient IDs and accession numbers that start with it' };
  }
  if (plain(query.patientId)) return { field: 'patientId', value: `${query.patientId.trim()}*`, because: 'IDs that start with it' };
  if (plain(query.accessionNumber)) {
    return { field: 'accessionNumber', value: `${query.accessionNumber.trim()}*`, because: 'accession numbers that start with it' };
  }
  return undefined;
}

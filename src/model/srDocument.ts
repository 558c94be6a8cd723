// Any structured report (Basic Text, Enhanced, Comprehensive, Comprehensive 3D, Key Object Selection, …) as a typed
// tree the report reader shows as text: the document header and the content items, with the image references
// resolved to their series (from the evidence sequences). Pure: a DICOM JSON dataset in, plain data out.
import { getNumber, getNumbers, getPersonName, getSequence, getString, type DicomJson } from '../dicom/json';

/** A coded concept: (value, scheme, meaning). */
export interface Code {
  value: string;
  scheme: string;
  meaning: string;
}

/** An image or other object a content item refers to. */
export interface SrReference {
  sopClassUID: string;
  sopInstanceUID: string;
  /** 1-based frames when the reference names some (a multi-frame image). */
  frames: number[];
  /** From the evidence sequences; undefined when the document does not say where the object is. */
  studyInstanceUID?: string;
  seriesInstanceUID?: string;
}

interface NodeBase {
  /** The item's position in the tree, "1.2.3" (as by-reference relationships name it). */
  id: string;
  /** CONTAINS, HAS PROPERTIES, INFERRED FROM, HAS OBS CONTEXT…; '' for the root. */
  relationship: string;
  concept?: Code;
  children: SrNode[];
}

export type SrNode = NodeBase &
  (
    | { type: 'CONTAINER'; separate: boolean }
    | { type: 'TEXT'; text: string }
    | { type: 'CODE'; code?: Code }
    | { type: 'NUM'; value?: number; unit?: Code; qualifier?: Code; /** The value as written (DS), for display without rounding. */ text?: string }
    | { type: 'DATE'; value: string }
    | { type: 'TIME'; value: string }
    | { type: 'DATETIME'; value: string }
    | { type: 'PNAME'; value: string }
    | { type: 'UIDREF'; value: string }
    | { type: 'COMPOSITE' | 'IMAGE' | 'WAVEFORM'; reference?: SrReference }
    | { type: 'SCOORD'; graphicType: string; points: number[] }
    | { type: 'SCOORD3D'; graphicType: string; points: number[]; frameOfReferenceUID: string }
    | { type: 'TCOORD'; rangeType: string }
    | { type: 'REFERENCE'; target: string }
    | { type: 'OTHER'; valueType: string }
  );

/** A node without its position, relationship, concept and children: what one item's value type gives. */
type SrValue = SrNode extends infer N ? (N extends SrNode ? Omit<N, keyof NodeBase> : never) : never;

export interface SrObserver {
  name: string;
  organization: string;
  /** DICOM DT of the verification. */
  dateTime: string;
}

export interface SrDocument {
  /** The root container's concept (the document title). */
  title?: Code;
  sopClassUID: string;
  /** COMPLETE or PARTIAL ('' when the object has none, as Key Object Selections). */
  completion: string;
  /** VERIFIED or UNVERIFIED ('' when absent). */
  verification: string;
  /** PRELIMINARY or FINAL ('' when absent). */
  preliminary: string;
  verifiers: SrObserver[];
  /** Author observers (Author Observer Sequence): person names or device names. */
  authors: string[];
  contentDate: string;
  contentTime: string;
  /** TID of the root (ContentTemplateSequence), e.g. "1500", "2010". */
  template: string;
  root: SrNode;
  /** Items left out because the tree was deeper or larger than any real report. */
  truncated: boolean;
}

const T = {
  valueType: '0040A040',
  relationship: '0040A010',
  conceptName: '0040A043',
  conceptCode: '0040A168',
  content: '0040A730',
  continuity: '0040A050',
  text: '0040A160',
  date: '0040A121',
  time: '0040A122',
  dateTime: '0040A120',
  personName: '0040A123',
  uid: '0040A124',
  measuredValue: '0040A300',
  numericValue: '0040A30A',
  units: '004008EA',
  qualifier: '0040A301',
  referencedSop: '00081199',
  referencedSopClass: '00081150',
  referencedSopInstance: '00081155',
  referencedFrame: '00081160',
  graphicType: '00700023',
  graphicData: '00700022',
  frameOfReference: '30060024',
  rangeType: '0040A130',
  referencedContentItem: '0040DB73',
  template: '0040A504',
  templateId: '0040DB00',
  completion: '0040A491',
  verification: '0040A493',
  preliminary: '0040A496',
  verifyingObserver: '0040A073',
  verifyingObserverName: '0040A075',
  verifyingOrganization: '0040A027',
  verificationDateTime: '0040A030',
  authorObserver: '0040A078',
  contentDate: '00080023',
  contentTime: '00080033',
  sopClass: '00080016',
  evidence: '0040A375',
  pertinentEvidence: '0040A385',
  studyUid: '0020000D',
  referencedSeries: '00081115',
  seriesUid: '0020000E',
} as const;

/** More than any real report nests or holds: a hostile or broken file stops here (and says so). */
export const MAX_DEPTH = 40;
export const MAX_ITEMS = 20_000;

function codeOf(item: DicomJson | undefined): Code | undefined {
  if (!item) return undefined;
  const value = getString(item, '00080100') || getString(item, '00080119') || getString(item, '00080120');
  const meaning = getString(item, '00080104');
  if (!value && !meaning) return undefined;
  return { value: value.trim(), scheme: getString(item, '00080102').trim(), meaning: meaning.trim() };
}

const firstCode = (ds: DicomJson, tag: string) => codeOf(getSequence(ds, tag)[0]);

/** Where each referenced object lives, from the evidence sequences: SOP instance UID → study and series. */
function evidenceIndex(ds: DicomJson): Map<string, { study: string; series: string }> {
  const index = new Map<string, { study: string; series: string }>();
  for (const tag of [T.evidence, T.pertinentEvidence]) {
    for (const study of getSequence(ds, tag)) {
      const studyUid = getString(study, T.studyUid).trim();
      for (const series of getSequence(study, T.referencedSeries)) {
        const seriesUid = getString(series, T.seriesUid).trim();
        for (const sop of getSequence(series, T.referencedSop)) {
          const uid = getString(sop, T.referencedSopInstance).trim();
          if (uid && !index.has(uid)) index.set(uid, { study: studyUid, series: seriesUid });
        }
      }
    }
  }
  return index;
}

function referenceOf(item: DicomJson, where: Map<string, { study: string; series: string }>): SrReference | undefined {
  const sop = getSequence(item, T.referencedSop)[0];
  if (!sop) return undefined;
  const sopInstanceUID = getString(sop, T.referencedSopInstance).trim();
  const found = where.get(sopInstanceUID);
  return {
    sopClassUID: getString(sop, T.referencedSopClass).trim(),
    sopInstanceUID,
    frames: (getNumbers(sop, T.referencedFrame) ?? []).filter((f) => Number.isInteger(f) && f > 0),
    studyInstanceUID: found?.study || undefined,
    seriesInstanceUID: found?.series || undefined,
  };
}

/** The value of one content item (its children are read by the caller). */
function valueOf(item: DicomJson, where: Map<string, { study: string; series: string }>): SrValue {
  const valueType = getString(item, T.valueType).trim().toUpperCase();
  switch (valueType) {
    case 'CONTAINER':
      return { type: 'CONTAINER', separate: getString(item, T.continuity).trim() === 'SEPARATE' };
    case 'TEXT':
      return { type: 'TEXT', text: getString(item, T.text) };
    case 'CODE':
      return { type: 'CODE', code: firstCode(item, T.conceptCode) };
    case 'NUM': {
      const measured = getSequence(item, T.measuredValue)[0];
      const raw = measured ? getString(measured, T.numericValue).trim() : '';
      return {
        type: 'NUM',
        value: measured ? getNumber(measured, T.numericValue) : undefined,
        text: raw || undefined,
        unit: measured ? firstCode(measured, T.units) : undefined,
        qualifier: firstCode(item, T.qualifier),
      };
    }
    case 'DATE':
      return { type: 'DATE', value: getString(item, T.date).trim() };
    case 'TIME':
      return { type: 'TIME', value: getString(item, T.time).trim() };
    case 'DATETIME':
      return { type: 'DATETIME', value: getString(item, T.dateTime).trim() };
    case 'PNAME':
      return { type: 'PNAME', value: getPersonName(item, T.personName) };
    case 'UIDREF':
      return { type: 'UIDREF', value: getString(item, T.uid).trim() };
    case 'COMPOSITE':
    case 'IMAGE':
    case 'WAVEFORM':
      return { type: valueType, reference: referenceOf(item, where) };
    case 'SCOORD':
      return { type: 'SCOORD', graphicType: getString(item, T.graphicType).trim(), points: getNumbers(item, T.graphicData) ?? [] };
    case 'SCOORD3D':
      return {
        type: 'SCOORD3D',
        graphicType: getString(item, T.graphicType).trim(),
        points: getNumbers(item, T.graphicData) ?? [],
        frameOfReferenceUID: getString(item, T.frameOfReference).trim(),
      };
    case 'TCOORD':
      return { type: 'TCOORD', rangeType: getString(item, T.rangeType).trim() };
    default: {
      const target = getNumbers(item, T.referencedContentItem);
      if (!valueType && target) return { type: 'REFERENCE', target: target.join('.') };
      return { type: 'OTHER', valueType };
    }
  }
}

/**
 * Reads a structured report (the DICOM JSON of the whole instance, as parsed from its Part 10 file) into its header
 * and content tree. Throws when it is no SR document (no content tree at all).
 */
export function readSrDocument(ds: DicomJson): SrDocument {
  if (!getString(ds, T.valueType) && getSequence(ds, T.content).length === 0) {
    throw new Error('this object has no structured report content (no value type, no content sequence)');
  }
  const where = evidenceIndex(ds);
  let count = 0;
  let truncated = false;
  const read = (item: DicomJson, id: string, depth: number): SrNode => {
    count++;
    const base = { id, relationship: getString(item, T.relationship).trim().toUpperCase(), concept: firstCode(item, T.conceptName) };
    const children: SrNode[] = [];
    const items = getSequence(item, T.content);
    if (items.length > 0 && (depth >= MAX_DEPTH || count >= MAX_ITEMS)) truncated = true;
    else {
      items.forEach((child, i) => {
        if (count >= MAX_ITEMS) truncated = true;
        else children.push(read(child, `${id}.${i + 1}`, depth + 1));
      });
    }
    return { ...base, ...valueOf(item, where), children } as SrNode;
  };
  const root = read(ds, '1', 0);
  return {
    title: root.concept,
    sopClassUID: getString(ds, T.sopClass).trim(),
    completion: getString(ds, T.completion).trim().toUpperCase(),
    verification: getString(ds, T.verification).trim().toUpperCase(),
    preliminary: getString(ds, T.preliminary).trim().toUpperCase(),
    verifiers: getSequence(ds, T.verifyingObserver).map((v) => ({
      name: getPersonName(v, T.verifyingObserverName),
      organization: getString(v, T.verifyingOrganization).trim(),
      dateTime: getString(v, T.verificationDateTime).trim(),
    })),
    authors: getSequence(ds, T.authorObserver)
      .map((a) => getPersonName(a, '0040A123') || getString(a, '00181002').trim() || getString(a, '00080080').trim())
      .filter(Boolean),
    contentDate: getString(ds, T.contentDate).trim(),
    contentTime: getString(ds, T.contentTime).trim(),
    template: getString(getSequence(ds, T.template)[0] ?? {}, T.templateId).trim(),
    root: { ...root, relationship: '' },
    truncated,
  };
}

/**
 * A TID 1500 measurement report (its measurements go onto the images): the template says so, or the root concept
 * is (126000, DCM, "Imaging Measurement Report"), for writers that leave the template out. Works on the WADO-RS
 * metadata of the instance, which carries both.
 */
export function isMeasurementReport(ds: DicomJson): boolean {
  const template = getSequence(ds, T.template)[0];
  if (template && getString(template, T.templateId).trim() === '1500') return true;
  const title = firstCode(ds, T.conceptName);
  return title?.value === '126000' && title.scheme === 'DCM';
}

/** A numeric value's unit as a reader says it: the code's meaning, else the UCUM code ("1" and "no units" say nothing). */
export function unitText(unit: Code | undefined): string {
  if (!unit) return '';
  if (unit.scheme === 'UCUM' && (unit.value === '1' || unit.value === '{ratio}')) return '';
  if (/^no units$/i.test(unit.meaning)) return '';
  return unit.meaning || unit.value;
}

/** DA "YYYYMMDD" → "YYYY-MM-DD"; TM "HHMMSS.ffffff" → "HH:MM:SS"; DT → both with the offset. Other text stays as is. */
export function formatSrDate(da: string): string {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(da);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : da;
}

export function formatSrTime(tm: string): string {
  const m = /^(\d{2})(?::?(\d{2}))?(?::?(\d{2}))?/.exec(tm);
  if (!m) return tm;
  return [m[1], m[2] ?? '00', ...(m[3] ? [m[3]] : [])].join(':');
}

export function formatSrDateTime(dt: string): string {
  const m = /^(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?(?:\.\d+)?([+-]\d{4})?$/.exec(dt);
  if (!m) return dt;
  const date = [m[1], m[2], m[3]].filter(Boolean).join('-');
  const time = m[4] ? [m[4], m[5] ?? '00', ...(m[6] ? [m[6]] : [])].join(':') : '';
  const offset = m[7] ? ` ${m[7].slice(0, 3)}:${m[7].slice(3)}` : '';
  return `${date}${time ? ` ${time}` : ''}${offset}`;
}

/** What a Key Object Selection says: its title, the observer's notes and the objects it selects, in order. */
export interface KeyObjectSelection {
  title?: Code;
  notes: string[];
  references: SrReference[];
}

/** The KOS's selection (TID 2010): title, notes (TEXT items) and references (IMAGE/COMPOSITE/WAVEFORM items). */
export function keyObjectSelection(doc: SrDocument): KeyObjectSelection {
  const notes: string[] = [];
  const references: SrReference[] = [];
  const walk = (node: SrNode) => {
    if (node.type === 'TEXT' && node.text.trim()) notes.push(node.text);
    if ((node.type === 'IMAGE' || node.type === 'COMPOSITE' || node.type === 'WAVEFORM') && node.reference) references.push(node.reference);
    node.children.forEach(walk);
  };
  walk(doc.root);
  return { title: doc.title, notes, references };
}

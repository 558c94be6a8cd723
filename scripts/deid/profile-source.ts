// Reads the checked-in copy of DICOM PS3.15 Table E.1-1 (scripts/deid/data/, see SOURCE.md) and renders it as the
// TypeScript module src/deid/profile.generated.ts. The rendered rows are the standard's facts only (tag, keyword,
// VR, action codes); what this project does with them (combined codes, Type 1 rows, options) is code in
// src/deid/profile.ts. Used by generate-profile.ts and by the test that keeps the generated file current.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const DATA_DIR = path.join(ROOT, 'scripts/deid/data');
export const OUTPUT = path.join(ROOT, 'src/deid/profile.generated.ts');

/** The DICOM edition the data was generated from (scripts/deid/data/SOURCE.md). */
export const EDITION = '2024b';

/** Upstream option column → the short name used in the generated rows (PS3.15 Table E.1-1's option columns). */
export const OPTION_COLUMNS = {
  rtnSafePrivOpt: 'safePrivate',
  rtnUIDsOpt: 'uids',
  rtnDevIdOpt: 'deviceIdentity',
  rtnInstIdOpt: 'institutionIdentity',
  rtnPatCharsOpt: 'patientCharacteristics',
  rtnLongFullDatesOpt: 'fullDates',
  rtnLongModifDatesOpt: 'modifiedDates',
  cleanDescOpt: 'cleanDescriptors',
  cleanStructContOpt: 'cleanStructuredContent',
  cleanGraphOpt: 'cleanGraphics',
} as const;

type UpstreamOption = keyof typeof OPTION_COLUMNS;

/** One row of the upstream profile file, checked. */
export interface StandardRow {
  /** As upstream writes it: "(0008,0050)", or a pattern such as "(50XX,XXXX)". */
  readonly tag: string;
  readonly name: string;
  readonly basicProfile: string;
  readonly stdCompIOD: 'Y' | 'N';
  readonly options: Readonly<Partial<Record<UpstreamOption, 'K' | 'C'>>>;
}

export interface DictionaryRow {
  readonly keyword: string;
  readonly vr: string;
}

const BASIC_CODES = /^(?:[XZDUKC]\*?)(?:\/[XZDUKC]\*?)*$/;
const TAG = /^\(([0-9A-F]{4}),([0-9A-F]{4})\)$/;

function fail(message: string): never {
  throw new Error(`scripts/deid/data: ${message}`);
}

/** The profile rows, checked: an unknown column or value fails loudly, so a changed upstream format is noticed. */
export function parseProfileRows(json: unknown): StandardRow[] {
  if (!Array.isArray(json)) fail('the profile file is not an array');
  return json.map((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) fail(`row ${i} is not an object`);
    const r = raw as Record<string, unknown>;
    const { tag, name, basicProfile, stdCompIOD } = r;
    if (typeof tag !== 'string' || typeof name !== 'string') fail(`row ${i} has no tag or name`);
    if (typeof basicProfile !== 'string' || !BASIC_CODES.test(basicProfile)) fail(`${tag}: basicProfile ${String(basicProfile)}`);
    if (stdCompIOD !== 'Y' && stdCompIOD !== 'N') fail(`${tag}: stdCompIOD ${String(stdCompIOD)}`);
    const options: Partial<Record<UpstreamOption, 'K' | 'C'>> = {};
    for (const [key, value] of Object.entries(r)) {
      if (['tag', 'name', 'basicProfile', 'stdCompIOD', 'id'].includes(key)) continue;
      if (!(key in OPTION_COLUMNS)) fail(`${tag}: unknown column ${key}`);
      if (value !== 'K' && value !== 'C') fail(`${tag}: ${key} = ${String(value)}`);
      options[key as UpstreamOption] = value;
    }
    return { tag, name: name.replace(/\s+/g, ' ').trim(), basicProfile, stdCompIOD, options };
  });
}

/** "(0008,0050)" → "00080050"; undefined for a pattern row ("(50XX,XXXX)", private attributes). */
export function tagOf(row: Pick<StandardRow, 'tag'>): string | undefined {
  const m = TAG.exec(row.tag);
  return m ? `${m[1]}${m[2]}` : undefined;
}

/** PS3.6 keyword and VR by 8-hex-digit tag, from the attributes subset. */
export function parseDictionary(json: unknown): Map<string, DictionaryRow> {
  if (!Array.isArray(json)) fail('the attributes file is not an array');
  const out = new Map<string, DictionaryRow>();
  for (const raw of json as Record<string, unknown>[]) {
    const { tag, keyword, valueRepresentation } = raw;
    if (typeof tag !== 'string' || typeof keyword !== 'string' || typeof valueRepresentation !== 'string') fail(`attribute ${String(tag)}`);
    const m = TAG.exec(tag);
    if (!m) continue; // a repeating group ("(60XX,3000)"): the table's pattern rows need no keyword
    out.set(`${m[1]}${m[2]}`, { keyword, vr: valueRepresentation });
  }
  return out;
}

/** Command elements (group 0000) are defined in PS3.7, not in PS3.6's attributes file: their keyword and VR. Two
 * rows of the table; checked against dcmjs's dictionary by the unit test. */
const PS3_7_COMMAND_ELEMENTS: Readonly<Record<string, DictionaryRow>> = {
  '00001000': { keyword: 'AffectedSOPInstanceUID', vr: 'UI' },
  '00001001': { keyword: 'RequestedSOPInstanceUID', vr: 'UI' },
};

export interface ProfileData {
  readonly rows: readonly StandardRow[];
  readonly dictionary: ReadonlyMap<string, DictionaryRow>;
}

export function readProfileData(dir = DATA_DIR): ProfileData {
  const read = (name: string): unknown => JSON.parse(readFileSync(path.join(dir, name), 'utf8'));
  return {
    rows: parseProfileRows(read('confidentiality_profile_attributes.json')),
    dictionary: parseDictionary(read('attributes.subset.json')),
  };
}

function optionsLiteral(options: StandardRow['options']): string {
  const parts = (Object.keys(OPTION_COLUMNS) as UpstreamOption[])
    .filter((k) => options[k] !== undefined)
    .map((k) => `${OPTION_COLUMNS[k]}: '${options[k]}'`);
  return parts.length ? `{ ${parts.join(', ')} }` : '{}';
}

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The generated module's text. Rows in tag order; pattern rows (curves, overlays, private) apart. */
export function renderProfileModule({ rows, dictionary }: ProfileData): string {
  const tagged: { tag: string; row: StandardRow }[] = [];
  const patterns: StandardRow[] = [];
  for (const row of rows) {
    const tag = tagOf(row);
    if (tag) tagged.push({ tag, row });
    else patterns.push(row);
  }
  tagged.sort((a, b) => (a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0));
  const seen = new Set<string>();
  const lines = tagged.map(({ tag, row }) => {
    if (seen.has(tag)) fail(`${tag} is listed twice`);
    seen.add(tag);
    const dict = dictionary.get(tag) ?? PS3_7_COMMAND_ELEMENTS[tag];
    if (!dict) fail(`${tag} (${row.name}) has no keyword and VR`);
    const inIod = row.stdCompIOD === 'Y';
    return `  [${q(tag)}, ${q(dict.keyword)}, ${q(dict.vr)}, ${q(row.basicProfile)}, ${inIod}, ${optionsLiteral(row.options)}],`;
  });
  const patternLines = patterns.map(
    (row) => `  { tag: ${q(row.tag)}, name: ${q(row.name)}, basic: ${q(row.basicProfile)}, options: ${optionsLiteral(row.options)} },`,
  );
  const optionNames = Object.values(OPTION_COLUMNS)
    .map((n) => `  readonly ${n}?: 'K' | 'C';`)
    .join('\n');
  return `// GENERATED by scripts/deid/generate-profile.ts (npm run deid:generate): do not edit.
// DICOM PS3.15 Annex E Table E.1-1 (Application Level Confidentiality Profile Attributes), edition ${EDITION}, with
// keywords and VRs from PS3.6 ${EDITION}; data from innolitics/dicom-standard, see scripts/deid/data/SOURCE.md.
// The standard's facts only: what this project does with them is in ./profile.ts.

/** The DICOM edition of this table. */
export const TABLE_E1_1_EDITION = '${EDITION}';

/** The option columns of Table E.1-1, where an option changes the Basic Profile's action (K keep, C clean). */
export interface TableOptions {
${optionNames}
}

/** [tag (8 hex digits), keyword, VR, Basic Profile action code, in a standard composite IOD, option columns]. */
export type TableRow = readonly [tag: string, keyword: string, vr: string, basic: string, inStdCompIod: boolean, options: TableOptions];

/** The rows with a single tag, in tag order (${lines.length}). */
// prettier-ignore
export const TABLE_E1_1: readonly TableRow[] = [
${lines.join('\n')}
];

/** The rows that name groups of attributes rather than one tag. */
// prettier-ignore
export const TABLE_E1_1_GROUPS: readonly { tag: string; name: string; basic: string; options: TableOptions }[] = [
${patternLines.join('\n')}
];
`;
}

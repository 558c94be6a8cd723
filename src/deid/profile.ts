// DICOM PS3.15 Annex E, Table E.1-1: the Basic Application Level Confidentiality Profile's attributes, as this
// implementation applies them.
//
// The rows are the standard's, generated from a checked-in copy of the table (./profile.generated.ts, from
// scripts/deid/data/ by `npm run deid:generate`); this module turns each row's facts into the action applied:
//   - a plain code (D, Z, X, K, C, U) is used as is;
//   - a combined code takes its strictest part (X before Z before D), because the table lists the laxer parts only
//     for when the stricter one would break the IOD: Z/D → Z, X/Z → X, X/D → X, X/Z/D → X, X/Z/U* → X;
//   - the few attributes in TYPE1 are Type 1 (a value is required) in objects this viewer exports, so a combined
//     code that allows D takes D: an empty value would make the object non-conformant, and a dummy says no more
//     than nothing;
//   - X/Z/U* rows (reference sequences) additionally get `nestedAction: 'U'`: inside another sequence's item (a
//     segmentation's Derivation Image Sequence, a reference structure) they are usually Type 1, so there they are
//     kept and every instance UID in them is replaced, as the U* part of the code allows.
// Of the table's option columns two are applied, as flags:
//   - `temporal`: the Retain Longitudinal Temporal Information with Modified Dates Option column says C and the VR
//     is DA, TM or DT (dates shifted, times kept). Timezone Offset From UTC (SH) is marked C too, but shifting does
//     not apply to it, so it keeps its Basic Profile action;
//   - `patientCharacteristic`: the Retain Patient Characteristics Option column says K (kept). Attributes that
//     option would *clean* (allergies, patient state, pre-medication, special needs) are not flagged: this
//     implementation does not clean free text, so they keep their Basic Profile action (removed).
// The rows for private attributes (odd groups), curves (50xx) and overlays (60xx) name groups, not tags:
// deidentify.ts removes those groups whole (isPrivateGroup, isCurveOrOverlayGroup below).

import { TABLE_E1_1, TABLE_E1_1_EDITION, type TableOptions, type TableRow } from './profile.generated';

export { TABLE_E1_1_EDITION };

/** The actions of PS3.15 Table E.1-1 that this implementation applies. */
export type Action =
  /** replace with a dummy value consistent with the VR */
  | 'D'
  /** replace with a zero-length value */
  | 'Z'
  /** remove */
  | 'X'
  /** keep */
  | 'K'
  /** clean (not used by the Basic Profile itself) */
  | 'C'
  /** replace every instance UID with one mapped consistently for the export session */
  | 'U';

export interface ProfileEntry {
  /** 8 hex digits, upper case, e.g. "00100010". */
  readonly tag: string;
  /** The DICOM keyword (PS3.6). */
  readonly keyword: string;
  /** The value representation (PS3.6). */
  readonly vr: string;
  /** The Basic Profile action code as the table writes it, e.g. "X/Z/D". */
  readonly code: string;
  /** The action applied (see the header comment). */
  readonly action: Action;
  /** The action applied when the attribute is found inside a sequence item, where different. */
  readonly nestedAction?: Action;
  /** A date, time or date-time (DA/TM/DT) under the Retain Longitudinal Temporal Information Modified Dates Option. */
  readonly temporal: boolean;
  /** Kept under the Retain Patient Characteristics Option. */
  readonly patientCharacteristic: boolean;
  /** The table's option columns for this row, as the standard gives them. */
  readonly options: TableOptions;
}

const STRICTNESS: readonly Action[] = ['X', 'Z', 'D', 'U', 'C', 'K'];

/** A Table E.1-1 action code ("X/Z/D", "X/Z/U*", "Z"…) → the one action applied (see the header comment). */
export function resolveAction(code: string, type1 = false): Action {
  const parts = code.split('/').map((p) => p.replace('*', '')) as Action[];
  for (const p of parts) if (!STRICTNESS.includes(p)) throw new Error(`Unknown action code ${code}`);
  if (type1 && parts.includes('D')) return 'D';
  for (const a of STRICTNESS) if (parts.includes(a)) return a;
  throw new Error(`Unknown action code ${code}`);
}

/** Attributes with a combined code allowing D that are Type 1 in objects this viewer exports (tag → why). */
export const TYPE1: ReadonlyMap<string, string> = new Map([
  ['00080023', 'Content Date: Type 1 in SR documents, segmentations and the enhanced image IODs'],
  ['00080033', 'Content Time: Type 1 in SR documents, segmentations and the enhanced image IODs'],
  ['0008002A', 'Acquisition DateTime: Type 1C in the enhanced CT, MR and PET image modules (original images)'],
  ['00181000', 'Device Serial Number: Type 1 in the Enhanced General Equipment module (segmentations, enhanced IODs)'],
]);

const TEMPORAL_VRS = new Set(['DA', 'TM', 'DT']);

function toEntry([tag, keyword, vr, code, , options]: TableRow): ProfileEntry {
  const action = resolveAction(code, TYPE1.has(tag));
  const nested = code.includes('U*') ? { nestedAction: 'U' as const } : {};
  return {
    tag,
    keyword,
    vr,
    code,
    action,
    ...nested,
    temporal: options.modifiedDates === 'C' && TEMPORAL_VRS.has(vr),
    patientCharacteristic: options.patientCharacteristics === 'K',
    options,
  };
}

/** Table E.1-1 (its single-tag rows), in tag order. */
export const BASIC_PROFILE: readonly ProfileEntry[] = TABLE_E1_1.map(toEntry);

/** The table keyed by tag. */
export const PROFILE_BY_TAG: ReadonlyMap<string, ProfileEntry> = new Map(BASIC_PROFILE.map((e) => [e.tag, e]));

/** Private groups: every odd group (their creators included). */
export function isPrivateGroup(group: number): boolean {
  return group % 2 === 1;
}

/** Curve Data (50xx,xxxx) and Overlay (60xx,xxxx) repeating groups, removed whole: the table removes curves and the
 * overlay data and comments (which can hold text and identifying marks), and an overlay without its data is not valid. */
export function isCurveOrOverlayGroup(group: number): boolean {
  return (group >= 0x5000 && group <= 0x50ff) || (group >= 0x6000 && group <= 0x60ff);
}

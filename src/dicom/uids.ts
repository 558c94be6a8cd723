// Names of the UIDs DICOM registers (transfer syntaxes, SOP classes, well-known instances…), from PS3.6 Table A-1
// (uids.generated.ts, written by scripts/uids/generate.ts).
import { UID_REGISTRY, UID_TYPES } from './uids.generated';

export interface RegisteredUid {
  name: string;
  /** "Transfer Syntax", "SOP Class", … as the registry says. */
  type: string;
  retired: boolean;
}

let byUid: Map<string, RegisteredUid> | undefined;

/** The registry's entry for a UID; undefined for UIDs it does not list (instance, series and study UIDs). */
export function registeredUid(uid: string): RegisteredUid | undefined {
  byUid ??= new Map(UID_REGISTRY.map(([u, name, type, retired]) => [u, { name, type: UID_TYPES[type] ?? '', retired: !!retired }]));
  return byUid.get(uid.trim().replace(/\0+$/, ''));
}

/** The longest UID (PS3.5 9.1). */
export const UID_MAX_LENGTH = 64;

/**
 * Whether `value` is a DICOM UID (PS3.5 9.1): digit components joined by single dots, 1 to 64 characters. The one
 * check for UIDs that come from outside (a link, a PACS, a dropped file) before they name a URL path, a file or a
 * zip entry: what passes is digits and dots, never empty, '.', '..', a separator or a control character. Leading
 * zeros in a component, which the standard forbids but older systems write, pass: they are harmless in a path.
 */
export function isUid(value: string): boolean {
  return value.length <= UID_MAX_LENGTH && /^[0-9]+(\.[0-9]+)*$/.test(value);
}

/** A UUID (hex, with or without dashes) as a DICOM UID under 2.25 (PS3.5 B.2); undefined for anything else. */
export function uuidToUid(uuid: string): string | undefined {
  const hex = uuid.replace(/-/g, '');
  return /^[0-9a-f]{32}$/i.test(hex) ? `2.25.${BigInt(`0x${hex}`).toString()}` : undefined;
}

/**
 * A new DICOM UID under the 2.25 root (PS3.5 B.2: a UUID as one decimal integer), from the browser's random
 * source. Used for objects the viewer creates (measurement report series and instances).
 */
export function newUid(random: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => void crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(16);
  random(bytes);
  // RFC 4122 version 4 and variant bits, as a UUID has them.
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidToUid([...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''))!;
}

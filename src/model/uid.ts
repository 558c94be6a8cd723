/**
 * A new DICOM UID under the 2.25 root (PS3.5 B.2: a UUID as one decimal integer), from the browser's random
 * source. Used for objects the viewer creates (measurement report series and instances).
 */
/** A UUID (hex, with or without dashes) as a DICOM UID under 2.25 (PS3.5 B.2); undefined for anything else. */
export function uuidToUid(uuid: string): string | undefined {
  const hex = uuid.replace(/-/g, '');
  return /^[0-9a-f]{32}$/i.test(hex) ? `2.25.${BigInt(`0x${hex}`).toString()}` : undefined;
}

export function newUid(random: (bytes: Uint8Array<ArrayBuffer>) => void = (b) => void crypto.getRandomValues(b)): string {
  const bytes = new Uint8Array(16);
  random(bytes);
  // RFC 4122 version 4 and variant bits, as a UUID has them.
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  return uuidToUid([...bytes].map((b) => b.toString(16).padStart(2, '0')).join(''))!;
}

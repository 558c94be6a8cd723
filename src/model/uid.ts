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
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return `2.25.${n.toString()}`;
}

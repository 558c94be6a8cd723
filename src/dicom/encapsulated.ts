// The document inside a DICOM Encapsulated PDF / CDA (/ STL, OBJ…) instance: its bytes and MIME type.
import { dcmjs } from './dcmjs';
import { isPart10, NOT_PART10 } from './part10';

export interface EncapsulatedDocument {
  /** The document's bytes, without the padding byte DICOM adds to make the length even. */
  bytes: Uint8Array;
  /** MIME Type of Encapsulated Document (0042,0012), e.g. application/pdf, text/XML. */
  mimeType: string;
  /** Document Title (0042,0010). */
  title: string;
}

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

/** Reads the encapsulated document of a Part 10 file. Throws with the reason when there is none. */
export function readEncapsulatedDocument(part10: Uint8Array): EncapsulatedDocument {
  if (!isPart10(part10)) throw new Error(NOT_PART10);
  const buffer = part10.buffer.slice(part10.byteOffset, part10.byteOffset + part10.byteLength) as ArrayBuffer;
  let dict: Record<string, { Value?: unknown[] } | undefined>;
  try {
    dict = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true }).dict as typeof dict;
  } catch (e) {
    throw new Error(`dcmjs cannot read it: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parts = (dict['00420011']?.Value ?? []).filter((v): v is ArrayBuffer => v instanceof ArrayBuffer);
  if (parts.length === 0) throw new Error('the file holds no encapsulated document (0042,0011)');
  const total = parts.reduce((n, p) => n + p.byteLength, 0);
  let bytes = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    bytes.set(new Uint8Array(p), at);
    at += p.byteLength;
  }
  // Encapsulated Document Length (0042,0015) is the length before padding, when the writer gave it.
  const length = Number(first(dict['00420015']?.Value));
  if (Number.isInteger(length) && length > 0 && length <= bytes.length) bytes = bytes.subarray(0, length);
  return {
    bytes,
    mimeType: String(first(dict['00420012']?.Value) ?? '').trim(),
    title: String(first(dict['00420010']?.Value) ?? '').trim(),
  };
}

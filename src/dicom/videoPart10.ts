// A video object's Part 10 file → its attributes and its stream. A video's encapsulated pixel data is not a frame
// per fragment: the fragments, after the Basic Offset Table, concatenate into one MPEG-2, H.264 or HEVC stream
// (PS3.5 8.2.5–8.2.8), which is what a video element plays.
import { dcmjs } from './dcmjs';
import type { DicomJson } from './json';
import { concatBytes, datasetToDicomJson, isPart10 } from './part10';

export interface VideoPart10 {
  /** The file's attributes as DICOM JSON (pixel data left out). */
  metadata: DicomJson;
  transferSyntaxUID: string;
  /** The pixel data's fragments in order, joined. */
  stream: Uint8Array;
}

function parts(v: unknown): Uint8Array[] {
  if (v instanceof ArrayBuffer) return [new Uint8Array(v)];
  if (ArrayBuffer.isView(v)) return [new Uint8Array(v.buffer, v.byteOffset, v.byteLength)];
  if (Array.isArray(v)) return v.flatMap(parts);
  return [];
}

/** Throws an Error saying what is wrong for a file that is not Part 10, cannot be read, or has no stream. */
export function readVideoPart10(bytes: Uint8Array): VideoPart10 {
  if (!isPart10(bytes)) throw new Error("not a DICOM Part 10 file (no 'DICM' after a 128-byte preamble)");
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let parsed: ReturnType<typeof dcmjs.data.DicomMessage.readFile>;
  try {
    parsed = dcmjs.data.DicomMessage.readFile(buffer, { ignoreErrors: true });
  } catch (e) {
    throw new Error(`the DICOM file cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  const ts = parsed.meta['00020010']?.Value?.[0];
  const transferSyntaxUID = typeof ts === 'string' ? ts.trim().replace(/\0+$/, '') : '';
  const pixel = parsed.dict['7FE00010'];
  const stream = concatBytes((pixel?.Value ?? []).flatMap(parts));
  if (stream.length === 0) throw new Error('the file has no pixel data (no video stream)');
  return { metadata: datasetToDicomJson(parsed.dict), transferSyntaxUID, stream };
}

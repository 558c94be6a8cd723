// Writing DICOM Part 10 files with dcmjs (explicit VR little endian), and deterministic UIDs for them.
// Reused by the e2e harness through generate.ts, so it stays free of demo specifics.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { DcmjsDataset } from 'dcmjs';
import { dcmjs } from '../import/dcmjs.ts';

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** A dataset keyed by 8-hex-digit tag, values as in the DICOM JSON model (binary values as ArrayBuffers). */
export type Dataset = DcmjsDataset;

/**
 * A UID under 2.25 (ISO/IEC 9834-8: a UUID as one integer) derived from `seed` by SHA-256, so the same seed
 * always gives the same UID and different seeds practically never collide.
 */
export function uidFromSeed(seed: string): string {
  const h = crypto.createHash('sha256').update(seed).digest();
  h[6] = (h[6]! & 0x0f) | 0x80; // UUID version 8 (custom)
  h[8] = (h[8]! & 0x3f) | 0x80; // RFC 4122 variant
  return `2.25.${BigInt(`0x${h.subarray(0, 16).toString('hex')}`).toString()}`;
}

export const IMPLEMENTATION_CLASS_UID = uidFromSeed('lumen-dicom-viewer/demo-generator/implementation');
export const IMPLEMENTATION_VERSION_NAME = 'LUMEN_DEMO_1';

type Value = string | number | ArrayBuffer | ArrayBufferView | Dataset;

function toArrayBuffer(v: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (v instanceof ArrayBuffer) return v;
  return v.buffer.slice(v.byteOffset, v.byteOffset + v.byteLength) as ArrayBuffer;
}

/**
 * Builds a dataset by keyword: `b.set('Rows', 512)`, `b.set('PixelSpacing', [0.7, 0.7])`. The tag and VR come
 * from dcmjs's dictionary; attributes whose VR the dictionary leaves open ("US or SS", "OB or OW") need `vr`.
 */
export class DatasetBuilder {
  readonly dataset: Dataset = {};

  set(keyword: string, value: Value | Value[] | null | undefined, vr?: string): this {
    const entry = dcmjs.data.DicomMetaDictionary.nameMap[keyword];
    if (!entry) throw new Error(`unknown DICOM keyword ${keyword}`);
    return this.setTag(entry.tag.replace(/[(),]/g, ''), vr ?? entry.vr, value);
  }

  setTag(tag: string, vr: string, value: Value | Value[] | null | undefined): this {
    if (!/^[0-9A-F]{8}$/.test(tag)) throw new Error(`bad tag ${tag}`);
    if (!/^[A-Z]{2}$/.test(vr)) throw new Error(`${tag}: the dictionary VR "${vr}" is ambiguous; pass one`);
    const values = value === null || value === undefined ? [] : Array.isArray(value) ? value : [value];
    this.dataset[tag] = {
      vr,
      Value: values.map((v) => {
        if (v instanceof ArrayBuffer || ArrayBuffer.isView(v)) return toArrayBuffer(v);
        if (vr === 'PN' && typeof v === 'string') return { Alphabetic: v };
        // DS is at most 16 characters: keep 6 decimals, which is below any spacing or position we care about.
        if (vr === 'DS' && typeof v === 'number') return Number(v.toFixed(6));
        return v;
      }),
    };
    return this;
  }
}

/** The file meta information for `dataset` (SOP Class/Instance from the dataset). */
export function fileMetaFor(dataset: Dataset, transferSyntaxUID = EXPLICIT_VR_LITTLE_ENDIAN): Dataset {
  const sopClass = dataset['00080016']?.Value?.[0];
  const sopInstance = dataset['00080018']?.Value?.[0];
  if (typeof sopClass !== 'string' || typeof sopInstance !== 'string') {
    throw new Error('a Part 10 file needs SOPClassUID (0008,0016) and SOPInstanceUID (0008,0018)');
  }
  return {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: [sopClass] },
    '00020003': { vr: 'UI', Value: [sopInstance] },
    '00020010': { vr: 'UI', Value: [transferSyntaxUID] },
    '00020012': { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] },
    '00020013': { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] },
  };
}

/** The bytes of a Part 10 file (preamble, meta group, dataset in explicit VR little endian). */
export function part10Bytes(dataset: Dataset): Uint8Array {
  const dict = new dcmjs.data.DicomDict(fileMetaFor(dataset));
  dict.dict = dataset;
  return new Uint8Array(dict.write());
}

/** Writes `dataset` as a DICOM Part 10 file (explicit VR little endian), creating folders as needed. */
export function writePart10(dataset: Dataset, filePath: string): void {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  fs.writeFileSync(filePath, part10Bytes(dataset));
}

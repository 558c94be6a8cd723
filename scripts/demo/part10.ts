// Writing DICOM Part 10 files with dcmjs (explicit VR little endian).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import dcmjs from 'dcmjs';

interface DcmjsData {
  DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
  DicomMetaDictionary: { denaturalizeDataset(ds: Record<string, unknown>): unknown };
}
const { DicomDict, DicomMetaDictionary } = dcmjs.data as unknown as DcmjsData;

export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';
const IMPLEMENTATION_CLASS_UID = '2.25.255408217408372389510356114733493815117';

/** A deterministic UID under the UUID-derived root 2.25 (PS3.5 B.2): same seed, same UID. */
export function uid(seed: string): string {
  const hex = crypto.createHash('sha256').update(seed).digest('hex').slice(0, 32);
  return `2.25.${BigInt(`0x${hex}`) & ((1n << 127n) - 1n)}`;
}

/** Writes a naturalized dataset (dcmjs keywords) as a Part 10 file. */
export function writePart10(dataset: Record<string, unknown>, file: string): void {
  const meta = {
    FileMetaInformationVersion: new Uint8Array([0, 1]).buffer,
    MediaStorageSOPClassUID: dataset.SOPClassUID,
    MediaStorageSOPInstanceUID: dataset.SOPInstanceUID,
    TransferSyntaxUID: EXPLICIT_VR_LITTLE_ENDIAN,
    ImplementationClassUID: IMPLEMENTATION_CLASS_UID,
    ImplementationVersionName: 'LUMEN_DEMO_1',
  };
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(dataset);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, Buffer.from(dict.write()));
}

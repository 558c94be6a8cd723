// Generated local files for the local-files and upload specs: the MPR sphere volume as Part 10 files.
import type { DicomJson } from '../src/dicom/json';
import { part10Bytes } from '../scripts/demo/part10';
import { sphereSeries } from './mpr-helpers';

export const LOCAL_STUDY = '2.25.77003';
export const LOCAL_PATIENT = 'LOCAL^SPHERE';

/** The sphere volume as Part 10 files (uncompressed CT, 48 slices). */
export function sphereFiles(study = LOCAL_STUDY, series = `${study}.1`, patient = LOCAL_PATIENT): { name: string; bytes: Uint8Array }[] {
  return sphereSeries(series, 1, 'sphere volume', { frameOfReference: `${study}.9` }).instances.map((instance, k) => {
    const dataset: DicomJson = {
      ...instance.metadata,
      '00080020': { vr: 'DA', Value: ['20240115'] },
      '00080060': { vr: 'CS', Value: ['CT'] },
      '00081030': { vr: 'LO', Value: ['Local sphere'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: patient }] },
      '00100020': { vr: 'LO', Value: ['LOCAL-1'] },
      '0020000D': { vr: 'UI', Value: [study] },
      '0020000E': { vr: 'UI', Value: [series] },
      '00200011': { vr: 'IS', Value: [1] },
      '0008103E': { vr: 'LO', Value: ['sphere volume'] },
      '7FE00010': { vr: 'OW', Value: [instance.frames[0]!.slice().buffer] },
    };
    return { name: `IM${String(k + 1).padStart(4, '0')}`, bytes: part10Bytes(dataset as never) };
  });
}

// One patient with a current CT and three earlier studies, uploaded to Orthanc: for priors, compare and sync specs.
import type { DicomJson } from '../src/dicom/json';
import { part10Bytes } from '../scripts/demo/part10';
import { GAP, PIXEL, SIZE, SLICES, SPHERE, sphereSeries, X0, Z0 } from './mpr-helpers';

export const PATIENT = { name: 'PRIOR^PATIENT', id: 'PRI-1' };

export interface PriorStudy {
  uid: string;
  date: string;
  modality: string;
  bodyPart: string;
  description: string;
  /** The whole volume shifted along z (mm): the same anatomy sits this much higher in this study. */
  shiftMm: number;
  patient?: { name: string; id: string; issuer?: string };
  /** Accession Number (0008,0050), when the study has one. */
  accession?: string;
}

export const CURRENT: PriorStudy = { uid: '2.25.88001', date: '20240115', modality: 'CT', bodyPart: 'CHEST', description: 'CT chest follow-up', shiftMm: 0 };
export const PRIOR_CHEST: PriorStudy = { uid: '2.25.88002', date: '20230601', modality: 'CT', bodyPart: 'CHEST', description: 'CT chest', shiftMm: 12.5 };
export const PRIOR_MR: PriorStudy = { uid: '2.25.88003', date: '20231101', modality: 'MR', bodyPart: 'HEAD', description: 'MR brain', shiftMm: 0 };
export const PRIOR_ABDOMEN: PriorStudy = { uid: '2.25.88004', date: '20220101', modality: 'CT', bodyPart: 'ABDOMEN', description: 'CT abdomen', shiftMm: 0 };
export const ALL_STUDIES = [CURRENT, PRIOR_CHEST, PRIOR_MR, PRIOR_ABDOMEN];

/**
 * A series of the study (the sphere volume) as Part 10 files: `keep` chooses which of the 48 slices it has (all by
 * default), `number` its series number (UID `<study>.<number>`); all series of a study share its frame of reference.
 */
export function studyFiles(s: PriorStudy, number = 1, keep: (slice: number) => boolean = () => true, description = `${s.bodyPart} axial`): Uint8Array[] {
  const series = `${s.uid}.${number}`;
  return sphereSeries(series, number, description, { frameOfReference: `${s.uid}.9` }).instances.filter((_, k) => keep(k)).map((instance) => {
    const position = (instance.metadata['00200032']!.Value as number[]).slice();
    position[2] = position[2]! + s.shiftMm;
    const dataset: DicomJson = {
      ...instance.metadata,
      '00200032': { vr: 'DS', Value: position },
      '00080020': { vr: 'DA', Value: [s.date] },
      '00080060': { vr: 'CS', Value: [s.modality] },
      '00081030': { vr: 'LO', Value: [s.description] },
      '00180015': { vr: 'CS', Value: [s.bodyPart] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: (s.patient ?? PATIENT).name }] },
      '00100020': { vr: 'LO', Value: [(s.patient ?? PATIENT).id] },
      '0020000D': { vr: 'UI', Value: [s.uid] },
      '0020000E': { vr: 'UI', Value: [series] },
      '00200011': { vr: 'IS', Value: [number] },
      '0008103E': { vr: 'LO', Value: [description] },
      '7FE00010': { vr: 'OW', Value: [instance.frames[0]!.slice().buffer] },
    };
    if (s.accession) dataset['00080050'] = { vr: 'SH', Value: [s.accession] };
    if (s.patient?.issuer) dataset['00100021'] = { vr: 'LO', Value: [s.patient.issuer] };
    if (s.modality === 'MR') {
      dataset['00080016'] = { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.4'] };
      delete dataset['00281052'];
      delete dataset['00281053'];
    }
    return part10Bytes(dataset as never);
  });
}

export async function uploadFiles(orthancUrl: string, files: Uint8Array[]): Promise<void> {
  for (const bytes of files) {
    const res = await fetch(`${orthancUrl}/instances`, { method: 'POST', body: Buffer.from(bytes), headers: { 'Content-Type': 'application/dicom' } });
    if (!res.ok) throw new Error(`Orthanc refused an instance: ${res.status} ${await res.text()}`);
  }
}

export async function uploadStudies(orthancUrl: string, studies: PriorStudy[]): Promise<void> {
  for (const s of studies) {
    for (const bytes of studyFiles(s)) {
      const res = await fetch(`${orthancUrl}/instances`, { method: 'POST', body: Buffer.from(bytes), headers: { 'Content-Type': 'application/dicom' } });
      if (!res.ok) throw new Error(`Orthanc refused an instance: ${res.status} ${await res.text()}`);
    }
  }
}

export async function deleteStudies(orthancUrl: string, studies: PriorStudy[]): Promise<void> {
  for (const s of studies) {
    const found = (await (await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: s.uid })).json()) as { ID: string; Type: string }[];
    for (const f of found.filter((x) => x.Type === 'Study')) await fetch(`${orthancUrl}/studies/${f.ID}`, { method: 'DELETE' });
  }
}

/**
 * The same sphere volume cut sagittally (24 slices 8 mm apart; rows run down the patient 2.5 mm apart, columns
 * front to back 2 mm apart), in the study's frame of reference: for reference lines.
 */
export function sagittalFiles(s: PriorStudy, number: number): Uint8Array[] {
  const rows = SLICES;
  const columns = SIZE;
  const zTop = Z0 + (SLICES - 1) * GAP + s.shiftMm;
  const files: Uint8Array[] = [];
  for (let n = 0; n < 24; n++) {
    const x = X0 + n * 4 * PIXEL;
    const pixels = new Int16Array(rows * columns);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < columns; c++) {
        const y = X0 + c * PIXEL;
        const z = zTop - r * GAP - s.shiftMm;
        const d = Math.hypot(x - SPHERE.center[0], y - SPHERE.center[1], z - SPHERE.center[2]);
        pixels[r * columns + c] = d <= SPHERE.radius ? SPHERE.hu : -1000;
      }
    }
    const dataset: DicomJson = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
      '00080018': { vr: 'UI', Value: [`${s.uid}.${number}.${n + 1}`] },
      '00080020': { vr: 'DA', Value: [s.date] },
      '00080060': { vr: 'CS', Value: [s.modality] },
      '00081030': { vr: 'LO', Value: [s.description] },
      '0008103E': { vr: 'LO', Value: ['Sagittal'] },
      '00100010': { vr: 'PN', Value: [{ Alphabetic: (s.patient ?? PATIENT).name }] },
      '00100020': { vr: 'LO', Value: [(s.patient ?? PATIENT).id] },
      '0020000D': { vr: 'UI', Value: [s.uid] },
      '0020000E': { vr: 'UI', Value: [`${s.uid}.${number}`] },
      '00200011': { vr: 'IS', Value: [number] },
      '00200013': { vr: 'IS', Value: [n + 1] },
      '00200032': { vr: 'DS', Value: [x, X0, zTop] },
      '00200037': { vr: 'DS', Value: [0, 1, 0, 0, 0, -1] },
      '00200052': { vr: 'UI', Value: [`${s.uid}.9`] },
      '00280002': { vr: 'US', Value: [1] },
      '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
      '00280010': { vr: 'US', Value: [rows] },
      '00280011': { vr: 'US', Value: [columns] },
      '00280030': { vr: 'DS', Value: [GAP, PIXEL] },
      '00280100': { vr: 'US', Value: [16] },
      '00280101': { vr: 'US', Value: [16] },
      '00280102': { vr: 'US', Value: [15] },
      '00280103': { vr: 'US', Value: [1] },
      '00281050': { vr: 'DS', Value: [40] },
      '00281051': { vr: 'DS', Value: [400] },
      '00281052': { vr: 'DS', Value: [0] },
      '00281053': { vr: 'DS', Value: [1] },
      '7FE00010': { vr: 'OW', Value: [pixels.buffer] },
    };
    files.push(part10Bytes(dataset as never));
  }
  return files;
}

import { describe, expect, it, vi } from 'vitest';
import type { DicomJson } from '../dicom/json';
import type { StudyQuery } from '../dicomweb/qido';
import { DicomWebError } from '../dicomweb/errors';
import { afterChoice, resolveLaunch } from './launch';

function row(uid: string, patientId: string, accession: string, date: string, modality = 'CT', issuer?: string): DicomJson {
  return {
    '0020000D': { vr: 'UI', Value: [uid] },
    '00100020': { vr: 'LO', Value: [patientId] },
    '00080050': { vr: 'SH', Value: [accession] },
    '00080020': { vr: 'DA', Value: [date] },
    '00080061': { vr: 'CS', Value: [modality] },
    ...(issuer ? { '00100021': { vr: 'LO', Value: [issuer] } } : {}),
  };
}

const ROWS = [
  row('1.1', 'P1', 'A1', '20240101'),
  row('1.2', 'P1', 'A2', '20230101', 'MR', 'HOSP'),
  row('1.3', 'P2', 'SHARED', '20220101'),
  row('1.4', 'P3', 'SHARED', '20210101'),
  row('1.5', 'P1', 'A10', '20200101'),
];

/** A QIDO server over ROWS that matches like Orthanc: exact values (and prefix for the accession number, to test the exact check). */
function fakeClient() {
  const searchStudies = vi.fn(async (query: StudyQuery) => {
    const studies = ROWS.filter((r) => {
      const v = (tag: string) => String((r[tag]?.Value as string[] | undefined)?.[0] ?? '');
      if (query.studyInstanceUID && v('0020000D') !== query.studyInstanceUID) return false;
      if (query.accessionNumber && !v('00080050').startsWith(query.accessionNumber)) return false;
      if (query.patientId && v('00100020') !== query.patientId) return false;
      if (query.studyDateFrom && v('00080020') < query.studyDateFrom) return false;
      if (query.modality && v('00080061') !== query.modality) return false;
      return true;
    });
    return { studies, hasMore: false, pageable: true };
  });
  return { searchStudies };
}

describe('resolveLaunch', () => {
  it('opens accession numbers in order, the first as current, matching them exactly', async () => {
    const client = fakeClient();
    expect(await resolveLaunch({ kind: 'accessions', accessionNumbers: ['A1', 'A2'] }, client, 'PACS')).toEqual({ kind: 'viewer', studyUIDs: ['1.1', '1.2'] });
    expect(client.searchStudies.mock.calls.map((c) => c[0])).toEqual([{ accessionNumber: 'A1' }, { accessionNumber: 'A2' }]);
  });

  it('says which accession number is unknown, and offers a choice for a shared one', async () => {
    expect(await resolveLaunch({ kind: 'accessions', accessionNumbers: ['A1', 'NOPE'] }, fakeClient(), 'PACS')).toEqual({
      kind: 'error',
      message: 'No study with accession number NOPE is available to you on PACS.',
    });
    const r = await resolveLaunch({ kind: 'accessions', accessionNumbers: ['SHARED'] }, fakeClient(), 'PACS');
    expect(r.kind).toBe('choose');
    if (r.kind !== 'choose') return;
    expect(r.studies.map((s) => s.studyInstanceUID)).toEqual(['1.3', '1.4']);
    expect(afterChoice([{ accessionNumber: 'SHARED', studies: r.studies.filter((s) => s.studyInstanceUID === '1.4') }], 'PACS')).toEqual({ kind: 'viewer', studyUIDs: ['1.4'] });
  });

  it('reads "forbidden" as "not there": no hint whether the study exists', async () => {
    const client = { searchStudies: vi.fn(async () => Promise.reject(new DicomWebError('Study search (QIDO-RS)', '/dicom-web/studies', 403, 'Forbidden'))) };
    expect(await resolveLaunch({ kind: 'accessions', accessionNumbers: ['A1'] }, client, 'PACS')).toEqual({
      kind: 'error',
      message: 'No study with accession number A1 is available to you on PACS.',
    });
    const down = { searchStudies: vi.fn(async () => Promise.reject(new DicomWebError('Study search (QIDO-RS)', '/dicom-web/studies', 502, 'Bad Gateway'))) };
    expect(await resolveLaunch({ kind: 'accessions', accessionNumbers: ['A1'] }, down, 'PACS')).toMatchObject({ kind: 'error', message: expect.stringMatching(/^Could not search PACS: .*502/) });
  });

  it('checks study UIDs exist before opening them', async () => {
    expect(await resolveLaunch({ kind: 'studies', studyUIDs: ['1.2', '1.1'] }, fakeClient(), 'PACS')).toEqual({ kind: 'viewer', studyUIDs: ['1.2', '1.1'] });
    expect(await resolveLaunch({ kind: 'studies', studyUIDs: ['9.9'] }, fakeClient(), 'PACS')).toEqual({ kind: 'error', message: 'No study with Study Instance UID 9.9 is available to you on PACS.' });
  });

  it('lists a patient’s studies newest first, or opens the most recent one', async () => {
    const client = fakeClient();
    const list = await resolveLaunch({ kind: 'patient', patient: { id: 'P1' } }, client, 'PACS');
    expect(list.kind === 'list' && list.studies.map((s) => s.studyInstanceUID)).toEqual(['1.1', '1.2', '1.5']);
    expect(await resolveLaunch({ kind: 'patient', patient: { id: 'P1' }, mostRecentResults: 1 }, client, 'PACS')).toEqual({ kind: 'viewer', studyUIDs: ['1.1'] });
    const mr = await resolveLaunch({ kind: 'patient', patient: { id: 'P1', issuer: { namespaceId: 'HOSP' } }, modalities: ['MR'], lower: { date: '20230101', time: '000000' } }, client, 'PACS');
    expect(mr.kind === 'list' && mr.studies.map((s) => s.studyInstanceUID)).toEqual(['1.2']);
    expect(client.searchStudies.mock.calls.at(-1)?.[0]).toEqual({ patientId: 'P1', studyDateFrom: '20230101', studyDateTo: undefined, modality: 'MR' });
    expect(await resolveLaunch({ kind: 'patient', patient: { id: 'P1', issuer: { namespaceId: 'ELSEWHERE' } }, modalities: ['MR'] }, client, 'PACS')).toEqual({
      kind: 'error',
      message: 'No study with patient ID P1 (issuer ELSEWHERE) in the dates and modalities asked is available to you on PACS.',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { accessionOutcome, chooseStudy, isLaunch, keepsDiagnosticQuality, issuerMatches, parseCx, parseLaunch, parseXmlDateTime, selectPatientStudies, type LaunchTarget } from './launch';
import type { StudySummary } from './types';

const q = (s: string) => new URLSearchParams(s);
const iid = (s: string) => parseLaunch('/IHEInvokeImageDisplay', q(s));

function study(uid: string, over: Partial<StudySummary> = {}): StudySummary {
  return {
    studyInstanceUID: uid,
    patientName: 'DOE^JANE',
    patientId: 'P1',
    patientBirthDate: '',
    patientSex: '',
    studyDate: '20240101',
    studyTime: '080000',
    accessionNumber: '',
    description: '',
    modalities: ['CT'],
    referringPhysician: '',
    ...over,
  };
}

describe('isLaunch', () => {
  it('knows the IID path and the short forms, and nothing else', () => {
    expect(isLaunch('/IHEInvokeImageDisplay', q(''))).toBe(true);
    expect(isLaunch('/viewer', q('AccessionNumber=A1'))).toBe(true);
    expect(isLaunch('/viewer', q('accessionnumber=A1'))).toBe(true);
    expect(isLaunch('/studies', q('PatientID=P1'))).toBe(true);
    expect(isLaunch('/viewer', q('StudyInstanceUIDs=1.2.3'))).toBe(false);
    expect(isLaunch('/studies', q(''))).toBe(false);
    expect(isLaunch('/', q('PatientID=P1'))).toBe(false);
  });
});

describe('parseLaunch', () => {
  it('reads a STUDY request by UIDs (comma list) and by accession numbers', () => {
    expect(iid('requestType=STUDY&studyUID=1.2.3,1.2.4')).toEqual({ ok: true, request: { target: { kind: 'studies', studyUIDs: ['1.2.3', '1.2.4'] }, dataSource: undefined, form: 'iid' } });
    expect(iid('requestType=study&accessionNumber=A1,A2&datasource=pacs2')).toEqual({
      ok: true,
      request: { target: { kind: 'accessions', accessionNumbers: ['A1', 'A2'] }, dataSource: 'pacs2', form: 'iid' },
    });
  });

  it('reads a PATIENT request with its filters', () => {
    const r = iid('requestType=PATIENT&patientID=P1%5E%5E%5EHOSP%261.2.3%26ISO&lowerDateTime=2023-01-01&upperDateTime=2024-06-30T12:00:00Z&mostRecentResults=2&modalitiesInStudy=ct,MR');
    expect(r).toEqual({
      ok: true,
      request: {
        target: {
          kind: 'patient',
          patient: { id: 'P1', issuer: { namespaceId: 'HOSP', universalId: '1.2.3', universalIdType: 'ISO' } },
          lower: { date: '20230101', time: '000000' },
          upper: { date: '20240630', time: '120000' },
          mostRecentResults: 2,
          modalities: ['CT', 'MR'],
        },
        dataSource: undefined,
        form: 'iid',
      },
    });
  });

  it('reads the short forms', () => {
    expect(parseLaunch('/viewer', q('AccessionNumber=A1'))).toMatchObject({ ok: true, request: { target: { kind: 'accessions', accessionNumbers: ['A1'] }, form: 'short' } });
    expect(parseLaunch('/studies', q('PatientID=P1'))).toMatchObject({ ok: true, request: { target: { kind: 'patient', patient: { id: 'P1' } }, form: 'short' } });
    expect(parseLaunch('/studies', q('PatientID=P1^^^HOSP&mostRecentResults=1'))).toMatchObject({
      ok: true,
      request: { target: { kind: 'patient', patient: { id: 'P1', issuer: { namespaceId: 'HOSP' } }, mostRecentResults: 1 } },
    });
  });

  it('refuses what it cannot honour, saying why', () => {
    const error = (r: ReturnType<typeof parseLaunch>) => (r.ok ? 'ok' : r.error);
    expect(error(iid(''))).toMatch(/no requestType/);
    expect(error(iid('requestType=SERIES'))).toMatch(/"SERIES" is not supported/);
    expect(error(iid('requestType=STUDY'))).toMatch(/needs studyUID or accessionNumber/);
    expect(error(iid('requestType=STUDY&studyUID=1.2.3&accessionNumber=A1'))).toMatch(/not both/);
    expect(error(iid('requestType=STUDY&studyUID=../x'))).toMatch(/not a DICOM UID/);
    expect(error(iid('requestType=STUDY&accessionNumber=A*'))).toMatch(/wildcard/);
    expect(error(iid('requestType=PATIENT'))).toMatch(/patient ID is empty/);
    expect(error(iid('requestType=PATIENT&patientID=P*'))).toMatch(/wildcard/);
    expect(error(iid('requestType=PATIENT&patientID=P1&mostRecentResults=0'))).toMatch(/mostRecentResults/);
    expect(error(iid('requestType=PATIENT&patientID=P1&lowerDateTime=yesterday'))).toMatch(/lowerDateTime must be/);
    expect(error(iid('requestType=PATIENT&patientID=P1&modalitiesInStudy=C T'))).toMatch(/modality codes/);
    expect(error(iid('requestType=STUDY&studyUID=1.2.3&viewerType=MOBILE'))).toMatch(/viewerType "MOBILE" is not offered/);
    expect(error(iid('requestType=STUDY&studyUID=1.2.3&diagnosticQuality=yes'))).toMatch(/diagnosticQuality must be true or false/);
    expect(error(iid('requestType=STUDY&studyUID=1.2.3&keyImagesOnly=true'))).toMatch(/keyImagesOnly=true is not offered/);
    expect(error(parseLaunch('/viewer', q('AccessionNumber=A1&StudyInstanceUIDs=1.2.3')))).toMatch(/both/);
  });

  it('accepts the display parameters it honours', () => {
    const r = iid('requestType=STUDY&studyUID=1.2.3&viewerType=IHE_BIR&diagnosticQuality=TRUE&keyImagesOnly=false');
    expect(r.ok && r.request.diagnosticQuality).toBe(true);
    const f = iid('requestType=STUDY&studyUID=1.2.3&diagnosticQuality=false');
    expect(f.ok && f.request.diagnosticQuality).toBeUndefined();
  });

  it('knows which frame requests keep diagnostic quality', () => {
    expect(keepsDiagnosticQuality('*')).toBe(true);
    expect(keepsDiagnosticQuality('1.2.840.10008.1.2.4.90')).toBe(true);
    expect(keepsDiagnosticQuality('1.2.840.10008.1.2.4.50')).toBe(false);
    expect(keepsDiagnosticQuality('1.2.840.10008.1.2.4.91')).toBe(false);
  });
});

describe('parseCx and dates', () => {
  it('reads HL7 CX with or without an assigning authority, with HL7 escapes', () => {
    expect(parseCx('123')).toEqual({ id: '123' });
    expect(parseCx('123^^^')).toEqual({ id: '123' });
    expect(parseCx('12\\S\\3^^^&1.2.840.1&ISO')).toEqual({ id: '12^3', issuer: { universalId: '1.2.840.1', universalIdType: 'ISO' } });
    expect(parseCx('^^^HOSP')).toBeUndefined();
  });

  it('reads XML dates and dateTimes as DICOM bounds', () => {
    expect(parseXmlDateTime('2024-01-15', false)).toEqual({ date: '20240115', time: '000000' });
    expect(parseXmlDateTime('2024-01-15', true)).toEqual({ date: '20240115', time: '235959' });
    expect(parseXmlDateTime('2024-01-15T08:30:05.123+02:00', false)).toEqual({ date: '20240115', time: '083005' });
    expect(parseXmlDateTime('2024-13-01', false)).toBeUndefined();
    expect(parseXmlDateTime('20240115', false)).toBeUndefined();
  });
});

describe('selectPatientStudies', () => {
  const target = (over: Partial<Extract<LaunchTarget, { kind: 'patient' }>> = {}): Extract<LaunchTarget, { kind: 'patient' }> => ({ kind: 'patient', patient: { id: 'P1' }, ...over });
  const found = [
    study('1', { studyDate: '20220101' }),
    study('2', { studyDate: '20240101', modalities: ['MR'] }),
    study('3', { studyDate: '20230101', issuerOfPatientId: 'OTHER' }),
    study('4', { studyDate: '20230601', issuerOfPatientId: 'HOSP' }),
    study('5', { patientId: 'P10' }),
  ];
  const uids = (s: StudySummary[]) => s.map((x) => x.studyInstanceUID);

  it('keeps the exact patient ID and a matching or unknown issuer, newest first', () => {
    expect(uids(selectPatientStudies(found, target()))).toEqual(['2', '4', '3', '1']);
    expect(uids(selectPatientStudies(found, target({ patient: { id: 'P1', issuer: { namespaceId: 'HOSP' } } })))).toEqual(['2', '4', '1']);
    expect(uids(selectPatientStudies(found, target({ patient: { id: 'P1', issuer: { universalId: 'OTHER' } } })))).toEqual(['2', '3', '1']);
  });

  it('applies the date bounds, modalities and the most recent N', () => {
    expect(uids(selectPatientStudies(found, target({ lower: { date: '20230101', time: '000000' }, upper: { date: '20231231', time: '235959' } })))).toEqual(['4', '3']);
    expect(uids(selectPatientStudies(found, target({ lower: { date: '20230101', time: '090000' } })))).toEqual(['2', '4']);
    expect(uids(selectPatientStudies(found, target({ modalities: ['MR', 'US'] })))).toEqual(['2']);
    expect(uids(selectPatientStudies(found, target({ mostRecentResults: 2 })))).toEqual(['2', '4']);
  });

  it('matches issuers by either ID of the authority, and lets an unknown one through', () => {
    expect(issuerMatches(undefined, { namespaceId: 'A' })).toBe(true);
    expect(issuerMatches('A', undefined)).toBe(true);
    expect(issuerMatches('1.2.3', { namespaceId: 'A', universalId: '1.2.3' })).toBe(true);
    expect(issuerMatches('B', { namespaceId: 'A' })).toBe(false);
  });
});

describe('accessionOutcome', () => {
  it('opens one study per accession number, the first as current', () => {
    expect(accessionOutcome([{ accessionNumber: 'A1', studies: [study('1')] }, { accessionNumber: 'A2', studies: [study('2')] }])).toEqual({ kind: 'open', studyUIDs: ['1', '2'] });
  });

  it('reports the first missing, then offers the first shared, newest first, and continues with the choice', () => {
    expect(accessionOutcome([{ accessionNumber: 'A1', studies: [study('1'), study('2')] }, { accessionNumber: 'A2', studies: [] }])).toEqual({ kind: 'missing', accessionNumber: 'A2' });
    const matches = [{ accessionNumber: 'A1', studies: [study('1', { studyDate: '20200101' }), study('2')] }, { accessionNumber: 'A2', studies: [study('3')] }];
    const outcome = accessionOutcome(matches);
    expect(outcome.kind).toBe('choose');
    expect(outcome.kind === 'choose' && outcome.studies.map((s) => s.studyInstanceUID)).toEqual(['2', '1']);
    expect(accessionOutcome(chooseStudy(matches, 'A1', '1'))).toEqual({ kind: 'open', studyUIDs: ['1', '3'] });
  });
});

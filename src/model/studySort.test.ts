import { describe, expect, it } from 'vitest';
import { sortStudies } from './studySort';
import type { StudySummary } from './types';

const s = (patientName: string, studyDate: string, numInstances?: number): StudySummary => ({
  studyInstanceUID: patientName,
  patientName,
  patientId: '',
  patientBirthDate: '',
  patientSex: '',
  studyDate,
  studyTime: '',
  accessionNumber: '',
  description: '',
  modalities: [],
  referringPhysician: '',
  numInstances,
});

describe('sortStudies', () => {
  const rows = [s('beta', '20240105', 10), s('Alpha', '', 2), s('gamma', '20230101')];
  it('sorts names case-insensitively and dates, empty values last', () => {
    expect(sortStudies(rows, 'patientName', 'asc').map((r) => r.patientName)).toEqual(['Alpha', 'beta', 'gamma']);
    expect(sortStudies(rows, 'studyDate', 'desc').map((r) => r.patientName)).toEqual(['beta', 'gamma', 'Alpha']);
    expect(sortStudies(rows, 'studyDate', 'asc').map((r) => r.patientName)).toEqual(['gamma', 'beta', 'Alpha']);
    expect(sortStudies(rows, 'numInstances', 'desc').map((r) => r.patientName)).toEqual(['beta', 'Alpha', 'gamma']);
  });
});

import { describe, expect, it } from 'vitest';
import { matchingSeries, mostRelevantPrior, pickPrior, priorsOf } from './priors';
import type { SeriesSummary, StudySummary } from './types';

const study = (uid: string, patientId: string, date: string, issuer?: string): StudySummary => ({
  studyInstanceUID: uid,
  patientName: 'DOE^JANE',
  patientId,
  issuerOfPatientId: issuer,
  patientBirthDate: '',
  patientSex: '',
  studyDate: date,
  studyTime: '',
  accessionNumber: '',
  description: '',
  modalities: ['CT'],
  referringPhysician: '',
});

describe('priors', () => {
  const current = study('1', 'P1', '20240115', 'HOSP-A');
  it('keeps the same patient, newest first, without the open studies; undated last', () => {
    const list = [study('2', 'P1', '20220101'), study('3', 'P1', '20230601'), study('1', 'P1', '20240115'), study('4', 'P1', ''), study('5', 'P10', '20230101')];
    expect(priorsOf(current, list, ['1']).map((s) => s.studyInstanceUID)).toEqual(['3', '2', '4']);
  });
  it('leaves out another issuer’s patient with the same ID, keeps studies that name no issuer', () => {
    const list = [study('2', 'P1', '20220101', 'HOSP-B'), study('3', 'P1', '20230601', 'HOSP-A'), study('4', 'P1', '20210101')];
    expect(priorsOf(current, list, ['1']).map((s) => s.studyInstanceUID)).toEqual(['3', '4']);
  });
  it('finds nothing for a study without a Patient ID', () => {
    expect(priorsOf(study('1', '', '20240101'), [study('2', '', '20230101')], ['1'])).toEqual([]);
  });
});

describe('the prior to compare with', () => {
  const series = (uid: string, modality: string, bodyPart: string, description: string, n = 50): SeriesSummary => ({
    studyInstanceUID: 's',
    seriesInstanceUID: uid,
    modality,
    bodyPart,
    description,
    numInstances: n,
  });
  const prior = (uid: string, date: string, modalities: string[]) => ({ ...study(uid, 'P1', date), modalities });
  const priors = [prior('new-mr', '20231201', ['MR']), prior('ct-abd', '20230601', ['CT']), prior('ct-chest', '20220101', ['CT']), prior('old', '20200101', ['CR'])];
  const ref = { modality: 'CT', bodyPart: 'CHEST', description: 'Thorax axial 1.25' };

  it('prefers the same modality and body part, then the same modality, then the newest', () => {
    const seriesOf = new Map([
      ['ct-abd', [series('a', 'CT', 'ABDOMEN', 'Abdomen axial')]],
      ['ct-chest', [series('c', 'CT', 'CHEST', 'Thorax axial')]],
    ]);
    expect(mostRelevantPrior(ref, priors, seriesOf)?.studyInstanceUID).toBe('ct-chest');
    expect(mostRelevantPrior(ref, priors)?.studyInstanceUID).toBe('ct-abd');
    expect(mostRelevantPrior({ ...ref, modality: 'US' }, priors)?.studyInstanceUID).toBe('new-mr');
    expect(mostRelevantPrior(ref, [])).toBeUndefined();
  });

  it('picks the prior’s series of the same modality and body part with the most words in common', () => {
    const list = [series('scout', 'CT', 'CHEST', 'Topogram', 2), series('lung', 'CT', 'CHEST', 'Lung 1.25'), series('ax', 'CT', 'CHEST', 'Thorax axial 2.5'), series('sr', 'SR', '', 'Thorax axial report', 1)];
    expect(matchingSeries(ref, list)?.seriesInstanceUID).toBe('ax');
    expect(matchingSeries({ ...ref, description: '' }, [series('small', 'CT', 'CHEST', 'x', 10), series('big', 'CT', 'CHEST', 'y', 300)])?.seriesInstanceUID).toBe('big');
    expect(matchingSeries(ref, [series('mr', 'MR', 'HEAD', 'T1'), series('ct', 'CT', 'HEAD', 'Head')])?.seriesInstanceUID).toBe('ct');
  });
});

describe('pickPrior', () => {
  const p = (name: string, tier: number, date: string) => ({ name, tier, date });
  const pick = (list: ReturnType<typeof p>[]) => pickPrior(list, (x) => x.tier, (x) => x.date)?.name;

  it('takes the highest tier, then the newest, then the first given; undated last', () => {
    expect(pick([p('old-any', 0, '20200101'), p('new-any', 0, '20240101')])).toBe('new-any');
    expect(pick([p('new-any', 0, '20240101'), p('old-modality', 1, '20100101')])).toBe('old-modality');
    expect(pick([p('undated', 2, ''), p('dated', 2, '20010101')])).toBe('dated');
    expect(pick([p('first', 1, '20240101'), p('second', 1, '20240101')])).toBe('first');
    expect(pick([p('only-undated', 1, ''), p('also-undated', 1, '')])).toBe('only-undated');
    expect(pick([])).toBeUndefined();
  });
});

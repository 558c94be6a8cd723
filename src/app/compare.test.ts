import { beforeEach, describe, expect, it } from 'vitest';
import type { SeriesSummary, StudySummary } from '../model/types';
import { useConfigStore } from '../store/config';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';
import { compareWithPrior } from './compare';

const CUR = '1.1';
const OLD = '1.2';
const summary = (uid: string, date: string): StudySummary => ({
  studyInstanceUID: uid,
  patientName: 'DOE^JANE',
  patientId: 'P1',
  patientBirthDate: '',
  patientSex: '',
  studyDate: date,
  studyTime: '',
  accessionNumber: '',
  description: '',
  modalities: ['CT'],
  referringPhysician: '',
});
const series = (study: string, uid: string): SeriesSummary => ({
  studyInstanceUID: study,
  seriesInstanceUID: uid,
  modality: 'CT',
  seriesNumber: 1,
  description: 'Axial',
  bodyPart: 'CHEST',
  numInstances: 10,
});

function open(studies: Record<string, SeriesSummary[]>) {
  const uids = Object.keys(studies);
  useStudyStore.setState({
    studyUIDs: uids,
    studies: Object.fromEntries(uids.map((u, i) => [u, { status: 'ready' as const, summary: summary(u, `2024010${i + 1}`) }])),
    seriesOrder: Object.fromEntries(uids.map((u) => [u, studies[u]!.map((s) => s.seriesInstanceUID)])),
    series: Object.fromEntries(Object.values(studies).flat().map((s) => [s.seriesInstanceUID, { summary: s, status: 'pending' as const }])),
    priors: { status: 'ready', studies: [] },
  });
}

describe('compare with prior (app)', () => {
  beforeEach(() => {
    useViewerStore.getState().reset();
    useConfigStore.setState({ config: undefined, clients: {} });
  });

  it('says so when the patient has no other study', async () => {
    open({ [CUR]: [series(CUR, 'cur')] });
    await compareWithPrior();
    expect(useStudyStore.getState().priors.note).toBe('No other study of this patient on this data source.');
    expect(useViewerStore.getState().layout).toEqual({ rows: 1, cols: 1 });
  });

  it('says so when the current study has no series', async () => {
    open({ [CUR]: [] });
    await compareWithPrior();
    expect(useStudyStore.getState().priors.note).toBe('The current study has no image series to compare.');
  });

  it('hangs the current series beside the open prior’s matching one, scroll-synced', async () => {
    open({ [CUR]: [series(CUR, 'cur')], [OLD]: [series(OLD, 'old')] });
    await compareWithPrior();
    const viewer = useViewerStore.getState();
    expect(viewer.layout).toEqual({ rows: 1, cols: 2 });
    expect(viewer.slots.map((s) => s.seriesInstanceUID)).toEqual(['cur', 'old']);
    expect(viewer.active).toBe(0);
    expect(viewer.syncGroups).toEqual([[0, 1]]);
    expect(useStudyStore.getState().priors.note).toBe('');
  });
});

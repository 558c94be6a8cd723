import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/schema';
import { DicomWebClient } from '../dicomweb/client';
import type { DicomJson } from '../dicom/json';
import { useConfigStore } from './config';
import { useStudyStore } from './study';
import { sortedRows, useWorklistStore } from './worklist';

const S = '1.2.3';
const study: DicomJson = {
  '0020000D': { vr: 'UI', Value: [S] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'DOE^JANE' }] },
  '00080020': { vr: 'DA', Value: ['20240101'] },
};
const series = (uid: string, n: number, modality = 'CT'): DicomJson => ({
  '0020000E': { vr: 'UI', Value: [uid] },
  '00200011': { vr: 'IS', Value: [n] },
  '00080060': { vr: 'CS', Value: [modality] },
});
const image = (sop: string, z: number): DicomJson => ({
  '00080018': { vr: 'UI', Value: [sop] },
  '00280010': { vr: 'US', Value: [2] },
  '00280011': { vr: 'US', Value: [2] },
  '00200032': { vr: 'DS', Value: [0, 0, z] },
  '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] },
});

let requests: string[] = [];
let failSeries = false;

function installPacs() {
  requests = [];
  const json = (b: unknown) => new Response(JSON.stringify(b), { status: 200 });
  const fetchImpl = async (url: string) => {
    const path = new URL(url).pathname + new URL(url).search;
    requests.push(path);
    if (path.startsWith('/dicom-web/studies?')) return json([study]);
    if (path.startsWith(`/dicom-web/studies/${S}/series?`) || path === `/dicom-web/studies/${S}/series`) {
      return failSeries ? new Response('down', { status: 503, statusText: 'Service Unavailable' }) : json([series('B', 2), series('A', 1), series('SR1', 9, 'SR')]);
    }
    if (path.endsWith('/series/A/metadata')) return json([image('a2', 0), image('a1', 5)]);
    if (path.endsWith('/series/B/metadata')) return json([image('b1', 0)]);
    if (path.endsWith('/series/SR1/metadata')) return json([{ '00080018': { vr: 'UI', Value: ['sr'] } }]);
    return new Response('', { status: 404, statusText: 'Not Found' });
  };
  const config = parseConfig({ dataSources: [{ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web' }], worklistPageSize: 10 });
  useConfigStore.setState({
    status: 'ready',
    config,
    clients: { pacs: new DicomWebClient(config.dataSources[0]!, fetchImpl, 'http://viewer/') },
  });
}

describe('study store', () => {
  beforeEach(() => {
    failSeries = false;
    installPacs();
  });

  it('opens a study: series in number order, each with a display set sorted by position', async () => {
    await useStudyStore.getState().open('pacs', [S]);
    const state = useStudyStore.getState();
    expect(state.studies[S]!.status).toBe('ready');
    expect(state.studies[S]!.summary!.patientName).toBe('DOE^JANE');
    expect(state.seriesOrder[S]).toEqual(['A', 'B', 'SR1']);
    expect(state.series.A!.displaySet!.frames.map((f) => f.sopInstanceUID)).toEqual(['a1', 'a2']);
    expect(state.series.SR1!.displaySet!.frames).toEqual([]);
    // The first series' metadata is asked for before the others'.
    const metadata = requests.filter((r) => r.endsWith('/metadata'));
    expect(metadata[0]).toContain('/series/A/');
  });

  it('fetches a linked series alongside the searches and uses that response', async () => {
    await useStudyStore.getState().open('pacs', [S], 'B');
    expect(requests.filter((r) => r.endsWith('/series/B/metadata'))).toHaveLength(1);
    expect(requests.findIndex((r) => r.endsWith('/series/B/metadata'))).toBeLessThan(
      requests.findIndex((r) => r.includes('/series?') || r.endsWith('/series')),
    );
    expect(useStudyStore.getState().series.B!.status).toBe('ready');
  });

  it('reports a failing series search with URL and status', async () => {
    failSeries = true;
    await useStudyStore.getState().open('pacs', [S]);
    const entry = useStudyStore.getState().studies[S]!;
    expect(entry.status).toBe('error');
    expect(entry.error).toContain('http://viewer/dicom-web/studies/1.2.3/series answered 503');
  });

  it('says when the data source is unknown', async () => {
    await useStudyStore.getState().open('nope', [S]);
    expect(useStudyStore.getState().studies[S]!.error).toContain('Unknown data source "nope"');
  });
});

describe('worklist store', () => {
  beforeEach(() => installPacs());

  it('searches, sorts the page and expands a study into its series', async () => {
    const w = useWorklistStore.getState();
    w.setDataSource('pacs');
    w.setFilters({ patientName: 'doe' });
    await useWorklistStore.getState().search(0);
    const state = useWorklistStore.getState();
    expect(state.status).toBe('ready');
    expect(sortedRows(state).map((r) => r.patientName)).toEqual(['DOE^JANE']);
    expect(requests.at(-1)).toContain('PatientName=doe*');
    await useWorklistStore.getState().toggleExpanded(S);
    expect(useWorklistStore.getState().expanded[S]!.series.map((x) => x.seriesInstanceUID)).toEqual(['A', 'B', 'SR1']);
    await useWorklistStore.getState().toggleExpanded(S);
    expect(useWorklistStore.getState().expanded[S]).toBeUndefined();
  });

  it('toggles sort direction on the same column', () => {
    useWorklistStore.setState({ sortKey: 'studyDate', sortDir: 'desc' });
    useWorklistStore.getState().setSort('studyDate');
    expect(useWorklistStore.getState().sortDir).toBe('asc');
    useWorklistStore.getState().setSort('patientName');
    expect(useWorklistStore.getState()).toMatchObject({ sortKey: 'patientName', sortDir: 'asc' });
  });
});

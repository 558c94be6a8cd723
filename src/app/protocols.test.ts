import { beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/schema';
import type { SeriesSummary } from '../model/types';
import { useConfigStore } from '../store/config';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';
import { allProtocols, applicableProtocols, fillFromProtocol, hangByProtocol, protocolStudyOf } from './protocols';
import { WINDOW_PRESETS } from '../model/windowPresets';

const ST = '1.2.3';
const ct = (uid: string, n: number, numInstances: number): SeriesSummary => ({
  studyInstanceUID: ST,
  seriesInstanceUID: uid,
  modality: 'CT',
  seriesNumber: n,
  description: `series ${n}`,
  bodyPart: 'CHEST',
  numInstances,
});

function openStudy(series: SeriesSummary[]) {
  useStudyStore.setState({
    studyUIDs: [ST],
    studies: { [ST]: { status: 'ready' } },
    seriesOrder: { [ST]: series.map((s) => s.seriesInstanceUID) },
    series: Object.fromEntries(series.map((s) => [s.seriesInstanceUID, { summary: s, status: 'pending' as const }])),
  });
}

describe('hanging protocols (app)', () => {
  beforeEach(() => {
    useViewerStore.getState().reset();
    useConfigStore.setState({ config: undefined });
    useStudyStore.setState({ studyUIDs: [], studies: {}, seriesOrder: {}, series: {} });
  });

  it("puts the site's protocols first; one with a built-in protocol's id replaces it", () => {
    const builtIn = allProtocols();
    expect(builtIn.length).toBeGreaterThan(0);
    const id = builtIn[0]!.id;
    const config = parseConfig({
      dataSources: [{ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web' }],
      hangingProtocols: [{ ...builtIn[0]!, name: 'Site version' }],
    });
    useConfigStore.setState({ config });
    const all = allProtocols();
    expect(all[0]).toMatchObject({ id, name: 'Site version' });
    expect(all.filter((p) => p.id === id)).toHaveLength(1);
    expect(all).toHaveLength(builtIn.length);
  });

  it('describes an open study for matching: listed series count as having images until their metadata says', () => {
    expect(protocolStudyOf(ST)).toBeUndefined();
    openStudy([ct('A', 1, 10), { ...ct('B', 2, 0), numInstances: undefined }]);
    const study = protocolStudyOf(ST)!;
    expect(study.modalities).toEqual(['CT']);
    expect(study.bodyPart).toBe('CHEST');
    expect(study.series.map((s) => [s.seriesInstanceUID, s.numImages])).toEqual([
      ['A', 10],
      ['B', 1],
    ]);
  });

  it("hangs the open study and remembers the reader's choice for its modality", () => {
    openStudy([ct('A', 1, 10), ct('B', 2, 20)]);
    expect(applicableProtocols().length).toBeGreaterThan(0);
    const first = hangByProtocol()!;
    const viewer = useViewerStore.getState();
    expect(viewer.protocol?.id).toBe(first.protocolId);
    expect(viewer.slots.some((s) => s.seriesInstanceUID)).toBe(true);
    const other = applicableProtocols().find((p) => p.id !== first.protocolId);
    if (!other) return;
    hangByProtocol(other.id);
    expect(useViewerStore.getState().protocolChoices.CT).toBe(other.id);
    expect(hangByProtocol()!.protocolId).toBe(other.id);
  });

  it("fills a larger layout's empty viewports from the protocol: the chest CT in its other window, then nothing", () => {
    openStudy([ct('A', 1, 200)]);
    expect(hangByProtocol('ct-chest')!.protocolId).toBe('ct-chest');
    const viewer = useViewerStore.getState();
    viewer.setLayout({ rows: 1, cols: 1 });
    viewer.setLayout({ rows: 2, cols: 2 });
    expect(fillFromProtocol()).toBe(1);
    const slots = useViewerStore.getState().slots;
    const lung = WINDOW_PRESETS.lung;
    expect(slots[1]).toEqual({ seriesInstanceUID: 'A', initialWindow: { center: lung.center, width: lung.width } });
    expect(slots.slice(2)).toEqual([{}, {}]);
    expect(fillFromProtocol()).toBe(0);
  });

  it('hangs nothing while no study is open', () => {
    expect(hangByProtocol()).toBeUndefined();
    expect(applicableProtocols()).toEqual([]);
  });
});

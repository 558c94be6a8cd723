import { beforeEach, describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import type { SrReference } from '../model/srDocument';
import type { DisplaySet, FrameRef, InstanceMeta, SeriesSummary } from '../model/types';
import { useStudyStore } from '../store/study';
import { useViewerStore } from '../store/viewer';
import { openReportSeries, showKeyImages, showReferencedImage, viewportBeside } from './documents';

const summary = (uid: string, modality: string): SeriesSummary => ({ studyInstanceUID: 'st', seriesInstanceUID: uid, modality, description: uid, bodyPart: '' });
const inst = (sop: string, raw: DicomJson = {}): InstanceMeta => ({ sopInstanceUID: sop, sopClassUID: '1.2.840.10008.5.1.4.1.1.2', numberOfFrames: 1, raw });
const frames = (series: string, n: number): FrameRef[] =>
  Array.from({ length: n }, (_, i) => ({ studyInstanceUID: 'st', seriesInstanceUID: series, sopInstanceUID: `${series}.${i + 1}`, frameNumber: 1, instance: inst(`${series}.${i + 1}`) }));
const ready = (displaySet: DisplaySet) => ({ summary: displaySet.series, status: 'ready' as const, displaySet });
const ref = (series: string, sop: string): SrReference => ({ sopClassUID: '', sopInstanceUID: sop, frames: [], seriesInstanceUID: series, studyInstanceUID: 'st' });

const ct: DisplaySet = { series: summary('ct', 'CT'), kind: 'image', frames: frames('ct', 10), objects: [], notes: [] };
const report = (raw: DicomJson): DisplaySet => ({ series: summary('sr', 'SR'), kind: 'sr', frames: [], objects: [{ ...inst('sr.1', raw), sopClassUID: '1.2.840.10008.5.1.4.1.1.88.33' }], notes: [] });

beforeEach(() => {
  useViewerStore.getState().reset();
  useStudyStore.setState({ dataSource: 'test', studyUIDs: ['st'], seriesOrder: { st: ['ct', 'sr'] }, series: { ct: ready(ct), sr: ready(report({})) } });
});

describe('viewportBeside', () => {
  it('prefers a viewport showing the series, then an empty one, then the next one', () => {
    expect(viewportBeside([{ seriesInstanceUID: 'sr' }, { seriesInstanceUID: 'mr' }, { seriesInstanceUID: 'ct' }], 0, 'ct')).toBe(2);
    expect(viewportBeside([{ seriesInstanceUID: 'mr' }, {}, { seriesInstanceUID: 'sr' }], 2, 'ct')).toBe(1);
    expect(viewportBeside([{ seriesInstanceUID: 'mr' }, { seriesInstanceUID: 'sr' }, { seriesInstanceUID: 'x' }], 1, 'ct')).toBe(2);
    expect(viewportBeside([{ seriesInstanceUID: 'mr' }, { seriesInstanceUID: 'sr' }], 1, 'ct')).toBe(0);
    expect(viewportBeside([{ seriesInstanceUID: 'sr' }], 0, 'ct')).toBeUndefined();
  });
});

describe('report series from the series panel', () => {
  it('opens a report that is no measurement report in the active viewport', async () => {
    await openReportSeries(undefined, 'sr');
    expect(useViewerStore.getState().slots[0]?.seriesInstanceUID).toBe('sr');
  });
  it('leaves the viewports alone for a series whose metadata cannot be read', async () => {
    useStudyStore.setState((s) => ({ series: { ...s.series, sr: { summary: summary('sr', 'SR'), status: 'error', error: '404' } } }));
    await openReportSeries(undefined, 'sr');
    expect(useViewerStore.getState().slots[0]?.seriesInstanceUID).toBeUndefined();
  });
  it('leaves the viewports alone for a TID 1500 measurement report (its measurements go onto the images)', async () => {
    const tid1500 = { '0040A504': { vr: 'SQ', Value: [{ '0040DB00': { vr: 'CS', Value: ['1500'] } }] } };
    useStudyStore.setState((s) => ({ series: { ...s.series, sr: ready(report(tid1500)) } }));
    await openReportSeries(undefined, 'sr');
    expect(useViewerStore.getState().slots[0]?.seriesInstanceUID).toBeUndefined();
  });
});

describe('image references', () => {
  it('shows the referenced image beside the report, growing a 1×1 layout to 1×2', async () => {
    useViewerStore.getState().showSeries(0, 'sr');
    expect(await showReferencedImage(ref('ct', 'ct.7'), 0)).toBe('shown');
    const { layout, slots } = useViewerStore.getState();
    expect(layout).toEqual({ rows: 1, cols: 2 });
    expect(slots).toEqual([{ seriesInstanceUID: 'sr' }, { seriesInstanceUID: 'ct', initialIndex: 6 }]);
    expect(await showReferencedImage(ref('ct', 'ct.99'), 0)).toBe('not-in-series');
    expect(await showReferencedImage(ref('mr', 'mr.1'), 0)).toBe('not-open');
    expect(await showReferencedImage({ ...ref('ct', 'ct.1'), seriesInstanceUID: undefined }, 0)).toBe('no-series');
  });

  it('shows key images as one stack beside the selection, and counts those not open here', async () => {
    useViewerStore.getState().showSeries(0, 'ko');
    const ko = { series: summary('ko', 'KO'), sopInstanceUID: 'ko.1', title: 'Of Interest' };
    const result = await showKeyImages(ko, [ref('ct', 'ct.3'), ref('ct', 'ct.5'), ref('mr', 'mr.1')], 0);
    expect(result).toEqual({ shown: 2, missing: 1 });
    const shown = useViewerStore.getState().slots[1]!.seriesInstanceUID!;
    const entry = useStudyStore.getState().series[shown]!;
    expect(entry.derived).toBe(true);
    expect(entry.displaySet!.frames.map((f) => f.sopInstanceUID)).toEqual(['ct.3', 'ct.5']);
    expect(useStudyStore.getState().seriesOrder.st).toEqual(['ct', 'sr']);
  });
});

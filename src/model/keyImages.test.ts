import { describe, expect, it } from 'vitest';
import { isKeyImageSetUid, keyImageStack } from './keyImages';
import type { FrameRef, InstanceMeta, SeriesSummary } from './types';
import type { SrReference } from './srDocument';

const series = (uid: string): SeriesSummary => ({ studyInstanceUID: 'st', seriesInstanceUID: uid, modality: 'CT', description: '', bodyPart: '' });
const frame = (seriesUID: string, sop: string, frameNumber = 1): FrameRef => ({
  studyInstanceUID: 'st',
  seriesInstanceUID: seriesUID,
  sopInstanceUID: sop,
  frameNumber,
  instance: { sopInstanceUID: sop, sopClassUID: '1.2.840.10008.5.1.4.1.1.2', numberOfFrames: 1, raw: {} } as InstanceMeta,
});
const ref = (seriesInstanceUID: string | undefined, sopInstanceUID: string, frames: number[] = []): SrReference => ({
  sopClassUID: '',
  sopInstanceUID,
  frames,
  seriesInstanceUID,
  studyInstanceUID: 'st',
});

describe('keyImageStack', () => {
  const ct = [frame('ct', 'c1'), frame('ct', 'c2'), frame('ct', 'c3')];
  const cine = [1, 2, 3, 4].map((f) => frame('xa', 'x1', f));
  const framesOf = (uid: string) => (uid === 'ct' ? ct : uid === 'xa' ? cine : undefined);
  const ko = { series: { ...series('ko'), modality: 'KO' }, sopInstanceUID: 'k1', title: 'Of Interest' };

  it('gathers the selected frames across series in the order of the selection, each once', () => {
    const { displaySet, missing } = keyImageStack(ko, [ref('ct', 'c3'), ref('xa', 'x1', [2, 4]), ref('ct', 'c1'), ref('ct', 'c3')], framesOf);
    expect(displaySet.frames.map((f) => `${f.seriesInstanceUID}/${f.sopInstanceUID}/${f.frameNumber}`)).toEqual(['ct/c3/1', 'xa/x1/2', 'xa/x1/4', 'ct/c1/1']);
    expect(displaySet.kind).toBe('image');
    expect(displaySet.series.description).toBe('Of Interest');
    expect(isKeyImageSetUid(displaySet.series.seriesInstanceUID)).toBe(true);
    expect(missing).toEqual([]);
  });

  it('takes every frame of a multi-frame image named without frames, and counts what it cannot find', () => {
    const { displaySet, missing } = keyImageStack(ko, [ref('xa', 'x1'), ref('other', 'o1'), ref(undefined, 'c1'), ref('ct', 'c9'), ref('xa', 'x1', [9])], framesOf);
    expect(displaySet.frames).toHaveLength(4);
    expect(missing.map((m) => m.sopInstanceUID)).toEqual(['o1', 'c1', 'c9', 'x1']);
  });
});

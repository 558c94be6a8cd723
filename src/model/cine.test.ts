import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { cineIntervalsMs, frameTimeMs, frameTimeVectorMs } from './cine';
import { instanceFromMetadata } from './parse';
import type { FrameRef, InstanceMeta } from './types';

const ds = (frames: number, extra: DicomJson): DicomJson => ({
  '00080018': { vr: 'UI', Value: [`1.2.${frames}`] },
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.3.1'] },
  '00280008': { vr: 'IS', Value: [frames] },
  '00280010': { vr: 'US', Value: [64] },
  '00280011': { vr: 'US', Value: [64] },
  ...extra,
});
const refs = (inst: InstanceMeta): FrameRef[] =>
  Array.from({ length: inst.numberOfFrames }, (_, i) => ({
    studyInstanceUID: '1',
    seriesInstanceUID: '2',
    sopInstanceUID: inst.sopInstanceUID,
    frameNumber: i + 1,
    instance: inst,
  }));

describe('cine timing from the file', () => {
  it('takes Frame Time, else Cine Rate, else Recommended Display Frame Rate, and ignores unusable values', () => {
    expect(frameTimeMs({ '00181063': { vr: 'DS', Value: [40] }, '00180040': { vr: 'IS', Value: [10] } })).toBe(40);
    expect(frameTimeMs({ '00180040': { vr: 'IS', Value: [25] } })).toBe(40);
    expect(frameTimeMs({ '00082144': { vr: 'IS', Value: [50] } })).toBe(20);
    expect(frameTimeMs({ '00181063': { vr: 'DS', Value: [0] }, '00180040': { vr: 'IS', Value: [20] } })).toBe(50);
    expect(frameTimeMs({ '00181063': { vr: 'DS', Value: [-5] } })).toBeUndefined();
    expect(frameTimeMs({})).toBeUndefined();
  });

  it('reads a frame time vector only with one usable value per frame', () => {
    const v = (values: number[], frames = values.length) => frameTimeVectorMs({ '00181065': { vr: 'DS', Value: values } }, frames);
    expect(v([0, 100, 400])).toEqual([0, 100, 400]);
    expect(v([0, 100], 3)).toBeUndefined(); // too short
    expect(v([0, 100, 0])).toBeUndefined(); // a zero interval
    expect(v([0])).toBeUndefined();
  });

  it('keeps each frame of a frame time vector until the next frame is due; the last as long as the one before', () => {
    const inst = instanceFromMetadata(ds(5, { '00181065': { vr: 'DS', Value: [0, 100, 100, 400, 400] }, '00181063': { vr: 'DS', Value: [66] } }));
    expect(inst.frameTimeVectorMs).toEqual([0, 100, 100, 400, 400]);
    expect(cineIntervalsMs(refs(inst))).toEqual([100, 100, 400, 400, 400]);
    // The loop takes the vector's total time (minus the first frame's 0, plus the last frame's own).
    expect(cineIntervalsMs(refs(inst))!.reduce((a, b) => a + b)).toBe(1400);
  });

  it('uses a regular frame time for every frame, and nothing for a series without timing', () => {
    const xa = instanceFromMetadata(ds(3, { '00181063': { vr: 'DS', Value: [1000 / 15] } }));
    expect(cineIntervalsMs(refs(xa))).toEqual([1000 / 15, 1000 / 15, 1000 / 15]);
    const ct = instanceFromMetadata(ds(4, {}));
    expect(cineIntervalsMs(refs(ct))).toBeUndefined();
    expect(cineIntervalsMs(refs(xa).slice(0, 1))).toBeUndefined();
  });

  it('gives images of a mixed series without timing the median of the others', () => {
    const timed = instanceFromMetadata(ds(3, { '00180040': { vr: 'IS', Value: [20] } }));
    const plain = instanceFromMetadata(ds(1, {}));
    expect(cineIntervalsMs([...refs(timed), ...refs(plain)])).toEqual([50, 50, 50, 50]);
  });
});

import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { metadataForCornerstone } from './cornerstoneMetadata';

const sc = (extra: DicomJson = {}): DicomJson => ({
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
  '00280010': { vr: 'US', Value: [64] },
  '00280011': { vr: 'US', Value: [64] },
  ...extra,
});

describe('metadataForCornerstone', () => {
  it('gives an absent or empty Modality an empty value, on a copy, and adds nothing else', () => {
    for (const modality of [undefined, { vr: 'CS' }, { vr: 'CS', Value: [null] }]) {
      const raw = sc(modality ? { '00080060': modality } : {});
      const out = metadataForCornerstone(raw);
      expect(out).not.toBe(raw);
      expect(out['00080060']).toEqual({ vr: 'CS', Value: [''] });
      // No invented geometry or modality: only the Modality key differs.
      expect({ ...out, '00080060': raw['00080060'] }).toEqual(raw);
      expect(raw['00080060']).toEqual(modality); // the app's own copy keeps what the file says
    }
  });

  it('returns the original when nothing needs changing, and the same copy on later calls', () => {
    const ct = sc({ '00080060': { vr: 'CS', Value: ['CT'] }, '00200037': { vr: 'DS', Value: [1, 0, 0, 0, 1, 0] } });
    expect(metadataForCornerstone(ct)).toBe(ct);
    const raw = sc();
    expect(metadataForCornerstone(raw)).toBe(metadataForCornerstone(raw));
  });

  it('still leaves unusable geometry out', () => {
    const out = metadataForCornerstone(sc({ '00080060': { vr: 'CS', Value: ['OT'] }, '00280030': { vr: 'DS', Value: ['abc', 0] } }));
    expect(out['00280030']).toBeUndefined();
    expect(out['00080060']).toEqual({ vr: 'CS', Value: ['OT'] });
  });
});

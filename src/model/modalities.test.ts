import { describe, expect, it } from 'vitest';
import { isNonImageModality, NON_IMAGE_MODALITIES } from './modalities';

describe('non-image modalities', () => {
  it('knows reports, states, RT objects and waveforms, in any case and padding', () => {
    for (const m of ['SR', 'sr', ' KO ', 'PR', 'SEG', 'RTSTRUCT', 'RTDOSE', 'RTRECORD', 'DOC', 'ECG', 'AU']) expect(isNonImageModality(m), m).toBe(true);
    expect(NON_IMAGE_MODALITIES.size).toBe(13);
  });

  it('leaves image modalities (and a missing one) to the images', () => {
    for (const m of ['CT', 'MR', 'US', 'PT', 'OT', 'SC', '', undefined]) expect(isNonImageModality(m), String(m)).toBe(false);
  });
});

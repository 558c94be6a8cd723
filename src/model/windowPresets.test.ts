import { describe, expect, it } from 'vitest';
import { freeReaderSlot, presetForKey, sitePresetsFor, sitePresetsSchema, WINDOW_PRESETS } from './windowPresets';

describe('window presets', () => {
  it("gives keys 1–5 OHIF's convention by default, for any modality", () => {
    const wl = (n: number) => {
      const p = presetForKey(n, 'CT', undefined, [])!;
      return [p.label, p.width, p.center];
    };
    expect([1, 2, 3, 4, 5].map(wl)).toEqual([
      ['Soft tissue', 400, 40],
      ['Lung', 1500, -600],
      ['Liver', 150, 90],
      ['Bone', 2500, 480],
      ['Brain', 80, 40],
    ]);
    expect(presetForKey(1, 'MR', undefined, [])).toEqual(WINDOW_PRESETS['soft-tissue']);
    expect(presetForKey(6, 'CT', undefined, [])).toBeUndefined();
    expect(presetForKey(0, 'CT', undefined, [])).toBeUndefined();
  });

  it("takes the site's list for the modality, then its \"*\" list, names or numbers", () => {
    const site = sitePresetsSchema.parse({ MR: [{ label: 'T2', center: 300, width: 600 }], '*': ['bone'] });
    expect(sitePresetsFor('MR', site)).toEqual([{ label: 'T2', center: 300, width: 600 }]);
    expect(presetForKey(2, 'MR', site, [])).toBeUndefined();
    expect(presetForKey(1, 'CT', site, [])).toEqual(WINDOW_PRESETS.bone);
    expect(sitePresetsFor(undefined, { CT: ['lung'] })).toHaveLength(5);
  });

  it('refuses bad site lists with a reason', () => {
    const bad = (v: unknown) => sitePresetsSchema.safeParse(v).success;
    expect(bad({ ct: ['lung'] })).toBe(false);
    expect(bad({ CT: ['lung', 'lung', 'lung', 'lung', 'lung', 'lung'] })).toBe(false);
    expect(bad({ CT: [{ label: 'x', center: 0, width: 0 }] })).toBe(false);
    expect(bad({ CT: ['spleen'] })).toBe(false);
  });

  it("puts the reader's presets on keys 6–9 and finds the first free one", () => {
    const mine = { label: 'Mine', center: 50, width: 350 };
    expect(presetForKey(7, 'CT', undefined, [null, mine])).toEqual(mine);
    expect(freeReaderSlot([null, mine])).toBe(0);
    expect(freeReaderSlot([mine, mine, mine, mine])).toBe(-1);
  });
});

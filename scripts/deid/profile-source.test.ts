import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BASIC_PROFILE, isCurveOrOverlayGroup, isPrivateGroup, PROFILE_BY_TAG, TABLE_E1_1_EDITION, TYPE1 } from '../../src/deid/profile';
import { EDITION, OPTION_COLUMNS, OUTPUT, parseProfileRows, readProfileData, renderProfileModule, tagOf } from './profile-source';

const data = readProfileData();

describe('generated profile table', () => {
  it('is what the checked-in data and the generator give (run `npm run deid:generate` after changing either)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderProfileModule(data));
    expect(TABLE_E1_1_EDITION).toBe(EDITION);
  });

  it('has every row of the standard’s table, with its action code and option columns', () => {
    const tagged = data.rows.filter((r) => tagOf(r) !== undefined);
    expect(data.rows.length).toBe(621); // DICOM 2024b: 617 single tags and 4 groups
    expect(BASIC_PROFILE.length).toBe(tagged.length);
    for (const row of tagged) {
      const tag = tagOf(row) ?? '';
      const entry = PROFILE_BY_TAG.get(tag);
      expect(entry, `${row.tag} ${row.name} missing from the generated table`).toBeDefined();
      expect(entry?.code, row.name).toBe(row.basicProfile);
      for (const [upstream, short] of Object.entries(OPTION_COLUMNS)) {
        expect(entry?.options[short], `${row.name} ${upstream}`).toBe(row.options[upstream as keyof typeof row.options]);
      }
      // the flags follow the option columns
      expect(entry?.patientCharacteristic, row.name).toBe(row.options.rtnPatCharsOpt === 'K');
      expect(entry?.temporal, row.name).toBe(row.options.rtnLongModifDatesOpt === 'C' && ['DA', 'TM', 'DT'].includes(entry?.vr ?? ''));
    }
  });

  it('leaves the group rows to the group rules of deidentify', () => {
    const groups = data.rows.filter((r) => tagOf(r) === undefined);
    expect(groups.map((r) => [r.tag, r.basicProfile])).toEqual([
      ['(50XX,XXXX)', 'X'],
      ['(60XX,4000)', 'X'],
      ['(60XX,3000)', 'X'],
      ['(GGGG,EEEE) WHERE GGGG IS ODD', 'X'],
    ]);
    expect(isCurveOrOverlayGroup(0x5000) && isCurveOrOverlayGroup(0x50fe) && isCurveOrOverlayGroup(0x6000) && isCurveOrOverlayGroup(0x601e)).toBe(true);
    expect(isPrivateGroup(0x0009) && isPrivateGroup(0x7fe1)).toBe(true);
  });

  it('names Type 1 only rows whose combined code allows D', () => {
    for (const [tag, why] of TYPE1) {
      const code = PROFILE_BY_TAG.get(tag)?.code ?? '';
      expect(code.split('/').length, why).toBeGreaterThan(1);
      expect(code.split('/'), why).toContain('D');
      expect(PROFILE_BY_TAG.get(tag)?.action, why).toBe('D');
    }
  });
});

describe('parseProfileRows', () => {
  const row = { name: 'Patient ID', tag: '(0010,0020)', stdCompIOD: 'Y', basicProfile: 'Z/D', id: '00100020' };

  it('reads a row and its option columns', () => {
    expect(parseProfileRows([{ ...row, rtnPatCharsOpt: 'K' }])).toEqual([
      { tag: '(0010,0020)', name: 'Patient ID', basicProfile: 'Z/D', stdCompIOD: 'Y', options: { rtnPatCharsOpt: 'K' } },
    ]);
  });

  it('fails on what it does not know, so a change of the upstream format is noticed', () => {
    expect(() => parseProfileRows([{ ...row, newOpt: 'K' }])).toThrow(/unknown column newOpt/);
    expect(() => parseProfileRows([{ ...row, basicProfile: 'X/Q' }])).toThrow(/basicProfile/);
    expect(() => parseProfileRows([{ ...row, cleanDescOpt: 'X' }])).toThrow(/cleanDescOpt/);
    expect(() => parseProfileRows({})).toThrow();
  });
});

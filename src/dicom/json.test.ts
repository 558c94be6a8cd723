import { describe, expect, it } from 'vitest';
import { getPersonName, getString } from './json';

describe('person names', () => {
  const pn = (value: unknown) => ({ '00100010': { vr: 'PN', Value: value === undefined ? undefined : [value] } });

  it('keeps ideographic and phonetic groups and drops empty trailing ones', () => {
    expect(getPersonName(pn({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' }), '00100010')).toBe(
      'Yamada^Tarou=山田^太郎=やまだ^たろう',
    );
    // Orthanc sends '^' for empty groups.
    expect(getPersonName(pn({ Alphabetic: 'Wang^XiaoDong', Ideographic: '^', Phonetic: '' }), '00100010')).toBe('Wang^XiaoDong');
    expect(getPersonName(pn({ Ideographic: '김^희중' }), '00100010')).toBe('=김^희중');
    expect(getPersonName(pn(undefined), '00100010')).toBe('');
    expect(getPersonName(pn('DOE^JANE'), '00100010')).toBe('DOE^JANE');
  });

  it('getString still gives the alphabetic form (used for matching)', () => {
    expect(getString(pn({ Alphabetic: 'Yamada^Tarou', Ideographic: '山田^太郎' }), '00100010')).toBe('Yamada^Tarou');
  });
});

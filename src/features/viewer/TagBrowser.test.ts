import { describe, expect, it } from 'vitest';
import { tagRows } from './TagBrowser';

describe('tagRows', () => {
  it('flattens sequences with depth and formats values as text', () => {
    const rows = tagRows(
      {
        '00100010': { vr: 'PN', Value: [{ Alphabetic: '<img src=x onerror=alert(1)>' }] },
        '00280030': { vr: 'DS', Value: [0.7, 0.7] },
        '00081140': { vr: 'SQ', Value: [{ '00081150': { vr: 'UI', Value: ['1.2'] } }] },
        '00091010': { vr: 'OB', InlineBinary: 'AAAA' },
      },
      (t) => (t === '00100010' ? 'PatientName' : ''),
    );
    expect(rows.map((r) => [r.depth, r.tag, r.value])).toEqual([
      [0, '00081140', '(1 item)'],
      [1, '', ''],
      [2, '00081150', '1.2'],
      [0, '00091010', '(binary, 3 bytes)'],
      [0, '00100010', '<img src=x onerror=alert(1)>'],
      [0, '00280030', '0.7\\0.7'],
    ]);
    expect(rows[4]!.name).toBe('PatientName');
  });
});

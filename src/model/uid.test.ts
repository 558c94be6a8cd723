import { describe, expect, it } from 'vitest';
import { isUid, newUid, uuidToUid } from './uid';

describe('UIDs', () => {
  it('accepts DICOM UIDs, older ones with leading zeros included', () => {
    for (const uid of ['1', '1.2.840.10008.1.2.1', '2.25.329800735698586629295641978511506172918', '1.2.040.01', '1'.repeat(64)]) {
      expect(isUid(uid), uid).toBe(true);
    }
  });

  it('refuses anything that could leave a path segment, and what is not a UID', () => {
    const bad = ['', '.', '..', '../1.2', '1.2/3', '1\\2', '1..2', '.1', '1.', '1.2\0', '1.2\n', ' 1.2', '1.2 ', 'abc', '1.2.x', '%2e%2e', '１.２', '1'.repeat(65)];
    for (const uid of bad) expect(isUid(uid), JSON.stringify(uid)).toBe(false);
  });

  it('makes new UIDs that pass the check', () => {
    expect(isUid(newUid())).toBe(true);
    expect(isUid(uuidToUid('6ba7b810-9dad-11d1-80b4-00c04fd430c8')!)).toBe(true);
  });
});

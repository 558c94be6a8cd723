import { describe, expect, it } from 'vitest';
import { registeredUid } from './uids';

describe('registeredUid', () => {
  it('names transfer syntaxes and SOP classes from PS3.6 Table A-1', () => {
    expect(registeredUid('1.2.840.10008.1.2.1')).toEqual({ name: 'Explicit VR Little Endian', type: 'Transfer Syntax', retired: false });
    expect(registeredUid('1.2.840.10008.1.2.4.80')?.name).toBe('JPEG-LS Lossless Image Compression');
    expect(registeredUid('1.2.840.10008.5.1.4.1.1.2')).toEqual({ name: 'CT Image Storage', type: 'SOP Class', retired: false });
    expect(registeredUid('1.2.840.10008.1.2.2')).toMatchObject({ name: 'Explicit VR Big Endian', retired: true });
  });

  it('knows nothing of UIDs made for one object', () => {
    expect(registeredUid('2.25.45559476688156292081851982785037626914')).toBeUndefined();
    expect(registeredUid('')).toBeUndefined();
  });
});

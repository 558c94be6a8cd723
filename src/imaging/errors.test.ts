import { describe, expect, it } from 'vitest';
import { describeLoadError } from './errors';

describe('describeLoadError', () => {
  it('reads XHR failures, wrapped errors, strings and the loader\'s unsupported-syntax wording', () => {
    expect(describeLoadError({ status: 0, readyState: 4 })).toBe('the server could not be reached');
    expect(describeLoadError({ status: 503, statusText: 'Service Unavailable', readyState: 4 })).toBe('the server answered 503 Service Unavailable');
    expect(describeLoadError({ error: new Error('inner') })).toBe('inner');
    expect(describeLoadError('plain')).toBe('plain');
    expect(describeLoadError(new Error('No decoder for transfer syntax 1.2.840.10008.1.2.4.100'))).toBe(
      'transfer syntax 1.2.840.10008.1.2.4.100 (MPEG-2 video) is not supported by this viewer',
    );
    expect(describeLoadError(undefined)).toBe('the image could not be decoded');
  });
});

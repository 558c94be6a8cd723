import { describe, expect, it } from 'vitest';
import { grantFromFragment } from './gateway';

describe('grantFromFragment', () => {
  it('takes a grant out of the link fragment and leaves the rest', () => {
    const grant = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLWJ5dGVz';
    expect(grantFromFragment(`#grant=${grant}`)).toEqual({ grant, rest: '' });
    expect(grantFromFragment(`#a=1&grant=${grant}`)).toEqual({ grant, rest: '#a=1' });
    expect(grantFromFragment('')).toEqual({ grant: undefined, rest: '' });
    // Not a grant's shape: dropped, not sent.
    expect(grantFromFragment('#grant=<script>')).toEqual({ grant: undefined, rest: '' });
  });
});

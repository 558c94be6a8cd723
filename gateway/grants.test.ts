import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { grantSigner, isRecipient, normaliseRecipient, readGrantKeys } from './grants.mjs';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-grants-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const key = (s: string) => new TextEncoder().encode(s.padEnd(40, '.'));

describe('grant keys', () => {
  it('reads one key per line, refusing short keys and files in served folders', () => {
    const f = path.join(dir, 'keys');
    fs.writeFileSync(f, `${'a'.repeat(40)}\n\n${'b'.repeat(48)}\n`);
    expect(readGrantKeys(f, []).map((k) => k.length)).toEqual([40, 48]);
    fs.writeFileSync(f, 'short\n');
    expect(() => readGrantKeys(f, [])).toThrow(/at least 32 bytes/);
    expect(() => readGrantKeys(f, [dir])).toThrow(/inside a served folder/);
    expect(() => readGrantKeys(path.join(dir, 'missing'), [])).toThrow(/cannot read/);
  });

  it('verifies grants signed with any listed key (rotation), and only those', async () => {
    const old = grantSigner([key('old')], { clockToleranceS: 0 });
    const rotated = grantSigner([key('new'), key('old')], { clockToleranceS: 0 });
    const stranger = grantSigner([key('other')], { clockToleranceS: 0 });
    const { grant } = await old.issue({ study: '1.2.3', recipient: 'u1', lifetimeS: 60, by: 'sharer' });
    expect(await rotated.verify(grant)).toMatchObject({ ok: true, study: '1.2.3', recipient: 'u1', by: 'sharer' });
    expect(await stranger.verify(grant)).toEqual({ ok: false, reason: 'the grant was not signed by this site' });
    expect(await rotated.verify('x'.repeat(5000))).toMatchObject({ ok: false });
  });
});

describe('grant recipients', () => {
  it('are e-mail addresses (case-insensitive) or subjects', () => {
    expect(normaliseRecipient(' Doc@Example.ORG ')).toBe('doc@example.org');
    expect(normaliseRecipient('f3a1-subject')).toBe('f3a1-subject');
    for (const bad of ['', 'two words', 'a@b@c', 42, null]) expect(normaliseRecipient(bad)).toBeNull();
    const p = { id: 'sub-1', name: 'n', email: 'Doc@example.org', roles: new Set<string>(), scope: null };
    // By e-mail only when the token says the provider verified it.
    expect(isRecipient('doc@example.org', { ...p, emailVerified: true })).toBe(true);
    expect(isRecipient('doc@example.org', p)).toBe(false);
    expect(isRecipient('doc@example.org', { ...p, emailVerified: false })).toBe(false);
    expect(isRecipient('sub-1', p)).toBe(true);
    expect(isRecipient('sub-2', p)).toBe(false);
  });
});

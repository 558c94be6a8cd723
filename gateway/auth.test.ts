import { describe, expect, it } from 'vitest';
import { canRead, checkSignIn, claimAt, principalFrom, signInDefaults } from './auth.mjs';
import { parseArgs } from './options.mjs';

const args = (argv: string[], env: Record<string, string> = {}) => parseArgs(argv, env).signIn;

describe('sign-in settings', () => {
  it('is off without an issuer, whatever else is default', () => {
    expect(checkSignIn(args([]))).toBeUndefined();
    expect(() => checkSignIn(args(['--oidc-audience', 'x']))).toThrow(/need --oidc-issuer/);
  });

  it('reads flags and the environment', () => {
    const s = args(
      ['--oidc-issuer', 'https://kc.example.org/realms/h', '--oidc-roles-claim', 'realm_access.roles', '--oidc-role-map', 'pacs-read=reader, pacs-share=sharer', '--oidc-clock-tolerance', '10'],
      { OIDC_AUDIENCE: 'lumen,lumen-2', OIDC_STUDY_CLAIM: 'studies' },
    );
    const c = checkSignIn(s)!;
    expect(c).toMatchObject({ issuer: 'https://kc.example.org/realms/h', audience: ['lumen', 'lumen-2'], rolesClaim: 'realm_access.roles', studyClaim: 'studies', patientClaim: 'lumen_patients', clockToleranceS: 10, grantRole: 'sharer' });
    expect([...c.roleMap]).toEqual([['pacs-read', 'reader'], ['pacs-share', 'sharer']]);
  });

  it('refuses settings that would let the wrong tokens in, saying why', () => {
    const base = ['--oidc-audience', 'lumen'];
    expect(() => checkSignIn(args(['--oidc-issuer', 'http://idp.example.org/', ...base]))).toThrow(/https/);
    expect(() => checkSignIn(args(['--oidc-issuer', 'nonsense', ...base]))).toThrow(/not a URL/);
    expect(() => checkSignIn(args(['--oidc-issuer', 'https://idp.example.org']))).toThrow(/--oidc-audience is required/);
    expect(() => checkSignIn(args(['--oidc-issuer', 'https://idp.example.org', ...base, '--oidc-role-map', 'x=admin']))).toThrow(/not one of/);
    expect(() => checkSignIn(args(['--oidc-issuer', 'https://idp.example.org', ...base, '--oidc-roles-claim', 'a..b']))).toThrow(/dotted path/);
    expect(checkSignIn(args(['--oidc-issuer', 'http://127.0.0.1:9000/realms/t', ...base]))?.issuer).toBe('http://127.0.0.1:9000/realms/t');
    expect(() => args(['--oidc-clock-tolerance', '-1'])).toThrow(/≥ 0/);
  });
});

describe('principal from claims', () => {
  const cfg = checkSignIn({ ...signInDefaults({}), issuer: 'https://idp.example.org', audience: ['a'], rolesClaim: 'realm_access.roles', roleMap: 'pacs-view=reader' })!;

  it('reads Keycloak-style nested roles, maps provider names, and ignores roles it does not know', () => {
    const p = principalFrom({ sub: 's1', preferred_username: 'jdoe', realm_access: { roles: ['pacs-view', 'exporter', 'offline_access', 'admin'] } }, cfg);
    expect(p).toMatchObject({ id: 's1', name: 'jdoe', scope: null });
    expect([...p.roles].sort()).toEqual(['exporter', 'reader']);
    expect(canRead(p)).toBe(true);
  });

  it('reads roles given as one space-separated string, and a scope from either claim', () => {
    const flat = checkSignIn({ ...signInDefaults({}), issuer: 'https://idp.example.org', audience: ['a'] })!;
    const p = principalFrom({ sub: 's2', roles: 'uploader reporter', lumen_patients: 'P1,P2', lumen_studies: ['1.2.3', 'not a uid'] }, flat);
    expect([...p.roles].sort()).toEqual(['reporter', 'uploader']);
    expect(p.scope).toEqual({ studies: new Set(['1.2.3']), patients: new Set(['P1', 'P2']) });
  });

  it('gives an uploader alone no reading, and an unreadable scope claim no study (fail closed)', () => {
    const flat = checkSignIn({ ...signInDefaults({}), issuer: 'https://idp.example.org', audience: ['a'] })!;
    expect(canRead(principalFrom({ sub: 's3', roles: ['uploader'] }, flat))).toBe(false);
    expect(principalFrom({ sub: 's4', roles: ['reader'], lumen_studies: 42 }, flat).scope).toEqual({ studies: new Set(), patients: new Set() });
  });

  it('walks dotted claim paths without tripping on arrays or missing steps', () => {
    expect(claimAt({ a: { b: { c: 1 } } }, 'a.b.c')).toBe(1);
    expect(claimAt({ a: [{ b: 1 }] }, 'a.0.b')).toBeUndefined();
    expect(claimAt({}, 'resource_access.lumen.roles')).toBeUndefined();
  });
});

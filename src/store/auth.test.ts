import { describe, expect, it } from 'vitest';
import { allowed, credentialHeaders, useAuthStore } from './auth';

const gateway = (roles: string[], scoped = false) => ({
  user: { id: 'u', name: 'U' },
  roles,
  scope: scoped ? { studies: ['1.2.3'], patients: [] } : null,
  sharing: false,
});

describe('auth store', () => {
  it('with sign-in off: everything is allowed and no credentials are sent', () => {
    expect(useAuthStore.getState().enabled).toBe(false);
    for (const what of ['read', 'store-report', 'upload', 'export'] as const) expect(allowed({ enabled: false }, what)).toBe(true);
    expect(credentialHeaders()).toEqual({});
  });

  it('shows each role only what the gateway lets it do', () => {
    const reader = { enabled: true, gateway: gateway(['reader']) };
    expect(['read', 'store-report', 'upload', 'export'].map((w) => allowed(reader, w as never))).toEqual([true, false, false, false]);
    const reporter = { enabled: true, gateway: gateway(['reader', 'reporter']) };
    expect(allowed(reporter, 'store-report')).toBe(true);
    expect(allowed(reporter, 'upload')).toBe(false);
    const uploader = { enabled: true, gateway: gateway(['uploader']) };
    expect([allowed(uploader, 'read'), allowed(uploader, 'upload'), allowed(uploader, 'store-report')]).toEqual([false, true, true]);
    expect(allowed({ enabled: true, gateway: gateway(['exporter']) }, 'export')).toBe(true);
    // A study-scoped account stores nothing, whatever its roles (the gateway refuses it).
    const scoped = { enabled: true, gateway: gateway(['reader', 'reporter', 'uploader'], true) };
    expect([allowed(scoped, 'read'), allowed(scoped, 'store-report'), allowed(scoped, 'upload')]).toEqual([true, false, false]);
    // Signed in, but the gateway has not said yet (or could not): nothing beyond what needs no role.
    expect(allowed({ enabled: true }, 'read')).toBe(false);
  });
});

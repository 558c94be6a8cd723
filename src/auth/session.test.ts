import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// oidc-client-ts stands in: what matters here is what the sign-in request's state carries and what comes back.
const signinRedirect = vi.fn(async (_args: { state: unknown }) => undefined);
const signinRedirectCallback = vi.fn();
vi.mock('oidc-client-ts', () => {
  class UserManager {
    events = { addUserLoaded: vi.fn(), addSilentRenewError: vi.fn(), addAccessTokenExpired: vi.fn(), addAccessTokenExpiring: vi.fn() };
    stopSilentRenew = vi.fn();
    signinRedirect = signinRedirect;
    signinRedirectCallback = signinRedirectCallback;
  }
  class OidcClient {}
  class InMemoryWebStorage {}
  class WebStorageStateStore {}
  return { UserManager, OidcClient, InMemoryWebStorage, WebStorageStateStore };
});

const { AuthSession } = await import('./session');

const config = {
  authority: 'https://idp.example',
  clientId: 'lumen',
  scope: 'openid',
  redirectPath: '/auth/callback',
  popupRedirectPath: '/auth/popup',
  postLogoutRedirectPath: '/',
  renewBeforeExpirySeconds: 60,
} as never;
const at = (pathname: string, search = '') => ({ pathname, search, href: `https://v.example${pathname}${search}` }) as Location;

describe('AuthSession.start and a launch', () => {
  const replaceState = vi.fn();
  beforeEach(() => {
    vi.stubGlobal('window', { location: at('/'), sessionStorage: {}, history: { replaceState } });
  });
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.clearAllMocks();
  });

  it('takes the launch to the provider in the request state, not from the (already cleaned) address bar', async () => {
    const launch = '/IHEInvokeImageDisplay?requestType=PATIENT&patientID=P1';
    await new AuthSession(config, 'https://v.example').start(at('/launch'), undefined, launch);
    expect(signinRedirect).toHaveBeenCalledWith({ state: { returnTo: launch } });
    await new AuthSession(config, 'https://v.example').start(at('/viewer', '?StudyInstanceUIDs=1.2.3'));
    expect(signinRedirect).toHaveBeenLastCalledWith({ state: { returnTo: '/viewer?StudyInstanceUIDs=1.2.3' } });
  });

  it('hands the launch back at the callback, with the code and state out of the address bar first', async () => {
    const launch = '/studies?PatientID=P1';
    signinRedirectCallback.mockResolvedValue({ state: { returnTo: launch }, profile: { sub: 'u' }, expired: false, access_token: 't' });
    const back = await new AuthSession(config, 'https://v.example').start(at('/auth/callback', '?code=c&state=s'));
    expect(replaceState).toHaveBeenCalledWith(null, '', '/auth/callback');
    expect(back).toEqual({ returnTo: launch, grant: undefined });
  });

  it('is signed in only once finish() is called, and says which provider it could not reach', async () => {
    signinRedirectCallback.mockResolvedValue({ state: { returnTo: '/', grant: 'g' }, profile: { sub: 'u', name: 'Dr U' }, expired: false, access_token: 't', refresh_token: 'r' });
    const session = new AuthSession(config, 'https://v.example');
    const back = await session.start(at('/auth/callback', '?code=c&state=s'));
    expect(back).toEqual({ returnTo: '/', grant: 'g' });
    expect(session.accessToken()).toBeUndefined();
    session.finish();
    expect(session.current).toMatchObject({ status: 'signed-in', user: { id: 'u', name: 'Dr U' } });
    expect(session.accessToken()).toBe('t');

    signinRedirect.mockRejectedValueOnce(new Error('Failed to fetch'));
    const down = new AuthSession(config, 'https://v.example');
    await down.start(at('/viewer', '?StudyInstanceUIDs=1.2.3'));
    expect(down.current).toEqual({ status: 'error', message: 'The sign-in provider https://idp.example could not be reached: Failed to fetch' });
  });
});

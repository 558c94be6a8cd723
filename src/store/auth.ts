import { create } from 'zustand';
import type { OidcConfig } from '../auth/config';
import { fetchGatewaySession, grantFromFragment, GRANT_HEADER, reportToAudit, type AuditReport, type GatewaySession } from '../auth/gateway';
// Type only: oidc-client-ts loads when a site turns sign-in on (start), not with every page.
import type { AuthSession, AuthState } from '../auth/session';

/**
 * Sign-in (config `oidc`): the session with the provider (tokens in its memory, never in this store's state, so
 * nothing that renders or logs state sees them), its status, and what the gateway allows the user.
 */
interface AuthStoreState extends AuthState {
  /** Sign-in is configured; when false every action is allowed and no token is sent. */
  enabled: boolean;
  /** What the gateway allows (GET /api/session), once signed in. */
  gateway?: GatewaySession;
  /** Why the gateway could not say (the viewer then allows only reading). */
  gatewayError?: string;
  /**
   * Starts sign-in; resolves with the path to show when the sign-in came back from the provider. `returnTo`
   * replaces the address bar's location as where to come back (a launch, no longer in the address bar).
   */
  start: (config: OidcConfig, returnTo?: string) => Promise<string | undefined>;
  signInAgain: () => Promise<void>;
  signOut: () => Promise<void>;
}

let session: AuthSession | undefined;
/** A study grant from a share link (`#grant=…`): in memory, sent as a header with every request. */
let grant: string | undefined;

let starting: Promise<string | undefined> | undefined;

export const useAuthStore = create<AuthStoreState>((set) => ({
  enabled: false,
  status: 'signed-out',
  // Once per page (React's StrictMode runs effects twice in development): a second call gets the first's answer.
  start: (config, returnTo) => (starting ??= begin(config, returnTo)),
  signInAgain: async () => {
    await session?.signInAgain();
  },
  signOut: async () => {
    // Recorded while the token is still good; then everything the tab holds is dropped.
    await audit({ type: 'sign-out' });
    grant = undefined;
    set({ gateway: undefined });
    await session?.signOut();
  },
}));

async function begin(config: OidcConfig, returnTo: string | undefined): Promise<string | undefined> {
  const { setState: set, getState: get } = useAuthStore;
  if (!session) {
    set({ enabled: true, status: 'starting' });
    const { AuthSession } = await import('../auth/session');
    session ??= new AuthSession(config);
  }
  const s = session;
  // A share link's grant leaves the address bar at once; it rides in the sign-in request's state if needed.
  const fromLink = grantFromFragment(window.location.hash);
  if (fromLink.grant) window.history.replaceState(null, '', window.location.pathname + window.location.search + fromLink.rest);
  set({ enabled: true, ...s.current });
  s.watch((state) => {
    const was = get().status;
    set({ ...state, message: state.message });
    if (state.status === 'signed-in' && was !== 'signed-in') void afterSignIn(was === 'expired' ? 'renewed' : 'new');
  });
  const back = await s.start(window.location, fromLink.grant, returnTo);
  // The grant is in place before the session counts as signed in (finish): no request goes out without it.
  if (back?.grant) grant = back.grant;
  s.finish();
  return back?.returnTo;
}

async function afterSignIn(kind: 'new' | 'renewed'): Promise<void> {
  if (kind === 'new') void audit({ type: 'sign-in' });
  try {
    useAuthStore.setState({ gateway: await fetchGatewaySession(accessToken(), grant), gatewayError: undefined });
  } catch (e) {
    useAuthStore.setState({ gatewayError: e instanceof Error ? e.message : String(e) });
  }
}

/** The access token, for the requests that need it (undefined with sign-in off or before it). */
export function accessToken(): string | undefined {
  return session?.accessToken();
}

/** The headers that carry the user's credentials (none with sign-in off). */
export function credentialHeaders(): Record<string, string> {
  const token = accessToken();
  return token ? { Authorization: `Bearer ${token}`, ...(grant ? { [GRANT_HEADER]: grant } : {}) } : {};
}

/** Reports to the gateway's audit trail when sign-in is on; a failure is logged without the report's content. */
export async function audit(report: AuditReport): Promise<void> {
  if (!useAuthStore.getState().enabled) return;
  try {
    await reportToAudit(accessToken(), report);
  } catch (e) {
    console.warn('the audit trail did not take a report:', e instanceof Error ? e.message : e);
  }
}

export type Capability = 'read' | 'store-report' | 'upload' | 'export';

/** Whether the signed-in user may do this (always, with sign-in off: the PACS decides). */
export function allowed(state: Pick<AuthStoreState, 'enabled' | 'gateway'>, what: Capability): boolean {
  if (!state.enabled) return true;
  const roles = new Set(state.gateway?.roles ?? []);
  const scoped = !!state.gateway?.scope;
  switch (what) {
    case 'read':
      return roles.has('reader') || roles.has('reporter') || roles.has('exporter');
    case 'store-report':
      return !scoped && (roles.has('reporter') || roles.has('uploader'));
    case 'upload':
      return !scoped && roles.has('uploader');
    case 'export':
      return roles.has('exporter');
  }
}

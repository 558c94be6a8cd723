// Sign-in with an OpenID provider: authorization code with PKCE through oidc-client-ts. Tokens live in this
// object's memory only (oidc-client-ts's user store is an in-memory one): never in the URL, localStorage or logs.
// The one thing kept in sessionStorage is the pending request's state and PKCE verifier, between leaving for the
// provider and coming back (a navigation empties memory); oidc-client-ts removes it when the callback is handled.
import { InMemoryWebStorage, UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { OidcConfig } from './config';

export type AuthStatus =
  /** Reading the callback, or asking the provider whether its session is still open. */
  | 'starting'
  /** Leaving for the provider's sign-in page. */
  | 'redirecting'
  | 'signed-in'
  /** The token could not be renewed (session ended or revoked at the provider): sign in again, in a popup. */
  | 'expired'
  | 'signed-out'
  | 'error';

export interface AuthUser {
  /** The token's subject. */
  id: string;
  name: string;
}

export interface AuthState {
  status: AuthStatus;
  user?: AuthUser;
  /** Why sign-in failed (status 'error'), or why the session ended (status 'expired'): never a token. */
  message?: string;
}

/** Where the provider sends the browser back, and where a popup or silent sign-in ends. */
export function isCallback(config: OidcConfig, pathname: string): boolean {
  return pathname === config.redirectPath;
}

export class AuthSession {
  private readonly manager: UserManager;
  private user: User | null = null;
  private state: AuthState = { status: 'starting' };
  private readonly watchers = new Set<(s: AuthState) => void>();

  constructor(
    private readonly config: OidcConfig,
    origin: string = window.location.origin,
  ) {
    const back = origin + config.redirectPath;
    this.manager = new UserManager({
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: back,
      popup_redirect_uri: back,
      silent_redirect_uri: back,
      post_logout_redirect_uri: origin + config.postLogoutRedirectPath,
      response_type: 'code',
      scope: config.scope,
      ...(config.resource ? { resource: config.resource } : {}),
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      automaticSilentRenew: true,
      accessTokenExpiringNotificationTimeInSeconds: config.renewBeforeExpirySeconds,
      // What the UI needs is in the ID token; no extra round trip to the user info endpoint.
      loadUserInfo: false,
    });
    this.manager.events.addUserLoaded((user) => this.signedIn(user));
    // Renewal failed (the provider's session ended, was revoked, or the provider is down): the reader signs in
    // again in a popup, and the page, its study and its unsaved measurements stay as they are.
    this.manager.events.addSilentRenewError((e) => this.expired(`The session could not be renewed: ${reason(e)}`));
    this.manager.events.addAccessTokenExpired(() => this.expired('The session has expired.'));
  }

  get current(): AuthState {
    return this.state;
  }

  /** Calls `fn` with every change of state; returns the unsubscribe function. */
  watch(fn: (s: AuthState) => void): () => void {
    this.watchers.add(fn);
    return () => this.watchers.delete(fn);
  }

  /** The access token for requests (undefined until signed in, and once it has expired). */
  accessToken(): string | undefined {
    return this.user && !this.user.expired ? this.user.access_token : undefined;
  }

  /**
   * Starts the session. At the callback path: completes the sign-in (redirect; a popup's or a silent renewal's is
   * handed to the page that opened it) and takes the code and state out of the address bar before anything else.
   * Elsewhere: to the provider's page (which comes straight back while its own session is open).
   * Resolves with the path to show once signed in (the callback comes back to where sign-in started).
   */
  async start(location: Location = window.location): Promise<string | undefined> {
    if (isCallback(this.config, location.pathname)) {
      const url = location.href;
      // The code and state leave the address bar (and the history) at once.
      window.history.replaceState(null, '', this.config.redirectPath);
      if (window.opener || window.parent !== window) {
        // A popup's or a silent renewal's callback: the page that opened it reads the answer.
        await this.manager.signinCallback(url).catch(() => undefined);
        return undefined;
      }
      try {
        const user = await this.manager.signinCallback(url);
        if (user) this.signedIn(user);
        const target = (user?.state as { returnTo?: string } | undefined)?.returnTo;
        return target && target.startsWith('/') && !target.startsWith('//') ? target : '/';
      } catch (e) {
        this.set({ status: 'error', message: `Sign-in did not complete: ${reason(e)}` });
        return undefined;
      }
    }
    this.set({ status: 'redirecting' });
    await this.manager.signinRedirect({ state: { returnTo: location.pathname + location.search } });
    return undefined;
  }

  /** Signs in again in a popup window (after a failed renewal): nothing on this page is lost. */
  async signInAgain(): Promise<void> {
    try {
      const user = await this.manager.signinPopup();
      this.signedIn(user);
    } catch (e) {
      this.set({ status: 'expired', user: this.state.user, message: `Signing in again did not complete: ${reason(e)}` });
    }
  }

  /** Ends the session at the provider and forgets every token; the browser goes to the provider, then back. */
  async signOut(): Promise<void> {
    const idToken = this.user?.id_token;
    this.user = null;
    await this.manager.removeUser();
    this.set({ status: 'signed-out' });
    await this.manager.signoutRedirect(idToken ? { id_token_hint: idToken } : undefined);
  }

  private signedIn(user: User): void {
    this.user = user;
    const p = user.profile;
    this.set({ status: 'signed-in', user: { id: p.sub, name: String(p.name ?? p.preferred_username ?? p.email ?? p.sub) } });
  }

  private expired(message: string): void {
    if (this.state.status !== 'signed-in') return;
    this.set({ status: 'expired', user: this.state.user, message });
  }

  private set(s: AuthState): void {
    this.state = s;
    for (const fn of this.watchers) fn(s);
  }
}

/** An error's text, without anything that could be a token (oidc-client-ts's messages name no tokens). */
function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]*/g, '[token]');
}

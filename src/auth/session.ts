// Sign-in with an OpenID provider: authorization code with PKCE through oidc-client-ts. Tokens live in this
// object's memory only (oidc-client-ts's user store is an in-memory one): never in the URL, localStorage or logs.
// The one thing kept in sessionStorage is the pending request's state (its PKCE verifier, and what must survive the
// trip: the path to return to — a launch from the EHR, with its identifiers — and a share link's grant), between
// leaving for the provider and coming back (a navigation empties memory); oidc-client-ts removes it at the callback.
import { InMemoryWebStorage, OidcClient, UserManager, WebStorageStateStore, type User, type UserManagerSettings } from 'oidc-client-ts';
import { isCallback, type OidcConfig } from './config';

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


/**
 * The sign-in window hands its answer to the page by a same-origin BroadcastChannel: the page is cross-origin
 * isolated (COOP same-origin), so a window that has been to the provider has no `opener` to post to.
 */
const CHANNEL = 'lumen-sign-in';

export class AuthSession {
  private readonly manager: UserManager;
  /** Makes the sign-in window's request (its state and PKCE verifier kept in this page's sessionStorage). */
  private readonly client: OidcClient;
  private readonly popupUri: string;
  private user: User | null = null;
  private state: AuthState = { status: 'starting' };
  private readonly watchers = new Set<(s: AuthState) => void>();
  /** Back from the provider, the user is held until the caller has taken what the sign-in carried (finish). */
  private holding = false;
  private held: User | undefined;

  constructor(
    private readonly config: OidcConfig,
    origin: string = window.location.origin,
  ) {
    const back = origin + config.redirectPath;
    this.popupUri = origin + config.popupRedirectPath;
    const settings: UserManagerSettings = {
      authority: config.authority,
      client_id: config.clientId,
      redirect_uri: back,
      post_logout_redirect_uri: origin + config.postLogoutRedirectPath,
      response_type: 'code',
      scope: config.scope,
      ...(config.resource ? { resource: config.resource } : {}),
      userStore: new WebStorageStateStore({ store: new InMemoryWebStorage() }),
      stateStore: new WebStorageStateStore({ store: window.sessionStorage }),
      // Renewal uses the refresh token (no hidden frame: the page may not be framed, CSP frame-ancestors 'none').
      automaticSilentRenew: true,
      accessTokenExpiringNotificationTimeInSeconds: config.renewBeforeExpirySeconds,
      // What the UI needs is in the ID token; no extra round trip to the user info endpoint.
      loadUserInfo: false,
    };
    this.manager = new UserManager(settings);
    this.client = new OidcClient(settings);
    this.manager.events.addUserLoaded((user) => {
      if (this.holding) this.held = user;
      else this.signedIn(user);
    });
    // Renewal failed (the provider's session ended, was revoked, or the provider is down): the reader signs in
    // again in a popup, and the page, its study and its unsaved measurements stay as they are.
    this.manager.events.addSilentRenewError((e) => this.expired(`The session could not be renewed: ${reason(e)}`));
    this.manager.events.addAccessTokenExpired(() => this.expired('The session has expired.'));
    this.manager.events.addAccessTokenExpiring(() => {
      if (this.user && !this.user.refresh_token) this.expired('The session ends in a minute, and the provider gave no way to renew it.');
    });
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
   * Starts the session. At the callback path: completes the sign-in (at the sign-in window's path, hands the answer
   * to the page that opened it) and takes the code and state out of the address bar before anything else.
   * Elsewhere: to the provider's page (which comes straight back while its own session is open).
   * Resolves with the path to show once signed in (the callback comes back to where sign-in started) and the
   * study grant the link carried, which waits out the trip to the provider in the request's state.
   */
  async start(location: Location = window.location, grant?: string, returnTo?: string): Promise<{ returnTo: string; grant?: string } | undefined> {
    if (isCallback(this.config, location.pathname)) {
      const url = location.href;
      const popup = location.pathname === this.config.popupRedirectPath;
      // The code and state leave the address bar (and the history) at once.
      window.history.replaceState(null, '', location.pathname);
      if (popup) {
        // The sign-in window: the page that opened it completes the sign-in (it holds the request's verifier).
        const channel = new BroadcastChannel(CHANNEL);
        channel.postMessage({ url });
        channel.close();
        window.close();
        return undefined;
      }
      try {
        this.holding = true;
        const user = await this.manager.signinRedirectCallback(url);
        this.held = user;
        const state = user.state as { returnTo?: string; grant?: string } | undefined;
        const target = state?.returnTo;
        // Signed in once the caller calls finish(), having taken the grant: no request goes out without it.
        return { returnTo: target && target.startsWith('/') && !target.startsWith('//') ? target : '/', grant: state?.grant };
      } catch (e) {
        this.holding = false;
        this.set({ status: 'error', message: `Sign-in did not complete: ${reason(e)}` });
        return undefined;
      }
    }
    this.set({ status: 'redirecting' });
    try {
      await this.manager.signinRedirect({ state: { returnTo: returnTo ?? location.pathname + location.search, ...(grant ? { grant } : {}) } });
    } catch (e) {
      // The provider cannot be reached (or config.json names a wrong authority): say so, with its address.
      this.set({ status: 'error', message: `The sign-in provider ${this.config.authority} could not be reached: ${reason(e)}` });
    }
    return undefined;
  }

  /** Completes a sign-in that came back from the provider (start): from now on requests carry the token. */
  finish(): void {
    this.holding = false;
    if (this.held) this.signedIn(this.held);
    this.held = undefined;
  }

  /**
   * Signs in again in a window of its own (after a failed renewal): this page, its study and its unsaved
   * measurements stay. The window comes back to `popupRedirectPath`, which hands the answer to this page.
   */
  async signInAgain(): Promise<void> {
    try {
      const request = await this.client.createSigninRequest({ request_type: 'si:r', redirect_uri: this.popupUri });
      const answer = waitForAnswer(request.state.id);
      const win = window.open(request.url, 'lumen-sign-in', 'popup,width=520,height=680');
      if (!win) throw new Error('the browser blocked the sign-in window: allow pop-ups for this site');
      const before = this.user?.profile.sub ?? this.state.user?.id;
      const user = await this.manager.signinRedirectCallback(await answer);
      if (before && user.profile.sub !== before) {
        // Someone else signed in: this page (another user's study, measurements) is not theirs to see.
        await this.manager.removeUser();
        this.user = null;
        window.location.assign('/');
        return;
      }
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
    // Without a refresh token oidc-client-ts would renew in a hidden frame, which this page's CSP forbids
    // (frame-ancestors 'none'): no silent renewal then; the reader is asked to sign in again before expiry.
    if (!user.refresh_token) this.manager.stopSilentRenew();
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

/** The callback URL the sign-in window sends back for request `state` (ten minutes to sign in). */
function waitForAnswer(state: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const channel = new BroadcastChannel(CHANNEL);
    const timer = setTimeout(() => {
      channel.close();
      reject(new Error('no answer from the sign-in window within ten minutes'));
    }, 600_000);
    channel.onmessage = (e: MessageEvent<{ url?: unknown }>) => {
      const url = typeof e.data?.url === 'string' ? e.data.url : undefined;
      if (!url || new URL(url).searchParams.get('state') !== state) return;
      clearTimeout(timer);
      channel.close();
      resolve(url);
    };
  });
}

/** An error's text, without anything that could be a token (oidc-client-ts's messages name no tokens). */
function reason(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]{20,}\.[A-Za-z0-9_-]*/g, '[token]');
}

// A real OpenID provider on loopback for the sign-in tests: npm `oidc-provider` (v9), in this process, on a free
// port, with test users, a public client for the viewer and JWT access tokens the gateway can verify.
//
//   const idp = await startProvider({ viewerOrigin: 'http://127.0.0.1:8080', accessTokenTtlS: 5 });
//   gateway flags: --oidc-issuer idp.issuer --oidc-audience idp.audience (roles in `roles`, scope in `lumen_studies`:
//   the gateway's defaults, so no --oidc-roles-claim / --oidc-study-claim is needed)
//   const tokens = await signInWithFetch(idp, idp.users.reader);    // code + PKCE through the real login form
//   await idp.revoke(idp.users.reader);                             // ends their sessions and refresh tokens
//   await idp.stop();
//
// What the browser side (oidc-client-ts) can rely on:
// - client `lumen-viewer`: public (no secret), authorization code with PKCE S256 only, redirect URIs on the
//   viewer's origin (`/auth/callback`, `/auth/popup`, `/auth/silent` unless `redirectPaths` says otherwise: the
//   defaults of config.json's `oidc` block, src/auth/config.ts, plus an iframe's), post-logout redirect
//   to the viewer's `/` (and `postLogoutPaths`); CORS on the token endpoint for the viewer's origin.
// - Renewal: a refresh token comes with every code exchange for scope `openid` (rotated on each use), without
//   `offline_access`: oidc-provider drops `offline_access` unless the request also says `prompt=consent`, and a
//   refresh token bound to the sign-in session is what "revoked session asks to sign in again" needs. So
//   oidc-client-ts's automaticSilentRenew works by the refresh_token grant. The iframe way (prompt=none) works too
//   on loopback: the provider and viewer are both on 127.0.0.1 (same site, different ports), so the provider's
//   SameSite=Lax session cookie goes with the iframe's request; but the app's pages say frame-ancestors 'none', so
//   its own silent page could not be framed as it is. Refresh tokens need no iframe.
// - Sign-out: RP-initiated logout (`end_session_endpoint`) shows the provider's "Yes, sign out" page, ends the
//   session and sends the browser to a registered post-logout URI; the session's refresh tokens stop working.
// - Access tokens are JWTs (RFC 9068, `typ: at+jwt`, RS256) for the resource `urn:lumen:dicom-web` (the default
//   resource: the app need not send `resource`), with `aud: lumen-viewer` and the user's `name`, `email`,
//   `email_verified`, `roles` and (for a scoped user) `lumen_studies`. ID tokens carry the same profile claims.
// - Login is the provider's own interaction page: a plain HTML form (`#username`, `#password`, "Sign in") that
//   checks the password; consent is given at once (a first-party app).
import http from 'node:http';
import { createHash, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair } from 'jose';
import { Provider, errors, type Adapter, type AdapterPayload } from 'oidc-provider';
import { loadManifest } from './run-info';

export const CLIENT_ID = 'lumen-viewer';
export const AUDIENCE = 'lumen-viewer';
export const RESOURCE = 'urn:lumen:dicom-web';
/** Another application at the same provider: its tokens (aud `another-app`) must not open the viewer's gateway. */
export const OTHER_RESOURCE = 'urn:example:another-app';
const AUDIENCES: Record<string, string> = { [RESOURCE]: AUDIENCE, [OTHER_RESOURCE]: 'another-app' };

export interface TestUser {
  /** The account id: the tokens' `sub`. */
  id: string;
  username: string;
  password: string;
  name: string;
  email: string;
  roles: string[];
  /** Study Instance UIDs the user is limited to (`lumen_studies`); absent: the whole archive. */
  studies?: string[];
}

export interface ProviderOptions {
  /** The viewer's origin, e.g. http://127.0.0.1:8080 (redirect URIs and CORS). */
  viewerOrigin: string;
  /** Access token lifetime in seconds (ID tokens live as long). */
  accessTokenTtlS?: number;
  /** Redirect URI paths on the viewer's origin (default /auth/callback, /auth/popup and /auth/silent). */
  redirectPaths?: string[];
  /** Post-logout redirect paths on the viewer's origin (default /). */
  postLogoutPaths?: string[];
  /** The referrer's studies (default: the demo CT's study from the e2e manifest). */
  referrerStudies?: string[];
  /** Refresh token lifetime in seconds (default 3600). */
  refreshTokenTtlS?: number;
}

export interface TestProvider {
  /** http://127.0.0.1:PORT: the gateway's --oidc-issuer and the app's authority. */
  issuer: string;
  clientId: string;
  /** The `aud` of access tokens: the gateway's --oidc-audience. */
  audience: string;
  resource: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  users: { reader: TestUser; reporter: TestUser; uploader: TestUser; referrer: TestUser; guest: TestUser };
  /** Ends every session of `user` and revokes their grants (refresh tokens, codes, stored access tokens). */
  revoke(user: TestUser): Promise<void>;
  /** How many sessions the provider holds for `user` (to check a revocation or a sign-out). */
  sessionsOf(user: TestUser): number;
  stop(): Promise<void>;
}

/** The test users. Passwords are per run: nothing here is a real secret. */
function testUsers(referrerStudies: string[]): TestProvider['users'] {
  const pw = () => randomBytes(9).toString('base64url');
  return {
    reader: { id: 'u-reader', username: 'reader', password: pw(), name: 'Dr. Ada Reader', email: 'ada.reader@hospital.test', roles: ['reader'] },
    reporter: {
      id: 'u-reporter',
      username: 'reporter',
      password: pw(),
      name: 'Dr. Rex Reporter',
      email: 'rex.reporter@hospital.test',
      // And shares: study grants for one person (docs/sign-in.md, "Grants").
      roles: ['reporter', 'exporter', 'sharer'],
    },
    // An uploader alone may not read (docs/sign-in.md): this one also reads, as a person at an import desk would.
    uploader: { id: 'u-uploader', username: 'uploader', password: pw(), name: 'Uma Uploader', email: 'uma.uploader@hospital.test', roles: ['reader', 'uploader'] },
    referrer: {
      id: 'u-referrer',
      username: 'referrer',
      password: pw(),
      name: 'Dr. Ray Referrer',
      email: 'ray.referrer@clinic.test',
      roles: ['reader'],
      studies: referrerStudies,
    },
    // A doctor from outside whom the provider knows, with no role at this site: a grant is their only way in.
    guest: { id: 'u-guest', username: 'guest', password: pw(), name: 'Dr. Gil Guest', email: 'gil.guest@clinic.test', roles: [] },
  };
}

/** What a token says about its user (access and ID tokens alike). */
function userClaims(u: TestUser): Record<string, unknown> {
  return {
    name: u.name,
    email: u.email,
    email_verified: true,
    roles: u.roles,
    ...(u.studies ? { lumen_studies: u.studies } : {}),
  };
}

/**
 * oidc-provider's storage: one Map, so that revoke() can find a user's sessions and grants (the bundled memory
 * adapter has no way to list them).
 */
class Store {
  readonly rows = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  adapter(model: string): Adapter {
    const key = (id: string) => `${model}:${id}`;
    const live = (k: string) => {
      const row = this.rows.get(k);
      if (!row) return undefined;
      if (row.expiresAt && row.expiresAt < Date.now()) {
        this.rows.delete(k);
        return undefined;
      }
      return row.payload;
    };
    const findBy = (field: 'uid' | 'userCode', value: string) => {
      for (const [k, row] of this.rows) if (k.startsWith(`${model}:`) && row.payload[field] === value) return live(k);
      return undefined;
    };
    return {
      upsert: async (id, payload, expiresIn) => {
        this.rows.set(key(id), { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : 0 });
      },
      find: async (id) => live(key(id)),
      findByUid: async (uid) => findBy('uid', uid),
      findByUserCode: async (code) => findBy('userCode', code),
      consume: async (id) => {
        const p = live(key(id));
        if (p) p.consumed = Math.floor(Date.now() / 1000);
      },
      destroy: async (id) => void this.rows.delete(key(id)),
      revokeByGrantId: async (grantId) => this.revokeGrant(grantId),
    };
  }
  revokeGrant(grantId: string): void {
    for (const [k, row] of this.rows) if (row.payload.grantId === grantId) this.rows.delete(k);
    this.rows.delete(`Grant:${grantId}`);
  }
  /** Session and Grant rows of one account. */
  ofAccount(model: 'Session' | 'Grant', accountId: string): string[] {
    const out: string[] = [];
    for (const [k, row] of this.rows) if (k.startsWith(`${model}:`) && row.payload.accountId === accountId && (!row.expiresAt || row.expiresAt >= Date.now())) out.push(k);
    return out;
  }
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const page = (title: string, body: string) =>
  `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head>\n<body>\n${body}\n</body></html>`;

/** The provider's login page: a real form the browser (or signInWithFetch) fills in and posts. */
function loginPage(uid: string, error = ''): string {
  return page(
    'Sign in – Test hospital',
    `<h1>Test hospital sign-in</h1>
${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/interaction/${escapeHtml(uid)}/login" autocomplete="off">
  <label>User name <input id="username" name="username" autocomplete="username" required autofocus></label>
  <label>Password <input id="password" name="password" type="password" autocomplete="current-password" required></label>
  <button type="submit">Sign in</button>
</form>`,
  );
}

function readForm(req: http.IncomingMessage): Promise<URLSearchParams> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => {
      body += c;
      if (body.length > 10_000) req.destroy(new Error('form too large'));
    });
    req.on('end', () => resolve(new URLSearchParams(body)));
    req.on('error', reject);
  });
}

export async function startProvider(opts: ProviderOptions): Promise<TestProvider> {
  const viewer = new URL(opts.viewerOrigin).origin;
  const ttl = opts.accessTokenTtlS ?? 300;
  const redirectUris = (opts.redirectPaths ?? ['/auth/callback', '/auth/popup', '/auth/silent']).map((p) => viewer + p);
  const postLogoutRedirectUris = (opts.postLogoutPaths ?? ['/']).map((p) => viewer + p);
  const referrerStudies = opts.referrerStudies ?? [loadManifest().ct?.studyInstanceUID].filter((s): s is string => !!s);
  if (!referrerStudies.length) throw new Error('startProvider: no referrerStudies and no demo CT in the manifest');
  const users = testUsers(referrerStudies);
  const byId = new Map(Object.values(users).map((u) => [u.id, u]));

  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  const signingKey = { ...(await exportJWK(privateKey)), kid: `k-${randomBytes(4).toString('hex')}`, alg: 'RS256', use: 'sig' };
  const store = new Store();

  // Listen first: the issuer names the port.
  let handler: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handler(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = new Provider(issuer, {
    adapter: (model: string) => store.adapter(model),
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: redirectUris,
        post_logout_redirect_uris: postLogoutRedirectUris,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    scopes: ['openid', 'offline_access', 'profile', 'email'],
    claims: { openid: ['sub'], profile: ['name'], email: ['email', 'email_verified'] },
    // ID tokens carry the profile and e-mail claims (the app reads them without a userinfo call).
    conformIdTokenClaims: false,
    async findAccount(_ctx: unknown, sub: string) {
      const u = byId.get(sub);
      if (!u) return undefined;
      return { accountId: sub, claims: async () => ({ sub, ...userClaims(u) }) };
    },
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      // Sign-out asks once, on the provider's own page (oidc-provider's default pages load web fonts: not here).
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: { body: string }, form: string) => {
          ctx.body = page(
            'Sign out – Test hospital',
            `<h1>Sign out of the test hospital?</h1>${form}
<button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign out</button>
<button type="submit" form="op.logoutForm">No, stay signed in</button>`,
          );
        },
        postLogoutSuccessSource: async (ctx: { body: string }) => {
          ctx.body = page('Signed out – Test hospital', '<h1>You are signed out.</h1>');
        },
      },
      resourceIndicators: {
        enabled: true,
        defaultResource: async (_ctx: unknown, _client: unknown, oneOf?: string[]) => (oneOf ? oneOf[0] : RESOURCE),
        useGrantedResource: async () => true,
        getResourceServerInfo: async (_ctx: unknown, indicator: string) => {
          const audience = AUDIENCES[indicator];
          if (!audience) throw new errors.InvalidTarget(`unknown resource ${indicator}`);
          return { scope: 'dicomweb', audience, accessTokenFormat: 'jwt', accessTokenTTL: ttl, jwt: { sign: { alg: 'RS256' } } };
        },
      },
    },
    // What the gateway reads from the access token: roles and study scope at its default claim names.
    async extraTokenClaims(_ctx: unknown, token: { accountId?: string }) {
      const u = token.accountId ? byId.get(token.accountId) : undefined;
      return u ? userClaims(u) : undefined;
    },
    // A refresh token without offline_access (see the top of this file), tied to the sign-in session.
    async issueRefreshToken(_ctx: unknown, client: { grantTypeAllowed(g: string): boolean }, code: { scopes: Set<string> }) {
      return client.grantTypeAllowed('refresh_token') && code.scopes.has('openid');
    },
    ttl: {
      AccessToken: ttl,
      IdToken: ttl,
      AuthorizationCode: 60,
      RefreshToken: opts.refreshTokenTtlS ?? 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
    clientBasedCORS: (_ctx: unknown, origin: string) => origin === viewer,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    renderError: async (ctx: { type: string; body: string }, out: Record<string, string>) => {
      ctx.type = 'text/plain; charset=utf-8';
      ctx.body = `error: ${out.error ?? 'unknown'}${out.error_description ? `: ${out.error_description}` : ''}\n`;
    },
  });
  // The provider must not hide its own errors from a failing test.
  provider.on('server_error', (_ctx, err) => console.error('[oidc provider] server_error', err));

  const oidcCallback = provider.callback();
  handler = (req, res) => {
    const m = /^\/interaction\/([A-Za-z0-9_-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!m) return oidcCallback(req, res);
    void interaction(req, res, m[1]!, !!m[2]).catch((e: Error) => {
      if (!res.headersSent) res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${e.message}\n`);
    });
  };

  async function interaction(req: http.IncomingMessage, res: http.ServerResponse, uid: string, isLogin: boolean): Promise<void> {
    const details = await provider.interactionDetails(req, res);
    if (details.uid !== uid) throw new Error('interaction does not match its cookie');
    const html = (status: number, body: string) => {
      res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end(body);
    };
    if (details.prompt.name === 'login') {
      if (req.method === 'GET' && !isLogin) return html(200, loginPage(uid));
      if (req.method !== 'POST' || !isLogin) return html(405, loginPage(uid, 'Use the form.'));
      const form = await readForm(req);
      const user = Object.values(users).find((u) => u.username === form.get('username'));
      if (!user || user.password !== form.get('password')) return html(200, loginPage(uid, 'Wrong user name or password.'));
      return provider.interactionFinished(req, res, { login: { accountId: user.id } }, { mergeWithLastSubmission: false });
    }
    if (details.prompt.name === 'consent') {
      // A first-party app: everything it asked for is granted without a question.
      const accountId = details.session?.accountId;
      if (!accountId) throw new Error('consent without a session');
      const grant = (details.grantId && (await provider.Grant.find(details.grantId))) || new provider.Grant({ accountId, clientId: details.params.client_id });
      const d = details.prompt.details as { missingOIDCScope?: string[]; missingOIDCClaims?: string[]; missingResourceScopes?: Record<string, string[]> };
      if (d.missingOIDCScope) grant.addOIDCScope(d.missingOIDCScope.join(' '));
      if (d.missingOIDCClaims) grant.addOIDCClaims(d.missingOIDCClaims);
      for (const [indicator, scopes] of Object.entries(d.missingResourceScopes ?? {})) grant.addResourceScope(indicator, scopes.join(' '));
      const grantId = await grant.save();
      return provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    }
    throw new Error(`prompt ${details.prompt.name} is not handled here`);
  }

  return {
    issuer,
    clientId: CLIENT_ID,
    audience: AUDIENCE,
    resource: RESOURCE,
    redirectUris,
    postLogoutRedirectUris,
    users,
    async revoke(user) {
      for (const k of store.ofAccount('Session', user.id)) store.rows.delete(k);
      for (const k of store.ofAccount('Grant', user.id)) store.revokeGrant(k.slice('Grant:'.length));
    },
    sessionsOf: (user) => store.ofAccount('Session', user.id).length,
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token?: string;
  expires_in: number;
  token_type: string;
  scope?: string;
}

/** A cookie jar just big enough for one provider origin. */
class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      if (!value || /expires=Thu, 01 Jan 1970/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

/**
 * Signs `user` in as a browser would, with Node's fetch: authorization request with PKCE, the provider's login
 * form, the code exchanged at the token endpoint. Returns the tokens (never logged).
 */
export async function signInWithFetch(
  idp: TestProvider,
  user: TestUser,
  opts: { scope?: string; password?: string; /** e.g. OTHER_RESOURCE for a token with another audience */ resource?: string } = {},
): Promise<Tokens> {
  const jar = new Jar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(16).toString('base64url');
  const redirectUri = idp.redirectUris[0]!;
  const auth = new URL(`${idp.issuer}/auth`);
  auth.search = new URLSearchParams({
    client_id: idp.clientId,
    response_type: 'code',
    redirect_uri: redirectUri,
    scope: opts.scope ?? 'openid profile email',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ...(opts.resource ? { resource: opts.resource } : {}),
  }).toString();
  const step = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    return res;
  };
  // Follow the provider's redirects until it sends the browser back to the viewer with a code.
  let res = await step(auth.toString());
  for (let hops = 0; hops < 10; hops++) {
    const location = res.headers.get('location');
    if (res.status >= 300 && res.status < 400 && location) {
      const next = new URL(location, idp.issuer);
      if (next.origin + next.pathname === redirectUri) {
        const code = next.searchParams.get('code');
        if (next.searchParams.get('state') !== state) throw new Error('state does not match');
        if (!code) throw new Error(`sign-in refused: ${next.searchParams.get('error')} ${next.searchParams.get('error_description') ?? ''}`);
        return exchange(idp, { grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier });
      }
      await res.arrayBuffer();
      res = await step(next.toString());
      continue;
    }
    const page = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(page)?.[1];
    if (res.status !== 200 || !action) throw new Error(`unexpected provider answer ${res.status}: ${page.slice(0, 200)}`);
    if (/role="alert"/.test(page)) throw new Error('the provider refused the user name or password');
    const form = new URLSearchParams({ username: user.username, password: opts.password ?? user.password });
    res = await step(new URL(action, idp.issuer).toString(), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    if (res.status === 200) {
      const again = await res.text();
      if (/role="alert"/.test(again)) throw new Error('the provider refused the user name or password');
      throw new Error(`unexpected page after login: ${again.slice(0, 200)}`);
    }
  }
  throw new Error('too many redirects at the provider');
}

/** A refresh_token grant, as oidc-client-ts's silent renew does it. */
export function refreshWithFetch(idp: TestProvider, refreshToken: string): Promise<Tokens> {
  return exchange(idp, { grant_type: 'refresh_token', refresh_token: refreshToken });
}

async function exchange(idp: TestProvider, params: Record<string, string>): Promise<Tokens> {
  const res = await fetch(`${idp.issuer}/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: idp.clientId, ...params }).toString(),
  });
  const body = (await res.json()) as Tokens & { error?: string; error_description?: string };
  if (!res.ok) throw new Error(`token endpoint ${res.status}: ${body.error} ${body.error_description ?? ''}`);
  return body;
}

// @ts-check
// Who is asking. With sign-in on, the browser sends the site's OpenID provider's access token as
// `Authorization: Bearer …`; it is verified here with jose (signature against the provider's published keys,
// issuer, audience, expiry) and read into a principal: roles from a configurable claim, and an optional study
// scope. Nothing else the browser says about its user is believed. The settings (flags and environment) are read
// here too, so that options.mjs only hands them over.
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { isUid } from './allowlist.mjs';

/** The gateway's roles (docs/sign-in.md says what each allows). */
export const ROLES = /** @type {const} */ (['reader', 'reporter', 'uploader', 'exporter']);

/** Signature algorithms accepted on access tokens: public-key ones only, so no `none` and no HMAC key confusion. */
const TOKEN_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

/**
 * Sign-in settings as given (flags and environment), before checking.
 * @typedef {{
 *   issuer: string, audience: string[], rolesClaim: string, roleMap: string, studyClaim: string, patientClaim: string,
 *   clockToleranceS: number, grantKeyFile: string, grantRole: string, grantMaxLifetimeS: number,
 * }} SignInArgs
 */

/**
 * Sign-in settings, checked.
 * @typedef {{
 *   issuer: string, audience: string[], rolesClaim: string, roleMap: Map<string, string>, studyClaim: string,
 *   patientClaim: string, clockToleranceS: number, grantRole: string, grantMaxLifetimeS: number,
 * }} SignInConfig
 */

/**
 * The verified user of one request. `scope` null: every study; otherwise only the studies listed, or those of
 * the patients listed. `grant`: the request came with a grant for one study (and then has reader rights only).
 * @typedef {{
 *   id: string, name: string, email?: string, emailVerified?: boolean, roles: Set<string>,
 *   scope: { studies: Set<string>, patients: Set<string> } | null,
 *   grant?: { study: string, expiresAt: number, by: string },
 * }} Principal
 */

export const SIGN_IN_USAGE = `Sign-in (off unless --oidc-issuer is given; docs/sign-in.md):
  --oidc-issuer URL       the OpenID provider's issuer (or OIDC_ISSUER); https, or http on loopback only
  --oidc-audience NAME    the audience access tokens must carry (repeatable, or OIDC_AUDIENCE=a,b); required
  --oidc-roles-claim PATH dotted claim path holding the roles (default roles; Keycloak: realm_access.roles)
  --oidc-role-map MAP     provider role names for the gateway's roles, e.g. "pacs-view=reader,pacs-report=reporter"
  --oidc-study-claim NAME claim listing the Study Instance UIDs a user is limited to (default lumen_studies)
  --oidc-patient-claim NAME  claim listing the Patient IDs a user is limited to (default lumen_patients)
  --oidc-clock-tolerance S   seconds of clock skew allowed on exp/nbf/iat (default 30)
  --grant-key-file FILE   shared key(s) for signed study grants, one per line, first signs (or GRANT_KEY_FILE);
                          grants are off without it
  --grant-role NAME       the role that may create grants (default sharer)
  --grant-max-lifetime S  longest grant lifetime in seconds (default 604800, 7 days)`;

/** @param {Record<string, string | undefined>} env @returns {SignInArgs} */
export function signInDefaults(env) {
  return {
    issuer: env.OIDC_ISSUER || '',
    audience: splitList(env.OIDC_AUDIENCE || ''),
    rolesClaim: env.OIDC_ROLES_CLAIM || 'roles',
    roleMap: env.OIDC_ROLE_MAP || '',
    studyClaim: env.OIDC_STUDY_CLAIM || 'lumen_studies',
    patientClaim: env.OIDC_PATIENT_CLAIM || 'lumen_patients',
    clockToleranceS: 30,
    grantKeyFile: env.GRANT_KEY_FILE || '',
    grantRole: env.GRANT_ROLE || 'sharer',
    grantMaxLifetimeS: 7 * 24 * 3600,
  };
}

/**
 * Takes one sign-in flag; false when `flag` is not one.
 * @param {SignInArgs} s @param {string} flag @param {() => string} value reads the flag's value
 */
export function signInFlag(s, flag, value) {
  const num = (/** @type {number} */ min) => {
    const v = value();
    const n = Number(v);
    if (!Number.isFinite(n) || n < min) throw new Error(`${flag} wants a number ≥ ${min}, not "${v}"`);
    return n;
  };
  if (flag === '--oidc-issuer') s.issuer = value();
  else if (flag === '--oidc-audience') s.audience.push(...splitList(value()));
  else if (flag === '--oidc-roles-claim') s.rolesClaim = value();
  else if (flag === '--oidc-role-map') s.roleMap = value();
  else if (flag === '--oidc-study-claim') s.studyClaim = value();
  else if (flag === '--oidc-patient-claim') s.patientClaim = value();
  else if (flag === '--oidc-clock-tolerance') s.clockToleranceS = num(0);
  else if (flag === '--grant-key-file') s.grantKeyFile = value();
  else if (flag === '--grant-role') s.grantRole = value();
  else if (flag === '--grant-max-lifetime') s.grantMaxLifetimeS = num(60);
  else return false;
  return true;
}

/**
 * Checks the sign-in settings; undefined when sign-in is off (no issuer).
 * @param {SignInArgs} s
 * @returns {SignInConfig | undefined}
 */
export function checkSignIn(s) {
  if (!s.issuer) {
    if (s.audience.length || s.grantKeyFile) throw new Error('--oidc-audience and --grant-key-file need --oidc-issuer');
    return undefined;
  }
  let u;
  try {
    u = new URL(s.issuer);
  } catch {
    throw new Error(`--oidc-issuer "${s.issuer}" is not a URL`);
  }
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && isLoopbackHost(u.hostname))) {
    throw new Error('--oidc-issuer must be https:// (plain http only on loopback, for tests)');
  }
  if (u.username || u.password || u.search || u.hash) throw new Error('--oidc-issuer must not carry credentials, a query or a fragment');
  if (!s.audience.length) {
    throw new Error('--oidc-audience is required with --oidc-issuer: without it, a token the provider issued to any other client would pass');
  }
  for (const [name, what] of [[s.rolesClaim, '--oidc-roles-claim'], [s.studyClaim, '--oidc-study-claim'], [s.patientClaim, '--oidc-patient-claim']]) {
    if (!/^[^.\s]+(\.[^.\s]+)*$/.test(/** @type {string} */ (name))) throw new Error(`${what} wants a claim name or dotted path, not "${name}"`);
  }
  if (!/^\S+$/.test(s.grantRole)) throw new Error('--grant-role wants one role name');
  const known = new Set([...ROLES, s.grantRole]);
  /** @type {Map<string, string>} */
  const roleMap = new Map();
  for (const pair of splitList(s.roleMap)) {
    const eq = pair.lastIndexOf('=');
    const from = pair.slice(0, eq).trim();
    const to = pair.slice(eq + 1).trim();
    if (eq <= 0 || !from) throw new Error(`--oidc-role-map wants provider=role pairs, not "${pair}"`);
    if (!known.has(to)) throw new Error(`--oidc-role-map: "${to}" is not one of ${[...known].join(', ')}`);
    roleMap.set(from, to);
  }
  return {
    issuer: s.issuer,
    audience: s.audience,
    rolesClaim: s.rolesClaim,
    roleMap,
    studyClaim: s.studyClaim,
    patientClaim: s.patientClaim,
    clockToleranceS: s.clockToleranceS,
    grantRole: s.grantRole,
    grantMaxLifetimeS: s.grantMaxLifetimeS,
  };
}

/** @param {string} h */
function isLoopbackHost(h) {
  return h === 'localhost' || h === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(h);
}

/** "a, b c" → ['a', 'b', 'c'] @param {string} s */
function splitList(s) {
  return s.split(/[\s,]+/).filter(Boolean);
}

/**
 * @typedef {{ ok: true, claims: import('jose').JWTPayload }
 *   | { ok: false, status: 401 | 503, reason: string }} Verified
 */

/**
 * A verifier for access tokens from `cfg.issuer`. The provider's keys come from its discovery document's
 * `jwks_uri` (fetched on first use, so the gateway starts while the provider is down); jose caches them and
 * fetches again when a token names a key it has not seen (the provider rotated), at most every 30 s.
 * @param {SignInConfig} cfg
 * @returns {(token: string) => Promise<Verified>}
 */
export function tokenVerifier(cfg) {
  /** @type {ReturnType<typeof createRemoteJWKSet> | null} */
  let jwks = null;
  /** @type {Promise<ReturnType<typeof createRemoteJWKSet>> | null} */
  let pending = null;
  let failedAt = -Infinity;
  const discover = async () => {
    const url = cfg.issuer.replace(/\/+$/, '') + '/.well-known/openid-configuration';
    const res = await fetch(url, { signal: AbortSignal.timeout(5000), redirect: 'error', headers: { accept: 'application/json' } });
    if (!res.ok) throw new Error(`discovery answered ${res.status}`);
    const doc = /** @type {{ issuer?: unknown, jwks_uri?: unknown }} */ (await res.json());
    // OpenID Connect Discovery §4.3: the document must name the same issuer, or its keys vouch for someone else.
    if (doc.issuer !== cfg.issuer) throw new Error('discovery names another issuer');
    if (typeof doc.jwks_uri !== 'string') throw new Error('discovery names no jwks_uri');
    const jwksUrl = new URL(doc.jwks_uri);
    if (jwksUrl.protocol !== 'https:' && !(jwksUrl.protocol === 'http:' && isLoopbackHost(jwksUrl.hostname))) throw new Error('jwks_uri is not https');
    return createRemoteJWKSet(jwksUrl, { timeoutDuration: 5000, cooldownDuration: 30_000, cacheMaxAge: 10 * 60_000 });
  };
  const keys = async () => {
    if (jwks) return jwks;
    // A provider that was down is asked again after 5 s, not on every request meanwhile.
    if (!pending && Date.now() - failedAt < 5000) throw new Error('provider unreachable (recently)');
    pending ??= discover().then(
      (k) => ((jwks = k), (pending = null), k),
      (e) => {
        failedAt = Date.now();
        pending = null;
        throw e;
      },
    );
    return pending;
  };
  // A viewer sends the same token with every frame: a verified token is remembered (in memory, up to a minute and
  // never past its expiry) so that each frame costs a lookup rather than an RSA verification (~0.1–0.3 ms here).
  /** @type {Map<string, { claims: import('jose').JWTPayload, until: number }>} */
  const verified = new Map();
  return async (token) => {
    const hit = verified.get(token);
    if (hit && hit.until > Date.now()) return { ok: true, claims: hit.claims };
    let unreachable = false;
    // The keys are looked up only for a token that parses and names an accepted algorithm: a malformed token is
    // a 401 even while the provider is down.
    /** @type {import('jose').JWTVerifyGetKey} */
    const getKey = async (header, input) => {
      let k;
      try {
        k = await keys();
      } catch (e) {
        unreachable = true;
        if (process.env.GATEWAY_DEBUG) console.error(`gateway: sign-in discovery failed: ${/** @type {Error} */ (e).message}`);
        throw e;
      }
      return k(header, input);
    };
    try {
      const { payload } = await jwtVerify(token, getKey, {
        issuer: cfg.issuer,
        audience: cfg.audience,
        algorithms: TOKEN_ALGORITHMS,
        clockTolerance: cfg.clockToleranceS,
        requiredClaims: ['sub', 'exp'],
      });
      if (typeof payload.sub !== 'string' || !payload.sub) return { ok: false, status: 401, reason: 'the token names no subject' };
      const until = Math.min(Date.now() + 60_000, (/** @type {number} */ (payload.exp) + cfg.clockToleranceS) * 1000);
      verified.delete(token);
      verified.set(token, { claims: payload, until });
      // Oldest first out (a Map iterates in insertion order).
      while (verified.size > 2000) verified.delete(/** @type {string} */ (verified.keys().next().value));
      return { ok: true, claims: payload };
    } catch (e) {
      if (unreachable) return { ok: false, status: 503, reason: 'the sign-in provider cannot be reached; try again shortly' };
      return tokenFailure(/** @type {Error & { code?: string, claim?: string }} */ (e));
    }
  };
}

/**
 * A refusal that says what was wrong with a token, never what the token was.
 * @param {Error & { code?: string, claim?: string }} e
 * @returns {Verified}
 */
function tokenFailure(e) {
  /** @type {(reason: string) => Verified} */
  const r = (reason) => ({ ok: false, status: 401, reason });
  switch (e.code) {
    case 'ERR_JWT_EXPIRED':
      return r('the token has expired');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.claim === 'iss') return r('the token is from another issuer');
      if (e.claim === 'aud') return r('the token is for another audience');
      if (e.claim === 'nbf') return r('the token is not valid yet');
      return r(`the token's ${e.claim ?? 'claims'} claim is not acceptable`);
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return r('the token signature does not verify');
    case 'ERR_JWKS_NO_MATCHING_KEY':
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return r('the token is signed with a key the provider does not publish');
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED':
      return r('the token is signed with an algorithm this gateway does not accept');
    case 'ERR_JWKS_TIMEOUT':
    case 'ERR_JWKS_INVALID':
      return { ok: false, status: 503, reason: 'the sign-in provider keys cannot be fetched; try again shortly' };
    default:
      return r('the token is malformed');
  }
}

/** A claim by dotted path ("realm_access.roles"). @param {Record<string, unknown>} claims @param {string} path */
export function claimAt(claims, path) {
  /** @type {unknown} */
  let v = claims;
  for (const k of path.split('.')) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return undefined;
    v = /** @type {Record<string, unknown>} */ (v)[k];
  }
  return v;
}

/** A claim's values: an array of strings, or one string of space/comma separated names. @param {unknown} v */
function listOf(v) {
  if (typeof v === 'string') return splitList(v);
  if (Array.isArray(v)) return v.filter((x) => typeof x === 'string');
  return [];
}

/**
 * The principal a verified token describes.
 * @param {import('jose').JWTPayload} claims
 * @param {SignInConfig} cfg
 * @returns {Principal}
 */
export function principalFrom(claims, cfg) {
  const known = new Set([...ROLES, cfg.grantRole]);
  const roles = new Set();
  for (const name of listOf(claimAt(claims, cfg.rolesClaim))) {
    const role = cfg.roleMap.get(name) ?? (known.has(name) ? name : undefined);
    if (role) roles.add(role);
  }
  const studies = claimAt(claims, cfg.studyClaim);
  const patients = claimAt(claims, cfg.patientClaim);
  // A scope claim that is present but empty or unreadable limits the user to nothing (fail closed).
  const scope =
    studies === undefined && patients === undefined
      ? null
      : { studies: new Set(listOf(studies).filter(isUid)), patients: new Set(listOf(patients)) };
  const str = (/** @type {unknown} */ v) => (typeof v === 'string' && v ? v : undefined);
  const email = str(claims.email);
  return {
    id: /** @type {string} */ (claims.sub),
    name: str(claims.name) ?? str(claims.preferred_username) ?? email ?? /** @type {string} */ (claims.sub),
    ...(email ? { email } : {}),
    ...(typeof claims.email_verified === 'boolean' ? { emailVerified: claims.email_verified } : {}),
    roles,
    scope,
  };
}

/** Search and view (QIDO, WADO): `reader`, and `reporter`/`exporter`, which include it. @param {Principal} p */
export function canRead(p) {
  return p.roles.has('reader') || p.roles.has('reporter') || p.roles.has('exporter');
}

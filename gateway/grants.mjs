// @ts-check
// Signed, expiring grants: "this recipient may read this one study until then". A grant is a JWT (HS256) signed
// with a key every gateway instance of the site shares, so any instance verifies a grant another issued and no
// instance keeps a list (stateless behind a load balancer). A grant alone opens nothing: it is honoured only
// with a valid sign-in token whose subject or e-mail is the grant's recipient, so a forwarded link is useless to
// anyone else. It travels in the `Lumen-Grant` request header, never in a query string (docs/sign-in.md).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { jwtVerify, SignJWT } from 'jose';
import { isUid } from './allowlist.mjs';

/** The request header that carries a grant (lower case, as Node names headers). */
export const GRANT_HEADER = 'lumen-grant';

const ISSUER = 'lumen-gateway';
const AUDIENCE = 'lumen-grant';
const TYP = 'lumen-grant+jwt';
/** Longest grant accepted in the header: a real one is ~400 bytes. */
const MAX_GRANT_LENGTH = 4096;

/**
 * Reads the shared grant keys: one per line (at least 32 bytes each, e.g. `openssl rand -base64 48`); the first
 * signs, all verify, so a key can be rotated in without cutting grants already given. The file must not be inside
 * a folder the gateway serves.
 * @param {string} file @param {string[]} servedDirs
 * @returns {Uint8Array[]}
 */
export function readGrantKeys(file, servedDirs) {
  const real = realOrSelf(file);
  for (const d of servedDirs) {
    const root = realOrSelf(d);
    if (real === root || real.startsWith(root + path.sep)) throw new Error(`the grant key file ${file} is inside a served folder (${d}): move it out`);
  }
  let text;
  try {
    text = fs.readFileSync(real, 'utf8');
  } catch (e) {
    throw new Error(`cannot read the grant key file ${file}: ${/** @type {Error} */ (e).message}`);
  }
  const keys = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => new TextEncoder().encode(l));
  if (!keys.length) throw new Error(`the grant key file ${file} is empty`);
  if (keys.some((k) => k.length < 32)) throw new Error(`${file}: each grant key must be at least 32 bytes (e.g. openssl rand -base64 48)`);
  return keys;
}

/** @param {string} p */
function realOrSelf(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/**
 * A recipient as the grant names it: an e-mail address (lower-cased) or a provider subject; null when neither.
 * @param {unknown} s
 */
export function normaliseRecipient(s) {
  if (typeof s !== 'string') return null;
  const t = s.trim();
  if (/^[^\s@]{1,64}@[^\s@]{1,255}$/.test(t)) return t.toLowerCase();
  return /^[\x21-\x7e]{1,255}$/.test(t) && !t.includes('@') ? t : null;
}

/**
 * Whether the signed-in user is the grant's recipient: the same subject, or the same e-mail address (unless the
 * token says that address is unverified).
 * @param {string} recipient @param {import('./auth.mjs').Principal} p
 */
export function isRecipient(recipient, p) {
  // By e-mail only when the provider vouches for the address (`email_verified: true`): many let users set it.
  if (recipient.includes('@')) return !!p.email && p.emailVerified === true && p.email.toLowerCase() === recipient;
  return p.id === recipient;
}

/**
 * @typedef {{ ok: true, study: string, recipient: string, expiresAt: number, by: string }
 *   | { ok: false, reason: string }} GrantCheck
 */

/**
 * Issues and verifies grants with the site's shared keys.
 * @param {Uint8Array[]} keys @param {{ clockToleranceS: number }} o
 */
export function grantSigner(keys, o) {
  const [signingKey] = keys;
  if (!signingKey) throw new Error('no grant key');
  return {
    /**
     * @param {{ study: string, recipient: string, lifetimeS: number, by: string }} g
     * @returns {Promise<{ grant: string, expiresAt: number }>}
     */
    async issue(g) {
      const now = Math.floor(Date.now() / 1000);
      const exp = now + Math.floor(g.lifetimeS);
      const grant = await new SignJWT({ study: g.study, by: g.by })
        .setProtectedHeader({ alg: 'HS256', typ: TYP })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(g.recipient)
        .setIssuedAt(now)
        .setExpirationTime(exp)
        .setJti(crypto.randomUUID())
        .sign(signingKey);
      return { grant, expiresAt: exp };
    },
    /** @param {string} grant @returns {Promise<GrantCheck>} */
    async verify(grant) {
      if (grant.length > MAX_GRANT_LENGTH) return { ok: false, reason: 'the grant is malformed' };
      for (const key of keys) {
        try {
          const { payload } = await jwtVerify(grant, key, {
            algorithms: ['HS256'],
            issuer: ISSUER,
            audience: AUDIENCE,
            typ: TYP,
            clockTolerance: o.clockToleranceS,
            requiredClaims: ['sub', 'exp', 'study'],
          });
          const study = payload['study'];
          const recipient = normaliseRecipient(payload.sub);
          if (typeof study !== 'string' || !isUid(study) || !recipient) return { ok: false, reason: 'the grant is malformed' };
          return { ok: true, study, recipient, expiresAt: /** @type {number} */ (payload.exp), by: String(payload['by'] ?? '') };
        } catch (e) {
          const code = /** @type {{ code?: string }} */ (e).code;
          // Another key of the list may have signed it; anything but a signature mismatch is final.
          if (code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED') continue;
          if (code === 'ERR_JWT_EXPIRED') return { ok: false, reason: 'the grant has expired' };
          return { ok: false, reason: 'the grant is malformed' };
        }
      }
      return { ok: false, reason: 'the grant was not signed by this site' };
    },
  };
}

// @ts-check
// Sign-in at the gateway (docs/sign-in.md): with an OpenID issuer configured, every /dicom-web request (and every
// static DICOMweb mount) needs a verified bearer token, and what it may do is decided here before the PACS sees a
// byte: roles (auth.mjs), study scopes (studyScope.mjs), grants (grants.mjs), and which SOP classes a `reporter`
// may store (stowParts.mjs). Also the gateway's own /api routes: the session, grants, and the export check.
// The browser's Authorization and grant headers never reach the PACS.
import { Readable } from 'node:stream';
import { classify, DICOMWEB_PREFIX, isUid } from './allowlist.mjs';
import { canRead, principalFrom, tokenVerifier } from './auth.mjs';
import { GRANT_HEADER, grantSigner, isRecipient, normaliseRecipient } from './grants.mjs';
import { SR_SOP_CLASSES } from './srSopClasses.mjs';
import { stowBody, stowSopClasses } from './stowParts.mjs';
import { studyScope } from './studyScope.mjs';

/**
 * @typedef {import('./auth.mjs').SignInConfig & { grantKeys?: Uint8Array[] }} SignInOptions
 * @typedef {import('./auth.mjs').Principal} Principal
 * @typedef {import('fastify').FastifyRequest} Request
 * @typedef {import('fastify').FastifyReply} Reply
 */

/** The verified principal of each request that carried a valid token (for the audit trail). */
const principals = new WeakMap();

/**
 * The verified user of a request, once the sign-in check has passed it; undefined with sign-in off or before.
 * @param {import('node:http').IncomingMessage} raw
 * @returns {Principal | undefined}
 */
export function principalOf(raw) {
  return principals.get(raw);
}

/** Largest STOW body a reporter (structured reports only) may send: it is buffered whole to be checked. */
const REPORT_BYTES = 32 * 2 ** 20;

/** Largest QIDO answer the gateway filters for a scoped user (a search answer is a few kB per study). */
const MAX_FILTERED_ANSWER = 64 * 2 ** 20;

/**
 * Installs the checks and the /api routes. Call before the DICOMweb routes are added.
 * @param {import('fastify').FastifyInstance<any, any, any, any, any>} app
 * @param {SignInOptions} cfg
 * @param {{
 *   stow: boolean, maxUploadBytes: number, mounts: { prefix: string }[],
 *   pacs?: { url: URL, authorization?: string, ca?: string | Buffer },
 * }} ctx
 */
export async function installSignIn(app, cfg, ctx) {
  const verify = tokenVerifier(cfg);
  const grants = cfg.grantKeys ? grantSigner(cfg.grantKeys, cfg) : null;
  const scopes = studyScope(ctx.pacs);
  /** Requests whose QIDO answer is filtered on its way back, with the scope to filter by. */
  const toFilter = new WeakMap();

  /**
   * The request's principal, or the refusal to send.
   * @param {Request} req
   * @returns {Promise<{ ok: true, p: Principal } | { ok: false, status: number, text: string, challenge?: string }>}
   */
  const identify = async (req) => {
    const h = req.headers.authorization;
    const m = typeof h === 'string' ? /^Bearer +([A-Za-z0-9._~+/-]+=*) *$/i.exec(h) : null;
    // RFC 6750 §3.1: a request without credentials gets the challenge alone, a bad token gets invalid_token.
    if (!m) return { ok: false, status: 401, text: 'sign-in required: send the access token as "Authorization: Bearer …"', challenge: 'Bearer realm="lumen"' };
    const v = await verify(/** @type {string} */ (m[1]));
    if (!v.ok) {
      return v.status === 401
        ? { ok: false, status: 401, text: `sign-in required: ${v.reason}`, challenge: `Bearer realm="lumen", error="invalid_token", error_description="${v.reason}"` }
        : { ok: false, status: v.status, text: v.reason };
    }
    let p = principalFrom(v.claims, cfg);
    const g = req.headers[GRANT_HEADER];
    if (g !== undefined) {
      if (!grants) return { ok: false, status: 403, text: 'forbidden: this gateway does not accept grants' };
      const c = await grants.verify(String(g));
      if (!c.ok) return { ok: false, status: 403, text: `forbidden: ${c.reason}` };
      if (!isRecipient(c.recipient, p)) return { ok: false, status: 403, text: 'forbidden: the grant was given to someone else' };
      // With a grant, the request reads that one study, whatever else the user may do.
      p = { ...p, roles: new Set(['reader']), scope: { studies: new Set([c.study]), patients: new Set() }, grant: { study: c.study, expiresAt: c.expiresAt, by: c.by } };
    }
    principals.set(req.raw, p);
    return { ok: true, p };
  };

  /** Answers a refusal; a body still arriving is read and dropped, as the DICOMweb route does. */
  const refuse = (/** @type {Request} */ req, /** @type {Reply} */ reply, /** @type {number} */ status, /** @type {string} */ text, challenge = '') => {
    /** @type {Readable | undefined} */ (req.body)?.resume?.();
    if (challenge) reply.header('www-authenticate', challenge);
    return plain(reply, status, text);
  };

  // ---- every request under /dicom-web and the mounts ---------------------------------------------------------
  app.addHook('preHandler', async (req, reply) => {
    const url = req.raw.url ?? '';
    const dicomweb = url === DICOMWEB_PREFIX || url.startsWith(DICOMWEB_PREFIX + '/') || url.startsWith(DICOMWEB_PREFIX + '?');
    const mount = !dicomweb && ctx.mounts.some((mt) => url.startsWith(mt.prefix + '/'));
    // What the browser reports for the audit trail (audit.mjs) is recorded with the verified user: none without one.
    // By the route the router matched, not the raw target: `/api/%61udit` reaches that route too.
    const report = req.routeOptions.url === '/api/audit';
    if (!dicomweb && !mount && !report) return;
    const who = await identify(req);
    if (!who.ok) return refuse(req, reply, who.status, who.text, who.challenge);
    if (report) return;
    const p = who.p;
    // The PACS gets the gateway's own credentials (headers.mjs), never the user's token or grant.
    delete req.raw.headers.authorization;
    delete req.raw.headers[GRANT_HEADER];
    if (mount) {
      // A static tree has no PACS to ask which study a file belongs to: whole-archive readers only.
      if (!canRead(p) || p.scope) return refuse(req, reply, 403, 'forbidden: this account may not read the static studies');
      return;
    }
    const c = classify(req.method, url, { stow: ctx.stow });
    if (!c.ok) return; // the DICOMweb route refuses it, with its reason
    if (c.kind === 'store') return storeCheck(req, reply, p);
    if (!canRead(p)) return refuse(req, reply, 403, 'forbidden: this account has no role that may read studies');
    if (!p.scope) return;
    const study = studyInPath(c.path);
    if (study) {
      let ok;
      try {
        ok = await scopes.allows(p.scope, study);
      } catch {
        return refuse(req, reply, 502, 'the PACS could not be asked which patient this study belongs to');
      }
      if (!ok) return refuse(req, reply, 403, 'forbidden: this study is outside what this account may read');
      return;
    }
    // A search across the archive: answered as JSON with the fields the filter needs, then filtered (onSend).
    const extra = scopes.neededFields(p.scope).map((t) => `includefield=${t}`).join('&');
    req.raw.url = url + (url.includes('?') ? '&' : '?') + extra;
    req.raw.headers.accept = 'application/dicom+json';
    toFilter.set(req.raw, p.scope);
  });

  /**
   * STOW: `uploader` stores anything; `reporter` only structured reports, checked part by part on the buffered
   * (capped) body before any of it is sent on; nobody else, and no study-scoped user, stores at all.
   * @param {Request} req @param {Reply} reply @param {Principal} p
   */
  const storeCheck = async (req, reply, p) => {
    if (p.scope) return refuse(req, reply, 403, 'forbidden: a study-scoped account may not store');
    if (p.roles.has('uploader')) return;
    if (!p.roles.has('reporter')) return refuse(req, reply, 403, 'forbidden: storing needs the uploader role (or reporter, for reports)');
    // Declared too large: the DICOMweb route answers 413 without reading it.
    if (Number(req.headers['content-length'] ?? NaN) > ctx.maxUploadBytes) return;
    // A report's body is read whole to be checked: a cap of its own, far below the upload cap, so that a few
    // reporters cannot fill the gateway's memory (a measurement report is kilobytes).
    const cap = Math.min(ctx.maxUploadBytes, REPORT_BYTES);
    if (Number(req.headers['content-length'] ?? 0) > cap) return refuse(req, reply, 413, `a report larger than ${cap / 2 ** 20} MB is refused (a reporter stores structured reports only)`);
    const src = /** @type {Readable | undefined} */ (req.body);
    const chunks = [];
    let size = 0;
    try {
      for await (const chunk of src ?? []) {
        size += chunk.length;
        if (size > cap) {
          src?.destroy();
          reply.header('connection', 'close');
          return plain(reply, 413, `a report larger than ${cap / 2 ** 20} MB is refused (a reporter stores structured reports only)`);
        }
        chunks.push(chunk);
      }
    } catch (e) {
      const tooLarge = /too large/.test(/** @type {Error} */ (e).message);
      if (tooLarge) reply.header('connection', 'close');
      return plain(reply, tooLarge ? 413 : 400, tooLarge ? `upload larger than this gateway accepts (${Math.round(ctx.maxUploadBytes / 2 ** 20)} MB)` : 'the upload could not be read');
    }
    const body = Buffer.concat(chunks);
    const parts = stowSopClasses(req.headers['content-type'], body);
    if (!parts.ok) return plain(reply, 403, `forbidden: a reporter may store structured reports only, and ${parts.reason}`);
    const other = parts.sopClasses.findIndex((uid) => !SR_SOP_CLASSES.has(uid));
    if (other >= 0) {
      return plain(reply, 403, `forbidden: a reporter may store structured reports only; part ${other + 1} is of SOP class ${parts.sopClasses[other]}`);
    }
    // The checked files, and only those, go on to the PACS, in a body rebuilt from them: bytes outside the parts
    // as this gateway read them (a preamble, an epilogue, a second boundary parameter) cannot reach it.
    const rebuilt = stowBody(parts.files);
    req.body = Readable.from([rebuilt.body]);
    req.raw.headers['content-type'] = rebuilt.contentType;
    req.raw.headers['content-length'] = String(rebuilt.body.length);
    delete req.raw.headers['transfer-encoding'];
  };

  // ---- QIDO answers for scoped users ---------------------------------------------------------------------------
  app.addHook('onSend', async (req, reply, payload) => {
    const scope = toFilter.get(req.raw);
    if (!scope) return payload;
    toFilter.delete(req.raw);
    reply.removeHeader('content-length');
    if (reply.statusCode !== 200 || req.method === 'HEAD') return payload;
    let entries;
    try {
      const text = await readPayload(payload, MAX_FILTERED_ANSWER);
      entries = JSON.parse(text);
      if (!Array.isArray(entries)) throw new Error('not a list');
      entries = await scopes.filter(scope, entries);
    } catch {
      reply.code(502).header('content-type', 'text/plain; charset=utf-8');
      return 'the search answer could not be checked against this account\'s studies\n';
    }
    reply.header('content-type', 'application/dicom+json');
    return JSON.stringify(entries);
  });

  // ---- /api ----------------------------------------------------------------------------------------------------
  /** @param {Request} req @param {Reply} reply @returns {Promise<Principal | null>} null: answered */
  const signedIn = async (req, reply) => {
    const who = await identify(req);
    if (who.ok) return who.p;
    await refuse(req, reply, who.status, who.text, who.challenge);
    return null;
  };
  const json = (/** @type {Reply} */ reply, /** @type {number} */ status, /** @type {unknown} */ body) =>
    reply.code(status).header('cache-control', 'no-store').header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));

  // Who the gateway takes the user for, for the app to show only what the roles allow. Holds no token.
  app.get('/api/session', async (req, reply) => {
    const p = await signedIn(req, reply);
    if (!p) return reply;
    return json(reply, 200, {
      user: { id: p.id, name: p.name, ...(p.email ? { email: p.email } : {}) },
      roles: [...p.roles].sort(),
      scope: p.scope ? { studies: [...p.scope.studies], patients: [...p.scope.patients] } : null,
      grant: p.grant ? { studyInstanceUID: p.grant.study, expiresAt: new Date(p.grant.expiresAt * 1000).toISOString() } : null,
      sharing: !!grants && p.roles.has(cfg.grantRole) && !p.grant,
    });
  });

  // Export happens in the browser from bytes a reader may fetch anyway; this is where the gateway says yes or no
  // (and the audit trail records it). See docs/sign-in.md for what that does and does not stop.
  app.post('/api/actions/export', { bodyLimit: 16_384 }, async (req, reply) => {
    const p = await signedIn(req, reply);
    if (!p) return reply;
    const body = /** @type {Record<string, unknown> | undefined} */ (req.body);
    const study = body?.['studyInstanceUID'];
    if (typeof study !== 'string' || !isUid(study)) return plain(reply, 400, 'want JSON {"studyInstanceUID": "…"}');
    if (!p.roles.has('exporter')) return plain(reply, 403, 'forbidden: exporting needs the exporter role');
    const r = await inScope(p, study);
    if (r !== true) return plain(reply, r === false ? 403 : 502, r === false ? 'forbidden: this study is outside what this account may read' : r);
    return reply.code(204).header('cache-control', 'no-store').send();
  });

  app.post('/api/grants', { bodyLimit: 16_384 }, async (req, reply) => {
    const p = await signedIn(req, reply);
    if (!p) return reply;
    if (!grants) return plain(reply, 404, 'sharing is not enabled on this gateway (no --grant-key-file)');
    if (!p.roles.has(cfg.grantRole) || p.grant) return plain(reply, 403, `forbidden: sharing needs the ${cfg.grantRole} role`);
    const body = /** @type {Record<string, unknown> | undefined} */ (req.body);
    const study = body?.['studyInstanceUID'];
    const recipient = normaliseRecipient(body?.['recipient']);
    const lifetime = body?.['lifetime'];
    if (typeof study !== 'string' || !isUid(study)) return plain(reply, 400, 'studyInstanceUID must be a DICOM UID');
    if (!recipient) return plain(reply, 400, 'recipient must be an e-mail address or a subject identifier');
    if (typeof lifetime !== 'number' || !Number.isInteger(lifetime) || lifetime < 60 || lifetime > cfg.grantMaxLifetimeS) {
      return plain(reply, 400, `lifetime must be whole seconds from 60 to ${cfg.grantMaxLifetimeS}`);
    }
    // Nobody shares what they may not read themselves.
    if (!canRead(p)) return plain(reply, 403, 'forbidden: this account has no role that may read studies');
    const r = await inScope(p, study);
    if (r !== true) return plain(reply, r === false ? 403 : 502, r === false ? 'forbidden: this study is outside what this account may read' : r);
    const g = await grants.issue({ study, recipient, lifetimeS: lifetime, by: p.id });
    return json(reply, 201, { grant: g.grant, studyInstanceUID: study, recipient, expiresAt: new Date(g.expiresAt * 1000).toISOString() });
  });

  /** true, false, or why it could not be told. @param {Principal} p @param {string} study */
  const inScope = async (p, study) => {
    if (!p.scope) return true;
    try {
      return await scopes.allows(p.scope, study);
    } catch {
      return 'the PACS could not be asked which patient this study belongs to';
    }
  };
}

/** The study a DICOMweb path names ("/studies/{S}/…"), or null for a search across the archive. @param {string} p */
function studyInPath(p) {
  const s = p.split('/');
  return s[1] === 'studies' && s[2] ? s[2] : null;
}

/** @param {unknown} payload @param {number} max */
async function readPayload(payload, max) {
  if (typeof payload === 'string') return payload;
  if (Buffer.isBuffer(payload)) return payload.toString('utf8');
  if (payload && typeof payload === 'object' && Symbol.asyncIterator in payload) {
    const stream = /** @type {Readable} */ (payload);
    const chunks = [];
    let n = 0;
    for await (const c of stream) {
      n += c.length;
      if (n > max) {
        stream.destroy();
        throw new Error('answer too large to filter');
      }
      chunks.push(c);
    }
    return Buffer.concat(chunks).toString('utf8');
  }
  if (payload === null || payload === undefined) return '';
  throw new Error('unexpected payload');
}

/** @param {Reply} reply @param {number} status @param {string} text */
function plain(reply, status, text) {
  return reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('cache-control', 'no-store').send(text + '\n');
}

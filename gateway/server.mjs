// @ts-check
// The gateway: serves the built viewer (dist/) and static DICOMweb trees, and forwards the DICOMweb allowlist
// (allowlist.mjs) to one PACS, with the PACS's credentials added here (never in the browser). Built on Fastify,
// @fastify/static and @fastify/reply-from (undici): routing, streaming and upstream pooling are theirs; what is
// ours is the policy — what passes, which headers cross, and how a failing PACS is answered.
import fs from 'node:fs';
import path from 'node:path';
import { Transform } from 'node:stream';
import Fastify from 'fastify';
import fastifyStatic from '@fastify/static';
import replyFrom from '@fastify/reply-from';
import { classify, DICOMWEB_PREFIX, MAX_URL_LENGTH } from './allowlist.mjs';
import { fromUpstream, toUpstream } from './headers.mjs';
import { ClientLimiter } from './limits.mjs';
import { contentSecurityPolicy, contentTypeFor, PAGE_HEADERS, storesThroughGateway } from './policy.mjs';
import { redact } from './options.mjs';
import { installSignIn, principalOf } from './signIn.mjs';
import { installAudit, pacsPatientLookup } from './audit.mjs';

/**
 * @typedef {{ prefix: string, dir: string }} Mount
 * @typedef {{
 *   root: string,
 *   config?: string,
 *   mounts?: Mount[],
 *   pacs?: { url: URL, authorization?: string, ca?: string | Buffer },
 *   allowedHosts: string[],
 *   readOnly?: boolean,
 *   maxUploadBytes?: number,
 *   clientConcurrency?: number,
 *   clientQueue?: number,
 *   upstreamTimeoutMs?: number,
 *   tls?: { key: string | Buffer, cert: string | Buffer },
 *   trustProxy?: string,
 *   signIn?: import('./signIn.mjs').SignInOptions,
 *   audit?: import('./audit.mjs').AuditOptions,
 * }} GatewayOptions
 */

const TEXT = 'text/plain; charset=utf-8';

/**
 * Builds the gateway (not listening yet: call `.listen()`).
 * @param {GatewayOptions} opts
 */
export async function buildGateway(opts) {
  const root = fs.realpathSync(path.resolve(opts.root));
  const mounts = (opts.mounts ?? []).map((m) => ({ prefix: m.prefix, dir: fs.existsSync(m.dir) ? fs.realpathSync(m.dir) : m.dir }));
  const configFile = opts.config ? path.resolve(opts.config) : path.join(root, 'config.json');
  const config = readJson(configFile);
  const stow = !opts.readOnly && storesThroughGateway(config, DICOMWEB_PREFIX);
  const page = { ...PAGE_HEADERS, 'content-security-policy': contentSecurityPolicy(config) };
  const allowedHosts = new Set(opts.allowedHosts.map((h) => h.toLowerCase()));
  const maxUpload = opts.maxUploadBytes ?? 2048 * 2 ** 20;
  const limiter = new ClientLimiter({ concurrent: opts.clientConcurrency ?? 24, queued: opts.clientQueue ?? 512 });
  const timeout = opts.upstreamTimeoutMs ?? 120_000;
  const https = !!opts.tls;

  const app = Fastify({
    logger: false,
    ...(opts.tls ? { https: { key: opts.tls.key, cert: opts.tls.cert } } : {}),
    trustProxy: opts.trustProxy || false,
    routerOptions: { maxParamLength: MAX_URL_LENGTH },
    // Slow clients: headers within 30 s, and idle keep-alive connections closed after 65 s.
    http: { headersTimeout: 30_000 },
    keepAliveTimeout: 65_000,
    forceCloseConnections: true,
    // Fastify's own error texts go to nobody: every refusal below is a plain line.
  });
  // The audit trail (audit.mjs): hooks that read each answer as it passes, and POST /api/audit.
  // Who: the user the sign-in check verified for this request (signIn.mjs), when sign-in is on.
  const userOf = (/** @type {import('fastify').FastifyRequest} */ req) => {
    const p = principalOf(req.raw);
    return p && { id: p.id, name: p.name };
  };
  if (opts.audit) installAudit(app, { lookupPatient: opts.pacs && pacsPatientLookup(opts.pacs), userOf, ...opts.audit }, { stow });

  // The first check for every request: a Host this gateway answers to (a DNS-rebinding page on another name
  // must not reach a loopback gateway), a request target of sane length with no NUL in it.
  app.addHook('onRequest', (req, reply, done) => {
    const host = hostName(req.headers.host);
    if (!host || !allowedHosts.has(host)) return void plain(reply, 421, 'this gateway does not answer to that Host');
    const url = req.raw.url ?? '';
    if (url.length > MAX_URL_LENGTH) return void plain(reply, 414, 'request target too long');
    if (/%00|\x00/.test(url)) return void plain(reply, 400, 'NUL in the request target');
    // Dot segments (raw or encoded), encoded slashes and backslashes name nothing this gateway serves; refusing them
    // here means no later layer has to agree on how to normalise them.
    const rawPath = url.split('?')[0] ?? '';
    if (/(^|\/)(\.|%2e){1,2}(\/|$)|%2f|%5c|\\/i.test(rawPath)) return void plain(reply, 400, 'dot segments or encoded separators in the path');
    done();
  });
  app.addHook('onSend', (_req, reply, payload, done) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (https) reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    done(null, payload);
  });
  app.setErrorHandler((/** @type {Error & { statusCode?: number }} */ err, _req, reply) => {
    if (process.env.GATEWAY_DEBUG) console.error(err);
    const status = typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    const text = /** @type {Record<number, string>} */ ({ 403: 'forbidden', 404: 'not found', 413: 'request body too large', 500: 'internal error' })[status];
    plain(reply, status, text ?? 'bad request');
  });

  // ---- DICOMweb to the PACS ----------------------------------------------------------------------------------
  // Bodies (STOW) are streamed through untouched; the size cap is counted on the way (a chunked body has no
  // Content-Length to check first).
  /** @type {WeakSet<import('node:http').IncomingMessage>} */
  const overCap = new WeakSet();
  const tooLargeText = `upload larger than this gateway accepts (${Math.round(maxUpload / 2 ** 20)} MB)`;
  app.addContentTypeParser('*', (req, payload, done) => {
    // Only DICOMweb requests may carry a body on; any other body is left alone for Node to discard after the answer.
    if (!(req.raw.url ?? '').startsWith(DICOMWEB_PREFIX + '/')) return done(null);
    done(null, capped(payload, maxUpload, () => overCap.add(req.raw)));
  });
  if (opts.pacs) {
    const pacs = opts.pacs;
    await app.register(replyFrom, {
      base: pacs.url.origin,
      disableRequestLogging: true,
      undici: {
        connections: 64,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        // Orthanc hints "Keep-Alive: timeout=1"; undici's default margin (1–2 s) turns that into closing every
        // connection after one answer, and a new connection per frame costs the gateway half its throughput.
        keepAliveTimeoutThreshold: 200,
        headersTimeout: timeout,
        bodyTimeout: timeout,
        connect: { rejectUnauthorized: true, ...(pacs.ca ? { ca: pacs.ca } : {}) },
      },
    });
  }
  // Sign-in (signIn.mjs): with an OpenID issuer configured, tokens, roles, scopes and grants are checked before
  // anything below forwards a request; without one, nothing is added.
  if (opts.signIn) await installSignIn(app, opts.signIn, { stow, maxUploadBytes: maxUpload, mounts, pacs: opts.pacs });
  const pacsText = opts.pacs ? redact(opts.pacs.url.href) : '';
  const upstreamBase = opts.pacs ? opts.pacs.url.pathname : '';

  /** @type {import('fastify').RouteHandlerMethod} */
  const dicomweb = async (req, reply) => {
    const c = classify(req.method, req.raw.url ?? '', { stow });
    if (!c.ok) {
      if (c.allow) reply.header('allow', c.allow);
      // A refused body is read and dropped (up to the cap), so the client is not left waiting to finish sending it.
      /** @type {import('node:stream').Readable | undefined} */ (req.body)?.resume();
      return plain(reply, c.status, `refused: ${c.reason}`);
    }
    if (!opts.pacs) {
      return plain(reply, 503, 'no PACS is configured for this server: start it with PACS_URL=<DICOMweb root> (or --pacs)');
    }
    if (c.kind === 'store' && Number(req.headers['content-length'] ?? NaN) > maxUpload) {
      reply.header('connection', 'close');
      return plain(reply, 413, tooLargeText);
    }
    // The turn is given back when the answer has been relayed or the client went away, even while still queued.
    let gone = false;
    /** @type {(() => void) | null} */
    let release = null;
    reply.raw.once('close', () => {
      gone = true;
      release?.();
    });
    release = await limiter.acquire(req.ip);
    if (!release) {
      reply.header('retry-after', '1');
      return plain(reply, 429, 'too many requests from this client at once');
    }
    if (gone) {
      release();
      return reply.hijack();
    }
    let active = false;
    return reply.from(upstreamBase + c.path + c.query, {
      // No retries here: the viewer retries what is safe to retry, with its own back-off and messages.
      retryDelay: () => null,
      rewriteRequestHeaders: (r) =>
        toUpstream(r.raw.headers, {
          host: opts.pacs?.url.host ?? '',
          authorization: opts.pacs?.authorization,
          forwarded: { host: String(r.headers.host), proto: https ? 'https' : 'http' },
        }),
      rewriteHeaders: (headers) => {
        const r = fromUpstream(headers);
        active = r.active;
        return r.headers;
      },
      onResponse: (_r, rep, res) => {
        const stream = /** @type {import('node:stream').Readable} */ (res.stream);
        if (rep.sent) return void stream.destroy();
        if (active) {
          stream.destroy();
          for (const h of ['content-length', 'content-encoding', 'content-disposition']) rep.removeHeader(h);
          return plain(rep, 502, `PACS at ${pacsText} answered with a web page (status ${res.statusCode}), not DICOMweb`);
        }
        // A reset after the answer has started cannot become a 502: the browser sees the answer cut short.
        stream.on('error', () => rep.raw.destroy());
        rep.send(stream);
      },
      onError: (rep, { error }) => {
        const e = /** @type {Error & { statusCode?: number, cause?: Error & { code?: string } }} */ (error);
        if (overCap.has(req.raw)) return plain(rep, 413, tooLargeText);
        if (e.statusCode === 504) return plain(rep, 504, `PACS at ${pacsText} did not answer within ${Math.round(timeout / 1000)} s`);
        const code = e.cause?.code ?? /** @type {{ code?: string }} */ (e).code ?? '';
        const reason = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|ENETUNREACH|EAI_AGAIN/.test(code)
          ? `unreachable: ${code}`
          : /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)
            ? `has a certificate this gateway cannot verify (${code}): give its CA with --pacs-ca`
          : e.statusCode === 502 || /HPE_/.test(code) || /status/i.test(e.message)
            ? 'sent an answer that is not valid HTTP'
            : `failed: ${code || 'connection error'}`;
        return plain(rep, 502, `PACS at ${pacsText} ${reason}`);
      },
    });
  };
  app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'], url: `${DICOMWEB_PREFIX}/*`, handler: dicomweb });
  app.route({ method: ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'], url: DICOMWEB_PREFIX, handler: dicomweb });

  // ---- static files ----------------------------------------------------------------------------------------------
  if (opts.config) {
    app.get('/config.json', (_req, reply) => {
      reply.header('cache-control', 'no-cache').header('content-type', 'application/json');
      return reply.send(fs.createReadStream(configFile));
    });
  }
  /**
   * @param {string} dir
   * @param {string} prefix
   * @param {boolean} app_
   */
  const serveDir = (dir, prefix, app_) =>
    app.register(fastifyStatic, {
      root: dir,
      prefix: prefix + '/',
      decorateReply: app_,
      preCompressed: app_,
      index: app_ ? 'index.html' : false,
      dotfiles: 'deny',
      serveDotFiles: false,
      cacheControl: false,
      redirect: false,
      // Symbolic links may not lead outside the served folder.
      allowedPath: (p) => inside(dir, path.join(dir, p)),
      setHeaders: (res, file) => {
        res.header('content-type', contentTypeFor(file));
        // Vite's hashed assets never change; everything else is revalidated.
        res.header('cache-control', /\/assets\//.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache');
        for (const [k, v] of Object.entries(file.endsWith('.html') ? page : PAGE_HEADERS)) res.header(k, v);
      },
    });
  await serveDir(root, '', true);
  for (const m of mounts) await serveDir(m.dir, m.prefix, false);

  app.setNotFoundHandler((req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      reply.header('allow', 'GET, HEAD');
      return plain(reply, 405, 'method not allowed');
    }
    const urlPath = (req.raw.url ?? '/').split('?')[0] ?? '/';
    // Unknown asset paths and anything under a mount are 404s; every other path is a client route (index.html).
    if (/\.[a-z0-9]+$/i.test(urlPath) || mounts.some((m) => urlPath.startsWith(m.prefix + '/')) || /\/\.|\/\//.test(urlPath)) {
      return plain(reply, 404, 'not found');
    }
    for (const [k, v] of Object.entries(page)) reply.header(k, v);
    reply.header('cache-control', 'no-cache');
    return reply.sendFile('index.html');
  });
  return app;
}

/** @param {import('fastify').FastifyReply<any, any, any, any, any>} reply @param {number} status @param {string} text */
function plain(reply, status, text) {
  return reply.code(status).header('content-type', TEXT).header('cache-control', 'no-store').send(text + '\n');
}

/** The host name of a Host header, lower case, without the port ("[::1]:8080" → "[::1]"). */
export function hostName(/** @type {string | undefined} */ h) {
  if (!h) return '';
  const m = /^(\[[0-9a-f:.]+\]|[^:]+)(?::\d+)?$/i.exec(h.trim());
  return m ? /** @type {string} */ (m[1]).toLowerCase() : '';
}

/** Whether `file` (after links) lies in `dir` (already real); a missing file is left to answer 404. */
function inside(/** @type {string} */ dir, /** @type {string} */ file) {
  let real;
  try {
    real = fs.realpathSync(file);
  } catch {
    return true;
  }
  return real === dir || real.startsWith(dir + path.sep);
}

/** @param {string} file */
function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    // The app reports an unreadable config.json itself; the policy then allows this origin only.
    return {};
  }
}

/**
 * Counts a request body on its way to the PACS and fails it past `max` bytes.
 * @param {import('node:stream').Readable} src @param {number} max @param {() => void} onTooLarge
 */
function capped(src, max, onTooLarge) {
  let n = 0;
  const t = new Transform({
    transform(chunk, _enc, cb) {
      n += chunk.length;
      if (n > max) {
        onTooLarge();
        return cb(new Error('request body too large'));
      }
      cb(null, chunk);
    },
  });
  src.on('error', (e) => t.destroy(e));
  // The consumer (the upstream request) sees the error; a body nobody reads (a refused request) must not crash.
  t.on('error', () => {});
  return src.pipe(t);
}

// @ts-check
// The gateway's settings from its command line and environment, checked once at start-up so that a mistake
// (a malformed PACS URL, a missing certificate, a credentials file inside the served folder) stops it with a
// clear message instead of failing request by request.
import fs from 'node:fs';
import path from 'node:path';
import { SIGN_IN_USAGE, signInDefaults, signInFlag } from './auth.mjs';

/**
 * @typedef {{ prefix: string, dir: string }} Mount
 * @typedef {{
 *   root: string, port: number, host: string, pacs: string, mounts: Mount[], config: string,
 *   allowedHosts: string[], pacsAuthFile: string, pacsCa: string, tlsCert: string, tlsKey: string,
 *   readOnly: boolean, maxUploadMB: number, clientConcurrency: number, clientQueue: number,
 *   upstreamTimeoutS: number, trustProxy: string, signIn: import('./auth.mjs').SignInArgs,
 *   auditFile: string, auditForward: string, auditForwardAuthFile: string, auditSpool: string, auditIdleS: number,
 *   auditInstance: string,
 * }} GatewayArgs
 */

export const USAGE = `node scripts/serve.mjs [options]
  --root DIR              built app to serve (default dist)
  --port N --host ADDR    where to listen (default 8080 on 127.0.0.1)
  --pacs URL              PACS DICOMweb root to forward /dicom-web to (or PACS_URL)
  --mount /prefix=DIR     also serve a static DICOMweb tree (repeatable)
  --config FILE           serve FILE as /config.json
  --allowed-host NAME     a Host name clients may use (repeatable, or ALLOWED_HOSTS=a,b; default loopback names)
  --pacs-auth-file FILE   PACS credentials, one line: "Basic user:password" or "Bearer TOKEN" (or PACS_AUTH_FILE;
                          PACS_BASIC_AUTH=user:password and PACS_BEARER_TOKEN also work)
  --pacs-ca FILE          CA certificate(s) (PEM) that the PACS's HTTPS certificate must chain to (or PACS_CA_FILE)
  --tls-cert FILE --tls-key FILE   serve HTTPS (with HSTS)
  --read-only             refuse STOW even when config.json allows storing
  --max-upload-mb N       largest STOW request body (default 2048)
  --client-concurrency N  requests per client at the PACS at once (default 24); --client-queue N waiting (default 512)
  --upstream-timeout S    seconds to wait for the PACS to answer or send more (default 120)
  --trust-proxy ADDR      a reverse proxy whose X-Forwarded-For names the client (e.g. 127.0.0.1)
  --audit-file FILE       write the audit trail (FHIR AuditEvents, one JSON line each) to FILE (or AUDIT_FILE)
  --audit-forward URL     also send each event to a FHIR AuditEvent endpoint (https://…/AuditEvent) or a syslog
                          collector (syslog+tls://host:6514, syslog+tcp://host:514) (or AUDIT_FORWARD_URL)
  --audit-forward-auth-file FILE   the endpoint's credentials, one line: "Basic user:password" or "Bearer TOKEN"
  --audit-spool DIR       where events wait until the endpoint has them (default: the audit file's folder)
  --audit-instance NAME   this gateway's name in events and spool files (default host name and port)
  --audit-idle S          seconds without a request before a study's access event is written (default 30)

${SIGN_IN_USAGE}`;

/**
 * @param {string[]} argv
 * @param {Record<string, string | undefined>} env
 * @returns {GatewayArgs}
 */
export function parseArgs(argv, env = process.env) {
  /** @type {GatewayArgs} */
  const o = {
    root: 'dist',
    port: 8080,
    host: '127.0.0.1',
    pacs: env.PACS_URL || '',
    mounts: [],
    config: '',
    allowedHosts: (env.ALLOWED_HOSTS || '').split(',').map((s) => s.trim()).filter(Boolean),
    pacsAuthFile: env.PACS_AUTH_FILE || '',
    pacsCa: env.PACS_CA_FILE || '',
    tlsCert: env.TLS_CERT_FILE || '',
    tlsKey: env.TLS_KEY_FILE || '',
    readOnly: false,
    maxUploadMB: 2048,
    clientConcurrency: 24,
    clientQueue: 512,
    upstreamTimeoutS: 120,
    trustProxy: '',
    signIn: signInDefaults(env),
    auditFile: env.AUDIT_FILE || '',
    auditForward: env.AUDIT_FORWARD_URL || '',
    auditForwardAuthFile: env.AUDIT_FORWARD_AUTH_FILE || '',
    auditSpool: env.AUDIT_SPOOL_DIR || '',
    auditIdleS: 30,
    auditInstance: '',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = /** @type {string} */ (argv[i]);
    const v = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${a} needs a value`);
      return next;
    };
    const num = (/** @type {number} */ min) => {
      const s = v();
      const n = Number(s);
      if (!Number.isFinite(n) || n < min) throw new Error(`${a} wants a number ≥ ${min}, not "${s}"`);
      return n;
    };
    if (a === '--root') o.root = v();
    else if (a === '--port') o.port = num(0);
    else if (a === '--host') o.host = v();
    else if (a === '--pacs') o.pacs = v();
    else if (a === '--config') o.config = v();
    else if (a === '--allowed-host') o.allowedHosts.push(v());
    else if (a === '--pacs-auth-file') o.pacsAuthFile = v();
    else if (a === '--pacs-ca') o.pacsCa = v();
    else if (a === '--tls-cert') o.tlsCert = v();
    else if (a === '--tls-key') o.tlsKey = v();
    else if (a === '--read-only') o.readOnly = true;
    else if (a === '--max-upload-mb') o.maxUploadMB = num(1);
    else if (a === '--client-concurrency') o.clientConcurrency = num(1);
    else if (a === '--client-queue') o.clientQueue = num(0);
    else if (a === '--upstream-timeout') o.upstreamTimeoutS = num(1);
    else if (a === '--trust-proxy') o.trustProxy = v();
    else if (a === '--audit-file') o.auditFile = v();
    else if (a === '--audit-forward') o.auditForward = v();
    else if (a === '--audit-forward-auth-file') o.auditForwardAuthFile = v();
    else if (a === '--audit-spool') o.auditSpool = v();
    else if (a === '--audit-instance') o.auditInstance = v();
    else if (a === '--audit-idle') o.auditIdleS = num(1);
    else if (a === '--mount') {
      const s = v();
      const eq = s.indexOf('=');
      const prefix = eq > 0 ? s.slice(0, eq).replace(/\/+$/, '') : '';
      const dir = eq > 0 ? s.slice(eq + 1) : '';
      if (!/^(\/[A-Za-z0-9._-]+)+$/.test(prefix) || !dir) throw new Error('--mount wants /url/prefix=folder');
      o.mounts.push({ prefix, dir: path.resolve(dir) });
    } else if (signInFlag(o.signIn, a, v)) continue;
    else if (a === '--help' || a === '-h') throw new Error(USAGE);
    else throw new Error(`unknown option ${a}\n\n${USAGE}`);
  }
  if (o.port > 65535) throw new Error(`--port ${o.port} is not a port`);
  if (!!o.tlsCert !== !!o.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  if ((o.auditForward || o.auditSpool) && !o.auditFile) throw new Error('--audit-forward and --audit-spool need --audit-file');
  if (o.auditInstance && !/^[A-Za-z0-9._-]{1,64}$/.test(o.auditInstance)) throw new Error('--audit-instance wants letters, digits, ".", "_" or "-"');
  return o;
}

/**
 * The PACS's DICOMweb root, checked: http(s), a host, no credentials in it (they would be logged and shown in
 * error pages; use --pacs-auth-file), no query or fragment.
 * @param {string} s
 * @returns {URL}
 */
export function parsePacsUrl(s) {
  let u;
  try {
    u = new URL(s);
  } catch {
    throw new Error(`--pacs "${redact(s)}" is not a URL: give the PACS's DICOMweb root, e.g. http://127.0.0.1:8042/dicom-web`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`--pacs must be http:// or https://, not ${u.protocol}`);
  if (!u.hostname) throw new Error('--pacs names no host');
  if (u.username || u.password) {
    throw new Error('--pacs must not carry credentials (they would end up in logs): put them in --pacs-auth-file or PACS_BASIC_AUTH');
  }
  if (u.search || u.hash) throw new Error('--pacs must not have a query or fragment');
  u.pathname = u.pathname.replace(/\/+$/, '');
  return u;
}

/** A URL for messages: never its credentials. @param {string} s */
export function redact(s) {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1');
}

/**
 * The Authorization value for the PACS, from a file (never under a served folder) or the environment.
 * @param {GatewayArgs} o
 * @param {Record<string, string | undefined>} env
 * @param {string[]} servedDirs folders the gateway serves files from
 * @returns {string | undefined}
 */
export function pacsAuthorization(o, env, servedDirs) {
  if (o.pacsAuthFile) return authorizationFile(o.pacsAuthFile, 'PACS credentials file', servedDirs);
  if (env.PACS_BASIC_AUTH) return basic(env.PACS_BASIC_AUTH);
  if (env.PACS_BEARER_TOKEN) return `Bearer ${env.PACS_BEARER_TOKEN}`;
  return undefined;
}

/**
 * An Authorization value from a one-line file ("Basic user:password" or "Bearer TOKEN") outside the served folders.
 * @param {string} name the file @param {string} what for messages @param {string[]} servedDirs
 */
export function authorizationFile(name, what, servedDirs) {
  outsideServed(name, `the ${what}`, servedDirs);
  let line;
  try {
    line = fs.readFileSync(realOrSelf(name), 'utf8').trim();
  } catch (e) {
    throw new Error(`cannot read the ${what} ${name}: ${/** @type {Error} */ (e).message}`);
  }
  const m = /^(Basic|Bearer)\s+(\S.*)$/.exec(line);
  if (!m) throw new Error(`${name}: want one line "Basic user:password" or "Bearer TOKEN"`);
  return m[1] === 'Basic' ? basic(/** @type {string} */ (m[2])) : `Bearer ${m[2]}`;
}

/**
 * Refuses a file or folder inside a served folder (it would be downloadable).
 * @param {string} name @param {string} what e.g. "the audit file" @param {string[]} servedDirs
 */
export function outsideServed(name, what, servedDirs) {
  const file = realOrSelf(name);
  for (const d of servedDirs) {
    const root = realOrSelf(d);
    if (file === root || file.startsWith(root + path.sep)) {
      throw new Error(`${what} ${name} is inside a served folder (${d}): move it out`);
    }
  }
}

/**
 * The audit forwarding endpoint, checked: a FHIR AuditEvent endpoint (http/https) or a syslog collector
 * (syslog+tls://host:port, syslog+tcp://host:port); no credentials in it (use --audit-forward-auth-file).
 * @param {string} s
 */
export function parseAuditForward(s) {
  let u;
  try {
    u = new URL(s);
  } catch {
    throw new Error(`--audit-forward "${redact(s)}" is not a URL`);
  }
  if (!['http:', 'https:', 'syslog+tls:', 'syslog+tcp:'].includes(u.protocol)) {
    throw new Error(`--audit-forward must be http(s):// (FHIR), syslog+tls:// or syslog+tcp://, not ${u.protocol}`);
  }
  if (!u.hostname) throw new Error('--audit-forward names no host');
  if (u.username || u.password) throw new Error('--audit-forward must not carry credentials: put them in --audit-forward-auth-file');
  if (u.protocol.startsWith('syslog') && !u.port) throw new Error('--audit-forward syslog URLs need a port (6514 for TLS, 514 for TCP)');
  return u;
}

/** @param {string} userPass "user:password" */
function basic(userPass) {
  if (!userPass.includes(':')) throw new Error('PACS Basic credentials want the form user:password');
  return `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
}

/** @param {string} p */
function realOrSelf(p) {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Host names for a listening address: loopback names by default, the address itself when it is specific. */
export function defaultAllowedHosts(/** @type {string} */ host) {
  const names = ['127.0.0.1', 'localhost', '[::1]', '::1'];
  if (host && host !== '0.0.0.0' && host !== '::' && !names.includes(host)) names.push(host);
  return names;
}

/** Whether an address only listens on this machine. @param {string} host */
export function isLoopback(host) {
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

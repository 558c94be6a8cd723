// @ts-check
// Renders the nginx recipe (lumen.conf.template + proxy-snippet.conf.template) for one site: where the app is, which
// PACS, which names, the CSP and whether STOW passes, derived from config.json by the same code the Node gateway
// uses (../policy.mjs), so the two cannot drift apart.
//
//   node gateway/nginx/render.mjs --root /srv/lumen/dist --pacs http://127.0.0.1:8042/dicom-web \
//     --server-name viewer.example.org --out /etc/nginx/lumen [--config /srv/lumen/config.json] [--listen 443 \
//     --tls-cert cert.pem --tls-key key.pem] [--pacs-auth-include /etc/nginx/lumen-pacs-auth.conf] [--pacs-ca ca.pem]
//     [--access-log /var/log/nginx/lumen-access.log | off]  (lines without query strings)
//
// Writes OUT/lumen.conf (include it in nginx's http {} block) and OUT/lumen-proxy.conf (included by it).
//
// With sign-in, nginx cannot stand in for the gateway (it checks no tokens). Instead of --pacs, give the gateway
// instances: `--gateway http://10.0.0.11:8080 --gateway http://10.0.0.12:8080` (repeatable). nginx then serves the
// app, terminates TLS and spreads DICOMweb and /api over the instances (round robin); the user's Authorization and
// Lumen-Grant headers pass, the client address goes in X-Forwarded-For (start the gateways with --trust-proxy and
// --allowed-host for the site's names), and the gateways' refusals (401 with WWW-Authenticate, 403) reach the app.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, storesThroughGateway } from '../policy.mjs';
import { DICOMWEB_PREFIX } from '../allowlist.mjs';
import { parsePacsUrl } from '../options.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {{ root: string, pacs: string, gateways: string[], serverNames: string[], listen: number, config: string, out: string,
 *   tlsCert: string, tlsKey: string, pacsAuthInclude: string, pacsCa: string, readOnly: boolean,
 *   maxUploadMB: number, clientConcurrency: number, upstreamTimeoutS: number, accessLog: string }} NginxArgs
 */

/** @param {string[]} argv @returns {NginxArgs} */
export function parseNginxArgs(argv) {
  /** @type {NginxArgs} */
  const o = {
    root: '', pacs: '', gateways: [], serverNames: [], listen: 80, config: '', out: '', tlsCert: '', tlsKey: '', pacsAuthInclude: '',
    pacsCa: '', readOnly: false, maxUploadMB: 2048, clientConcurrency: 24, upstreamTimeoutS: 120, accessLog: '/var/log/nginx/lumen-access.log',
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const n = argv[++i];
      if (n === undefined) throw new Error(`${a} needs a value`);
      return n;
    };
    if (a === '--root') o.root = path.resolve(v());
    else if (a === '--pacs') o.pacs = v();
    else if (a === '--gateway') o.gateways.push(v());
    else if (a === '--server-name') o.serverNames.push(v());
    else if (a === '--listen') o.listen = Number(v());
    else if (a === '--config') o.config = path.resolve(v());
    else if (a === '--out') o.out = path.resolve(v());
    else if (a === '--tls-cert') o.tlsCert = path.resolve(v());
    else if (a === '--tls-key') o.tlsKey = path.resolve(v());
    else if (a === '--pacs-auth-include') o.pacsAuthInclude = path.resolve(v());
    else if (a === '--pacs-ca') o.pacsCa = path.resolve(v());
    else if (a === '--read-only') o.readOnly = true;
    else if (a === '--max-upload-mb') o.maxUploadMB = Number(v());
    else if (a === '--client-concurrency') o.clientConcurrency = Number(v());
    else if (a === '--upstream-timeout') o.upstreamTimeoutS = Number(v());
    else if (a === '--access-log') {
      const file = v();
      o.accessLog = file === 'off' ? 'off' : path.resolve(file);
    }
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.root || !o.out || (!o.pacs && !o.gateways.length)) throw new Error('--root, --out and --pacs (or --gateway) are needed');
  if (o.pacs && o.gateways.length) throw new Error('give --pacs (nginx in front of the PACS) or --gateway (in front of gateway instances), not both');
  if (o.gateways.length && o.pacsAuthInclude) throw new Error('--pacs-auth-include is for --pacs: with --gateway, the gateways hold the PACS credentials');
  if (!o.serverNames.length) o.serverNames = ['localhost', '127.0.0.1'];
  for (const n of o.serverNames) if (!/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(n)) throw new Error(`--server-name ${n} is not a host name`);
  if (!!o.tlsCert !== !!o.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  for (const n of [o.listen, o.maxUploadMB, o.clientConcurrency, o.upstreamTimeoutS]) if (!Number.isInteger(n) || n <= 0) throw new Error('numbers must be positive integers');
  return o;
}

/**
 * The gateway instances as nginx upstream servers: http only (nginx checks one TLS name per upstream block; run the
 * instances on a private network or loopback), no path (the gateway's own /dicom-web and /api are forwarded).
 * @param {string[]} urls @returns {string[]} host:port of each
 */
export function gatewayServers(urls) {
  const seen = new Set();
  return urls.map((s) => {
    let u;
    try {
      u = new URL(s);
    } catch {
      throw new Error(`--gateway "${s}" is not a URL: give an instance's origin, e.g. http://10.0.0.11:8080`);
    }
    if (u.protocol !== 'http:') throw new Error(`--gateway ${u.origin}: http only (TLS from nginx to the gateways is not rendered; keep them on a private network)`);
    if (u.username || u.password || u.search || u.hash || (u.pathname && u.pathname !== '/')) throw new Error(`--gateway ${s}: an origin only, no path, query or credentials`);
    const hostPort = `${u.hostname}:${u.port || '80'}`;
    if (seen.has(hostPort)) throw new Error(`--gateway ${hostPort} is given twice`);
    seen.add(hostPort);
    return hostPort;
  });
}

/** @param {NginxArgs} o @returns {{ conf: string, snippet: string }} */
export function renderNginx(o) {
  const gateways = o.gateways.length ? gatewayServers(o.gateways) : null;
  const pacs = gateways ? new URL(`http://${gateways[0]}${DICOMWEB_PREFIX}`) : parsePacsUrl(o.pacs);
  const configFile = o.config || path.join(o.root, 'config.json');
  let config = {};
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    // As in the gateway: the app reports an unreadable config.json; the policy allows this origin only.
  }
  const stow = !o.readOnly && storesThroughGateway(config, DICOMWEB_PREFIX);
  const tls = o.tlsCert
    ? `    ssl_certificate ${o.tlsCert};\n    ssl_certificate_key ${o.tlsKey};\n    ssl_protocols TLSv1.2 TLSv1.3;`
    : '';
  const hsts = o.tlsCert ? '        add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;' : '';
  const port = pacs.port || (pacs.protocol === 'https:' ? '443' : '80');
  const vars = {
    ROOT: o.root,
    CONFIG: configFile,
    LISTEN: String(o.listen),
    LISTEN_SSL: o.tlsCert ? ' ssl' : '',
    TLS: tls,
    HSTS: hsts,
    SERVER_NAMES: o.serverNames.join(' '),
    PACS_ORIGIN: gateways ? `the gateway instances (${gateways.join(', ')})` : pacs.origin,
    UPSTREAM: gateways ? 'lumen_gateways' : 'lumen_pacs',
    ACCESS_LOG: o.accessLog === 'off' ? 'off' : `${o.accessLog} ${gateways ? 'lumen_gateways' : 'lumen_pacs'}_no_query`,
    UPSTREAM_SERVERS: (gateways ?? [`${pacs.hostname}:${port}`]).map((h) => `    server ${h};`).join('\n'),
    // The PACS is asked under its own name; a gateway sees the site's name (its --allowed-host check).
    UPSTREAM_HOST: gateways ? '$http_host' : `${pacs.hostname}:${port}`,
    PACS_PREFIX: pacs.pathname,
    PACS_SCHEME: pacs.protocol.replace(':', ''),
    PACS_TLS:
      pacs.protocol === 'https:'
        ? `proxy_ssl_server_name on;\nproxy_ssl_name ${pacs.hostname};\nproxy_ssl_verify on;\nproxy_ssl_trusted_certificate ${o.pacsCa || '/etc/ssl/certs/ca-certificates.crt'};`
        : '',
    AUTH: gateways
      ? '# The gateways check the user\'s token and grant: Authorization and Lumen-Grant pass as sent.'
      : o.pacsAuthInclude ? `# PACS credentials: one line, proxy_set_header Authorization "Basic …"; (kept out of this file)\ninclude ${o.pacsAuthInclude};` : 'proxy_set_header Authorization "";',
    FORWARDED_FOR: gateways ? '$remote_addr' : '""',
    // The gateways' 401 names the scheme (RFC 6750); a PACS's credential prompt must not reach the browser.
    HIDE_WWW_AUTHENTICATE: gateways ? '' : 'proxy_hide_header WWW-Authenticate;',
    API: gateways
      ? `
    # The gateways' own routes: the session, grants, the export decision and the browser's audit reports.
    location ^~ /api/ {
        limit_except GET POST { deny all; }
        client_max_body_size 64k;
        include ${path.join(o.out, 'lumen-proxy.conf')};
    }
`
      : '',
    CSP: contentSecurityPolicy(config),
    STOW_METHODS: stow ? '        limit_except GET POST { deny all; }' : '        limit_except GET { deny all; }',
    MAX_UPLOAD_MB: String(o.maxUploadMB),
    CLIENT_CONCURRENCY: String(o.clientConcurrency),
    UPSTREAM_TIMEOUT: String(o.upstreamTimeoutS),
    SNIPPET: path.join(o.out, 'lumen-proxy.conf'),
  };
  const fill = (/** @type {string} */ t) =>
    t.replace(/\{\{([A-Z_]+)\}\}/g, (_, k) => {
      const v = /** @type {Record<string, string>} */ (vars)[k];
      if (v === undefined) throw new Error(`template names {{${k}}}, which render.mjs does not know`);
      return v;
    });
  return {
    conf: fill(fs.readFileSync(path.join(HERE, 'lumen.conf.template'), 'utf8')),
    snippet: fill(fs.readFileSync(path.join(HERE, 'proxy-snippet.conf.template'), 'utf8')),
  };
}

/** Renders and writes OUT/lumen.conf and OUT/lumen-proxy.conf. @param {NginxArgs} o */
export function writeNginx(o) {
  const { conf, snippet } = renderNginx(o);
  fs.mkdirSync(o.out, { recursive: true });
  fs.writeFileSync(path.join(o.out, 'lumen.conf'), conf);
  fs.writeFileSync(path.join(o.out, 'lumen-proxy.conf'), snippet);
  return path.join(o.out, 'lumen.conf');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  try {
    console.log(`wrote ${writeNginx(parseNginxArgs(process.argv.slice(2)))}: include it in nginx's http {} block`);
  } catch (e) {
    console.error(`nginx-conf: ${/** @type {Error} */ (e).message}`);
    process.exit(2);
  }
}

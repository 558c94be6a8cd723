// @ts-check
// Renders the nginx recipe (lumen.conf.template + proxy-snippet.conf.template) for one site: where the app is, which
// PACS, which names, the CSP and whether STOW passes, derived from config.json by the same code the Node gateway
// uses (../policy.mjs), so the two cannot drift apart.
//
//   node gateway/nginx/render.mjs --root /srv/lumen/dist --pacs http://127.0.0.1:8042/dicom-web \
//     --server-name viewer.example.org --out /etc/nginx/lumen [--config /srv/lumen/config.json] [--listen 443 \
//     --tls-cert cert.pem --tls-key key.pem] [--pacs-auth-include /etc/nginx/lumen-pacs-auth.conf] [--pacs-ca ca.pem]
//
// Writes OUT/lumen.conf (include it in nginx's http {} block) and OUT/lumen-proxy.conf (included by it).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy, storesThroughGateway } from '../policy.mjs';
import { DICOMWEB_PREFIX } from '../allowlist.mjs';
import { parsePacsUrl } from '../options.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/**
 * @typedef {{ root: string, pacs: string, serverNames: string[], listen: number, config: string, out: string,
 *   tlsCert: string, tlsKey: string, pacsAuthInclude: string, pacsCa: string, readOnly: boolean,
 *   maxUploadMB: number, clientConcurrency: number, upstreamTimeoutS: number }} NginxArgs
 */

/** @param {string[]} argv @returns {NginxArgs} */
export function parseNginxArgs(argv) {
  /** @type {NginxArgs} */
  const o = {
    root: '', pacs: '', serverNames: [], listen: 80, config: '', out: '', tlsCert: '', tlsKey: '', pacsAuthInclude: '',
    pacsCa: '', readOnly: false, maxUploadMB: 2048, clientConcurrency: 24, upstreamTimeoutS: 120,
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
    else throw new Error(`unknown option ${a}`);
  }
  if (!o.root || !o.pacs || !o.out) throw new Error('--root, --pacs and --out are needed');
  if (!o.serverNames.length) o.serverNames = ['localhost', '127.0.0.1'];
  for (const n of o.serverNames) if (!/^[A-Za-z0-9.-]+$|^\[[0-9a-fA-F:]+\]$/.test(n)) throw new Error(`--server-name ${n} is not a host name`);
  if (!!o.tlsCert !== !!o.tlsKey) throw new Error('--tls-cert and --tls-key go together');
  for (const n of [o.listen, o.maxUploadMB, o.clientConcurrency, o.upstreamTimeoutS]) if (!Number.isInteger(n) || n <= 0) throw new Error('numbers must be positive integers');
  return o;
}

/** @param {NginxArgs} o @returns {{ conf: string, snippet: string }} */
export function renderNginx(o) {
  const pacs = parsePacsUrl(o.pacs);
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
    PACS_ORIGIN: pacs.origin,
    PACS_HOSTPORT: `${pacs.hostname}:${port}`,
    PACS_PREFIX: pacs.pathname,
    PACS_SCHEME: pacs.protocol.replace(':', ''),
    PACS_TLS:
      pacs.protocol === 'https:'
        ? `proxy_ssl_server_name on;\nproxy_ssl_name ${pacs.hostname};\nproxy_ssl_verify on;\nproxy_ssl_trusted_certificate ${o.pacsCa || '/etc/ssl/certs/ca-certificates.crt'};`
        : '',
    AUTH: o.pacsAuthInclude ? `# PACS credentials: one line, proxy_set_header Authorization "Basic …"; (kept out of this file)\ninclude ${o.pacsAuthInclude};` : 'proxy_set_header Authorization "";',
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

// Production server for the built viewer: static files with SPA fallback, static DICOMweb trees
// (the demo, or any `npm run import` output) and an optional same-origin proxy to a PACS.
//
//   node scripts/serve.mjs [--root dist] [--port 8080] [--host 127.0.0.1] [--pacs URL]
//                          [--mount /demo/dicom-web=.cache/demo/dicom-web]... [--config config.json]
//
// --pacs (or PACS_URL) forwards /dicom-web/* to URL (e.g. http://127.0.0.1:8042/dicom-web): Orthanc and
// many PACS send no CORS headers, so the browser talks to this origin only.
// --config serves that file as /config.json instead of the one in --root (deployments, tests).
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream';
import { encodedVariant } from './precompress.mjs';

export function parseArgs(argv) {
  const opts = { root: 'dist', port: 8080, host: '127.0.0.1', pacs: process.env.PACS_URL || '', mounts: [], config: '' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => {
      const next = argv[++i];
      if (next === undefined) throw new Error(`${a} needs a value`);
      return next;
    };
    if (a === '--root') opts.root = v();
    else if (a === '--port') opts.port = Number(v());
    else if (a === '--host') opts.host = v();
    else if (a === '--pacs') opts.pacs = v();
    else if (a === '--config') opts.config = v();
    else if (a === '--mount') {
      const [prefix, dir] = v().split('=');
      if (!prefix || !dir) throw new Error('--mount wants /url/prefix=folder');
      opts.mounts.push({ prefix: prefix.replace(/\/+$/, ''), dir: path.resolve(dir) });
    } else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const TYPES = {
  '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png',
  '.woff2': 'font/woff2', '.ico': 'image/x-icon', '.txt': 'text/plain',
};

// Frames in a static DICOMweb tree are stored as the multipart/related body a WADO-RS server would send;
// the loader only needs to be told it is multipart (the boundary and part headers are in the body).
const FRAME_RE = /\/frames\/\d+$/;
const METADATA_RE = /\/metadata$/;

export function contentTypeFor(file) {
  if (FRAME_RE.test(file)) return 'multipart/related; type="application/octet-stream"';
  if (METADATA_RE.test(file)) return 'application/dicom+json';
  if (file.endsWith('index.json')) return 'application/dicom+json';
  return TYPES[path.extname(file)] || 'application/octet-stream';
}

const SECURITY_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The Content-Security-Policy for the app: scripts and workers from this origin only ('wasm-unsafe-eval' lets the
 * codecs compile their WebAssembly), no inline script, and network access to this origin plus the origins of the
 * data sources named in config.json (relative roots are this origin).
 */
export function contentSecurityPolicy(configJson) {
  const origins = new Set();
  for (const ds of configJson?.dataSources ?? []) {
    for (const root of [ds.qidoRoot, ds.wadoRoot, ds.stowRoot]) {
      try {
        if (root && /^https?:\/\//i.test(root)) origins.add(new URL(root).origin);
      } catch {
        // An invalid URL is the app's config error to report, not the server's.
      }
    }
  }
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "worker-src 'self'",
    // blob: is the browser's own memory: local files' frames are read from Blob URLs (src/local/localSource.ts).
    `connect-src 'self' blob: ${[...origins].join(' ')}`.trim(),
    "img-src 'self' data: blob:",
    "style-src 'self'",
    // Style attributes only (no <style> elements): Cornerstone's SVG measurement labels carry one each.
    "style-src-attr 'unsafe-inline'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sends a file. With `precompressed`, a brotli or gzip copy written by the build (scripts/precompress.mjs) is sent
 * instead where the browser accepts it.
 */
export function sendFile(req, res, file, extraHeaders = {}, precompressed = false) {
  const variant = precompressed ? encodedVariant(file, req.headers['accept-encoding']) : { path: file, encoding: undefined };
  const stat = fs.statSync(variant.path);
  const headers = { 'Content-Type': contentTypeFor(file), 'Content-Length': stat.size, ...SECURITY_HEADERS, ...extraHeaders };
  if (precompressed) headers['Vary'] = 'Accept-Encoding';
  if (variant.encoding) headers['Content-Encoding'] = variant.encoding;
  // Vite's hashed assets never change; everything else is revalidated.
  headers['Cache-Control'] = /\/assets\//.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache';
  res.writeHead(200, headers);
  if (req.method === 'HEAD') return res.end();
  pipeline(fs.createReadStream(variant.path), res, () => {});
}

export function safeJoin(dir, urlPath) {
  let decoded;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const p = path.join(dir, decoded);
  return p === dir || p.startsWith(dir + path.sep) ? p : null;
}

function isFile(p) {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

function proxy(req, res, pacs) {
  const target = new URL(pacs);
  const base = target.pathname.replace(/\/+$/, '');
  const rest = req.url.slice('/dicom-web'.length);
  const mod = target.protocol === 'https:' ? import('node:https') : Promise.resolve(http);
  mod.then(({ request }) => {
    const headers = { ...req.headers, host: target.host };
    delete headers['accept-encoding'];
    const up = request(
      { protocol: target.protocol, hostname: target.hostname, port: target.port, path: base + rest, method: req.method, headers },
      (r) => {
        res.writeHead(r.statusCode ?? 502, r.headers);
        pipeline(r, res, () => {});
      },
    );
    up.on('error', (e) => {
      if (res.headersSent) return res.destroy();
      res.writeHead(502, { 'Content-Type': 'text/plain' });
      res.end(`PACS at ${pacs} unreachable: ${e.code || e.message}`);
    });
    pipeline(req, up, () => {});
  });
}

/** Serves `req` from a mounted folder when its path is under the mount's prefix; false otherwise. */
export function serveMount(req, res, mount) {
  const urlPath = (req.url || '/').split('?')[0];
  if (!urlPath.startsWith(mount.prefix + '/')) return false;
  const p = safeJoin(mount.dir, urlPath.slice(mount.prefix.length));
  if (p && isFile(p)) {
    sendFile(req, res, p);
  } else {
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }
  return true;
}

export function createServer(opts) {
  const root = path.resolve(opts.root);
  const configFile = opts.config ? path.resolve(opts.config) : path.join(root, 'config.json');
  let config = {};
  try {
    config = JSON.parse(fs.readFileSync(configFile, 'utf8'));
  } catch {
    // The app reports an unreadable config.json itself; the policy then allows this origin only.
  }
  const page = { 'Content-Security-Policy': contentSecurityPolicy(config) };
  return http.createServer((req, res) => {
    const urlPath = (req.url || '/').split('?')[0];
    if (urlPath === '/dicom-web' || urlPath.startsWith('/dicom-web/')) {
      if (opts.pacs) return proxy(req, res, opts.pacs);
      res.writeHead(503, { 'Content-Type': 'text/plain' });
      return res.end('no PACS is configured for this server: start it with PACS_URL=<DICOMweb root> (or --pacs)');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD' });
      return res.end();
    }
    if (urlPath === '/config.json' && opts.config) return sendFile(req, res, path.resolve(opts.config));
    for (const m of opts.mounts) if (serveMount(req, res, m)) return;
    const p = safeJoin(root, urlPath);
    if (p && isFile(p)) return sendFile(req, res, p, p.endsWith('.html') ? page : {}, true);
    // Unknown asset paths are 404s; everything else is a client route served by index.html.
    if (/\.[a-z0-9]+$/i.test(urlPath)) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('not found');
    }
    return sendFile(req, res, path.join(root, 'index.html'), page, true);
  });
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const opts = parseArgs(process.argv.slice(2));
  const server = createServer(opts);
  server.listen(opts.port, opts.host, () => {
    const addr = server.address();
    console.log(`Viewer on http://${opts.host}:${addr.port}/` + (opts.pacs ? `  (PACS proxy /dicom-web → ${opts.pacs})` : ''));
  });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.close(() => process.exit(0)));
}

// @ts-check
// What the gateway derives from config.json and file names: the page's Content-Security-Policy, the headers every
// page carries, whether this deployment stores to the PACS, and the media type of a static file.
import path from 'node:path';

/** Headers on every file the gateway serves. */
export const PAGE_HEADERS = Object.freeze({
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
});

/**
 * The Content-Security-Policy for the app: scripts and workers from this origin only ('wasm-unsafe-eval' lets the
 * codecs compile their WebAssembly), no inline script, and network access to this origin plus the origins of the
 * data sources named in config.json (relative roots are this origin) and, with sign-in, the provider.
 * @param {any} configJson
 */
export function contentSecurityPolicy(configJson) {
  const origins = new Set();
  // Sign-in: the browser reads the provider's discovery document and keys and exchanges the code at its token endpoint.
  try {
    if (configJson?.oidc?.authority) origins.add(new URL(configJson.oidc.authority).origin);
  } catch {
    // The app reports an invalid authority.
  }
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
    // A DICOM video plays from a Blob URL of its stream (src/features/objects/video).
    "media-src 'self' blob:",
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
 * Whether config.json lets the viewer store (STOW-RS) through the gateway's DICOMweb prefix: not read-only, and a
 * data source whose stowRoot is that prefix. Anything else and the gateway refuses POST, whatever the browser does.
 * @param {any} configJson @param {string} prefix
 */
export function storesThroughGateway(configJson, prefix) {
  if (configJson?.readOnly === true) return false;
  return (configJson?.dataSources ?? []).some(
    (/** @type {any} */ ds) => typeof ds?.stowRoot === 'string' && ds.stowRoot.replace(/\/+$/, '') === prefix,
  );
}

const TYPES = /** @type {Record<string, string>} */ ({
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
});

// Frames in a static DICOMweb tree are stored as the multipart/related body a WADO-RS server would send;
// the loader only needs to be told it is multipart (the boundary and part headers are in the body).
const FRAME_RE = /\/frames\/\d+$/;
const METADATA_RE = /\/metadata$/;

/** @param {string} file */
export function contentTypeFor(file) {
  if (FRAME_RE.test(file)) return 'multipart/related; type="application/octet-stream"';
  if (METADATA_RE.test(file)) return 'application/dicom+json';
  if (file.endsWith('index.json')) return 'application/dicom+json';
  return TYPES[path.extname(file)] || 'application/octet-stream';
}

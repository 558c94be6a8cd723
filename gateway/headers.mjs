// @ts-check
// What crosses the gateway in headers, each way. Towards the PACS: the request's own headers less the hop-by-hop
// ones (RFC 9110 §7.6.1), the browser's cookies and proxy credentials, and any forwarding claims the client made;
// the PACS's credentials are added here and nowhere else. Back to the browser: the answer's headers less
// cookies, CORS grants and hop-by-hop ones, plus the rules for PHI in transit (never in a shared cache).

/** Hop-by-hop fields (RFC 9110 §7.6.1 and the older ones still seen), never forwarded either way. */
const HOP_BY_HOP = ['connection', 'proxy-connection', 'keep-alive', 'te', 'trailer', 'transfer-encoding', 'upgrade'];

/** Request fields that never reach the PACS. */
const REQUEST_DROP = new Set([
  ...HOP_BY_HOP,
  'host',
  'cookie',
  'proxy-authorization',
  // The client cannot tell the PACS who or where it is; the gateway says that itself.
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-forwarded-port',
  'x-real-ip',
  // A study grant is the gateway's to check (signIn.mjs); the PACS never sees one, with sign-in on or off.
  'lumen-grant',
  // Compressed answers would hide the frames' bytes from the viewer's progress and buy little: pixel data is
  // already compressed or nearly incompressible.
  'accept-encoding',
]);

/** Response fields that never reach the browser. */
const RESPONSE_DROP = new Set([
  ...HOP_BY_HOP,
  'set-cookie',
  'set-cookie2',
  // A PACS asking for Basic credentials would make the browser prompt for them on the viewer's origin.
  'www-authenticate',
  'proxy-authenticate',
  // The PACS's cache and content-policy rules are replaced by the gateway's own (below).
  'cache-control',
  'expires',
  'pragma',
  'etag',
  'last-modified',
]);

/** Headers added to every answer relayed from the PACS. */
export const RELAYED_HEADERS = Object.freeze({
  'x-content-type-options': 'nosniff',
  // Patient data must not stay in a shared (or any) cache on the way.
  'cache-control': 'private, no-store',
  // Defence in depth: a relayed answer opened directly in a tab runs no script and loads nothing.
  'content-security-policy': "default-src 'none'; sandbox",
});

/** Media types the gateway refuses to relay: they would run as pages on the viewer's origin. */
const ACTIVE_TYPES = /^\s*(text\/html|application\/xhtml\+xml|image\/svg\+xml)\b/i;

/** @param {string | string[] | undefined} v */
function first(v) {
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Names listed in Connection (comma separated, case-insensitive).
 * @param {Record<string, string | string[] | undefined>} headers
 */
function connectionNamed(headers) {
  const c = headers['connection'];
  const list = Array.isArray(c) ? c.join(',') : (c ?? '');
  return list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
}

/**
 * The fields of `headers` (names lower-cased) less those in `drop`, those the message's Connection names, and
 * those whose name starts with `prefix`.
 * @param {Record<string, string | string[] | undefined>} headers @param {Set<string>} drop @param {string} prefix
 */
function kept(headers, drop, prefix) {
  const named = new Set(connectionNamed(headers));
  /** @type {Record<string, string | string[]>} */
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    const n = name.toLowerCase();
    if (value === undefined || drop.has(n) || named.has(n) || n.startsWith(prefix)) continue;
    out[n] = value;
  }
  return out;
}

/**
 * The headers to send to the PACS for a client's request.
 * @param {Record<string, string | string[] | undefined>} headers the client's (Node lower-cases names)
 * @param {{ host: string, authorization?: string, forwarded?: { host: string, proto: string } }} opts
 *   host: the PACS's Host; authorization: the PACS credentials (replace the client's when set);
 *   forwarded: the viewer's public host and scheme (RFC 7239), so a PACS writes URLs the browser can use.
 */
export function toUpstream(headers, opts) {
  const out = kept(headers, REQUEST_DROP, ':');
  out['host'] = opts.host;
  if (opts.authorization) out['authorization'] = opts.authorization;
  if (opts.forwarded) {
    const f = opts.forwarded;
    // Unquoted, as PACS parse it (Orthanc keeps the quotes of host="…" in the URLs it writes); the host is one the
    // gateway checked against its allowed names, so it holds no separators.
    out['forwarded'] = `host=${f.host};proto=${f.proto}`;
    out['x-forwarded-host'] = f.host;
    out['x-forwarded-proto'] = f.proto;
  }
  return out;
}

/**
 * The headers to relay to the browser from the PACS's answer; `active` is true when the answer is a page
 * (HTML, XHTML, SVG) that the gateway must not relay.
 * @param {Record<string, string | string[] | undefined>} headers
 * @returns {{ headers: Record<string, string | string[]>, active: boolean }}
 */
export function fromUpstream(headers) {
  const out = kept(headers, RESPONSE_DROP, 'access-control-');
  Object.assign(out, RELAYED_HEADERS);
  return { headers: out, active: ACTIVE_TYPES.test(first(headers['content-type']) ?? '') };
}

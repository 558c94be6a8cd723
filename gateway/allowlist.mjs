// @ts-check
// Which requests the gateway forwards to the PACS: DICOMweb only (PS3.18 QIDO-RS, WADO-RS, STOW-RS), read by a
// grammar rather than cleaned up. Anything the grammar does not name is refused here, before the PACS sees it:
// the PACS's own REST API (Orthanc's /system, /tools/execute-script, DELETE /studies/…) sits beside its DICOMweb
// root, so a path that is only "normalised" is one encoding trick away from it.

/** The URL prefix under which the viewer reaches the PACS (config.json's qidoRoot/wadoRoot/stowRoot). */
export const DICOMWEB_PREFIX = '/dicom-web';

/** Longest request target accepted (path and query): QIDO queries are short, and so are frame lists. */
export const MAX_URL_LENGTH = 8192;

/** A DICOM UID (PS3.5 §9.1): digits in dot-separated components, at most 64 characters. */
const UID_RE = /^[0-9]+(?:\.[0-9]+)*$/;
/** A frame list: 1-based frame numbers, comma separated (PS3.18 §10.4.1.1.3). */
const FRAMES_RE = /^[1-9][0-9]{0,8}(?:,[1-9][0-9]{0,8}){0,2047}$/;
/** One step of a bulk data path: a tag (8 hex digits, as PACS write them) or a sequence item index. */
const BULK_STEP_RE = /^(?:[0-9A-Fa-f]{8}|[0-9]{1,6})$/;

/** @param {string} s */
export function isUid(s) {
  return s.length <= 64 && UID_RE.test(s);
}

/**
 * @typedef {{ ok: true, path: string, query: string, kind: 'search' | 'retrieve' | 'store' }} Allowed
 * @typedef {{ ok: false, status: 400 | 404 | 405 | 414, reason: string, allow?: string }} Refused
 */

const READ = 'GET, HEAD';

/**
 * The resource a DICOMweb path names, or null: segments after the prefix, e.g. ['studies', UID, 'series'].
 * Returns the kind of resource so the caller can match methods: 'search' (QIDO), 'retrieve' (WADO),
 * 'collection' (a study or the studies root, where STOW also posts).
 * @param {string[]} s
 * @returns {'search' | 'retrieve' | 'study-search' | 'study' | null}
 */
function resource(s) {
  const [a, u1, b, u2, c, u3, d, e, f] = s;
  const n = s.length;
  const uid = (/** @type {string | undefined} */ x) => x !== undefined && isUid(x);
  const view = (/** @type {string | undefined} */ x) => x === 'metadata' || x === 'rendered' || x === 'thumbnail';
  // Searches across the archive: /studies, /series, /instances.
  if (n === 1) return a === 'studies' ? 'study-search' : a === 'series' || a === 'instances' ? 'search' : null;
  if (a !== 'studies' || !uid(u1)) return null;
  if (n === 2) return 'study';
  if (n === 3) return view(b) ? 'retrieve' : b === 'series' || b === 'instances' ? 'search' : null;
  if (b !== 'series' || !uid(u2)) return null;
  if (n === 4) return 'retrieve';
  if (n === 5) return view(c) ? 'retrieve' : c === 'instances' ? 'search' : null;
  if (c !== 'instances' || !uid(u3)) return null;
  if (n === 6) return 'retrieve';
  if (n === 7) return view(d) ? 'retrieve' : null;
  if (d === 'frames' && e !== undefined && FRAMES_RE.test(e)) {
    if (n === 8) return 'retrieve';
    return n === 9 && (f === 'rendered' || f === 'thumbnail') ? 'retrieve' : null;
  }
  // Bulk data: BulkDataURI values name an attribute by its tag path (Orthanc: …/bulk/00282000; others: …/bulkdata/…).
  if ((d === 'bulk' || d === 'bulkdata') && n <= 7 + 16 && s.slice(7).every((x) => BULK_STEP_RE.test(x))) return 'retrieve';
  return null;
}

/**
 * Decides a request before anything reaches the PACS.
 * @param {string} method the HTTP method as received
 * @param {string} rawUrl the request target exactly as received (not decoded, not normalised)
 * @param {{ stow: boolean }} opts stow: whether this deployment stores to the PACS (STOW-RS)
 * @returns {Allowed | Refused}
 */
export function classify(method, rawUrl, opts) {
  if (rawUrl.length > MAX_URL_LENGTH) return { ok: false, status: 414, reason: 'request target too long' };
  const q = rawUrl.indexOf('?');
  const rawPath = q < 0 ? rawUrl : rawUrl.slice(0, q);
  const query = q < 0 ? '' : rawUrl.slice(q);
  // No DICOMweb path needs percent-encoding, a backslash or a control character; a query never needs NUL.
  if (/[%\\\x00-\x20\x7f]/.test(rawPath)) return { ok: false, status: 400, reason: 'encoded or control characters in the path' };
  if (/%00|[\x00-\x1f\x7f]/i.test(query)) return { ok: false, status: 400, reason: 'NUL or control characters in the query' };
  if (/(^|\/)\.\.?(\/|$)/.test(rawPath)) return { ok: false, status: 400, reason: 'dot segments in the path' };
  if (!rawPath.startsWith(DICOMWEB_PREFIX + '/')) return { ok: false, status: 404, reason: 'not a DICOMweb path' };
  const path = rawPath.slice(DICOMWEB_PREFIX.length);
  const kind = resource(path.slice(1).split('/'));
  if (!kind) return { ok: false, status: 404, reason: 'not a DICOMweb resource' };
  const storable = kind === 'study' || kind === 'study-search';
  if (method === 'GET' || method === 'HEAD') {
    return { ok: true, path, query, kind: kind === 'study' || kind === 'retrieve' ? 'retrieve' : 'search' };
  }
  const allow = storable && opts.stow ? `${READ}, POST` : READ;
  if (method === 'POST' && storable && opts.stow) {
    // STOW-RS takes no query parameters; refusing them keeps the request exactly what the viewer sends.
    if (query) return { ok: false, status: 400, reason: 'STOW-RS takes no query' };
    return { ok: true, path, query: '', kind: 'store' };
  }
  return { ok: false, status: 405, reason: `${method} is not forwarded`, allow };
}

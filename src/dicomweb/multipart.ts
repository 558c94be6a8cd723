/** multipart/related (RFC 2387) as WADO-RS uses it for frames and bulk data. */

export interface MultipartPart {
  headers: Record<string, string>;
  /** The part's Content-Type header ('' when the part has none). */
  contentType: string;
  body: Uint8Array;
}

const CRLF = new Uint8Array([13, 10]);
const encoder = new TextEncoder();
const decoder = new TextDecoder('latin1');

/** The value of one parameter of a header such as `multipart/related; type="x"; boundary=abc`. */
export function headerParameter(header: string, name: string): string | undefined {
  for (const piece of header.split(';').slice(1)) {
    const eq = piece.indexOf('=');
    if (eq < 0) continue;
    if (piece.slice(0, eq).trim().toLowerCase() !== name.toLowerCase()) continue;
    // Quotes removed wholesale: some servers quote a type whose own parameters contain ';' (Orthanc does).
    return piece.slice(eq + 1).trim().replace(/"/g, '');
  }
  return undefined;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0];
  const last = haystack.length - needle.length;
  outer: for (let i = from; i <= last; i++) {
    if (haystack[i] !== first) continue;
    for (let j = 1; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Splits a multipart/related body into its parts. The boundary comes from the Content-Type header when
 * given, else from the body's first delimiter line (static trees and some servers omit it from the header).
 */
export function parseMultipartRelated(body: Uint8Array, contentType = ''): MultipartPart[] {
  let boundary = headerParameter(contentType, 'boundary');
  if (!boundary) {
    const start = indexOf(body, encoder.encode('--'), 0);
    const eol = start < 0 ? -1 : indexOf(body, CRLF, start);
    if (start < 0 || eol < 0) throw new Error('multipart body has no boundary delimiter');
    boundary = decoder.decode(body.subarray(start + 2, eol)).trim();
  }
  const delimiter = encoder.encode(`--${boundary}`);
  const parts: MultipartPart[] = [];
  let pos = indexOf(body, delimiter, 0);
  if (pos < 0) throw new Error(`multipart boundary "${boundary}" not found in body`);
  for (;;) {
    pos += delimiter.length;
    // "--" right after a delimiter closes the body.
    if (body[pos] === 45 && body[pos + 1] === 45) break;
    const headerStart = indexOf(body, CRLF, pos);
    if (headerStart < 0) throw new Error('multipart part is truncated');
    const headerEnd = indexOf(body, encoder.encode('\r\n\r\n'), headerStart);
    let headers: Record<string, string> = {};
    let bodyStart: number;
    if (headerEnd < 0 || headerEnd === headerStart) {
      // No part headers: the body starts after the delimiter line's CRLF CRLF.
      bodyStart = headerStart + (headerEnd === headerStart ? 4 : 2);
    } else {
      headers = parseHeaders(decoder.decode(body.subarray(headerStart + 2, headerEnd)));
      bodyStart = headerEnd + 4;
    }
    const next = indexOf(body, delimiter, bodyStart);
    if (next < 0) throw new Error('multipart body ends without a closing boundary');
    // The CRLF before the next delimiter belongs to the delimiter, not the body.
    const bodyEnd = body[next - 2] === 13 && body[next - 1] === 10 ? next - 2 : next;
    parts.push({ headers, contentType: headers['content-type'] ?? '', body: body.subarray(bodyStart, bodyEnd) });
    pos = next;
  }
  return parts;
}

function parseHeaders(text: string): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const line of text.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return headers;
}

/** Builds a multipart/related body; returns it with the Content-Type header value to send it with. */
export function encodeMultipartRelated(
  parts: { contentType: string; body: Uint8Array }[],
  boundary: string,
  rootType = 'application/octet-stream',
): { body: Uint8Array; contentType: string } {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    chunks.push(encoder.encode(`--${boundary}\r\nContent-Type: ${part.contentType}\r\n\r\n`), part.body, CRLF);
  }
  chunks.push(encoder.encode(`--${boundary}--\r\n`));
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.length;
  }
  return { body, contentType: `multipart/related; type="${rootType}"; boundary=${boundary}` };
}

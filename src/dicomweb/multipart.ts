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
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  // The native indexOf jumps between candidates: series of whole instances are tens of MB.
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
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

/**
 * multipart/related read as it streams in (a whole series of instances is too big to hold twice): `push` each chunk
 * and get the parts completed so far; `end` when the stream ends. The boundary must come from the Content-Type.
 */
export class MultipartRelatedStream {
  private buffer = new Uint8Array(1 << 20);
  private length = 0;
  /** Where the next delimiter search starts (what was searched already cannot hold the start of one). */
  private searchFrom = 0;
  /** Start of the current part's delimiter (2 before it for the first, which may lack its CRLF). */
  private partStart = 0;
  private started = false;
  private closed = false;
  private readonly delimiter: Uint8Array;

  constructor(contentType: string) {
    const boundary = headerParameter(contentType, 'boundary');
    if (!boundary) throw new Error('the multipart response names no boundary');
    this.delimiter = encoder.encode(`\r\n--${boundary}`);
  }

  push(chunk: Uint8Array): MultipartPart[] {
    if (this.closed) return [];
    if (this.length + chunk.length > this.buffer.length) {
      const grown = new Uint8Array(Math.max(this.buffer.length * 2, this.length + chunk.length));
      grown.set(this.buffer.subarray(0, this.length));
      this.buffer = grown;
    }
    this.buffer.set(chunk, this.length);
    this.length += chunk.length;
    const parts: MultipartPart[] = [];
    const data = this.buffer.subarray(0, this.length);
    if (!this.started) {
      // The first delimiter may open the body without the CRLF before it.
      const first = indexOf(data, this.delimiter.subarray(2), 0);
      if (first < 0) return parts;
      this.started = true;
      this.partStart = first - 2;
      this.searchFrom = first + this.delimiter.length - 2;
    }
    for (;;) {
      const after = this.partStart + this.delimiter.length;
      if (after + 2 > this.length) break;
      // "--" right after a delimiter closes the body.
      if (data[after] === 45 && data[after + 1] === 45) {
        this.closed = true;
        break;
      }
      const next = indexOf(data, this.delimiter, Math.max(this.searchFrom, after));
      if (next < 0) {
        this.searchFrom = Math.max(after, this.length - this.delimiter.length + 1);
        break;
      }
      const part = this.part(data, after, next);
      if (part) parts.push(part);
      this.partStart = next;
      this.searchFrom = next + this.delimiter.length;
    }
    // Keep only the part still arriving.
    if (this.partStart > 0) {
      this.buffer.copyWithin(0, this.partStart, this.length);
      this.length -= this.partStart;
      this.searchFrom -= this.partStart;
      this.partStart = 0;
    }
    return parts;
  }

  /** Call when the stream ends: a body cut off before its closing delimiter is an error. */
  end(): void {
    if (!this.closed) throw new Error('the multipart response ended before its closing boundary');
  }

  private part(data: Uint8Array, afterDelimiter: number, end: number): MultipartPart | undefined {
    const lineEnd = indexOf(data, CRLF, afterDelimiter);
    if (lineEnd < 0 || lineEnd >= end) return undefined;
    const headerEnd = indexOf(data, encoder.encode('\r\n\r\n'), lineEnd);
    let headers: Record<string, string> = {};
    let bodyStart: number;
    if (headerEnd < 0 || headerEnd >= end || headerEnd === lineEnd) {
      bodyStart = lineEnd + (headerEnd === lineEnd ? 4 : 2);
    } else {
      headers = parseHeaders(decoder.decode(data.subarray(lineEnd + 2, headerEnd)));
      bodyStart = headerEnd + 4;
    }
    // A copy: the buffer is reused for what follows.
    return { headers, contentType: headers['content-type'] ?? '', body: data.slice(bodyStart, end) };
  }
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

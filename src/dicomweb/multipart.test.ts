import { describe, expect, it } from 'vitest';
import { encodeMultipartRelated, headerParameter, MultipartRelatedStream, parseMultipartRelated, type MultipartPart } from './multipart';

const enc = new TextEncoder();

describe('headerParameter', () => {
  it('reads quoted and bare parameters case-insensitively', () => {
    const h = 'multipart/related; type="application/octet-stream"; Boundary=abc123; transfer-syntax=*';
    expect(headerParameter(h, 'type')).toBe('application/octet-stream');
    expect(headerParameter(h, 'boundary')).toBe('abc123');
    expect(headerParameter(h, 'transfer-syntax')).toBe('*');
    expect(headerParameter(h, 'missing')).toBeUndefined();
  });
});

describe('parseMultipartRelated', () => {
  it('round-trips binary parts, including bytes that look like CRLF and dashes', () => {
    const a = new Uint8Array([0, 13, 10, 45, 45, 255, 1]);
    const b = new Uint8Array(1000).map((_, i) => i % 251);
    const { body, contentType } = encodeMultipartRelated(
      [
        { contentType: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', body: a },
        { contentType: 'image/jls', body: b },
      ],
      'XyZ',
    );
    const parts = parseMultipartRelated(body, contentType);
    expect(parts).toHaveLength(2);
    expect(Array.from(parts[0]!.body)).toEqual(Array.from(a));
    expect(parts[0]!.contentType).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1');
    expect(Array.from(parts[1]!.body)).toEqual(Array.from(b));
    expect(parts[1]!.contentType).toBe('image/jls');
  });

  it('finds the boundary in the body when the header does not carry it', () => {
    const body = enc.encode('--frame\r\nContent-Type: application/octet-stream\r\n\r\nABC\r\n--frame--\r\n');
    const parts = parseMultipartRelated(body, 'multipart/related');
    expect(new TextDecoder().decode(parts[0]!.body)).toBe('ABC');
  });

  it('parses an Orthanc-style response with a preamble-free body and extra headers', () => {
    const body = enc.encode(
      '--b1\r\nContent-Type: application/octet-stream\r\nContent-Length: 4\r\nContent-Location: /x/frames/1\r\n\r\n\x01\x02\x03\x04\r\n--b1--',
    );
    const [part] = parseMultipartRelated(body, 'multipart/related; type="application/octet-stream"; boundary=b1');
    expect(Array.from(part!.body)).toEqual([1, 2, 3, 4]);
    expect(part!.headers['content-location']).toBe('/x/frames/1');
  });

  it('rejects truncated bodies with a clear message', () => {
    const body = enc.encode('--b1\r\nContent-Type: x\r\n\r\npartial data');
    expect(() => parseMultipartRelated(body, 'multipart/related; boundary=b1')).toThrow(/closing boundary/);
    expect(() => parseMultipartRelated(enc.encode('no multipart here'), 'multipart/related')).toThrow(/boundary/);
  });
});

describe('MultipartRelatedStream', () => {
  const parts = [
    { contentType: 'application/dicom', body: Uint8Array.from({ length: 5000 }, (_, i) => (i * 31) % 256) },
    { contentType: 'application/dicom', body: new TextEncoder().encode('\r\n--not-the-boundary\r\n') },
    { contentType: 'application/dicom', body: new Uint8Array(0) },
    { contentType: 'application/dicom', body: Uint8Array.from({ length: 3000 }, (_, i) => (i % 7 === 0 ? 45 : 13)) },
  ];

  it('gives the same parts as the whole-body parser, whatever the chunk sizes', () => {
    const { body, contentType } = encodeMultipartRelated(parts, 'b0undary-42');
    const whole = parseMultipartRelated(body, contentType);
    for (const size of [1, 2, 7, 64, 1000, 4099, body.length]) {
      const stream = new MultipartRelatedStream(contentType);
      const got: MultipartPart[] = [];
      for (let i = 0; i < body.length; i += size) got.push(...stream.push(body.subarray(i, i + size)));
      stream.end();
      expect(got.map((p) => [p.contentType, Array.from(p.body)]), `chunks of ${size}`).toEqual(whole.map((p) => [p.contentType, Array.from(p.body)]));
    }
  });

  it('refuses a body cut off before its closing boundary, and a Content-Type without a boundary', () => {
    const { body, contentType } = encodeMultipartRelated(parts, 'b0undary-42');
    const stream = new MultipartRelatedStream(contentType);
    const got = stream.push(body.subarray(0, body.length - 20));
    expect(got.length).toBeLessThan(parts.length);
    expect(() => stream.end()).toThrow(/closing boundary/);
    expect(() => new MultipartRelatedStream('multipart/related; type="application/dicom"')).toThrow(/no boundary/);
  });
});

// @ts-check
import crypto from 'node:crypto';
// What a STOW-RS request body holds, read just far enough to decide who may store it: the multipart/related
// parts (RFC 2387, PS3.18 §10.5) and, for each DICOM part, the Media Storage SOP Class UID (0002,0002) from its
// Part 10 file meta information (PS3.10 §7.1: 128-byte preamble, "DICM", then group 0002 in explicit VR little
// endian) and the dataset's own SOP Class UID (0008,0016), which must agree. Of the dataset only the elements
// before (0008,0016) are read.

/**
 * @typedef {{ ok: true, sopClasses: string[], files: Buffer[] } | { ok: false, reason: string }} StowParts
 */

/**
 * The SOP class of every part of a STOW-RS body; refuses a body whose parts are not all Part 10 DICOM files.
 * @param {string | undefined} contentType the request's Content-Type
 * @param {Buffer} body the whole body
 * @returns {StowParts}
 */
export function stowSopClasses(contentType, body) {
  const ct = contentType ?? '';
  if (!/^\s*multipart\/related\s*(;|$)/i.test(ct)) return { ok: false, reason: 'a STOW-RS body must be multipart/related' };
  const m = /;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;"]{1,70}))/i.exec(ct);
  const boundary = m?.[1] ?? m?.[2];
  if (!boundary) return { ok: false, reason: 'the multipart body names no boundary' };
  const delimiter = Buffer.from(`--${boundary}`);
  const sopClasses = [];
  /** @type {Buffer[]} */
  const files = [];
  // The first delimiter may follow a preamble; every later one starts a line.
  let at = body.indexOf(delimiter);
  if (at < 0) return { ok: false, reason: 'the multipart body has no parts' };
  for (;;) {
    let p = at + delimiter.length;
    if (body[p] === 0x2d && body[p + 1] === 0x2d) break; // "--": the close delimiter
    // Transport padding (spaces, tabs), then the CRLF that ends the delimiter line.
    while (body[p] === 0x20 || body[p] === 0x09) p++;
    if (body[p] !== 0x0d || body[p + 1] !== 0x0a) return { ok: false, reason: 'the multipart body is malformed' };
    p += 2;
    const headerEnd = body.indexOf('\r\n\r\n', p);
    const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), p);
    if (next < 0) return { ok: false, reason: 'the multipart body is not closed' };
    // A part with no header lines starts straight with its blank line.
    const bodyStart = body[p] === 0x0d && body[p + 1] === 0x0a ? p + 2 : headerEnd >= 0 && headerEnd < next ? headerEnd + 4 : -1;
    if (bodyStart < 0) return { ok: false, reason: 'a part of the multipart body has no header end' };
    const headers = body.subarray(p, Math.max(p, bodyStart - 4)).toString('latin1');
    const type = /(?:^|\r\n)content-type\s*:\s*([^;\r\n]*)/i.exec(headers)?.[1]?.trim().toLowerCase() ?? '';
    const typeParam = /;\s*type\s*=\s*"?([^";\s]+)/i.exec(ct)?.[1]?.toLowerCase() ?? '';
    // A part without its own Content-Type has the body's type= parameter (RFC 2387 §3.1).
    if ((type || typeParam) !== 'application/dicom') {
      return { ok: false, reason: `part ${sopClasses.length + 1} is ${type || typeParam || 'untyped'}, not a DICOM file (application/dicom)` };
    }
    const file = body.subarray(bodyStart, next);
    const sop = mediaStorageSopClass(file);
    if (!sop) return { ok: false, reason: `part ${sopClasses.length + 1} is not a DICOM Part 10 file with a Media Storage SOP Class UID` };
    // What the PACS files it as is the dataset's own SOP Class UID: it must be the one the file meta claims.
    const own = datasetSopClass(file);
    if (own !== sop) {
      return { ok: false, reason: `part ${sopClasses.length + 1}: its SOP Class UID (0008,0016) ${own ? `is ${own}, not` : 'could not be read to compare with'} the file meta's ${sop}` };
    }
    sopClasses.push(sop);
    files.push(file);
    at = next + 2;
  }
  if (!sopClasses.length) return { ok: false, reason: 'the multipart body has no parts' };
  return { ok: true, sopClasses, files };
}

/**
 * A STOW-RS body made of exactly the given Part 10 files, under a boundary of its own: what goes on to the PACS
 * after a check is what was checked, whatever another multipart parser would have made of the original.
 * @param {Buffer[]} files
 * @returns {{ contentType: string, body: Buffer }}
 */
export function stowBody(files) {
  let boundary = '';
  // A boundary that occurs in no file (random; tried again in the unlikely case it does).
  do boundary = `lumen-${crypto.randomUUID()}`;
  while (files.some((f) => f.includes(boundary)));
  const chunks = files.flatMap((f) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), f, Buffer.from('\r\n')]);
  return {
    contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
    body: Buffer.concat([...chunks, Buffer.from(`--${boundary}--\r\n`)]),
  };
}

/** Explicit VRs whose length is 4 bytes after 2 reserved ones (PS3.5 §7.1.2). */
const LONG_VRS = new Set(['OB', 'OD', 'OF', 'OL', 'OV', 'OW', 'SQ', 'SV', 'UC', 'UN', 'UR', 'UT', 'UV']);

/**
 * The element at `p` (little endian; explicit VR unless `implicit`): its tag and where its value lies; null when
 * it cannot be read (truncated, no VR where one belongs, an undefined length).
 * @param {Buffer} file @param {number} p @param {boolean} implicit
 */
function elementAt(file, p, implicit) {
  if (p + 8 > file.length) return null;
  const group = file.readUInt16LE(p);
  const element = file.readUInt16LE(p + 2);
  let len;
  let value;
  if (implicit) {
    len = file.readUInt32LE(p + 4);
    value = p + 8;
  } else {
    const vr = file.toString('latin1', p + 4, p + 6);
    if (!/^[A-Z]{2}$/.test(vr)) return null;
    if (LONG_VRS.has(vr)) {
      if (p + 12 > file.length) return null;
      len = file.readUInt32LE(p + 8);
      value = p + 12;
    } else {
      len = file.readUInt16LE(p + 6);
      value = p + 8;
    }
  }
  if (len === 0xffffffff || value + len > file.length) return null;
  return { group, element, value, end: value + len };
}

/** A UID value, without its padding; null when it is not one. @param {Buffer} file @param {{ value: number, end: number }} e */
function uidOf(file, e) {
  const uid = file.toString('latin1', e.value, e.end).replace(/[\0 ]+$/, '');
  return /^[0-9]+(\.[0-9]+)*$/.test(uid) && uid.length <= 64 ? uid : null;
}

/** Whether `file` starts as a Part 10 file: a 128-byte preamble and "DICM". @param {Buffer} file */
const isPart10 = (file) => file.length >= 132 && file.toString('latin1', 128, 132) === 'DICM';

/**
 * (0002,0002) Media Storage SOP Class UID of a Part 10 file, or null when `file` is not one.
 * @param {Buffer} file
 */
export function mediaStorageSopClass(file) {
  if (!isPart10(file)) return null;
  for (let p = 132; ; ) {
    const e = elementAt(file, p, false);
    if (!e || e.group !== 0x0002) return null;
    if (e.element === 0x0002) return uidOf(file, e);
    p = e.end;
  }
}

const IMPLICIT_LE = '1.2.840.10008.1.2';
/** Dataset encodings this reader does not walk: deflated and big endian (a reporter's SR is neither). */
const UNREAD = new Set(['1.2.840.10008.1.2.1.99', '1.2.840.10008.1.2.2']);

/**
 * (0008,0016) SOP Class UID of a Part 10 file's dataset, or null when it cannot be read (no such element before
 * the elements that follow it, an encoding not walked here, a sequence of undefined length before it).
 * @param {Buffer} file
 */
export function datasetSopClass(file) {
  if (!isPart10(file)) return null;
  let p = 132;
  let ts = '';
  // The file meta: explicit VR little endian, group 0002.
  for (let e = elementAt(file, p, false); e && e.group === 0x0002; e = elementAt(file, p, false)) {
    if (e.element === 0x0010) ts = uidOf(file, e) ?? '';
    p = e.end;
  }
  if (!ts || UNREAD.has(ts)) return null;
  const implicit = ts === IMPLICIT_LE;
  for (;;) {
    const e = elementAt(file, p, implicit);
    if (!e || e.group > 0x0008 || (e.group === 0x0008 && e.element > 0x0016)) return null;
    if (e.group === 0x0008 && e.element === 0x0016) return uidOf(file, e);
    p = e.end;
  }
}

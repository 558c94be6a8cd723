import { describe, expect, it } from 'vitest';
import { DatasetBuilder, part10Bytes } from '../scripts/demo/part10.ts';
import { mediaStorageSopClass, stowSopClasses } from './stowParts.mjs';

const SR = '1.2.840.10008.5.1.4.1.1.88.33';
const CT = '1.2.840.10008.5.1.4.1.1.2';
const file = (sop: string) => Buffer.from(part10Bytes(new DatasetBuilder().set('SOPClassUID', sop).set('SOPInstanceUID', '1.2.3.4').dataset));

describe('STOW-RS parts', () => {
  it('reads the Media Storage SOP Class of every part (dcmjs-written files)', () => {
    const body = Buffer.concat([
      Buffer.from('preamble to ignore\r\n--b1\r\nContent-Type: application/dicom\r\n\r\n'),
      file(SR),
      Buffer.from('\r\n--b1  \r\ncontent-type: Application/DICOM\r\nContent-Location: x\r\n\r\n'),
      file(CT),
      Buffer.from('\r\n--b1--\r\n'),
    ]);
    expect(stowSopClasses('multipart/related; type="application/dicom"; boundary="b1"', body)).toEqual({ ok: true, sopClasses: [SR, CT] });
  });

  it("takes a part's type from the body's type parameter when the part names none", () => {
    const body = Buffer.concat([Buffer.from('--b\r\n\r\n'), file(SR), Buffer.from('\r\n--b--')]);
    expect(stowSopClasses('multipart/related; type=application/dicom; boundary=b', body)).toEqual({ ok: true, sopClasses: [SR] });
  });

  it('refuses bodies it cannot vouch for', () => {
    const one = (head: string, content: Buffer) => Buffer.concat([Buffer.from(`--b\r\n${head}\r\n\r\n`), content, Buffer.from('\r\n--b--\r\n')]);
    const mp = 'multipart/related; type="application/dicom"; boundary=b';
    expect(stowSopClasses('application/dicom', file(SR))).toMatchObject({ ok: false, reason: /multipart\/related/ });
    expect(stowSopClasses('multipart/related', one('', file(SR)))).toMatchObject({ ok: false, reason: /boundary/ });
    expect(stowSopClasses(mp, one('Content-Type: application/dicom+json', Buffer.from('[]')))).toMatchObject({ ok: false, reason: /not a DICOM file/ });
    expect(stowSopClasses(mp, one('Content-Type: application/dicom', Buffer.from('DICM')))).toMatchObject({ ok: false, reason: /Part 10/ });
    expect(stowSopClasses(mp, Buffer.concat([Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\n'), file(SR)]))).toMatchObject({ ok: false, reason: /not closed/ });
    expect(stowSopClasses(mp, Buffer.from('--b--\r\n'))).toMatchObject({ ok: false, reason: /no parts/ });
  });

  it('reads (0002,0002) from the meta group only, and stops at a truncated one', () => {
    const f = file(CT);
    expect(mediaStorageSopClass(f)).toBe(CT);
    expect(mediaStorageSopClass(f.subarray(0, 150))).toBeNull();
    expect(mediaStorageSopClass(Buffer.alloc(200))).toBeNull();
  });
});

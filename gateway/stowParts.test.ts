import { describe, expect, it } from 'vitest';
import { DatasetBuilder, part10Bytes } from '../scripts/demo/part10.ts';
import { datasetSopClass, mediaStorageSopClass, stowBody, stowSopClasses } from './stowParts.mjs';

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
    expect(stowSopClasses('multipart/related; type="application/dicom"; boundary="b1"', body)).toMatchObject({ ok: true, sopClasses: [SR, CT] });
  });

  it("takes a part's type from the body's type parameter when the part names none", () => {
    const body = Buffer.concat([Buffer.from('--b\r\n\r\n'), file(SR), Buffer.from('\r\n--b--')]);
    expect(stowSopClasses('multipart/related; type=application/dicom; boundary=b', body)).toMatchObject({ ok: true, sopClasses: [SR] });
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

  it("refuses a file whose meta claims one SOP class and whose dataset is another (a CT dressed as a report)", () => {
    // Hand-made: explicit VR little endian elements, even-padded UIDs.
    const el = (group: number, element: number, vr: string, text: string) => {
      const v = Buffer.from(text.length % 2 ? `${text}\0` : text, 'latin1');
      const h = Buffer.alloc(8);
      h.writeUInt16LE(group, 0);
      h.writeUInt16LE(element, 2);
      h.write(vr, 4, 'latin1');
      h.writeUInt16LE(v.length, 6);
      return Buffer.concat([h, v]);
    };
    const part10 = (metaSop: string, datasetSop: string, ts = '1.2.840.10008.1.2.1') =>
      Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), el(2, 2, 'UI', metaSop), el(2, 0x10, 'UI', ts), el(8, 0x16, 'UI', datasetSop), el(8, 0x18, 'UI', '1.2.3.4')]);
    expect(datasetSopClass(file(CT))).toBe(CT);
    expect(datasetSopClass(part10(SR, SR))).toBe(SR);
    expect(datasetSopClass(part10(SR, SR, '1.2.840.10008.1.2.1.99'))).toBeNull();
    const body = (f: Buffer) => Buffer.concat([Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\n'), f, Buffer.from('\r\n--b--\r\n')]);
    const ct = 'multipart/related; type="application/dicom"; boundary=b';
    expect(stowSopClasses(ct, body(part10(SR, SR)))).toMatchObject({ ok: true, sopClasses: [SR] });
    expect(stowSopClasses(ct, body(part10(SR, CT)))).toEqual({ ok: false, reason: expect.stringMatching(/\(0008,0016\) is 1\.2\.840\.10008\.5\.1\.4\.1\.1\.2, not the file meta's/) });
    // An encoding the gateway does not walk cannot be vouched for.
    expect(stowSopClasses(ct, body(part10(SR, SR, '1.2.840.10008.1.2.2'))).ok).toBe(false);
  });

  it('rebuilds a body of exactly the checked files: a preamble, an epilogue and odd framing stay behind', () => {
    const sr = file(SR);
    const sent = Buffer.concat([Buffer.from('preamble\r\n--b1\r\nContent-Type: application/dicom\r\n\r\n'), sr, Buffer.from('\r\n--b1--\r\nEPILOGUE')]);
    const parts = stowSopClasses('multipart/related; type="application/dicom"; boundary=b1', sent);
    expect(parts.ok).toBe(true);
    const rebuilt = stowBody(parts.ok ? parts.files : []);
    expect(rebuilt.body.includes('preamble')).toBe(false);
    expect(rebuilt.body.includes('EPILOGUE')).toBe(false);
    // Read again, it holds the same file and nothing else.
    const again = stowSopClasses(rebuilt.contentType, rebuilt.body);
    expect(again).toMatchObject({ ok: true, sopClasses: [SR] });
    expect(again.ok && again.files[0]!.equals(sr)).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import { dcmjs } from './dcmjs';
import { readEncapsulatedDocument } from './encapsulated';

/** A Part 10 file of an Encapsulated PDF instance (or without the document, `doc` undefined). */
function part10(doc: Uint8Array | undefined, length?: number): Uint8Array {
  const meta = {
    '00020001': { vr: 'OB', Value: [new Uint8Array([0, 1]).buffer] },
    '00020002': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.104.1'] },
    '00020003': { vr: 'UI', Value: ['1.2.3'] },
    '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.1'] },
  };
  const dict = new dcmjs.data.DicomDict(meta);
  dict.dict = {
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.104.1'] },
    '00080018': { vr: 'UI', Value: ['1.2.3'] },
    '00420010': { vr: 'ST', Value: ['Letter'] },
    '00420012': { vr: 'LO', Value: ['application/pdf'] },
    ...(length !== undefined ? { '00420015': { vr: 'UL', Value: [length] } } : {}),
    ...(doc ? { '00420011': { vr: 'OB', Value: [doc.slice().buffer] } } : {}),
  };
  return new Uint8Array(dict.write());
}

describe('readEncapsulatedDocument', () => {
  it('gives the document without its padding byte, with its MIME type and title', () => {
    const pdf = new TextEncoder().encode('%PDF-1.4 odd!');
    const padded = new Uint8Array(pdf.length + 1);
    padded.set(pdf);
    const doc = readEncapsulatedDocument(part10(padded, pdf.length));
    expect(new TextDecoder().decode(doc.bytes)).toBe('%PDF-1.4 odd!');
    expect(doc).toMatchObject({ mimeType: 'application/pdf', title: 'Letter' });
    // Without Encapsulated Document Length, the value as stored.
    expect(readEncapsulatedDocument(part10(padded)).bytes).toHaveLength(padded.length);
  });
  it('says what is wrong with other input', () => {
    expect(() => readEncapsulatedDocument(new TextEncoder().encode('%PDF-1.4'))).toThrow(/not DICOM Part 10/);
    expect(() => readEncapsulatedDocument(part10(undefined))).toThrow(/no encapsulated document/);
  });
});

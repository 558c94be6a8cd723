import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { parsePart10 } from '../../../src/dicom/part10.ts';
import { readEncapsulatedDocument } from '../../../src/dicom/encapsulated.ts';
import { keyObjectSelection, readSrDocument, type SrNode } from '../../../src/model/srDocument.ts';
import { generateDemoDicom, type DemoFile } from '../demoDicom.ts';
import { KO_FACTS, koSliceIndices, LETTER_PAGES, SR_FACTS, srSliceIndex } from './documents.ts';
import { simplePdf } from './pdf.ts';

// pdf.js wants Promise.withResolvers (Node 22); the tests may run on Node 20.
(Promise as unknown as { withResolvers?: unknown }).withResolvers ??= <T>() => {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
};

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-documents-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** The text of each page, as pdf.js reads it (which also checks the file's structure and cross-references). */
async function pdfText(bytes: Uint8Array): Promise<string[]> {
  const task = getDocument({ data: bytes.slice(), stopAtErrors: true });
  const pdf = await task.promise;
  const pages: string[] = [];
  for (let i = 1; i <= pdf.numPages; i++) {
    const content = await (await pdf.getPage(i)).getTextContent();
    pages.push(content.items.map((it) => ('str' in it ? it.str : '')).filter(Boolean).join(' '));
  }
  await task.destroy();
  return pages;
}

describe('the demo documents', () => {
  let files: DemoFile[];
  const read = (kind: DemoFile['kind'], n = 0) => new Uint8Array(fs.readFileSync(files.filter((f) => f.kind === kind)[n]!.path));
  beforeAll(() => {
    files = generateDemoDicom(path.join(tmp, 'dicom'), { ctSlices: 40 });
  }, 120_000);

  it('writes an SR on the CT whose image reference names its middle slice', () => {
    const ct = files.filter((f) => f.kind === 'ct');
    const doc = readSrDocument(parsePart10(read('sr')).metadata);
    expect(doc.title?.meaning).toBe(SR_FACTS.title);
    const all: SrNode[] = [];
    const walk = (n: SrNode) => (all.push(n), n.children.forEach(walk));
    walk(doc.root);
    expect(all.filter((n) => n.type === 'NUM').map((n) => (n.type === 'NUM' ? [n.value, n.unit?.meaning] : []))).toEqual([
      [SR_FACTS.noduleLength, 'millimeter'],
      [SR_FACTS.meanHu, 'Hounsfield unit'],
    ]);
    const image = all.find((n) => n.type === 'IMAGE');
    expect(image).toMatchObject({ reference: { sopInstanceUID: ct[srSliceIndex(40)]!.sopInstanceUID, seriesInstanceUID: ct[0]!.seriesInstanceUID } });
    expect(all.some((n) => n.type === 'TEXT' && n.text === SR_FACTS.impression)).toBe(true);
  });

  it('writes a KOS selecting three CT slices with a note', () => {
    const ct = files.filter((f) => f.kind === 'ct');
    const sel = keyObjectSelection(readSrDocument(parsePart10(read('ko')).metadata));
    expect(sel.title?.meaning).toBe(KO_FACTS.title);
    expect(sel.notes).toEqual([KO_FACTS.note]);
    expect(sel.references.map((r) => r.sopInstanceUID)).toEqual(koSliceIndices(40).map((i) => ct[i]!.sopInstanceUID));
  });

  it('wraps a two-page PDF that pdf.js reads, and CDA documents', async () => {
    const pdf = readEncapsulatedDocument(read('pdf'));
    expect(pdf.mimeType).toBe('application/pdf');
    expect(await pdfText(pdf.bytes)).toEqual(LETTER_PAGES.map((lines) => lines.map((l) => l.text).join(' ')));
    const cda = readEncapsulatedDocument(read('cda'));
    expect(cda.mimeType).toBe('text/XML');
    expect(new TextDecoder().decode(cda.bytes)).toContain('<title>Medications on discharge</title>');
  });
});

describe('simplePdf', () => {
  it('escapes text and carries a script and a link only when asked', async () => {
    const hostile = simplePdf([[{ text: 'A (tricky) \\ line', x: 72, y: 700, size: 12 }]], {
      openActionJavaScript: "app.alert('x')",
      link: { uri: 'http://127.0.0.1:9/nowhere', rect: [0, 0, 612, 792] },
    });
    expect(await pdfText(hostile)).toEqual(['A (tricky) \\ line']);
    const text = new TextDecoder().decode(hostile);
    expect(text).toContain('/S /JavaScript');
    expect(text).toContain('/Subtype /Link');
    expect(new TextDecoder().decode(simplePdf([[]]))).not.toContain('JavaScript');
    expect(() => simplePdf([[{ text: 'é', x: 0, y: 0, size: 1 }]])).toThrow(/ASCII/);
  });
});

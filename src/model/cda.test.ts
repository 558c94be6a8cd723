import { describe, expect, it } from 'vitest';
import { formatCdaTime, readCda, type XmlNode } from './cda';

// A DOM of the shape DOMParser gives, built by hand (the unit tests run without a browser).
type Child = XmlNode | string;
const text = (t: string): XmlNode => ({ nodeType: 3, textContent: t, childNodes: [] });
function el(localName: string, attrs: Record<string, string> = {}, ...kids: Child[]): XmlNode {
  const childNodes = kids.map((k) => (typeof k === 'string' ? text(k) : k));
  return {
    nodeType: 1,
    localName,
    get textContent() {
      return childNodes.map((c) => c.textContent ?? '').join('');
    },
    childNodes,
    getAttribute: (name) => attrs[name] ?? null,
  };
}
const doc = (root: XmlNode): XmlNode => ({ nodeType: 9, textContent: null, childNodes: [root] });

function structured(): XmlNode {
  return doc(
    el(
      'ClinicalDocument',
      {},
      el('title', {}, 'Discharge   summary'),
      el('effectiveTime', { value: '20250314093012+0100' }),
      el('author', {}, el('assignedAuthor', {}, el('assignedPerson', {}, el('name', {}, el('given', {}, 'Ada'), el('family', {}, 'Demo'))))),
      el(
        'component',
        {},
        el(
          'structuredBody',
          {},
          el(
            'component',
            {},
            el(
              'section',
              {},
              el('title', {}, 'Findings'),
              el(
                'text',
                {},
                'Loose text ',
                el('content', {}, 'with <emphasis>'),
                el('br'),
                'second line',
                el('paragraph', {}, 'A paragraph.'),
                el('list', { listType: 'ordered' }, el('item', {}, 'first'), el('item', {}, el('paragraph', {}, 'second'))),
                el(
                  'table',
                  {},
                  el('caption', {}, 'Vitals'),
                  el('thead', {}, el('tr', {}, el('th', {}, 'Name'), el('th', {}, 'Value'))),
                  el('tbody', {}, el('tr', {}, el('td', {}, 'Pulse'), el('td', {}, '72 /min'))),
                ),
              ),
              el('component', {}, el('section', {}, el('title', {}, 'Sub-section'), el('text', {}, 'Nested.'))),
            ),
          ),
        ),
      ),
    ),
  );
}

describe('readCda', () => {
  it('reads title, time, author and the sections with paragraphs, lists and tables as text', () => {
    const cda = readCda(structured());
    expect(cda).toMatchObject({ title: 'Discharge summary', effectiveTime: '20250314093012+0100', authors: ['Ada Demo'] });
    expect(cda.sections).toHaveLength(1);
    const [findings] = cda.sections;
    expect(findings!.title).toBe('Findings');
    expect(findings!.blocks).toEqual([
      { type: 'paragraph', text: 'Loose text with <emphasis>\nsecond line' },
      { type: 'paragraph', text: 'A paragraph.' },
      { type: 'list', ordered: true, items: [[{ type: 'paragraph', text: 'first' }], [{ type: 'paragraph', text: 'second' }]] },
      { type: 'table', caption: 'Vitals', head: [['Name', 'Value']], body: [['Pulse', '72 /min']] },
    ]);
    expect(findings!.sections).toEqual([{ title: 'Sub-section', blocks: [{ type: 'paragraph', text: 'Nested.' }], sections: [] }]);
    expect(cda.nonXmlBody).toBeUndefined();
  });

  it('decodes a non-XML body (a PDF in base64)', () => {
    const pdf = '%PDF-1.4 test';
    const cda = readCda(
      doc(el('ClinicalDocument', {}, el('title', {}, 'Scanned'), el('component', {}, el('nonXMLBody', {}, el('text', { mediaType: 'application/pdf', representation: 'B64' }, btoa(pdf)))))),
    );
    expect(cda.nonXmlBody?.mediaType).toBe('application/pdf');
    expect(new TextDecoder().decode(cda.nonXmlBody!.bytes)).toBe(pdf);
    expect(() =>
      readCda(doc(el('ClinicalDocument', {}, el('component', {}, el('nonXMLBody', {}, el('text', { mediaType: 'application/pdf', representation: 'B64' }, '*not base64*')))))),
    ).toThrow(/base64/);
  });

  it('refuses XML that is no CDA, and names a parser error', () => {
    expect(() => readCda(doc(el('html', {}, el('body'))))).toThrow(/not an HL7 CDA document/);
    expect(() => readCda(doc(el('parsererror', {}, 'line 3: mismatched tag')))).toThrow(/cannot be read: line 3: mismatched tag/);
  });

  it('formats HL7 times', () => {
    expect(formatCdaTime('20250314093012+0100')).toBe('2025-03-14 09:30');
    expect(formatCdaTime('20250314')).toBe('2025-03-14');
    expect(formatCdaTime('x')).toBe('x');
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { DicomJson } from '../dicom/json';
import { parsePart10 } from '../dicom/part10';
import {
  formatSrDate,
  formatSrDateTime,
  formatSrTime,
  isMeasurementReport,
  keyObjectSelection,
  MAX_DEPTH,
  readSrDocument,
  unitText,
  type SrNode,
} from './srDocument';

const TEST_SR = '/usr/lib/python3/dist-packages/pydicom/data/test_files/test-SR.dcm';

const str = (vr: string, ...values: unknown[]) => ({ vr, Value: values });
const seq = (...items: DicomJson[]) => ({ vr: 'SQ', Value: items });
const code = (value: string, scheme: string, meaning: string): DicomJson => ({
  '00080100': str('SH', value),
  '00080102': str('SH', scheme),
  '00080104': str('LO', meaning),
});
const item = (relationship: string, valueType: string, concept: DicomJson | undefined, more: DicomJson = {}, children: DicomJson[] = []): DicomJson => ({
  '0040A010': str('CS', relationship),
  '0040A040': str('CS', valueType),
  ...(concept ? { '0040A043': seq(concept) } : {}),
  ...more,
  ...(children.length ? { '0040A730': seq(...children) } : {}),
});

const CT_STUDY = '1.2.3';
const CT_SERIES = '1.2.3.4';
const IMAGE = '1.2.3.4.5';

/** A Comprehensive SR as a writer would make it: findings with a number, a code, a text and an image. */
function comprehensive(): DicomJson {
  return {
    '00080016': str('UI', '1.2.840.10008.5.1.4.1.1.88.33'),
    '00080023': str('DA', '20250314'),
    '00080033': str('TM', '101500.25'),
    '0040A491': str('CS', 'COMPLETE'),
    '0040A493': str('CS', 'VERIFIED'),
    '0040A073': seq({
      '0040A075': { vr: 'PN', Value: [{ Alphabetic: 'DEMO^RADIOLOGIST' }] },
      '0040A027': str('LO', 'Lumen Demo Hospital'),
      '0040A030': str('DT', '20250314103000'),
    }),
    '0040A375': seq({
      '0020000D': str('UI', CT_STUDY),
      '00081115': seq({ '0020000E': str('UI', CT_SERIES), '00081199': seq({ '00081150': str('UI', '1.2.840.10008.5.1.4.1.1.2'), '00081155': str('UI', IMAGE) }) }),
    }),
    ...item('', 'CONTAINER', code('18782-3', 'LN', 'Radiology Study observation'), { '0040A050': str('CS', 'SEPARATE') }, [
      item('HAS OBS CONTEXT', 'PNAME', code('121008', 'DCM', 'Person Observer Name'), { '0040A123': { vr: 'PN', Value: [{ Alphabetic: 'DEMO^RADIOLOGIST' }] } }),
      item('CONTAINS', 'CONTAINER', code('121070', 'DCM', 'Findings'), { '0040A050': str('CS', 'SEPARATE') }, [
        item('CONTAINS', 'NUM', code('410668003', 'SCT', 'Length'), {
          '0040A300': seq({ '0040A30A': str('DS', '23.5'), '004008EA': seq(code('mm', 'UCUM', 'millimeter')) }),
        }),
        item('CONTAINS', 'CODE', code('121071', 'DCM', 'Finding'), { '0040A168': seq(code('4147007', 'SCT', 'Mass')) }),
        item('CONTAINS', 'TEXT', code('121106', 'DCM', 'Comment'), { '0040A160': str('UT', 'Round <b>mass</b> & "edge"') }),
        item('CONTAINS', 'IMAGE', code('121112', 'DCM', 'Source of Measurement'), {
          '00081199': seq({ '00081150': str('UI', '1.2.840.10008.5.1.4.1.1.2'), '00081155': str('UI', IMAGE), '00081160': str('IS', 1) }),
        }),
        item('CONTAINS', 'SCOORD', code('111030', 'DCM', 'Image Region'), { '00700023': str('CS', 'POINT'), '00700022': str('FL', 10, 20) }, [
          item('SELECTED FROM', 'IMAGE', undefined, { '00081199': seq({ '00081155': str('UI', IMAGE) }) }),
        ]),
        item('CONTAINS', 'DATE', code('111060', 'DCM', 'Study Date'), { '0040A121': str('DA', '20250101') }),
        item('CONTAINS', 'DATETIME', code('111061', 'DCM', 'When'), { '0040A120': str('DT', '20250101123456+0100') }),
        item('CONTAINS', 'UIDREF', code('121012', 'DCM', 'Device Observer UID'), { '0040A124': str('UI', '9.8.7') }),
        item('CONTAINS', 'NUM', code('1', 'X', 'Not measured'), { '0040A301': seq(code('114006', 'DCM', 'Measurement failure')) }),
      ]),
    ]),
  };
}

const find = (node: SrNode, pred: (n: SrNode) => boolean): SrNode | undefined => {
  if (pred(node)) return node;
  for (const c of node.children) {
    const f = find(c, pred);
    if (f) return f;
  }
  return undefined;
};

describe('readSrDocument', () => {
  it('reads the header and the content tree of a Comprehensive SR', () => {
    const doc = readSrDocument(comprehensive());
    expect(doc.title).toEqual({ value: '18782-3', scheme: 'LN', meaning: 'Radiology Study observation' });
    expect(doc).toMatchObject({ completion: 'COMPLETE', verification: 'VERIFIED', contentDate: '20250314', contentTime: '101500.25', truncated: false });
    expect(doc.verifiers).toEqual([{ name: 'DEMO^RADIOLOGIST', organization: 'Lumen Demo Hospital', dateTime: '20250314103000' }]);
    expect(doc.root.type).toBe('CONTAINER');
    const findings = doc.root.children[1]!;
    expect(findings).toMatchObject({ id: '1.2', type: 'CONTAINER', relationship: 'CONTAINS', concept: { meaning: 'Findings' } });
    const [num, codeItem, text, image, scoord, date, dateTime, uid, failed] = findings.children;
    expect(num).toMatchObject({ type: 'NUM', value: 23.5, text: '23.5', unit: { value: 'mm', meaning: 'millimeter' } });
    expect(codeItem).toMatchObject({ type: 'CODE', code: { meaning: 'Mass' }, concept: { meaning: 'Finding' } });
    expect(text).toMatchObject({ type: 'TEXT', text: 'Round <b>mass</b> & "edge"' });
    // The image reference is placed in its series by the evidence sequence.
    expect(image).toMatchObject({ type: 'IMAGE', reference: { sopInstanceUID: IMAGE, frames: [1], seriesInstanceUID: CT_SERIES, studyInstanceUID: CT_STUDY } });
    expect(scoord).toMatchObject({ type: 'SCOORD', graphicType: 'POINT', points: [10, 20] });
    expect(scoord!.children[0]).toMatchObject({ type: 'IMAGE', relationship: 'SELECTED FROM', reference: { seriesInstanceUID: CT_SERIES } });
    expect(date).toMatchObject({ type: 'DATE', value: '20250101' });
    expect(dateTime).toMatchObject({ type: 'DATETIME', value: '20250101123456+0100' });
    expect(uid).toMatchObject({ type: 'UIDREF', value: '9.8.7' });
    expect(failed).toMatchObject({ type: 'NUM', value: undefined, qualifier: { meaning: 'Measurement failure' } });
    expect(doc.root.children[0]).toMatchObject({ type: 'PNAME', value: 'DEMO^RADIOLOGIST', relationship: 'HAS OBS CONTEXT' });
  });

  it('leaves a reference without evidence unplaced, and refuses an object with no content', () => {
    const ds = comprehensive();
    delete ds['0040A375'];
    const image = find(readSrDocument(ds).root, (n) => n.type === 'IMAGE');
    expect(image).toMatchObject({ reference: { sopInstanceUID: IMAGE, seriesInstanceUID: undefined } });
    expect(() => readSrDocument({ '00100010': str('PN', 'X') })).toThrow(/no structured report content/);
  });

  it('stops at a depth no real report has, and says so', () => {
    let deep: DicomJson = item('CONTAINS', 'TEXT', code('1', 'X', 'leaf'), { '0040A160': str('UT', 'bottom') });
    for (let i = 0; i < MAX_DEPTH + 20; i++) deep = item('CONTAINS', 'CONTAINER', code('1', 'X', `level ${i}`), {}, [deep]);
    const doc = readSrDocument({ ...deep, '0040A010': undefined });
    expect(doc.truncated).toBe(true);
    let depth = 0;
    for (let n: SrNode | undefined = doc.root; n; n = n.children[0]) depth++;
    expect(depth).toBe(MAX_DEPTH + 1);
  });

  it.skipIf(!existsSync(TEST_SR))("reads pydicom's test-SR.dcm (a by-reference item, text with line breaks)", () => {
    const parsed = parsePart10(new Uint8Array(readFileSync(TEST_SR)));
    const doc = readSrDocument(parsed.metadata);
    expect(doc).toMatchObject({ title: { meaning: 'Diagnosis' }, completion: 'COMPLETE', verification: 'VERIFIED' });
    const diameter = find(doc.root, (n) => n.type === 'NUM');
    expect(diameter).toMatchObject({ concept: { meaning: 'Diameter' }, value: 3, unit: { value: 'cm', meaning: 'Length Unit' } });
    const texts: string[] = [];
    const walk = (n: SrNode) => {
      if (n.type === 'TEXT') texts.push(n.text);
      n.children.forEach(walk);
    };
    walk(doc.root);
    expect(texts).toContain('A mass of');
    expect(texts.some((t) => t.startsWith('Inferred Sample Text\r\nNew line.') || t.startsWith('Inferred Sample Text\nNew line.'))).toBe(true);
    expect(find(doc.root, (n) => n.type === 'REFERENCE')).toBeDefined();
    expect(isMeasurementReport(parsed.metadata)).toBe(false);
  });
});

describe('isMeasurementReport', () => {
  it('knows TID 1500 by its template, or by the root concept when the template is left out', () => {
    expect(isMeasurementReport({ '0040A504': seq({ '0040DB00': str('CS', '1500'), '00080105': str('CS', 'DCMR') }) })).toBe(true);
    expect(isMeasurementReport({ '0040A043': seq(code('126000', 'DCM', 'Imaging Measurement Report')) })).toBe(true);
    expect(isMeasurementReport(comprehensive())).toBe(false);
    expect(isMeasurementReport({ '0040A504': seq({ '0040DB00': str('CS', '2010') }) })).toBe(false);
  });
});

describe('keyObjectSelection', () => {
  it("gives the title, the observer's note and the selected images in order", () => {
    const kos: DicomJson = {
      '0040A375': seq({
        '0020000D': str('UI', CT_STUDY),
        '00081115': seq({ '0020000E': str('UI', CT_SERIES), '00081199': seq({ '00081155': str('UI', 'a') }, { '00081155': str('UI', 'b') }) }),
      }),
      ...item('', 'CONTAINER', code('113000', 'DCM', 'Of Interest'), {}, [
        item('CONTAINS', 'TEXT', code('113012', 'DCM', 'Key Object Description'), { '0040A160': str('UT', 'Three slices through the mass') }),
        item('CONTAINS', 'IMAGE', undefined, { '00081199': seq({ '00081155': str('UI', 'b') }) }),
        item('CONTAINS', 'IMAGE', undefined, { '00081199': seq({ '00081155': str('UI', 'a') }) }),
      ]),
    };
    const sel = keyObjectSelection(readSrDocument(kos));
    expect(sel.title?.meaning).toBe('Of Interest');
    expect(sel.notes).toEqual(['Three slices through the mass']);
    expect(sel.references.map((r) => [r.sopInstanceUID, r.seriesInstanceUID])).toEqual([
      ['b', CT_SERIES],
      ['a', CT_SERIES],
    ]);
  });
});

describe('formatting', () => {
  it('says units by meaning, with the UCUM code as fallback and nothing for unitless', () => {
    expect(unitText({ value: 'mm', scheme: 'UCUM', meaning: 'millimeter' })).toBe('millimeter');
    expect(unitText({ value: 'mm2', scheme: 'UCUM', meaning: '' })).toBe('mm2');
    expect(unitText({ value: '1', scheme: 'UCUM', meaning: 'no units' })).toBe('');
    expect(unitText(undefined)).toBe('');
  });
  it('formats DA, TM and DT', () => {
    expect(formatSrDate('20250314')).toBe('2025-03-14');
    expect(formatSrDate('2025')).toBe('2025');
    expect(formatSrTime('101500.25')).toBe('10:15:00');
    expect(formatSrTime('1015')).toBe('10:15');
    expect(formatSrDateTime('20250101123456+0100')).toBe('2025-01-01 12:34:56 +01:00');
    expect(formatSrDateTime('202501')).toBe('2025-01');
    expect(formatSrDateTime('garbage')).toBe('garbage');
  });
});

import { beforeAll, describe, expect, it } from 'vitest';
import type { DicomJson } from '../../dicom/json';
import { startI18n } from '../../i18n/i18n';
import { isFrameItem, isPrivateGroup, matchesSearch, sequencePaths, tagTree, visibleRows, type TagRow } from './TagBrowser';

const KEYWORDS: Record<string, string> = {
  '00100010': 'PatientName',
  '00280030': 'PixelSpacing',
  '00081140': 'ReferencedImageSequence',
  '00081150': 'ReferencedSOPClassUID',
  '00081155': 'ReferencedSOPInstanceUID',
  '00020010': 'TransferSyntaxUID',
  '00200013': 'InstanceNumber',
};
const keywordOf = (t: string) => KEYWORDS[t] ?? '';

const DATASET: DicomJson = {
  '00100010': { vr: 'PN', Value: [{ Alphabetic: '<img src=x onerror=alert(1)>' }] },
  '00280030': { vr: 'DS', Value: [0.7, 0.7] },
  '00020010': { vr: 'UI', Value: ['1.2.840.10008.1.2.4.70'] },
  '00200013': { vr: 'IS', Value: [7] },
  '00081140': {
    vr: 'SQ',
    Value: [
      { '00081150': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] }, '00081155': { vr: 'UI', Value: ['1.2.3'] } },
      { '00081155': { vr: 'UI', Value: ['1.2.4'] } },
    ],
  },
  '00090010': { vr: 'LO', Value: ['GEMS_IDEN_01'] },
  '00091001': { vr: 'LO', Value: ['GE_GENESIS_FF'] },
  '00091010': { vr: 'OB', InlineBinary: 'AAAA' },
  // Block 11 of group 0009 has no creator here.
  '00091101': { vr: 'LO', Value: ['unreserved'] },
};

const shown = (rows: TagRow[]) => rows.map((r) => (r.kind === 'item' ? `item ${r.index + 1}/${r.count}` : `${'  '.repeat(r.node.depth)}${r.node.tag} ${r.node.value}`));

// The dialog's words come from the English strings, as in the app.
beforeAll(() => startI18n('en'));

describe('the tag tree', () => {
  const tree = tagTree(DATASET, keywordOf);

  it('lists attributes in tag order with values as text; sequences start closed', () => {
    expect(shown(visibleRows(tree, new Set()))).toEqual([
      '00020010 1.2.840.10008.1.2.4.70',
      '00081140 (2 items)',
      '00090010 GEMS_IDEN_01',
      '00091001 GE_GENESIS_FF',
      '00091010 (binary, 3 bytes)',
      '00091101 unreserved',
      '00100010 <img src=x onerror=alert(1)>',
      '00200013 7',
      '00280030 0.7\\0.7',
    ]);
  });

  it('opens a sequence into its items, and all of them with expand all', () => {
    expect(shown(visibleRows(tree, new Set(['00081140']))).slice(1, 7)).toEqual([
      '00081140 (2 items)',
      'item 1/2',
      '  00081150 1.2.840.10008.5.1.4.1.1.2',
      '  00081155 1.2.3',
      'item 2/2',
      '  00081155 1.2.4',
    ]);
    expect(sequencePaths(tree)).toEqual(['00081140']);
    const nested = tagTree({ '00081140': { vr: 'SQ', Value: [{ '00081140': { vr: 'SQ', Value: [{}] } }] } }, keywordOf);
    expect(sequencePaths(nested)).toEqual(['00081140', '00081140/0/00081140']);
  });

  it('names registered UIDs (transfer syntax, SOP class) and leaves the others unnamed', () => {
    const ts = tree.find((n) => n.tag === '00020010')!;
    expect(ts.uidNames.map((u) => u.name)).toEqual(['JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 [Selection Value 1])']);
    const item = tree.find((n) => n.tag === '00081140')!.items![0]!;
    expect(item.map((n) => n.uidNames.map((u) => u.name))).toEqual([['CT Image Storage'], []]);
  });

  it('marks private creators and private elements with the block owner', () => {
    const priv = tree.filter((n) => n.private);
    expect(priv.map((n) => [n.tag, n.private, n.creator])).toEqual([
      ['00090010', 'creator', undefined],
      ['00091001', 'element', 'GEMS_IDEN_01'],
      ['00091010', 'element', 'GEMS_IDEN_01'],
      ['00091101', 'element', undefined],
    ]);
    expect([0x0009, 0x0029, 0x7fe1].every(isPrivateGroup)).toBe(true);
    expect([0x0008, 0x0001, 0x0007, 0xffff].some(isPrivateGroup)).toBe(false);
  });

  it('searches by tag in any notation, by keyword with or without spaces, by value and by UID name', () => {
    const hit = (search: string) => tree.flatMap((n) => [n, ...(n.items ?? []).flat()]).filter((n) => matchesSearch(n, search)).map((n) => n.tag);
    expect(hit('0028,0030')).toEqual(['00280030']);
    expect(hit('(0028,0030)')).toEqual(['00280030']);
    expect(hit('InstanceNumber')).toEqual(['00200013']);
    expect(hit('instance number')).toEqual(['00200013']);
    expect(hit('GENESIS')).toEqual(['00091001']);
    expect(hit('gems_iden')).toEqual(['00090010', '00091001', '00091010']);
    expect(hit('ct image storage')).toEqual(['00081150']);
  });

  it('shows a match inside a closed sequence with the way to it', () => {
    expect(shown(visibleRows(tree, new Set(), '1.2.4'))).toEqual([
      '00020010 1.2.840.10008.1.2.4.70',
      '00081140 (2 items)',
      'item 2/2',
      '  00081155 1.2.4',
    ]);
    expect(shown(visibleRows(tree, new Set(), 'nothing like it'))).toEqual([]);
  });
});

describe('TagBrowser', () => {
  it('opens on the image asked for and marks its frame in a multi-frame instance', async () => {
    const { createElement } = await import('react');
    const { renderToStaticMarkup } = await import('react-dom/server');
    const { useStudyStore } = await import('../../store/study');
    const { TagBrowser } = await import('./TagBrowser');
    const raw: DicomJson = {
      '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.12.1'] },
      '00280008': { vr: 'IS', Value: [2] },
      '52009230': { vr: 'SQ', Value: [{}, {}] },
    };
    const instance = { sopInstanceUID: '1.9', sopClassUID: '1.2.840.10008.5.1.4.1.1.12.1', numberOfFrames: 2, raw };
    const summary = { studyInstanceUID: '1.7', seriesInstanceUID: '1.8', modality: 'XA', seriesNumber: 3, description: 'Run 1', bodyPart: '' };
    const frames = [1, 2].map((frameNumber) => ({ studyInstanceUID: '1.7', seriesInstanceUID: '1.8', sopInstanceUID: '1.9', frameNumber, instance }));
    // Server rendering reads a store's initial state (useSyncExternalStore's server snapshot): the study is put there.
    Object.assign(useStudyStore.getInitialState(), {
      studyUIDs: ['1.7'],
      seriesOrder: { '1.7': ['1.8'] },
      series: { '1.8': { summary, status: 'ready', displaySet: { series: summary, frames, notes: [] } } },
    });
    const html = renderToStaticMarkup(createElement(TagBrowser, { seriesUID: '1.8', imageIndex: 1, onClose: () => {} }));
    expect(html).toContain('DICOM tags — image 2 of 2, frame 2 of 2');
    expect(html).toContain('#3 XA Run 1');
    expect(html).toContain('= X-Ray Angiographic Image Storage');
    // The sequence starts closed: its items (and the frame's mark) show once it is opened.
    expect(html).toContain('aria-label="Expand PerFrameFunctionalGroupsSequence"');
    expect(html).not.toContain('this frame');
    // Opened, item 2 of that sequence is frame 2's; a nested sequence of the same tag is not.
    expect(isFrameItem('52009230/1', frames[1])).toBe(true);
    expect(isFrameItem('52009230/0', frames[1])).toBe(false);
    expect(isFrameItem('00081140/0/52009230/1', frames[1])).toBe(false);
    expect(isFrameItem('52009230/0', { frameNumber: 1, instance: { numberOfFrames: 1 } })).toBe(false);
  });
});

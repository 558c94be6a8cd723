import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  BUILT_IN_PROTOCOLS,
  applyProtocol,
  autoLayout,
  chooseProtocol,
  matchProtocols,
  matchesPattern,
  mostRelevantPrior,
  parseProtocols,
  protocolSchema,
  protocolsSchema,
  seriesOrientation,
  type HangingProtocol,
  type ProtocolSeries,
  type ProtocolStudy,
} from './hangingProtocols';
import { WINDOW_PRESETS } from './windowPresets';

// ---------------------------------------------------------------------------------------------------------------
// Fixtures

const series = (uid: string, over: Partial<ProtocolSeries> = {}): ProtocolSeries => ({
  studyInstanceUID: 'ST-CUR',
  seriesInstanceUID: uid,
  modality: 'CT',
  description: '',
  bodyPart: '',
  numImages: 100,
  ...over,
});

const study = (over: Partial<ProtocolStudy> = {}): ProtocolStudy => {
  const uid = over.studyInstanceUID ?? 'ST-CUR';
  return {
    studyInstanceUID: uid,
    studyDate: '20240301',
    description: '',
    modalities: ['CT'],
    ...over,
    series: (over.series ?? []).map((s) => ({ ...s, studyInstanceUID: uid })),
  };
};

const proto = (p: Partial<z.input<typeof protocolSchema>>): HangingProtocol =>
  protocolSchema.parse({ id: 'test', name: 'Test', layout: { rows: 1, cols: 1 }, viewports: [{ required: false }], ...p });

const errorsOf = (p: unknown) => {
  const r = protocolSchema.safeParse(p);
  expect(r.success).toBe(false);
  return r.error!.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
};

const base = { id: 'x', name: 'X', layout: { rows: 1, cols: 1 }, viewports: [{}] };

const uids = (r: { viewports: { seriesInstanceUID?: string }[] } | undefined) => r?.viewports.map((v) => v.seriesInstanceUID);

/** Whether a protocol's study-level rules hold (with a viewport that never fails). */
const matches = (match: z.input<typeof protocolSchema>['match'], current: ProtocolStudy, priors: ProtocolStudy[] = []) =>
  matchProtocols([proto({ match })], current, priors).map((m) => m.score)[0];

// ---------------------------------------------------------------------------------------------------------------

describe('protocol schema', () => {
  it('accepts the built-in protocols, with defaults filled in', () => {
    expect(BUILT_IN_PROTOCOLS.map((p) => p.id)).toEqual(['ct-chest', 'mr-brain', 'current-vs-prior', 'mpr', 'default']);
    const def = BUILT_IN_PROTOCOLS.find((p) => p.id === 'default')!;
    expect(def.match).toEqual({});
    expect(def.autoSelect).toBe(true);
    expect(BUILT_IN_PROTOCOLS.find((p) => p.id === 'mr-brain')!.priority).toBe(0);
    expect(def.viewports[0]!.mode).toBe('stack');
  });

  it('rejects a regular expression that does not compile, saying so', () => {
    const errors = errorsOf({ ...base, match: { studyDescription: '/t1(/i' } });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('match.studyDescription');
    expect(errors[0]!.message).toMatch(/^"\/t1\(\/i" is not a valid regular expression: /);
  });

  it('rejects stateful or unknown regular expression flags', () => {
    const errors = errorsOf({ ...base, viewports: [{ series: { description: '/t1/gi' } }] });
    expect(errors).toEqual([{ path: 'viewports.0.series.description', message: '"/t1/gi": regular expression flags must be among "imsuv" (got "gi")' }]);
  });

  it('rejects 4 rows', () => {
    expect(errorsOf({ ...base, layout: { rows: 4, cols: 1 } })).toEqual([{ path: 'layout.rows', message: 'at most 3 rows' }]);
  });

  it('explains a layout that is neither a grid nor a keyword', () => {
    const errors = errorsOf({ ...base, layout: 'grid' });
    expect(errors).toHaveLength(1);
    expect(errors[0]!.path).toBe('layout');
    expect(errors[0]!.message).toContain('"mpr" or "auto"');
  });

  it('rejects unknown keys at every level', () => {
    expect(errorsOf({ ...base, colour: 'red' })).toEqual([{ path: '', message: 'Unrecognized key: "colour"' }]);
    expect(errorsOf({ ...base, match: { modalty: 'CT' } })).toEqual([{ path: 'match', message: 'Unrecognized key: "modalty"' }]);
    expect(errorsOf({ ...base, viewports: [{ series: { descripton: 't1' } }] })).toEqual([{ path: 'viewports.0.series', message: 'Unrecognized key: "descripton"' }]);
  });

  it('names the presets when a window is wrong', () => {
    const errors = errorsOf({ ...base, viewports: [{ window: 'lungs' }] });
    expect(errors[0]!.path).toBe('viewports.0.window');
    expect(errors[0]!.message).toContain('soft-tissue, lung, liver, bone, brain');
  });

  it('rejects a bad id, more viewports than cells, similarTo a later viewport', () => {
    expect(errorsOf({ ...base, id: 'CT Chest' })[0]!.path).toBe('id');
    expect(errorsOf({ ...base, viewports: [{}, {}] })).toEqual([{ path: 'viewports', message: '2 viewports do not fit layout 1x1 (1 at most)' }]);
    expect(errorsOf({ ...base, layout: { rows: 1, cols: 2 }, viewports: [{ series: { similarTo: 1 } }, {}] })).toEqual([
      { path: 'viewports.0.series.similarTo', message: 'similarTo must name an earlier viewport (the first has none)' },
    ]);
  });

  it('rejects duplicate ids in a list, and reports every problem with its path', () => {
    const r = parseProtocols([base, { ...base, id: 'y', layout: { rows: 1, cols: 9 } }]);
    expect(r).toEqual({ ok: false, errors: ['1.layout.cols: at most 3 columns'] });
    expect(protocolsSchema.safeParse([base, base]).error?.issues.map((i) => i.message)).toEqual(['duplicate protocol id "x"']);
    const ok = parseProtocols([base]);
    expect(ok.ok && ok.protocols[0]!.priority).toBe(0);
  });
});

describe('patterns', () => {
  it('matches a plain string as a case-insensitive substring', () => {
    expect(matchesPattern('Chest', 'CT THORAX CHEST W/O')).toBe(true);
    expect(matchesPattern('chest', 'CT ABDOMEN')).toBe(false);
    expect(matchesPattern('t1/', 'AX T1/SE')).toBe(true);
  });

  it('matches /source/flags as a regular expression', () => {
    expect(matchesPattern('/^ax.*t1$/i', 'AX SE T1')).toBe(true);
    expect(matchesPattern('/^ax.*t1$/', 'AX SE T1')).toBe(false);
    expect(matchesPattern('/t1(/', 'T1')).toBe(false);
  });
});

describe('study-level rules', () => {
  const ct = study({ modalities: ['CT'], description: 'CT CHEST W CONTRAST', bodyPart: 'CHEST', series: [series('a', { bodyPart: 'CHEST' })] });

  it('modality: the study must hold one of them', () => {
    expect(matches({ modality: 'ct' }, ct)).toBe(1);
    expect(matches({ modality: ['MR', 'CT'] }, ct)).toBe(1);
    expect(matches({ modality: 'MR' }, ct)).toBeUndefined();
    // A series' modality counts even when the study's list lacks it.
    expect(matches({ modality: 'PT' }, study({ modalities: ['CT'], series: [series('p', { modality: 'PT' })] }))).toBe(1);
  });

  it('bodyPart: the study or any series, case-insensitive, whole value', () => {
    expect(matches({ bodyPart: ['chest'] }, ct)).toBe(1);
    expect(matches({ bodyPart: ['ABDOMEN', 'Thorax'] }, study({ series: [series('a'), series('b', { bodyPart: 'THORAX' })] }))).toBe(1);
    expect(matches({ bodyPart: ['CHES'] }, ct)).toBeUndefined();
    expect(matches({ bodyPart: ['HEAD'] }, ct)).toBeUndefined();
  });

  it('studyDescription: substring and regular expression', () => {
    expect(matches({ studyDescription: 'chest w' }, ct)).toBe(1);
    expect(matches({ studyDescription: 'chest wo' }, ct)).toBeUndefined();
    expect(matches({ studyDescription: '/^ct\\s+chest/i' }, ct)).toBe(1);
    expect(matches({ studyDescription: '/^chest/i' }, ct)).toBeUndefined();
  });

  it('seriesDescription: any series', () => {
    const s = study({ series: [series('a', { description: 'Scout' }), series('b', { description: 'Lung 1.0 B70f' })] });
    expect(matches({ seriesDescription: 'lung' }, s)).toBe(1);
    expect(matches({ seriesDescription: '/bone/i' }, s)).toBeUndefined();
  });

  it('requiresPrior: at least one other study', () => {
    const prior = study({ studyInstanceUID: 'ST-OLD', studyDate: '20230101' });
    expect(matches({ requiresPrior: true }, ct, [prior])).toBe(1);
    expect(matches({ requiresPrior: true }, ct, [])).toBeUndefined();
    // The current study listed among the priors does not count.
    expect(matches({ requiresPrior: true }, ct, [ct])).toBeUndefined();
    expect(matches({ requiresPrior: false }, ct, [])).toBe(0);
  });

  it('minSeries: counts image series only', () => {
    const s = study({ series: [series('a'), series('b'), series('sr', { modality: 'SR', numImages: 1 }), series('empty', { numImages: 0 })] });
    expect(matches({ minSeries: 2 }, s)).toBe(1);
    expect(matches({ minSeries: 3 }, s)).toBeUndefined();
  });

  it('anyOf: one alternative must hold; scores its best', () => {
    const anyOf = [{ bodyPart: ['CHEST'] }, { studyDescription: 'thorax' }];
    expect(matches({ modality: 'CT', anyOf }, ct)).toBe(2);
    expect(matches({ modality: 'CT', anyOf }, study({ description: 'CT THORAX', series: [series('a')] }))).toBe(2);
    expect(matches({ modality: 'CT', anyOf }, study({ description: 'CT KNEE', series: [series('a')] }))).toBeUndefined();
  });

  it('scores: specific beats generic, priority breaks ties, then list order', () => {
    const list = [
      proto({ id: 'generic', priority: 50 }),
      proto({ id: 'ct', match: { modality: 'CT' } }),
      proto({ id: 'ct-chest-a', match: { modality: 'CT', bodyPart: ['CHEST'] } }),
      proto({ id: 'ct-chest-b', match: { modality: 'CT', bodyPart: ['CHEST'] }, priority: 1 }),
      proto({ id: 'ct-chest-c', match: { modality: 'CT', bodyPart: ['CHEST'] }, priority: 1 }),
      proto({ id: 'mr', match: { modality: 'MR' } }),
    ];
    expect(matchProtocols(list, ct, []).map((m) => [m.protocol.id, m.score])).toEqual([
      ['ct-chest-b', 2],
      ['ct-chest-c', 2],
      ['ct-chest-a', 2],
      ['ct', 1],
      ['generic', 0],
    ]);
  });

  it('leaves out protocols whose required viewport cannot be filled, and never throws', () => {
    const needsMr = proto({ id: 'needs-mr', viewports: [{ series: { modality: 'MR' } }] });
    const broken = { id: 'broken' } as unknown as HangingProtocol;
    expect(matchProtocols([needsMr, broken, proto({ id: 'any' })], ct, []).map((m) => m.protocol.id)).toEqual(['any']);
    expect(applyProtocol(broken, ct, [])).toBeUndefined();
    expect(chooseProtocol([broken], ct, []).protocolId).toBe('default');
  });
});

describe('series selectors', () => {
  const one = (sel: z.input<typeof protocolSchema>['viewports'][number]['series'], s: ProtocolStudy, priors: ProtocolStudy[] = []) =>
    applyProtocol(proto({ viewports: [{ series: sel }] }), s, priors)?.viewports[0]?.seriesInstanceUID;

  it('modality', () => {
    const s = study({ modalities: ['PT', 'CT'], series: [series('ct', { seriesNumber: 1 }), series('pt', { modality: 'PT', seriesNumber: 2 })] });
    expect(one({ modality: 'PT' }, s)).toBe('pt');
    expect(one({ modality: ['MR', 'ct'] }, s)).toBe('ct');
    expect(one({ modality: 'MR' }, s)).toBeUndefined();
  });

  it('description and descriptionNot', () => {
    const s = study({
      series: [series('t2flair', { description: 'AX T2 FLAIR', seriesNumber: 1 }), series('t2', { description: 'AX T2 TSE', seriesNumber: 2 })],
    });
    expect(one({ description: '/t2/i' }, s)).toBe('t2flair');
    expect(one({ description: '/t2/i', descriptionNot: '/flair/i' }, s)).toBe('t2');
    expect(one({ description: 't2', descriptionNot: 'ax' }, s)).toBeUndefined();
  });

  it('orientation: known mismatches are out, known matches come before unknown ones', () => {
    const s = study({
      series: [
        series('sag', { orientation: 'sagittal', seriesNumber: 1 }),
        series('unknown', { seriesNumber: 2 }),
        series('ax', { orientation: 'axial', seriesNumber: 3 }),
      ],
    });
    expect(one({ orientation: 'axial' }, s)).toBe('ax');
    expect(one({ orientation: ['coronal', 'sagittal'] }, s)).toBe('sag');
    expect(one({ orientation: 'coronal' }, s)).toBe('unknown');
    expect(one({ orientation: 'coronal' }, study({ series: [series('sag', { orientation: 'sagittal' })] }))).toBeUndefined();
  });

  it('minImages', () => {
    const s = study({ series: [series('scout', { numImages: 2, seriesNumber: 1 }), series('axial', { numImages: 80, seriesNumber: 2 })] });
    expect(one({}, s)).toBe('scout');
    expect(one({ minImages: 3 }, s)).toBe('axial');
    expect(one({ minImages: 81 }, s)).toBeUndefined();
  });

  it('seriesNumber', () => {
    const s = study({ series: [series('a', { seriesNumber: 1 }), series('b', { seriesNumber: 5 })] });
    expect(one({ seriesNumber: 5 }, s)).toBe('b');
    expect(one({ seriesNumber: 2 }, s)).toBeUndefined();
  });

  it('prefer: first in series-number order (unnumbered last), or most images; avoid ranks last', () => {
    const s = study({
      series: [series('n', { numImages: 500 }), series('b', { seriesNumber: 3, numImages: 300 }), series('a', { seriesNumber: 2, numImages: 10 })],
    });
    expect(one({}, s)).toBe('a');
    expect(one({ prefer: 'most-images' }, s)).toBe('n');
    const lung = study({ series: [series('lung', { description: 'Lung 1.0', numImages: 400 }), series('body', { description: 'Body 5.0', numImages: 90 })] });
    expect(one({ prefer: 'most-images', avoid: 'lung' }, lung)).toBe('body');
    expect(one({ prefer: 'most-images', avoid: 'lung' }, study({ series: [series('lung', { description: 'Lung 1.0' })] }))).toBe('lung');
  });

  it('skips series with no images and non-image objects', () => {
    const s = study({ series: [series('empty', { numImages: 0, seriesNumber: 1 }), series('sr', { modality: 'SR', numImages: 1, seriesNumber: 2 }), series('img', { seriesNumber: 3 })] });
    expect(one({}, s)).toBe('img');
  });

  it('study: current or the most relevant prior', () => {
    const cur = study({ series: [series('cur')] });
    const priors = [
      study({ studyInstanceUID: 'OLD-MR', studyDate: '20231201', modalities: ['MR'], series: [series('old-mr', { modality: 'MR' })] }),
      study({ studyInstanceUID: 'OLD-CT', studyDate: '20220101', series: [series('old-ct')] }),
    ];
    expect(one({ study: 'current' }, cur, priors)).toBe('cur');
    expect(one({}, cur, priors)).toBe('cur');
    const r = applyProtocol(proto({ viewports: [{ series: { study: 'prior' } }] }), cur, priors);
    expect(r?.viewports[0]).toMatchObject({ studyInstanceUID: 'OLD-CT', seriesInstanceUID: 'old-ct' });
    expect(one({ study: 'prior' }, cur, [])).toBeUndefined();
  });

  it('a series is not shown twice unless allowRepeat', () => {
    const s = study({ series: [series('a', { seriesNumber: 1 }), series('b', { seriesNumber: 2 })] });
    const two = (allowRepeat: boolean) => proto({ layout: { rows: 1, cols: 2 }, viewports: [{}, { allowRepeat }] });
    expect(uids(applyProtocol(two(false), s, []))).toEqual(['a', 'b']);
    expect(uids(applyProtocol(two(true), s, []))).toEqual(['a', 'a']);
    const single = study({ series: [series('a')] });
    expect(uids(applyProtocol(two(false), single, []))).toEqual(['a', undefined]);
    const bothRequired = proto({ layout: { rows: 1, cols: 2 }, viewports: [{}, { required: true }] });
    expect(applyProtocol(bothRequired, single, [])).toBeUndefined();
  });

  it('required: the first viewport by default, the others when they say so', () => {
    const s = study({ series: [series('a', { modality: 'CT' })] });
    const p = (second: boolean | undefined) =>
      proto({ layout: { rows: 1, cols: 2 }, viewports: [{ series: { modality: 'CT' } }, { series: { modality: 'MR' }, required: second }] });
    expect(uids(applyProtocol(p(undefined), s, []))).toEqual(['a', undefined]);
    expect(applyProtocol(p(true), s, [])).toBeUndefined();
    expect(applyProtocol(proto({ viewports: [{ series: { modality: 'MR' } }] }), s, [])).toBeUndefined();
  });

  it('similarTo: same modality, then description words, orientation, images', () => {
    const cur = study({ modalities: ['MR'], series: [series('cur-t1', { modality: 'MR', description: 'AX T1 SE', orientation: 'axial' })] });
    const prior = study({
      studyInstanceUID: 'OLD',
      studyDate: '20230501',
      modalities: ['MR', 'CT'],
      series: [
        series('ct', { modality: 'CT', description: 'AX T1 SE', numImages: 500 }),
        series('sag-t1', { modality: 'MR', description: 'SAG T1 SE', orientation: 'sagittal', numImages: 300 }),
        series('ax-t1', { modality: 'MR', description: 'AX T1 SE', orientation: 'axial', numImages: 30 }),
        series('ax-t2', { modality: 'MR', description: 'AX T2', orientation: 'axial', numImages: 30 }),
      ],
    });
    const p = proto({ layout: { rows: 1, cols: 2 }, viewports: [{}, { series: { study: 'prior', similarTo: 0 }, required: true }] });
    expect(uids(applyProtocol(p, cur, [prior]))).toEqual(['cur-t1', 'ax-t1']);
  });

  it('each: one viewport per remaining series, while the layout has room', () => {
    const s = study({ series: ['a', 'b', 'c', 'd', 'e'].map((u, i) => series(u, { seriesNumber: i + 1 })) });
    const p = proto({ layout: { rows: 2, cols: 2 }, viewports: [{ series: { seriesNumber: 3 } }, { each: true }] });
    expect(uids(applyProtocol(p, s, []))).toEqual(['c', 'a', 'b', 'd']);
  });

  it('windows, modes, sync groups and labels are passed on', () => {
    const cur = study({ studyDate: '20240301', series: [series('a')] });
    const prior = study({ studyInstanceUID: 'OLD', studyDate: '', series: [series('b')] });
    const p = proto({
      layout: { rows: 1, cols: 3 },
      viewports: [
        { window: 'bone', syncGroup: 'g', label: 'study-date' },
        { series: { study: 'prior' }, window: { center: 50, width: 350 }, label: 'study-date', mode: 'mpr' },
        { series: { study: 'prior' }, allowRepeat: true, label: 'Reference' },
      ],
    });
    expect(applyProtocol(p, cur, [prior])?.viewports).toEqual([
      { studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'a', window: { center: 480, width: 2500 }, presetName: 'bone', mode: 'stack', syncGroup: 'g', label: 'Current 2024-03-01' },
      { studyInstanceUID: 'OLD', seriesInstanceUID: 'b', window: { center: 50, width: 350 }, mode: 'mpr', label: 'Prior' },
      { studyInstanceUID: 'OLD', seriesInstanceUID: 'b', mode: 'stack', label: 'Reference' },
    ]);
  });
});

describe('seriesOrientation', () => {
  it('axial, sagittal, coronal and oblique from the direction cosines', () => {
    expect(seriesOrientation([1, 0, 0, 0, 1, 0])).toBe('axial');
    expect(seriesOrientation([0, 1, 0, 0, 0, -1])).toBe('sagittal');
    expect(seriesOrientation([1, 0, 0, 0, 0, -1])).toBe('coronal');
    const h = Math.SQRT1_2;
    expect(seriesOrientation([1, 0, 0, 0, h, -h])).toBe('oblique');
  });

  it('tolerates a tilt up to about 37°', () => {
    const t = (deg: number) => [1, 0, 0, 0, Math.cos((deg * Math.PI) / 180), -Math.sin((deg * Math.PI) / 180)];
    expect(seriesOrientation(t(20))).toBe('axial');
    expect(seriesOrientation(t(30))).toBe('axial');
    expect(seriesOrientation(t(40))).toBe('oblique');
    expect(seriesOrientation(t(70))).toBe('coronal');
  });

  it('undefined for missing or degenerate input', () => {
    expect(seriesOrientation(undefined)).toBeUndefined();
    expect(seriesOrientation([1, 0, 0])).toBeUndefined();
    expect(seriesOrientation([1, 0, 0, 1, 0, 0])).toBeUndefined();
    expect(seriesOrientation([1, 0, 0, 0, Number.NaN, 0])).toBeUndefined();
  });
});

describe('mostRelevantPrior', () => {
  const cur = study({ modalities: ['CT'], bodyPart: 'CHEST', series: [series('c', { bodyPart: 'CHEST' })] });
  const p = (uid: string, date: string, modality: string, bodyPart = '') =>
    study({ studyInstanceUID: uid, studyDate: date, modalities: [modality], series: [series(`${uid}-s`, { modality, bodyPart })] });

  it('same modality and body part, then same modality, then most recent', () => {
    const mrNewest = p('mr', '20240101', 'MR', 'CHEST');
    const ctHeadNew = p('ct-head', '20231001', 'CT', 'HEAD');
    const ctChestOld = p('ct-chest-old', '20200101', 'CT', 'chest');
    const ctChestNewer = p('ct-chest-new', '20210101', 'CT', 'CHEST');
    expect(mostRelevantPrior(cur, [mrNewest, ctHeadNew, ctChestOld, ctChestNewer])?.studyInstanceUID).toBe('ct-chest-new');
    expect(mostRelevantPrior(cur, [mrNewest, ctHeadNew, ctChestOld])?.studyInstanceUID).toBe('ct-chest-old');
    expect(mostRelevantPrior(cur, [mrNewest, ctHeadNew, p('ct-old', '20190101', 'CT')])?.studyInstanceUID).toBe('ct-head');
    expect(mostRelevantPrior(cur, [p('us', '20200101', 'US'), mrNewest])?.studyInstanceUID).toBe('mr');
  });

  it('undated last; the current study and an empty list give nothing', () => {
    expect(mostRelevantPrior(cur, [p('undated', '', 'CT'), p('dated', '20100101', 'CT')])?.studyInstanceUID).toBe('dated');
    expect(mostRelevantPrior(cur, [cur])).toBeUndefined();
    expect(mostRelevantPrior(cur, [])).toBeUndefined();
  });

  it('without a known body part: same modality, most recent', () => {
    const noPart = study({ modalities: ['CT'], series: [series('c')] });
    expect(mostRelevantPrior(noPart, [p('a', '20200101', 'CT', 'CHEST'), p('b', '20220101', 'CT', 'HEAD')])?.studyInstanceUID).toBe('b');
  });
});

describe('autoLayout', () => {
  it('grid from the number of viewports', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 12].map((n) => autoLayout(n)).map((l) => `${l.rows}x${l.cols}`)).toEqual([
      '1x1',
      '1x1',
      '1x2',
      '1x3',
      '2x2',
      '2x3',
      '2x3',
      '3x3',
      '3x3',
    ]);
  });
});

// ---------------------------------------------------------------------------------------------------------------

describe('built-in protocols end to end', () => {
  const ctChest = () =>
    study({
      description: 'CT CHEST W CONTRAST',
      modalities: ['CT'],
      series: [
        series('scout', { description: 'Topogram 0.6 T20s', numImages: 1, seriesNumber: 1, orientation: 'coronal' }),
        series('axial', { description: 'Thorax 3.0 Br40 soft', numImages: 120, seriesNumber: 2, orientation: 'axial', bodyPart: 'CHEST' }),
      ],
    });

  it('CT chest: the axial series twice, soft tissue and lung windows, one sync group', () => {
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), []);
    expect(r.protocolId).toBe('ct-chest');
    expect(r.layout).toEqual({ rows: 1, cols: 2 });
    expect(r.viewports).toEqual([
      { studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'axial', window: { center: 40, width: 400 }, presetName: 'soft-tissue', mode: 'stack', syncGroup: 'ct-chest' },
      { studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'axial', window: { center: -600, width: 1500 }, presetName: 'lung', mode: 'stack', syncGroup: 'ct-chest' },
    ]);
    expect(r.viewports[1]!.window).toEqual({ center: WINDOW_PRESETS.lung.center, width: WINDOW_PRESETS.lung.width });
  });

  it('CT chest: prefers the soft-tissue reconstruction over a bigger lung one, known only by description', () => {
    const s = study({
      description: 'CT THORAX',
      series: [
        series('body', { description: 'Body 5.0 B30f', numImages: 80, seriesNumber: 2 }),
        series('lung', { description: 'Lung 1.0 B70f', numImages: 400, seriesNumber: 3 }),
        series('bigger-body', { description: 'Body 2.0 B30f', numImages: 200, seriesNumber: 4 }),
      ],
    });
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, s, []);
    expect(r.protocolId).toBe('ct-chest');
    expect(uids(r)).toEqual(['bigger-body', 'bigger-body']);
    expect(r.viewports.map((v) => v.presetName)).toEqual(['soft-tissue', 'lung']);
  });

  it('CT chest is chosen over current-vs-prior when a prior exists', () => {
    const prior = study({ studyInstanceUID: 'OLD', studyDate: '20230501', series: [series('old-axial')] });
    const found = matchProtocols(BUILT_IN_PROTOCOLS, ctChest(), [prior]).map((m) => m.protocol.id);
    expect(found).toEqual(['ct-chest', 'current-vs-prior', 'mpr', 'default']);
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [prior]).protocolId).toBe('ct-chest');
  });

  it('MR brain: T1, T2 and FLAIR each in its viewport', () => {
    const s = study({
      description: 'MRI BRAIN WO',
      modalities: ['MR'],
      series: [
        series('loc', { modality: 'MR', description: '3-plane loc', numImages: 9, seriesNumber: 1, orientation: 'oblique' }),
        series('sag-t1', { modality: 'MR', description: 'SAG T1', numImages: 24, seriesNumber: 2, orientation: 'sagittal' }),
        series('ax-flair', { modality: 'MR', description: 'AX T2 FLAIR', numImages: 24, seriesNumber: 3, orientation: 'axial' }),
        series('ax-t2', { modality: 'MR', description: 'AX T2 TSE', numImages: 24, seriesNumber: 4, orientation: 'axial' }),
        series('ax-t1', { modality: 'MR', description: 'AX T1 SE', numImages: 24, seriesNumber: 5, orientation: 'axial' }),
        series('dwi', { modality: 'MR', description: 'AX DWI', numImages: 48, seriesNumber: 6, orientation: 'axial' }),
      ],
    });
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, s, []);
    expect(r.protocolId).toBe('mr-brain');
    expect(r.layout).toEqual({ rows: 1, cols: 3 });
    expect(uids(r)).toEqual(['ax-t1', 'ax-t2', 'ax-flair']);
    expect(r.viewports.every((v) => v.syncGroup === 'mr-brain' && v.window === undefined)).toBe(true);
  });

  it('MR of the knee is not mr-brain', () => {
    const s = study({ description: 'MR KNEE', modalities: ['MR'], series: [series('pd', { modality: 'MR', description: 'AX T1', bodyPart: 'KNEE' })] });
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, s, []).protocolId).toBe('default');
  });

  it('an unmatched study (one CR) opens with the default 1x1', () => {
    const s = study({ modalities: ['CR'], description: 'CHEST PA', series: [series('cr', { modality: 'CR', numImages: 1, bodyPart: 'CHEST' })] });
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, s, []);
    expect(r).toEqual({ protocolId: 'default', protocolName: 'Default', layout: { rows: 1, cols: 1 }, viewports: [{ studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'cr', mode: 'stack' }] });
  });

  it('three unrelated series open with the default 1x3 in series-number order (MPR is listed, not chosen)', () => {
    const s = study({
      description: 'CT KNEE',
      series: [
        series('three', { seriesNumber: 3, description: 'Sag bone' }),
        series('report', { modality: 'SR', numImages: 1, seriesNumber: 4 }),
        series('one', { seriesNumber: 1, description: 'Scout' }),
        series('two', { seriesNumber: 2, description: 'Axial' }),
      ],
    });
    expect(matchProtocols(BUILT_IN_PROTOCOLS, s, []).map((m) => m.protocol.id)).toEqual(['mpr', 'default']);
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, s, []);
    expect(r.protocolId).toBe('default');
    expect(r.layout).toEqual({ rows: 1, cols: 3 });
    expect(uids(r)).toEqual(['one', 'two', 'three']);
  });

  it('the default applies to a study with no series (1x1 empty), and to many series (3x3)', () => {
    const empty = chooseProtocol(BUILT_IN_PROTOCOLS, study({ modalities: [] }), []);
    expect(empty).toEqual({ protocolId: 'default', protocolName: 'Default', layout: { rows: 1, cols: 1 }, viewports: [{ mode: 'stack' }] });
    const many = study({ modalities: ['XA'], series: Array.from({ length: 12 }, (_, i) => series(`s${i + 1}`, { modality: 'XA', seriesNumber: i + 1 })) });
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, many, []);
    expect(r.layout).toEqual({ rows: 3, cols: 3 });
    expect(uids(r)).toEqual(['s1', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9']);
    // Even with no protocols at all.
    expect(chooseProtocol([], many, []).protocolId).toBe('default');
  });

  it('current vs prior when asked: 1x2, matching series, labels with both dates, one sync group', () => {
    const cur = study({
      studyDate: '20240301',
      description: 'CT ABDOMEN',
      series: [series('cur-scout', { numImages: 2, seriesNumber: 1 }), series('cur-axial', { description: 'Abdomen 5mm', numImages: 90, seriesNumber: 2, orientation: 'axial' })],
    });
    const priors = [
      study({ studyInstanceUID: 'OLD-CR', studyDate: '20240101', modalities: ['CR'], series: [series('cr', { modality: 'CR' })] }),
      study({
        studyInstanceUID: 'OLD-CT',
        studyDate: '20230501',
        series: [
          series('old-cor', { description: 'Coronal MPR', numImages: 150, orientation: 'coronal', seriesNumber: 3 }),
          series('old-axial', { description: 'Abdomen 5mm', numImages: 85, orientation: 'axial', seriesNumber: 2 }),
        ],
      }),
    ];
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, cur, priors, 'current-vs-prior');
    expect(r.protocolId).toBe('current-vs-prior');
    expect(r.layout).toEqual({ rows: 1, cols: 2 });
    expect(r.viewports).toEqual([
      { studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'cur-axial', mode: 'stack', syncGroup: 'compare', label: 'Current 2024-03-01' },
      { studyInstanceUID: 'OLD-CT', seriesInstanceUID: 'old-axial', mode: 'stack', syncGroup: 'compare', label: 'Prior 2023-05-01' },
    ]);
    // Not chosen without being asked for.
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, cur, priors).protocolId).toBe('ct-chest');
  });

  it('a preferred protocol that does not apply falls back to the best match', () => {
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'current-vs-prior').protocolId).toBe('ct-chest');
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'no-such-protocol').protocolId).toBe('ct-chest');
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'mr-brain').protocolId).toBe('ct-chest');
  });

  it('a preferred protocol that applies wins: default, or MPR of the largest series', () => {
    expect(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'default').layout).toEqual({ rows: 1, cols: 2 });
    expect(uids(chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'default'))).toEqual(['scout', 'axial']);
    const r = chooseProtocol(BUILT_IN_PROTOCOLS, ctChest(), [], 'mpr');
    expect(r).toEqual({ protocolId: 'mpr', protocolName: 'MPR (largest CT/MR series)', layout: 'mpr', viewports: [{ studyInstanceUID: 'ST-CUR', seriesInstanceUID: 'axial', mode: 'mpr' }] });
  });

  it('a site protocol from config.json beats the built-ins when more specific', () => {
    const site = parseProtocols([
      {
        id: 'ct-chest-with-prior',
        name: 'CT chest vs prior',
        match: { modality: 'CT', bodyPart: ['CHEST'], requiresPrior: true },
        layout: { rows: 1, cols: 2 },
        viewports: [
          { series: { orientation: 'axial', minImages: 10 }, window: 'lung', label: 'study-date' },
          { series: { study: 'prior', similarTo: 0 }, window: 'lung', label: 'study-date', required: true },
        ],
      },
    ]);
    expect(site.ok).toBe(true);
    const list = [...(site.ok ? site.protocols : []), ...BUILT_IN_PROTOCOLS];
    const prior = study({ studyInstanceUID: 'OLD', studyDate: '20230501', series: [series('old-axial', { bodyPart: 'CHEST' })] });
    const r = chooseProtocol(list, ctChest(), [prior]);
    expect(r.protocolId).toBe('ct-chest-with-prior');
    expect(r.viewports.map((v) => [v.seriesInstanceUID, v.label])).toEqual([
      ['axial', 'Current 2024-03-01'],
      ['old-axial', 'Prior 2023-05-01'],
    ]);
    expect(chooseProtocol(list, ctChest(), []).protocolId).toBe('ct-chest');
  });
});

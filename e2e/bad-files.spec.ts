// Broken DICOM gets a clear message in its own viewport; the rest of the study keeps working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { parsePart10 } from '../scripts/import/staticTree';
import type { DicomJson } from '../src/dicom/json';
import { test, expect, entry, startStack, type Stack } from './harness/fixtures';
import { loadManifest } from './harness/run-info';
import { serveStaticTree, writeStaticStudy, type StaticSeries, type StaticTreeServer } from './harness/staticStudy';
import { canvasRgbAt, chooseLayout, drawnStats } from './viewer-helpers';

const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjs.data as unknown as {
  DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown; meta: unknown } };
  DicomMetaDictionary: {
    naturalizeDataset(d: unknown): Record<string, unknown>;
    denaturalizeDataset(d: Record<string, unknown>): unknown;
  };
  DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
};

const STUDY = '2.25.99182736450918273645091827364509187';

/** name → how to break a copy of a valid 64×64 16-bit MR image, and what the viewport should then say. */
const CASES: Record<string, { change: (ds: Record<string, unknown>) => void; expect: RegExp | 'ready' }> = {
  good: { change: () => {}, expect: 'ready' },
  huge: { change: (ds) => Object.assign(ds, { Rows: 65535, Columns: 65535 }), expect: /65535 × 65535/ },
  'no-pixels': { change: (ds) => void delete ds.PixelData, expect: /could not send this frame \(400 Bad Request\): its pixel data is probably missing/ },
  // Orthanc refuses every frame of an instance whose pixel data is shorter than NumberOfFrames says.
  'fewer-frames': { change: (ds) => Object.assign(ds, { NumberOfFrames: 3 }), expect: /could not send this frame \(400 Bad Request\)/ },
  // Pixel data half as long as Rows × Columns needs.
  truncated: {
    change: (ds) => {
      const pixels = (ds.PixelData as ArrayBuffer[])[0]!;
      ds.PixelData = [pixels.slice(0, pixels.byteLength / 2)];
    },
    // Orthanc refuses the frame; the static-tree cases below show the viewer's own check.
    expect: /could not send this frame \(400 Bad Request\)/,
  },
  // 30 levels of nested sequences: shown, and listed by the tag browser. (Orthanc 1.10 itself crashes on about
  // 48 levels; the static-tree test below goes to 200.)
  'deep-sequence': {
    change: (ds) => {
      let item: Record<string, unknown> = { ReferencedSOPClassUID: '1.2.840.10008.5.1.4.1.1.4', ReferencedSOPInstanceUID: '2.25.1' };
      for (let depth = 0; depth < 30; depth++) item = { ...item, ReferencedImageSequence: [{ ...item }] };
      ds.ReferencedImageSequence = [item];
    },
    expect: 'ready',
  },
  'bad-geometry': {
    change: (ds) => Object.assign(ds, { PixelSpacing: ['abc', '0'], ImagePositionPatient: ['NaN', '1', ''], SliceThickness: '-1' }),
    expect: 'ready',
  },
};

let stack: Stack;

test.beforeAll(async () => {
  const source = entry(loadManifest(), 'explicit-le').uploadedPath;
  const b = fs.readFileSync(source);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-bad-'));
  const files: { path: string; label: string; expectRejected: boolean }[] = Object.entries(CASES).map(([name, c], i) => {
    const parsed = DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
    const ds = DicomMetaDictionary.naturalizeDataset(parsed.dict);
    const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
    const sop = `${STUDY}.${i + 1}.1`;
    Object.assign(ds, {
      PatientName: 'BAD^FILES',
      PatientID: 'BAD-1',
      StudyInstanceUID: STUDY,
      SeriesInstanceUID: `${STUDY}.${i + 1}`,
      SOPInstanceUID: sop,
      SeriesNumber: i + 1,
      SeriesDescription: name,
    });
    c.change(ds);
    meta.MediaStorageSOPInstanceUID = sop;
    const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
    dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
    const file = path.join(dir, `${name}.dcm`);
    fs.writeFileSync(file, Buffer.from(dict.write()));
    return { path: file, label: name, expectRejected: false };
  });
  // A structured report filed into the good series: skipped with a note, the image still shows.
  const sr = {
    SOPClassUID: '1.2.840.10008.5.1.4.1.1.88.11',
    SOPInstanceUID: `${STUDY}.1.2`,
    StudyInstanceUID: STUDY,
    SeriesInstanceUID: `${STUDY}.1`,
    PatientName: 'BAD^FILES',
    PatientID: 'BAD-1',
    Modality: 'SR',
    InstanceNumber: 2,
    ValueType: 'CONTAINER',
    ContinuityOfContent: 'SEPARATE',
    ConceptNameCodeSequence: [{ CodeValue: '18748-4', CodingSchemeDesignator: 'LN', CodeMeaning: 'Diagnostic Imaging Report' }],
  };
  const srMeta = { ...DicomMetaDictionary.naturalizeDataset(DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer).meta) };
  Object.assign(srMeta, { MediaStorageSOPClassUID: sr.SOPClassUID, MediaStorageSOPInstanceUID: sr.SOPInstanceUID, TransferSyntaxUID: '1.2.840.10008.1.2.1' });
  const srDict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(srMeta));
  srDict.dict = DicomMetaDictionary.denaturalizeDataset(sr);
  const srFile = path.join(dir, 'report.dcm');
  fs.writeFileSync(srFile, Buffer.from(srDict.write()));
  files.push({ path: srFile, label: 'report', expectRejected: false });
  // Files as older tools write them, in a study of their own.
  OLD_TOOL_CASES.forEach((c, i) => {
    const file = path.join(dir, `${c.name}.dcm`);
    writeVariant(entry(loadManifest(), c.source).uploadedPath, file, (ds) => {
      Object.assign(ds, {
        PatientName: 'OLD^TOOLS',
        PatientID: 'OLD-1',
        StudyInstanceUID: OLD_STUDY,
        SeriesInstanceUID: `${OLD_STUDY}.${i + 1}`,
        SOPInstanceUID: `${OLD_STUDY}.${i + 1}.1`,
        SeriesNumber: i + 1,
        SeriesDescription: c.name,
      });
      c.change(ds);
    });
    files.push({ path: file, label: c.name, expectRejected: false });
  });
  stack = await startStack({ files });
});

const OLD_STUDY = '2.25.31415926535897932384626433832795028';

/** A copy of a Part 10 file with its dataset changed by `change` (the file meta follows the SOP UIDs). */
function writeVariant(source: string, target: string, change: (ds: Record<string, unknown>) => void): void {
  const b = fs.readFileSync(source);
  const parsed = DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
  const ds = DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
  change(ds);
  Object.assign(meta, { MediaStorageSOPClassUID: ds.SOPClassUID, MediaStorageSOPInstanceUID: ds.SOPInstanceUID });
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  fs.writeFileSync(target, Buffer.from(dict.write()));
}

/** Valid or broken the way files from older tools are; `expect` as in CASES. */
const OLD_TOOL_CASES: { name: string; source: string; change: (ds: Record<string, unknown>) => void; expect: RegExp | 'ready' }[] = [
  {
    // A valid secondary capture without the optional Modality (Type 3 in the SC Equipment Module) and without any
    // plane geometry: Cornerstone's provider threw on the missing Modality and the viewport stayed "Loading".
    name: 'sc-no-modality',
    source: 'explicit-le',
    change: (ds) => {
      ds.SOPClassUID = '1.2.840.10008.5.1.4.1.1.7';
      ds.ConversionType = 'WSD';
      for (const k of ['Modality', 'ImageOrientationPatient', 'ImagePositionPatient', 'PixelSpacing', 'FrameOfReferenceUID', 'SliceThickness', 'SliceLocation']) delete ds[k];
    },
    expect: 'ready',
  },
  { name: 'palette-ok', source: 'demo-palette', change: () => {}, expect: 'ready' },
  {
    name: 'palette-no-lut',
    source: 'demo-palette',
    change: (ds) => {
      for (const c of ['Red', 'Green', 'Blue']) delete ds[`${c}PaletteColorLookupTableData`];
    },
    expect: /Palette colour image without complete lookup table data \(no red table, no green table, no blue table\)/,
  },
  {
    name: 'palette-short-lut',
    source: 'demo-palette',
    change: (ds) => {
      const blue = (ds.BluePaletteColorLookupTableData as ArrayBuffer[])[0]!;
      ds.BluePaletteColorLookupTableData = [blue.slice(0, blue.byteLength / 2)];
    },
    expect: /Palette colour image without complete lookup table data \(blue table has 128 of 256 entries\)/,
  },
];


test.afterAll(async () => {
  await stack?.stop();
});

test('each broken instance fails in its own viewport with a reason; the good one shows', async ({ page, errors }) => {
  errors.ignore(/Failed to load resource|decode|Couldn't/i);
  await page.goto(`${stack.url}/viewer?StudyInstanceUIDs=${STUDY}`);
  await chooseLayout(page, '3x3');
  const names = Object.keys(CASES);
  for (const name of names) {
    const vp = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText(name, { exact: true }) });
    const expected = CASES[name]!.expect;
    if (expected === 'ready') {
      await expect(vp, name).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
      await drawnStats(vp);
    } else {
      // Series whose frame fails show the series overlay too; the message names the reason.
      const message = page
        .locator('[data-testid=viewport]')
        .filter({ has: page.getByTestId('overlay-series').getByText(name, { exact: true }) })
        .getByTestId('viewport-message');
      await expect(message, name).toContainText(expected, { timeout: 30_000 });
    }
  }
  // The report in the good series is left out and said so.
  await expect(page.getByTestId('series-panel')).toContainText('1 non-image object (report, document or state) not shown');
  // The deeply nested sequence is listed in the tag browser.
  const deep = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText('deep-sequence', { exact: true }) });
  await deep.click();
  await page.keyboard.press('t');
  const tags = page.getByTestId('tag-browser');
  await expect(tags.locator('tr[data-tag="00081140"]').first()).toBeVisible();
  // Sequences open on demand; all 30 levels at once with Expand all.
  await tags.getByRole('button', { name: 'Expand all' }).click();
  expect(await tags.locator('tr[data-tag="00081155"]').count()).toBe(31);
  await page.keyboard.press('Escape');
  await expect(tags).toBeHidden();
  // Unusable geometry leaves the image uncalibrated, not black.
  const geometry = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText('bad-geometry', { exact: true }) });
  await expect(geometry.getByTestId('overlay-zoom')).toHaveText('Zoom 100%');
  // The good viewport still responds.
  const good = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText('good', { exact: true }) });
  await good.click();
  await page.keyboard.press('i');
  await expect(good.getByText('Inverted')).toBeVisible();
  expect(errors.pageErrors).toEqual([]);
});

// Codestream-level damage Orthanc would refuse to store or serve as it is: written as a static tree and loaded
// through the same loader and decoders.
test.describe('broken codestreams', () => {
  const CS_STUDY = '2.25.55019283746501928374650192837465019';
  let server: StaticTreeServer;

  /** The pixel data of a native single-frame file, as stored. */
  const rawPixels = (file: string) => {
    const b = fs.readFileSync(file);
    const parsed = DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer) as { dict: Record<string, { Value: ArrayBuffer[] }> };
    return new Uint8Array(parsed.dict['7FE00010']!.Value[0]!);
  };

  /** Index of the first FF xx marker with xx in `codes`. */
  const marker = (b: Uint8Array, codes: number[]) => b.findIndex((v, i) => v === 0xff && codes.includes(b[i + 1]!));

  const CODESTREAM_CASES: {
    name: string;
    source: string;
    change: (f: Uint8Array, md: DicomJson) => Uint8Array;
    expect: RegExp | 'ready';
    ts?: string;
    /** The file's own pixel bytes, not the importer's (which turns YBR_FULL_422 into RGB). */
    raw?: boolean;
  }[] = [
    { name: 'control', source: 'explicit-le', change: (f) => f, expect: 'ready' },
    {
      // Not broken: native YBR_FULL_422 as a PACS sends it (2 bytes a pixel), which Orthanc refuses to serve.
      name: 'ybr-full-422-native',
      source: 'ybr422-native',
      raw: true,
      change: (f, md) => {
        md['00280004'] = { vr: 'CS', Value: ['YBR_FULL_422'] };
        return f;
      },
      expect: 'ready',
    },
    // The importer's RGB conversion of the same file, to compare the rendering with.
    { name: 'ybr-as-rgb', source: 'ybr422-native', change: (f) => f, expect: 'ready' },
    { name: 'native-truncated', source: 'explicit-le', change: (f) => f.slice(0, f.length >> 1), expect: /pixel data is truncated: 4096 of the 8192 bytes/ },
    {
      name: 'rows-too-many',
      source: 'explicit-le',
      change: (f, md) => ((md['00280010'] = { vr: 'US', Value: [128] }), f),
      expect: /pixel data is truncated: 8192 of the 16384 bytes a 64 × 128 frame/,
    },
    { name: 'jpeg-cut-short', source: 'jpeg-lossless-sv1', change: (f) => f.slice(0, Math.floor(f.length * 0.6)), expect: /JPEG codestream is cut short/ },
    {
      name: 'jpeg-ls-bad-sof',
      source: 'jpeg-ls-lossless',
      // Zero components in the frame header.
      change: (f) => {
        const c = f.slice();
        c[marker(c, [0xf7]) + 9] = 0;
        return c;
      },
      expect: /the JPEG-LS data could not be decoded \(.+\)/,
    },
    { name: 'j2k-cut-short', source: 'j2k-lossless', change: (f) => f.slice(0, Math.floor(f.length * 0.5)), expect: /JPEG 2000 codestream is cut short/ },
    {
      name: 'j2k-bad-siz',
      source: 'j2k-lossy',
      // Image width 0 in the SIZ segment.
      change: (f) => {
        const c = f.slice();
        c.fill(0, marker(c, [0x51]) + 6, marker(c, [0x51]) + 10);
        return c;
      },
      expect: /the JPEG 2000 data (could not be decoded \(.+\)|decode[sd] to .*)/,
    },
    {
      name: 'rle-bad-header',
      source: 'rle-mono16',
      change: (f) => {
        const c = f.slice();
        new DataView(c.buffer).setUint32(0, 7, true);
        return c;
      },
      expect: /RLE header lists 7 segments where a frame of this layout has 2/,
    },
    {
      name: 'deep-sequence-200',
      source: 'explicit-le',
      change: (f, md) => {
        let item: DicomJson = { '00081155': { vr: 'UI', Value: ['2.25.1'] } };
        for (let depth = 0; depth < 200; depth++) item = { '00081155': { vr: 'UI', Value: [`2.25.${depth + 2}`] }, '00081140': { vr: 'SQ', Value: [item] } };
        md['00081140'] = { vr: 'SQ', Value: [item] };
        return f;
      },
      expect: 'ready',
    },
    { name: 'mpeg4', source: 'explicit-le', change: (f) => f, ts: '1.2.840.10008.1.2.4.102', expect: /1\.2\.840\.10008\.1\.2\.4\.102 \(MPEG-4 video\) is not supported/ },
  ];

  test.beforeAll(async () => {
    const manifest = loadManifest();
    const series: StaticSeries[] = CODESTREAM_CASES.map((c, i) => {
      const src = parsePart10(new Uint8Array(fs.readFileSync(entry(manifest, c.source).uploadedPath)));
      const md = JSON.parse(JSON.stringify(src.metadata)) as DicomJson;
      const raw = c.raw ? rawPixels(entry(manifest, c.source).uploadedPath) : undefined;
      const frame = c.change(new Uint8Array(raw ?? src.frames[0]!), md);
      md['00280008'] = { vr: 'IS', Value: [1] };
      return {
        uid: `${CS_STUDY}.${i + 1}`,
        description: c.name,
        modality: 'OT',
        number: i + 1,
        instances: [{ metadata: { ...md, '00080018': { vr: 'UI', Value: [`${CS_STUDY}.${i + 1}.1`] } }, frames: [frame], transferSyntaxUID: c.ts ?? src.frameTransferSyntaxUID }],
      };
    });
    server = await serveStaticTree('codestreams', (dir) => writeStaticStudy(dir, { uid: CS_STUDY, patientName: 'BROKEN^CODESTREAMS', series }));
  });

  test.afterAll(async () => server?.stop());

  test('each broken frame fails in its own viewport with a reason; the control shows', async ({ page, errors }) => {
    errors.ignore(/Failed to load resource|decod|Couldn't|error/i);
    await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${CS_STUDY}`);
    await chooseLayout(page, '3x3');
    for (const [i, c] of CODESTREAM_CASES.entries()) {
      // Nine viewports: later cases are clicked into the last one.
      if (i >= 9) {
        await page.getByTestId('viewport').nth(8).click();
        await page.getByTestId('series-item').filter({ hasText: c.name }).click();
      }
      if (c.expect === 'ready') {
        const vp = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText(c.name, { exact: true }) });
        await expect(vp, c.name).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
        await drawnStats(vp);
        if (c.name === 'deep-sequence-200') {
          // 200 levels of nesting list in the tag browser.
          await vp.click();
          await page.keyboard.press('t');
          await page.getByTestId('tag-browser').getByRole('button', { name: 'Expand all' }).click();
          await expect(page.getByTestId('tag-browser').locator('tr[data-tag="00081155"]')).toHaveCount(201);
          await page.keyboard.press('Escape');
        }
      } else {
        const message = page
          .locator('[data-testid=viewport]')
          .filter({ has: page.getByTestId('overlay-series').getByText(c.name, { exact: true }) })
          .getByTestId('viewport-message');
        await expect(message, c.name).toContainText(c.expect, { timeout: 30_000 });
      }
    }
    // Native YBR_FULL_422 renders exactly like its RGB conversion.
    const shown = (name: string) => page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText(name, { exact: true }) });
    const box = (await shown('ybr-as-rgb').locator('canvas').first().boundingBox())!;
    let coloured = 0;
    for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.3], [0.7, 0.3], [0.3, 0.7], [0.7, 0.7]] as const) {
      const rgb = await canvasRgbAt(shown('ybr-as-rgb'), box.width * fx, box.height * fy);
      expect(await canvasRgbAt(shown('ybr-full-422-native'), box.width * fx, box.height * fy)).toEqual(rgb);
      if (Math.max(...rgb) - Math.min(...rgb) > 20) coloured++;
    }
    expect(coloured).toBeGreaterThan(0); // colours, not grey
    expect(errors.pageErrors).toEqual([]);
  });
});

test('files from older tools: an SC without Modality or geometry shows; a palette without its tables fails in its own viewport', async ({ page, errors }) => {
  // Cornerstone logs each failed load on the console; uncaught errors are what must not happen.
  errors.ignore(/Failed to load resource|Palette colour image without complete lookup table data/);
  await page.goto(`${stack.url}/viewer?StudyInstanceUIDs=${OLD_STUDY}&layout=2x2`);
  const viewport = (name: string) => page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText(name, { exact: true }) });
  for (const c of OLD_TOOL_CASES) {
    if (c.expect === 'ready') {
      await expect(viewport(c.name), c.name).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
      await drawnStats(viewport(c.name)); // pixels, not a blank field
    } else {
      await expect(viewport(c.name), c.name).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
      await expect(viewport(c.name).getByTestId('viewport-message'), c.name).toContainText(c.expect);
    }
  }
  // The complete palette is shown in colour (the broken ones did not stop it).
  const box = (await viewport('palette-ok').locator('canvas').first().boundingBox())!;
  let coloured = 0;
  for (const [fx, fy] of [[0.5, 0.5], [0.3, 0.3], [0.7, 0.3], [0.3, 0.7], [0.7, 0.7]] as const) {
    const rgb = await canvasRgbAt(viewport('palette-ok'), box.width * fx, box.height * fy);
    if (Math.max(...rgb) - Math.min(...rgb) > 20) coloured++;
  }
  expect(coloured).toBeGreaterThan(0);
  // The SC still responds to the reader.
  await viewport('sc-no-modality').click();
  await page.keyboard.press('i');
  await expect(viewport('sc-no-modality').getByText('Inverted')).toBeVisible();
  expect(errors.pageErrors).toEqual([]);
  errors.expectNone();
});

// Broken DICOM gets a clear message in its own viewport; the rest of the study keeps working.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { test, expect, entry, startStack, type Stack } from './harness/fixtures';
import { loadManifest } from './harness/run-info';
import { drawnStats } from './viewer-helpers';

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
  'no-pixels': { change: (ds) => void delete ds.PixelData, expect: /could not be shown/ },
  // Orthanc refuses every frame of an instance whose pixel data is shorter than NumberOfFrames says.
  'fewer-frames': { change: (ds) => Object.assign(ds, { NumberOfFrames: 3 }), expect: /could not be shown/ },
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
  const files = Object.entries(CASES).map(([name, c], i) => {
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
  stack = await startStack({ files });
});

test.afterAll(async () => {
  await stack?.stop();
});

test('each broken instance fails in its own viewport with a reason; the good one shows', async ({ page, errors }) => {
  errors.ignore(/Failed to load resource|decode|Couldn't/i);
  await page.goto(`${stack.url}/viewer?StudyInstanceUIDs=${STUDY}`);
  await page.getByTestId('layout-select').selectOption('2x3');
  const names = Object.keys(CASES);
  for (const name of names) {
    const vp = page.locator('[data-testid=viewport]').filter({ has: page.getByTestId('overlay-series').getByText(name, { exact: true }) });
    const expected = CASES[name]!.expect;
    if (expected === 'ready') {
      await expect(vp, name).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
      await drawnStats(vp);
    } else {
      // Series whose frame fails show the series overlay too; the message names the reason.
      const message = page.locator('[data-testid=viewport]').filter({ hasText: name }).getByTestId('viewport-message');
      await expect(message, name).toContainText(expected, { timeout: 30_000 });
    }
  }
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

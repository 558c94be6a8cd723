// Static DICOMweb trees (what `npm run import` writes and `npm start` serves for the demo): the same viewer
// reads them, with searching done in the browser. Also covers native YBR_FULL_422, which Orthanc cannot serve.
import { importFiles } from '../scripts/import/staticTree';
import { test, expect, entry } from './harness/fixtures';
import { loadManifest } from './harness/run-info';
import { serveStaticTree, type StaticTreeServer } from './harness/staticStudy';
import { canvasStats, drawnStats, imageNumber, probePixel, viewport } from './viewer-helpers';

const LABELS = ['ybr422-native', 'demo-palette', 'demo-multiframe', 'jpeg-ls-lossless'];

let server: StaticTreeServer;

test.beforeAll(async () => {
  const manifest = loadManifest();
  const files = LABELS.flatMap((l) => entry(manifest, l).instances.map((i) => i.uploadedPath));
  server = await serveStaticTree('static', (dir) => expect(importFiles(files, dir).skipped).toEqual([]));
});

test.afterAll(async () => server?.stop());

test('the worklist searches a static tree in the browser', async ({ page, errors }) => {
  await page.goto(server.url + '/');
  await expect(page.getByTestId('study-row')).toHaveCount(LABELS.length);
  await page.getByLabel('Patient name').fill('ts');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('study-row')).toHaveCount(2);
  await page.getByLabel('Modality').selectOption('XA');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByTestId('worklist-empty')).toBeVisible();
  errors.expectNone();
});

for (const label of ['ybr422-native', 'demo-palette']) {
  test(`${label} shows the reference colours from a static tree`, async ({ page, manifest, errors }) => {
    const e = entry(manifest, label);
    await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${e.studyInstanceUID}`);
    const vp = viewport(page, 0);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    for (const p of e.probes.filter((x) => x.frame === 0)) {
      const probe = await probePixel(page, vp, e.columns, e.rows, p.x, p.y);
      expect([probe.x, probe.y]).toEqual([p.x, p.y]);
      for (let i = 0; i < 3; i++) expect(Math.abs(probe.values[i]! - p.rgb![i]!), `RGB[${i}] at ${p.x},${p.y}`).toBeLessThanOrEqual(3);
    }
    errors.expectNone();
  });
}

test('a multi-frame instance scrolls frame by frame and plays as cine', async ({ page, manifest, errors }) => {
  const e = entry(manifest, 'demo-multiframe');
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${e.studyInstanceUID}`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  expect(await imageNumber(vp)).toEqual([1, e.frames]);
  await expect(vp).toContainText(`frame 1/${e.frames}`);
  const first = await drawnStats(vp);
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-image-index', String(e.frames - 1));
  await expect(vp).toHaveAttribute('data-status', 'ready');
  await expect.poll(async () => (await canvasStats(vp)).hash).not.toBe(first.hash);
  // Later frames have more contrast-filled (dark) vessel: the mean drops.
  expect((await canvasStats(vp)).mean).toBeLessThan(first.mean);

  await page.keyboard.press('c');
  await expect(vp.getByText('Cine', { exact: true })).toBeVisible();
  const seen = new Set<string>();
  for (let i = 0; i < 12; i++) {
    seen.add((await vp.getAttribute('data-image-index'))!);
    await page.waitForTimeout(150);
  }
  expect(seen.size).toBeGreaterThan(3);
  await page.keyboard.press('c');
  await expect(vp.getByText('Cine', { exact: true })).toBeHidden();
  errors.expectNone();
});

test('thumbnails render from real frames, also for a multi-frame series not yet shown', async ({ page, manifest, errors }) => {
  const studies = ['jpeg-ls-lossless', 'demo-multiframe'].map((l) => entry(manifest, l).studyInstanceUID);
  await page.goto(`${server.url}/viewer?${studies.map((s) => `StudyInstanceUIDs=${s}`).join('&')}`);
  const thumbs = page.getByTestId('thumbnail');
  await expect(thumbs).toHaveCount(2);
  for (let i = 0; i < 2; i++) {
    await expect
      .poll(() =>
        thumbs.nth(i).evaluate((c: HTMLCanvasElement) => {
          const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
          let lit = 0;
          for (let k = 0; k < d.length; k += 4) if (d[k]! + d[k + 1]! + d[k + 2]! > 60) lit++;
          return lit;
        }),
      )
      .toBeGreaterThan(200);
  }
  errors.expectNone();
});

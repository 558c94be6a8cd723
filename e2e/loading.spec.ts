// What the first image waits for, and what loads only after it (docs/architecture.md, "The build"): the JS before the first
// image stays within the budget, and dcmjs, MPR, export and the tag browser come later, when needed.
import type { Page } from '@playwright/test';
import { patchConfig, withDataSource } from './harness/config';
import { test, expect } from './harness/fixtures';
import { expectCtProbes, openStudy } from './viewer-helpers';

/**
 * 15% of OHIF 3.13.2's main bundle (17.4 MB minified) was the budget for JS before the first image (2.61 MB). The
 * translation layer every screen now needs before it renders (i18next, 51 kB, and the English strings, ~25 kB: issue
 * 25 puts language files in the first chunk), the icon toolbar, touch and the object kinds put it at ~2.72 MB: this
 * holds that figure, with a small margin, until the work in docs/architecture.md ("The build") brings it back under
 * 2.61 MB. Not the target, a guard against more growth.
 */
const TARGET_BYTES = 0.15 * 17.4e6;
const BUDGET_BYTES = 2.76e6;

interface Script {
  name: string;
  bytes: number;
  /** Bytes on the wire (the server sends the build's brotli copies). */
  encoded: number;
  /** Loaded before the first viewport showed an image. */
  before: boolean;
}

/** The page's scripts from Resource Timing, each placed before or after the moment a viewport first became ready. */
async function scripts(page: Page): Promise<Script[]> {
  return page.evaluate(() => {
    const firstImage = (window as unknown as { __firstReadyAt?: number }).__firstReadyAt ?? Infinity;
    return (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
      .filter((e) => /\.m?js(\?|$)/.test(e.name))
      .map((e) => ({
        name: new URL(e.name).pathname.split('/').pop()!,
        bytes: e.decodedBodySize,
        encoded: e.encodedBodySize,
        before: e.responseEnd < firstImage,
      }));
  });
}

test('the JS before the first image stays within its guard (target: 15% of OHIF’s bundle); dcmjs, MPR, export and tags load after it, when needed', async ({ page, manifest, errors }) => {
  // The moment a viewport first says it shows an image, on the page's own clock (Resource Timing's).
  await page.addInitScript(() => {
    const w = window as unknown as { __firstReadyAt?: number };
    new MutationObserver(() => {
      if (w.__firstReadyAt === undefined && document.querySelector('[data-testid=viewport][data-status=ready]')) w.__firstReadyAt = performance.now();
    }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-status'], childList: true });
  });
  const ct = manifest.ct!;
  await openStudy(page, [ct.studyInstanceUID]);

  const before = (await scripts(page)).filter((s) => s.before);
  const names = before.map((s) => s.name).join(' ');
  expect(names).toMatch(/(^| )index-.*ViewerPage-/);
  // A viewer link's page asks for the viewer's chunks from its head (modulepreload), before the app's entry runs.
  expect(names).toMatch(/(^| )preload-viewer-/);
  // Chunk names start a word: `lazyExportDialog` (the few bytes that load the dialog on demand) is not the dialog.
  expect(names).not.toMatch(/(^| )(dcmjs|MprView|ExportDialog|TagBrowser)/);
  const total = before.reduce((sum, s) => sum + s.bytes, 0);
  expect(total, `JS before the first image: ${names}`).toBeLessThanOrEqual(BUDGET_BYTES);
  test.info().annotations.push({ type: 'js-before-first-image', description: `${total} bytes (target ${TARGET_BYTES}, guard ${BUDGET_BYTES})` });
  expect(total).toBeGreaterThan(1e6); // Cornerstone itself: the measure is real.
  // On the wire it is brotli: what a slow link carries is about a quarter.
  const wire = before.reduce((sum, s) => sum + s.encoded, 0);
  expect(wire, 'JS bytes on the wire before the first image').toBeLessThan(total * 0.35);

  // dcmjs (Cornerstone's full DICOM dictionary) follows on its own, shortly after the image.
  await expect.poll(async () => (await scripts(page)).some((s) => /^dcmjs/.test(s.name) && !s.before), { timeout: 10_000 }).toBe(true);

  // The tag browser, export and MPR each load when opened, and work.
  await page.getByTestId('show-tags').click();
  await expect(page.getByTestId('tag-browser').locator('tr[data-tag="00100010"]')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByTestId('export').click();
  await expect(page.getByTestId('export-zip')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('export-dialog')).toHaveCount(0);
  await page.locator('[data-command="view.mpr"]').click();
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const later = (await scripts(page)).filter((s) => !s.before).map((s) => s.name).join(' ');
  for (const chunk of ['TagBrowser', 'ExportDialog', 'MprView']) expect(later).toContain(`${chunk}-`);
  errors.expectNone();
});

test('a part whose code cannot be loaded says so in its place, and the viewer keeps working', async ({ page, manifest }) => {
  // As when the connection drops, or the app was redeployed and the old chunks are gone.
  await page.route(/\/assets\/(MprView|ExportDialog)-[^/]*\.js$/, (route) => route.abort('connectionrefused'));
  const vp = await openStudy(page, [manifest.ct!.studyInstanceUID]);

  await page.locator('[data-command="view.mpr"]').click();
  const failed = page.getByTestId('deferred-error');
  await expect(failed).toContainText('The MPR view could not be shown:');
  await expect(failed).toContainText('reload the page');
  await page.getByTestId('viewport-grid').screenshot({ path: test.info().outputPath('mpr-not-loaded.png') });
  // The toolbar still works: back to the stack, which shows its image again.
  await page.locator('[data-command="view.mpr"]').click();
  await expect(failed).toHaveCount(0);
  await expect(vp).toHaveAttribute('data-status', 'ready');
  await expect(page.getByTestId('viewport')).toHaveCount(1);

  await page.getByTestId('export').click();
  await expect(failed).toContainText('The export dialog could not be shown:');
  await page.keyboard.press('Escape');
  await expect(failed).toHaveCount(0);
  // The tag browser, whose chunk is there, still opens.
  await page.getByTestId('show-tags').click();
  await expect(page.getByTestId('tag-browser').locator('tr[data-tag="00100010"]')).toBeVisible();
});

/** Frame requests and series retrievals (page and workers), by URL. */
function watchRequests(page: Page): { frames: string[]; series: { url: string; accept: string }[] } {
  const seen = { frames: [] as string[], series: [] as { url: string; accept: string }[] };
  page.context().on('request', (r) => {
    const url = r.url();
    if (/\/frames\/\d+$/.test(url)) seen.frames.push(url);
    else if (/\/studies\/[^/]+\/series\/[^/?]+$/.test(url)) seen.series.push({ url, accept: r.headers()['accept'] ?? '' });
  });
  return seen;
}

const seriesLoaded = (page: Page, total: number) =>
  expect(page.getByTestId('series-progress').first()).toHaveAttribute('data-loaded', String(total), { timeout: 60_000 });

test('bulk retrieval: after the first images, a 200-slice CT comes in one series request, with the right HU on every slice', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  await patchConfig(page, withDataSource('pacs', { bulkRetrieve: true }));
  const seen = watchRequests(page);
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await seriesLoaded(page, ct.slices);
  expect(seen.series).toHaveLength(1);
  expect(seen.series[0]!.url).toContain(ct.seriesInstanceUID);
  expect(seen.series[0]!.accept).toContain('application/dicom');
  // The visible image and its neighbours one by one (the first image does not wait for the stream), the rest not.
  expect(seen.frames.length).toBeGreaterThanOrEqual(1);
  expect(seen.frames.length).toBeLessThan(10);
  // Slices from the stream (the middle and the last) show the file's values, as the one fetched alone does.
  await expectCtProbes(page, vp, ct);
  errors.expectNone();
});

test('bulk retrieval in JPEG-LS: the series comes transcoded by the PACS and shows the same HU', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  await patchConfig(page, withDataSource('pacs', { bulkRetrieve: true, requestTransferSyntaxUID: '1.2.840.10008.1.2.4.80' }));
  const seen = watchRequests(page);
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await seriesLoaded(page, ct.slices);
  expect(seen.series).toHaveLength(1);
  expect(seen.series[0]!.accept).toContain('transfer-syntax=1.2.840.10008.1.2.4.80');
  expect(seen.frames.length).toBeLessThan(10);
  await expectCtProbes(page, vp, ct, ct.probes.filter((p) => p.slice > 0));
  errors.expectNone();
});

test('bulk retrieval that the server refuses: every frame is then asked for one by one, and all load', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  await patchConfig(page, withDataSource('pacs', { bulkRetrieve: true }));
  await page.route(/\/studies\/[^/]+\/series\/[^/?]+$/, (route) => route.fulfill({ status: 501, body: 'series retrieval not offered' }));
  errors.ignore(/Failed to load resource.*501/);
  const seen = watchRequests(page);
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await seriesLoaded(page, ct.slices);
  expect(seen.series).toHaveLength(1);
  expect(new Set(seen.frames).size).toBe(ct.slices);
  await expectCtProbes(page, vp, ct, ct.probes.filter((p) => p.slice === ct.slices - 1));
  errors.expectNone();
});

/** Every MPR plane's pixels once the volume is complete (software rendering is deterministic). */
async function mprPixels(page: Page, studyUID: string, seriesUID: string): Promise<string[]> {
  await page.goto(`/viewer?StudyInstanceUIDs=${studyUID}&SeriesInstanceUID=${seriesUID}&layout=mpr`);
  const view = page.getByTestId('mpr-view');
  await expect(view).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 60_000 });
  await page.waitForTimeout(500);
  return page.evaluate(() =>
    ['axial', 'sagittal', 'coronal'].map((plane) => {
      const c = document.querySelector<HTMLCanvasElement>(`[data-testid=mpr-${plane}] canvas`)!;
      const d = c.getContext('2d', { willReadFrequently: true })!.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      let h = 0;
      for (let i = 0; i < d.length; i += 4) {
        if (d[i]! > 30) lit++;
        h = (h * 31 + d[i]!) | 0;
      }
      return `${c.width}x${c.height} lit ${lit} hash ${h}`;
    }),
  );
}

test('bulk retrieval for MPR: the volume comes in one series request, with no frame fetched alone, and shows exactly what frame-by-frame loading shows', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const alone = await mprPixels(page, ct.studyInstanceUID, ct.seriesInstanceUID);
  await patchConfig(page, withDataSource('pacs', { bulkRetrieve: true }));
  const seen = watchRequests(page);
  const bulk = await mprPixels(page, ct.studyInstanceUID, ct.seriesInstanceUID);
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-loaded', String(ct.slices));
  expect(seen.series).toHaveLength(1);
  // Not one frame alone: a link straight to MPR does not hang (and load) the stack viewports first.
  expect(seen.frames).toEqual([]);
  for (const plane of alone) expect(Number(/lit (\d+)/.exec(plane)![1]), 'each plane shows the body').toBeGreaterThan(10_000);
  expect(bulk).toEqual(alone);
  errors.expectNone();
});

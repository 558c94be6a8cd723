// Bad networks, through a fault-injecting proxy between the viewer's server and the real Orthanc: retries with
// backoff, Retry-After, resets, a slow server, and a server that goes away mid-study and comes back.
import { test, expect, entry, startServe, type ServeHandle } from './harness/fixtures';
import { startFaultProxy, type FaultProxy } from './harness/faultProxy';
import { drawnStats, viewport } from './viewer-helpers';

let proxy: FaultProxy;
let server: ServeHandle;

test.beforeAll(async ({ orthancUrl }) => {
  proxy = await startFaultProxy(orthancUrl);
  server = await startServe({ pacs: `${proxy.url}/dicom-web` });
});
test.afterAll(async () => {
  await server?.stop();
  await proxy?.stop();
});
test.beforeEach(() => {
  proxy.clear();
  proxy.log.length = 0;
});

test('study searches survive 503s, a reset and a 429 with Retry-After', async ({ page, manifest, errors }) => {
  errors.ignore('Failed to load resource');
  proxy.add({ match: /^GET \/dicom-web\/studies\?/, action: { status: 503 }, times: 1 });
  proxy.add({ match: /^GET \/dicom-web\/studies\?/, action: { reset: true }, times: 1 });
  proxy.add({ match: /^GET \/dicom-web\/studies\?/, action: { status: 429, retryAfter: 1 }, times: 1 });
  const t0 = Date.now();
  await page.goto(server.url + '/');
  await expect(page.getByTestId('result-count')).toContainText(`of ${manifest.studyCount}`, { timeout: 30_000 });
  expect(Date.now() - t0).toBeGreaterThanOrEqual(1000); // the server asked for a 1 s pause
  expect(proxy.log.filter((l) => l.request.startsWith('GET /dicom-web/studies?')).map((l) => l.fault ?? 'ok')).toEqual([
    '503',
    'reset',
    '429',
    'ok',
  ]);
  errors.expectNone();
});

test('a 404 is not retried', async ({ page, errors }) => {
  errors.ignore('Failed to load resource');
  proxy.add({ match: /^GET \/dicom-web\/studies\?/, action: { status: 404 } });
  await page.goto(server.url + '/');
  await expect(page.getByTestId('worklist-error')).toContainText('answered 404');
  // The search went out once; the connection check that then runs by itself probes once more (limit=1).
  await expect(page.getByTestId('auto-check')).toHaveAttribute('data-state', 'done');
  const searches = proxy.log.filter((l) => l.request.startsWith('GET /dicom-web/studies?'));
  expect(searches.filter((l) => l.request.includes('includefield'))).toHaveLength(1);
  expect(searches.filter((l) => l.request.endsWith('?limit=1'))).toHaveLength(1);
  errors.expectNone();
});

test('frames and metadata are retried; a slow server shows progress; images arrive', async ({ page, manifest, errors }) => {
  errors.ignore('Failed to load resource');
  const ct = manifest.ct!;
  proxy.add({ match: /\/metadata$/, action: { status: 502 }, times: 1 });
  // Three 503s in all: even if one request draws every one of them, its fourth attempt (three retries) succeeds.
  // (More would make the test depend on how the parallel requests happen to share the failures.)
  proxy.add({ match: /\/frames\/1$/, action: { status: 503 }, times: 3 });
  proxy.add({ match: /\/frames\//, action: { delayMs: 150 } });
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}`);
  const vp = viewport(page, 0);
  await expect(vp.getByTestId('overlay-progress')).toBeVisible({ timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await drawnStats(vp, 5);
  expect(proxy.log.some((l) => l.fault === '503')).toBe(true);
  expect(proxy.log.some((l) => l.request.endsWith('/metadata') && !l.fault)).toBe(true);
  errors.expectNone();
});

test('a server that goes away mid-study gives a message, and the image loads once it is back', async ({ page, manifest, errors }) => {
  errors.ignore('Failed to load resource');
  const ct = manifest.ct!;
  // A slow link, so the far end of the series is not cached yet when the server goes away.
  proxy.add({ match: /\/frames\//, action: { delayMs: 400 } });
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // The PACS disappears: every frame request is refused at the network level.
  proxy.clear();
  proxy.add({ match: /\/frames\//, action: { reset: true } });
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  // The viewer's own server proxies the PACS, so a PACS that is gone reads as its 502.
  await expect(vp.getByTestId('viewport-message')).toContainText('502');
  // Back again: showing the image again fetches it.
  proxy.clear();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await drawnStats(vp);
  expect(errors.pageErrors).toEqual([]);
});

test('on a slow link the visible frame jumps the queue, and a series no longer shown stops loading', async ({ page, manifest, errors }) => {
  errors.ignore('Failed to load resource');
  const ct = manifest.ct!;
  const other = entry(manifest, 'explicit-le');
  // ~30 frames a second at six in parallel: loading all 200 slices in order would take about 7 s.
  proxy.add({ match: /\/frames\//, action: { delayMs: 200 } });
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&StudyInstanceUIDs=${other.studyInstanceUID}&layout=1x1`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-series-uid', ct.seriesInstanceUID, { timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const bar = page.locator(`[data-testid=series-item][data-series-uid="${ct.seriesInstanceUID}"]`).getByTestId('series-progress');
  // Jump to the last slice: it is fetched ahead of the prefetch queue, long before the series is complete.
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-image-index', String(ct.slices - 1));
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 10_000 });
  const doneWhenShown = Number(await bar.getAttribute('data-done'));
  expect(doneWhenShown).toBeLessThan(ct.slices * 0.6);
  // Another series into the viewport: the CT's remaining prefetch is dropped, only requests already sent finish.
  const ctFrames = () => proxy.log.filter((l) => l.request.includes(`/series/${ct.seriesInstanceUID}/`) && l.request.includes('/frames/')).length;
  await page.locator(`[data-testid=series-item][data-series-uid="${other.seriesInstanceUID}"]`).click();
  await expect(vp).toHaveAttribute('data-series-uid', other.seriesInstanceUID);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const atSwitch = ctFrames();
  await page.waitForTimeout(2000); // in order, ~60 more CT frames would have been requested by now
  expect(ctFrames() - atSwitch).toBeLessThanOrEqual(12);
  expect(ctFrames()).toBeLessThan(ct.slices * 0.8);
  test.info().annotations.push({
    type: 'priority',
    description: `last slice shown with ${doneWhenShown} of ${ct.slices} loaded; ${ctFrames() - atSwitch} CT frames requested after the switch, ${ctFrames()} in all`,
  });
  expect(errors.pageErrors).toEqual([]);
});

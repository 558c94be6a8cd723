// The stack viewer (C-MOVE/C-GET): opening studies, real pixels, interaction, layouts, deep links and errors.
import type { Locator } from '@playwright/test';
import { test, expect, entry } from './harness/fixtures';
import { canvasStats, chooseLayout, drawnStats, expectCtProbes, imageNumber, openStudy, probePixel, viewport, windowLevel } from './viewer-helpers';

test('opens a study from the worklist and shows the CT with correct HU values', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const study = manifest.studies.find((s) => s.studyInstanceUID === ct.studyInstanceUID)!;
  await page.goto('/');
  await page.getByLabel('Patient name').fill(study.patientName);
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('study-row').first().click();
  await expect(page).toHaveURL(new RegExp(`/viewer\\?StudyInstanceUIDs=${ct.studyInstanceUID.replace(/\./g, '\\.')}`));
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // The chest CT hangs by its protocol: soft tissue beside lung. One viewport, fitted, for the pixel checks.
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'ct-chest');
  await expect(viewport(page, 1).getByTestId('overlay-wl')).toHaveText('W 1500 L -600');
  await chooseLayout(page, '1x1');
  await vp.click();
  await page.keyboard.press('=');
  await drawnStats(vp, 5);
  expect(await imageNumber(vp)).toEqual([1, ct.slices]);
  await expect(page.getByTestId('patient-banner')).toContainText(study.patientId);

  // HU under the mouse equals the value computed from the source file, on several slices.
  await expectCtProbes(page, vp, ct);
  errors.expectNone();
});

test('scrolling changes the image and the pixels; W/L drag and presets change the window and pixels', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  const box = (await vp.boundingBox())!;
  const before = await drawnStats(vp);

  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.wheel(0, 100);
  await expect(vp).toHaveAttribute('data-image-index', '1');
  await page.keyboard.press('ArrowDown');
  await expect(vp).toHaveAttribute('data-image-index', '2');
  await expect(vp).toHaveAttribute('data-status', 'ready');
  expect(await imageNumber(vp)).toEqual([3, ct.slices]);
  await expect.poll(async () => (await canvasStats(vp)).hash).not.toBe(before.hash);
  await page.keyboard.press('End');
  await expect(vp).toHaveAttribute('data-image-index', String(ct.slices - 1));
  await page.keyboard.press('Home');
  await expect(vp).toHaveAttribute('data-image-index', '0');
  await expect(vp).toHaveAttribute('data-status', 'ready');

  const wl0 = await windowLevel(vp);
  const px0 = await canvasStats(vp);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 120, box.y + box.height / 2 + 60, { steps: 6 });
  await page.mouse.up();
  await expect.poll(async () => (await windowLevel(vp)).width).not.toBe(wl0.width);
  const wl1 = await windowLevel(vp);
  expect(wl1.center).not.toBe(wl0.center);
  await expect.poll(async () => (await canvasStats(vp)).hash).not.toBe(px0.hash);

  // The overlay follows the VOI event at once; the canvas is drawn on the next animation frame.
  const dragged = await canvasStats(vp);
  await page.keyboard.press('2');
  await expect.poll(() => windowLevel(vp)).toEqual({ width: 1500, center: -600 });
  await expect.poll(async () => (await canvasStats(vp)).hash).not.toBe(dragged.hash);
  const lung = await canvasStats(vp);
  await page.keyboard.press('4'); // bone (3 is liver since the keys follow OHIF's convention)
  await expect.poll(() => windowLevel(vp)).toEqual({ width: 2500, center: 480 });
  await expect.poll(async () => Math.abs((await canvasStats(vp)).mean - lung.mean)).toBeGreaterThan(1);
  // The next image keeps the reader's window, on screen and in the overlay (Cornerstone's CPU pipeline reported
  // each new image's own default while it drew with the reader's).
  const bone = await canvasStats(vp);
  await page.keyboard.press('ArrowDown');
  await expect(vp).toHaveAttribute('data-image-index', '1');
  await expect.poll(async () => (await canvasStats(vp)).hash).not.toBe(bone.hash);
  await page.waitForTimeout(300); // the overlay follows the draw
  expect(await windowLevel(vp)).toEqual({ width: 2500, center: 480 });
  expect(Math.abs((await canvasStats(vp)).mean - bone.mean)).toBeLessThan(5);
  await page.keyboard.press('i');
  await expect(vp.getByText('Inverted')).toBeVisible();
  errors.expectNone();
});

test('orientation markers follow ImageOrientationPatient and rotate with the image', async ({ page, manifest, errors }) => {
  const vp = await openStudy(page, [manifest.ct!.studyInstanceUID]);
  const labels = async () => ({
    top: await vp.getByTestId('orient-top').innerText(),
    left: await vp.getByTestId('orient-left').innerText(),
    right: await vp.getByTestId('orient-right').innerText(),
    bottom: await vp.getByTestId('orient-bottom').innerText(),
  });
  expect(await labels()).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
  await page.keyboard.press('r');
  await expect.poll(labels).toEqual({ top: 'R', bottom: 'L', left: 'P', right: 'A' });
  await page.keyboard.press('h');
  await expect.poll(labels).toEqual({ top: 'R', bottom: 'L', left: 'A', right: 'P' });
  await page.keyboard.press(' ');
  await expect.poll(labels).toEqual({ top: 'A', bottom: 'P', left: 'R', right: 'L' });
  errors.expectNone();
});

test('in narrow viewports the corner text stays clear of the orientation markers', async ({ page, manifest, errors }) => {
  // The chest CT hangs soft tissue beside lung; in a small window its series description is wider than half a pane.
  await page.setViewportSize({ width: 1000, height: 700 });
  await page.goto(`/viewer?StudyInstanceUIDs=${manifest.ct!.studyInstanceUID}`);
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'ct-chest');
  for (const i of [0, 1]) {
    const vp = viewport(page, i);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    const pane = (await vp.boundingBox())!;
    const top = (await vp.getByTestId('orient-top').boundingBox())!;
    const cut = (l: Locator) => l.evaluate((e) => e.scrollWidth > e.clientWidth);
    // The description, level with the "A", is cut short (its full text stays in the DOM) and ends right of it.
    const series = vp.getByTestId('overlay-series');
    expect(await cut(series)).toBe(true);
    const text = (await series.boundingBox())!;
    expect(text.x).toBeGreaterThan(top.x + top.width);
    expect(text.x + text.width).toBeLessThanOrEqual(pane.x + pane.width);
    const name = (await vp.getByTestId('overlay-patient').locator('div').first().boundingBox())!;
    expect(name.x + name.width).toBeLessThan(top.x);
    // The lines below the marker's height and the bottom corners' values are never cut.
    for (const line of [
      vp.locator('.overlay.top-right > div').nth(1),
      ...[1, 2].map((n) => vp.getByTestId('overlay-patient').locator('div').nth(n)),
      vp.getByTestId('overlay-image'),
      vp.getByTestId('overlay-wl'),
      vp.getByTestId('overlay-zoom'),
    ]) {
      await expect(line).toHaveText(/\S/);
      expect(await cut(line)).toBe(false);
    }
  }
  await page.getByTestId('viewport-grid').screenshot({ path: test.info().outputPath('narrow-overlays.png') });
  errors.expectNone();
});

test('2x2 layout shows four series, each with real pixels; series can be placed by click and drag', async ({ page, manifest, errors }) => {
  const labels = ['explicit-le', 'jpeg-baseline-ybr', 'rle-mono16', 'deflate'];
  // Orthanc answers 500 to deflate frames as stored; the viewer then asks for explicit VR LE (logged by Chromium).
  errors.ignore(/Failed to load resource.*500/);
  const studies = labels.map((l) => entry(manifest, l));
  await openStudy(page, studies.map((s) => s.studyInstanceUID));
  await chooseLayout(page, '2x2');
  await expect(page.getByTestId('viewport')).toHaveCount(4);
  const shown = new Set<string>();
  for (let i = 0; i < 4; i++) {
    const vp = viewport(page, i);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await drawnStats(vp);
    shown.add((await vp.getAttribute('data-series-uid'))!);
  }
  expect(shown).toEqual(new Set(studies.map((s) => s.seriesInstanceUID)));

  // Thumbnails are rendered from real frames.
  const thumbs = page.getByTestId('thumbnail');
  await expect(thumbs).toHaveCount(4);
  await expect
    .poll(() =>
      thumbs.first().evaluate((c: HTMLCanvasElement) => {
        const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
        let lit = 0;
        for (let i = 0; i < d.length; i += 4) if (d[i]! + d[i + 1]! + d[i + 2]! > 30) lit++;
        return lit;
      }),
    )
    .toBeGreaterThan(100);

  // Drag the deflate series into viewport 1; click the RLE series to put it in the active viewport.
  const deflate = page.locator(`[data-testid=series-item][data-series-uid="${studies[3]!.seriesInstanceUID}"]`);
  await deflate.dragTo(viewport(page, 1));
  await expect(viewport(page, 1)).toHaveAttribute('data-series-uid', studies[3]!.seriesInstanceUID);
  await expect(viewport(page, 1)).toHaveAttribute('data-status', 'ready');
  await viewport(page, 0).click();
  await page.locator(`[data-testid=series-item][data-series-uid="${studies[2]!.seriesInstanceUID}"]`).click();
  await expect(viewport(page, 0)).toHaveAttribute('data-series-uid', studies[2]!.seriesInstanceUID);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready');
  errors.expectNone();
});

test('a cold deep link with SeriesInstanceUID opens that series first', async ({ browser, baseURL, manifest }) => {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const e = entry(manifest, 'corrupt-good');
  await page.goto(`/viewer?StudyInstanceUIDs=${e.studyInstanceUID}&SeriesInstanceUID=${e.seriesInstanceUID}`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-series-uid', e.seriesInstanceUID);
  await drawnStats(vp);
  await context.close();
});

test('a frame that cannot be decoded shows an error in its own viewport; the rest keeps working', async ({ page, manifest, errors }) => {
  // The decoder's own complaint is logged by Cornerstone; what matters is that nothing is left uncaught.
  errors.ignore(/JPEG-LS|decodeTask|decode/i);
  const bad = entry(manifest, 'corrupt-bad');
  const good = entry(manifest, 'corrupt-good');
  await page.goto(`/viewer?StudyInstanceUIDs=${bad.studyInstanceUID}&SeriesInstanceUID=${bad.seriesInstanceUID}`);
  await chooseLayout(page, '1x2');
  const broken = viewport(page, 0);
  await expect(broken).toHaveAttribute('data-status', 'error', { timeout: 30_000 });
  await expect(broken.getByTestId('viewport-message')).toContainText('could not be shown');
  const ok = viewport(page, 1);
  await expect(ok).toHaveAttribute('data-series-uid', good.seriesInstanceUID);
  await expect(ok).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const p = good.probes[0]!;
  const probe = await probePixel(page, ok, good.columns, good.rows, p.x, p.y);
  expect(probe.values[0]).toBeCloseTo(p.modality!, 1);
  // Still responsive: a preset applies to the good viewport.
  await ok.click();
  await page.keyboard.press('5'); // brain
  await expect.poll(() => windowLevel(ok)).toEqual({ width: 80, center: 40 });
  expect(errors.pageErrors).toEqual([]);
});

test('the tag browser lists the current image attributes as text', async ({ page, manifest, errors }) => {
  const e = entry(manifest, 'explicit-le');
  await openStudy(page, [e.studyInstanceUID]);
  await page.keyboard.press('t');
  const browser = page.getByTestId('tag-browser');
  await expect(browser).toBeVisible();
  await expect(browser.locator('tr[data-tag="00100010"]')).toContainText(e.patientName);
  await expect(browser.locator('tr[data-tag="00080018"]')).toContainText(e.sopInstanceUID);
  await browser.getByLabel('Filter tags').fill('0028,0010');
  await expect(browser.locator('tbody tr')).toHaveCount(1);
  await expect(browser.locator('tbody tr')).toContainText(String(e.rows));
  await page.keyboard.press('Escape');
  await expect(browser).toBeHidden();
  errors.expectNone();
});

test('the tag browser shows another series of the study from its series picker', async ({ page, manifest, errors }) => {
  // The series panel's thumbnail of the broken series fails to decode, and Cornerstone logs it.
  errors.ignore(/JPEG-LS|decodeTask|decode/i);
  const good = entry(manifest, 'corrupt-good');
  const bad = entry(manifest, 'corrupt-bad');
  expect(bad.studyInstanceUID).toBe(good.studyInstanceUID);
  await openStudy(page, [good.studyInstanceUID], `&SeriesInstanceUID=${good.seriesInstanceUID}`);
  await page.keyboard.press('t');
  const browser = page.getByTestId('tag-browser');
  const sop = browser.locator('tr[data-tag="00080018"] td.tag-value');
  await expect(sop).toHaveText(good.sopInstanceUID);
  // Picking the other series lists its instance.
  const picker = browser.getByLabel('Series');
  await expect(picker.locator('option')).toHaveCount(2);
  await expect(picker.locator('option:checked')).toContainText(good.seriesDescription);
  await picker.selectOption(bad.seriesInstanceUID);
  await expect(picker.locator('option:checked')).toContainText(bad.seriesDescription);
  await expect(sop).toHaveText(bad.sopInstanceUID);
  await expect(browser.locator('tr[data-tag="0020000E"] td.tag-value')).toHaveText(bad.seriesInstanceUID);
  errors.expectNone();
});

test('the tag browser moves through the series and finds a tag by keyword', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await vp.click();
  await page.keyboard.press('End');
  await expect.poll(() => imageNumber(vp)).toEqual([ct.slices, ct.slices]);
  await page.keyboard.press('t');
  const browser = page.getByTestId('tag-browser');
  const value = (tag: string) => browser.locator(`tr[data-tag="${tag}"] td.tag-value`).first();
  // It opens on the image the viewport shows; the SOP class is named from the UID registry.
  await expect(browser.getByLabel('Image number')).toHaveValue(String(ct.slices));
  await expect(value('00080016')).toHaveText('1.2.840.10008.5.1.4.1.1.2 = CT Image Storage');
  const instanceAt = async (image: number) => {
    await expect(browser.getByRole('heading')).toHaveText(`DICOM tags — image ${image} of ${ct.slices}`);
    const n = Number(await value('00200013').innerText());
    // The SOP instance shown is the one with that InstanceNumber (the manifest lists them in that order).
    await expect(value('00080018')).toHaveText(ct.sopInstanceUIDs[n - 1]!);
    return n;
  };
  const last = await instanceAt(ct.slices);
  // Image 101 by the number field, then the first by the slider: other instances, in the viewer's order.
  await browser.getByLabel('Image number').fill('101');
  const n101 = await instanceAt(101);
  expect(Math.abs(n101 - last)).toBe(ct.slices - 101);
  await browser.getByLabel('Image', { exact: true }).focus();
  await page.keyboard.press('Home');
  expect(Math.abs((await instanceAt(1)) - last)).toBe(ct.slices - 1);
  // A search by keyword finds the tag (spaces or not).
  for (const search of ['InstanceNumber', 'instance number']) {
    await browser.getByLabel('Filter tags').fill(search);
    await expect(browser.locator('tbody tr')).toHaveCount(1);
    await expect(browser.locator('tbody tr')).toHaveAttribute('data-tag', '00200013');
  }
  errors.expectNone();
});

test('the tag browser names the transfer syntax, opens nested sequences and marks private tags', async ({ page, manifest, errors }) => {
  // A local file keeps its File Meta Information (Orthanc's metadata has no 0002 group): pydicom's CT_small, with a
  // sequence of two items and GE private blocks.
  const e = entry(manifest, 'ct-hu');
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles(e.uploadedPath);
  await page.getByTestId('study-row').filter({ hasText: e.patientId }).click();
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.keyboard.press('t');
  const browser = page.getByTestId('tag-browser');
  await expect(browser.locator('tr[data-tag="00020010"] td.tag-value')).toHaveText('1.2.840.10008.1.2.1 = Explicit VR Little Endian');
  // Other Patient IDs Sequence starts closed; opening it shows its two items and what they hold.
  const sequence = browser.locator('tr[data-path="00101002"]');
  await expect(sequence).toContainText('(2 items)');
  await expect(browser.locator('tr[data-path^="00101002/"]')).toHaveCount(0);
  await sequence.getByRole('button', { name: 'Expand OtherPatientIDsSequence' }).click();
  await expect(browser.locator('tr.tag-item[data-path^="00101002/"]')).toHaveText(['Item 1 of 2', 'Item 2 of 2']);
  await expect(browser.locator('tr[data-path="00101002/0/00100020"] td.tag-value')).not.toBeEmpty();
  await sequence.getByRole('button', { name: 'Collapse OtherPatientIDsSequence' }).click();
  await expect(browser.locator('tr[data-path^="00101002/"]')).toHaveCount(0);
  // Private blocks: the creator and the elements it reserved, marked.
  await expect(browser.locator('tr[data-tag="00090010"]')).toHaveAttribute('data-private', 'creator');
  const element = browser.locator('tr[data-tag="00091001"]');
  await expect(element).toHaveAttribute('data-private', 'element');
  await expect(element.locator('td').nth(2)).toHaveText('private GEMS_IDEN_01');
  await page.screenshot({ path: test.info().outputPath('tag-browser.png') });
  errors.expectNone();
});

test('stacks draw on the pipeline config.json asks for (auto: the CPU under the tests’ software WebGL)', async ({ page, manifest, stackRendering, errors }) => {
  const vp = await openStudy(page, [manifest.ct!.studyInstanceUID]);
  await expect(vp.locator('[data-rendering]')).toHaveAttribute('data-rendering', stackRendering === 'gpu' ? 'gpu' : 'cpu');
  // Either way the pixels are there.
  expect((await drawnStats(vp, 5)).std).toBeGreaterThan(5);
  errors.expectNone();
});

test('a deep link to an unknown study says so', async ({ page, errors }) => {
  errors.ignore('Failed to load resource');
  await page.goto('/viewer?StudyInstanceUIDs=1.2.3.4.5.6.7.8.9');
  await expect(page.getByTestId('study-error')).toContainText('1.2.3.4.5.6.7.8.9');
  errors.expectNone();
});

// Reading ergonomics: W/L presets by number key (OHIF's convention, the site's per modality, the reader's own),
// rebindable keys and the help, side panels that fold away, one viewport alone, and the layout picker.
import { test, expect } from './harness/fixtures';
import { patchConfig } from './harness/config';
import { canvasStats, chooseLayout, drawnStats, openStudy, viewport, windowLevel } from './viewer-helpers';

test("number keys give OHIF's presets; the reader's own preset 6 is kept in the browser; a site's presets replace 1–5", async ({ page, context, manifest, errors }) => {
  const ct = manifest.ct!;
  const study = manifest.studies.find((s) => s.studyInstanceUID === ct.studyInstanceUID)!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await vp.click();
  const seen = new Set<number>();
  for (const [key, width, center] of [
    ['1', 400, 40],
    ['2', 1500, -600],
    ['3', 150, 90],
    ['4', 2500, 480],
    ['5', 80, 40],
  ] as const) {
    await page.keyboard.press(key);
    await expect.poll(() => windowLevel(vp)).toEqual({ width, center });
    // Each window draws differently (the canvas follows the overlay on the next frame).
    await expect.poll(async () => seen.has((await canvasStats(vp)).hash)).toBe(false);
    seen.add((await canvasStats(vp)).hash);
  }

  // A window of the reader's own, saved as preset 6 under a name they type.
  const box = (await vp.boundingBox())!;
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width / 2 + 90, box.y + box.height / 2 - 40, { steps: 5 });
  await page.mouse.up();
  await expect.poll(async () => (await windowLevel(vp)).width).not.toBe(80);
  const mine = await windowLevel(vp);
  await page.getByTestId('preset-select').selectOption({ label: 'Save this window as preset 6…' });
  await page.getByRole('dialog').getByRole('textbox').fill('My mediastinum');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('preset-select').locator('option', { hasText: 'My mediastinum' })).toHaveText(
    `6 My mediastinum (W ${mine.width} L ${mine.center})`,
  );
  await page.keyboard.press('2');
  await expect.poll(() => windowLevel(vp)).toEqual({ width: 1500, center: -600 });
  await page.keyboard.press('0'); // the image's own window
  await expect.poll(async () => (await windowLevel(vp)).width).not.toBe(1500);

  await page.reload();
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.click();
  await page.keyboard.press('6');
  await expect.poll(() => windowLevel(vp)).toEqual(mine);
  // What the browser keeps: numbers and the reader's words, nothing about the patient.
  const stored = await page.evaluate(() => JSON.stringify(Object.entries(localStorage)));
  expect(stored).toContain('My mediastinum');
  for (const phi of [study.patientName, study.patientId, ct.studyInstanceUID]) expect(stored).not.toContain(phi);

  // A site that sets its own CT presets: key 1 is theirs, key 2 (not listed) does nothing, 6 is still the reader's.
  await patchConfig(context, (c) => ({ ...c, windowPresets: { CT: [{ label: 'Site soft', center: 60, width: 360 }] } }));
  await page.reload();
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.click();
  await page.keyboard.press('1');
  await expect.poll(() => windowLevel(vp)).toEqual({ width: 360, center: 60 });
  await page.keyboard.press('2');
  await page.waitForTimeout(200);
  expect(await windowLevel(vp)).toEqual({ width: 360, center: 60 });
  await page.keyboard.press('6');
  await expect.poll(() => windowLevel(vp)).toEqual(mine);
  errors.expectNone();
});

test('a key rebound in the settings survives a reload, the old key no longer works, a conflict is refused; the help fits', async ({ page, manifest, errors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const vp = await openStudy(page, [manifest.ct!.studyInstanceUID]);
  // In the "more measurement tools" menu: a radio item, checked while it is the tool.
  const cobb = page.getByTestId('toolbar').locator('[data-command="tool.CobbAngle"]');
  await page.keyboard.press('j');
  await expect(cobb).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('w');

  await page.getByTestId('show-settings').click();
  const settings = page.getByTestId('settings-dialog');
  const row = settings.locator('.settings-row[data-command="tool.CobbAngle"]');
  await row.getByRole('button', { name: /Change the key/ }).click();
  await page.keyboard.press('d');
  await expect(settings.getByTestId('settings-message')).toHaveText('d is already the key of “Length tool”. Give that command another key first.');
  await expect(row.getByTestId('binding')).toHaveText('j');
  await page.keyboard.press('F2');
  await expect(row.getByTestId('binding')).toHaveText('F2');
  await settings.screenshot({ path: test.info().outputPath('settings.png') });
  await page.keyboard.press('Escape');
  await expect(settings).toBeHidden();

  await page.reload();
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.keyboard.press('j');
  await expect(page.locator('[data-command="tool.windowLevel"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(cobb).toHaveAttribute('aria-checked', 'false');
  await page.keyboard.press('F2');
  await expect(cobb).toHaveAttribute('aria-checked', 'true');
  await expect(cobb).toHaveAttribute('title', /\(F2\)$/);

  // The help shows the reader's key, grouped by task, all of it on a 1280×800 screen.
  await page.keyboard.press('?');
  const help = page.getByTestId('help-dialog');
  await expect(help.locator('[data-command="tool.CobbAngle"] kbd')).toHaveText('F2');
  await expect(help.locator('.help-group h3')).toHaveText(['Navigate', 'Window', 'View', 'Measure', 'Layout and screen', 'Compare and sync', 'Dialogs', 'Mouse']);
  await expect(help.locator('[data-command="preset.3"] dd')).toHaveText('W/L Liver (W 150 L 90)');
  const fit = await help.evaluate((d) => {
    const r = d.getBoundingClientRect();
    const body = d.querySelector('.help-groups')!;
    return { top: r.top, bottom: r.bottom, right: r.right, scroll: body.scrollHeight - body.clientHeight };
  });
  expect(fit.top).toBeGreaterThanOrEqual(0);
  expect(fit.bottom).toBeLessThanOrEqual(800);
  expect(fit.right).toBeLessThanOrEqual(1280);
  expect(fit.scroll).toBeLessThanOrEqual(1);
  await page.screenshot({ path: test.info().outputPath('help-1280x800.png') });

  // Reset to defaults from the help's "Change keys…": j is Cobb's again.
  await help.getByTestId('help-change-keys').click();
  await page.getByTestId('reset-keys').click();
  await expect(page.getByTestId('settings-dialog').locator('.settings-row[data-command="tool.CobbAngle"]').getByTestId('binding')).toHaveText('j');
  await page.keyboard.press('Escape');
  await page.keyboard.press('w');
  await page.keyboard.press('j');
  await expect(cobb).toHaveAttribute('aria-checked', 'true');
  errors.expectNone();
});

test('side panels fold away and stay folded; a double-click shows one viewport alone and back, with navigation tools only', async ({ page, manifest, errors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const ct = manifest.ct!;
  // The chest protocol: the CT in two windows side by side.
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}`);
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  await expect(left).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(right).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const narrow = (await left.boundingBox())!.width;

  await page.getByTestId('toggle-series').click();
  await page.keyboard.press(']'); // the measurements panel, by its key
  await expect(page.getByTestId('panel-series')).toHaveAttribute('data-collapsed', 'true');
  await expect(page.locator('.series-panel')).toBeHidden();
  await expect(page.locator('.measurement-panel')).toBeHidden();
  // About half of the two panels' 500 px comes to each viewport, and the image is drawn at that size.
  await expect.poll(async () => (await left.boundingBox())!.width - narrow).toBeGreaterThan(200);
  await expect.poll(async () => (await canvasStats(left)).width).toBeGreaterThan(narrow + 150);
  await drawnStats(left);

  await page.reload();
  await expect(right).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.locator('.series-panel')).toBeHidden();
  await expect(page.getByTestId('toggle-series')).toHaveAttribute('aria-expanded', 'false');

  // Double-click (W/L tool): the right viewport alone in the whole grid, its image drawn there; again: back.
  const gridBox = (await page.getByTestId('viewport-grid').boundingBox())!;
  await right.dblclick();
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x1');
  await expect(left).toBeHidden();
  await expect.poll(async () => (await right.boundingBox())!.width).toBeGreaterThan(gridBox.width - 10);
  await expect.poll(async () => (await canvasStats(right)).width).toBeGreaterThan(gridBox.width * 0.9);
  await drawnStats(right);
  await page.screenshot({ path: test.info().outputPath('maximized.png') });
  await right.dblclick();
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x2');
  await expect(left).toBeVisible();
  await drawnStats(left);

  // With a measuring tool, double-clicks belong to the tool: the layout stays.
  await page.keyboard.press('e');
  await right.dblclick();
  await page.waitForTimeout(300);
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x2');
  await page.getByTestId('toggle-series').click();
  await expect(page.locator('.series-panel')).toBeVisible();
  errors.expectNone();
});

test('the layout picker previews rows × columns; a larger layout takes the protocol’s other views, then says why a pane is empty', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}`);
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'ct-chest');
  await chooseLayout(page, '1x1');
  await expect(viewport(page, 0).getByTestId('overlay-wl')).toHaveText('W 400 L 40');

  await page.getByTestId('layout-button').click();
  const picker = page.getByTestId('layout-picker');
  await picker.locator('[data-layout="2x3"]').hover();
  await expect(picker.getByTestId('layout-caption')).toHaveText('2 × 3');
  await expect(picker.locator('.layout-cell.lit')).toHaveCount(6);
  await expect(picker.locator('[data-protocol-id="ct-chest"]')).toHaveAttribute('aria-pressed', 'true');
  await expect(picker.locator('[data-layout="mpr3d"]')).toHaveText('MPR + 3D (2×2)');
  await picker.screenshot({ path: test.info().outputPath('layout-picker.png') });
  await picker.locator('[data-layout="2x2"]').click();

  // The chest protocol shows the CT in two windows: the second pane gets the lung window, drawn differently.
  const [a, b, c, d] = [viewport(page, 0), viewport(page, 1), viewport(page, 2), viewport(page, 3)];
  await expect(b).toHaveAttribute('data-series-uid', ct.seriesInstanceUID);
  await expect(b.getByTestId('overlay-wl')).toHaveText('W 1500 L -600');
  const soft = await drawnStats(a);
  const lung = await drawnStats(b);
  expect(Math.abs(soft.mean - lung.mean)).toBeGreaterThan(3);
  // Nothing is left to show: the empty panes say so.
  for (const empty of [c, d]) {
    await expect(empty.getByTestId('viewport-message')).toHaveText(
      'The only image series of this study is shown already: this pane is empty. Drag a series here to show it again, or choose a smaller layout.',
    );
  }
  await page.screenshot({ path: test.info().outputPath('layout-2x2.png') });
  errors.expectNone();
});

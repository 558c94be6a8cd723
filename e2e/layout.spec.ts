// Screens of every size: the toolbar on a 1280-pixel screen (one row, with labels 40 % longer, menus from the
// keyboard), a shared link on a 390×844 phone (one viewport drawn, the series sheet, the reduced toolbar) and the
// study list on a phone (no sideways page scroll; the table scrolls in its own box).
import { devices, type Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import { drawnStats, openStudy, viewport } from './viewer-helpers';

/** Rows the toolbar's controls take (their distinct vertical middles, within 8 px). */
async function toolbarRows(page: Page): Promise<number> {
  const tops = await page.getByTestId('toolbar').evaluate((bar) =>
    Array.from(bar.querySelectorAll<HTMLElement>('button, select, input'))
      .filter((el) => el.getClientRects().length > 0 && !el.closest('[role="menu"]'))
      .map((el) => {
        const r = el.getBoundingClientRect();
        return r.top + r.height / 2;
      }),
  );
  const rows: number[] = [];
  for (const t of tops.sort((a, b) => a - b)) if (!rows.some((r) => Math.abs(r - t) < 8)) rows.push(t);
  return rows.length;
}

test('the toolbar keeps to one row at 1280 px, with labels 40 % longer too; its menus work from the keyboard', async ({ page, manifest, errors }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  const vp = await openStudy(page, [manifest.ct!.studyInstanceUID]);
  await drawnStats(vp);
  const bar = page.getByTestId('toolbar');
  expect(await toolbarRows(page)).toBe(1);
  // Every control has a name and a tooltip (icons only: the name is what a screen reader says).
  const unnamed = await bar.locator('button').evaluateAll((els) =>
    els.filter((b) => !(b.getAttribute('aria-label') || b.textContent?.trim()) || !b.getAttribute('title')).map((b) => b.outerHTML.slice(0, 80)),
  );
  expect(unnamed).toEqual([]);

  // Every word the toolbar shows, its names and tooltips 40 % longer (as a translation may make them): still one row.
  await bar.evaluate((root) => {
    const longer = (s: string) => s + 'x'.repeat(Math.ceil(s.trim().length * 0.4));
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) if (n.textContent?.trim()) n.textContent = longer(n.textContent);
    for (const el of root.querySelectorAll('[aria-label], [title]')) {
      for (const a of ['aria-label', 'title']) {
        const v = el.getAttribute(a);
        if (v) el.setAttribute(a, longer(v));
      }
    }
  });
  expect(await toolbarRows(page)).toBe(1);
  await page.reload();
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });

  // A menu from the keyboard: ↓ opens it on its first item, ↓ moves, Escape closes it back on its button, Enter runs.
  const orient = page.getByTestId('orient-menu');
  const menu = page.locator(`[id="${await orient.getAttribute('aria-controls')}"]`);
  await orient.focus();
  await page.keyboard.press('ArrowDown');
  await expect(orient).toHaveAttribute('aria-expanded', 'true');
  await expect(menu.getByRole('menuitem').first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem').nth(1)).toBeFocused();
  // The viewer's ↓ (next image) did not run while the menu had the keyboard.
  await expect(vp).toHaveAttribute('data-image-index', '0');
  await page.keyboard.press('Escape');
  await expect(menu).toBeHidden();
  await expect(orient).toHaveAttribute('aria-expanded', 'false');
  await expect(orient).toBeFocused();
  // Enter on "Rotate 90° right": the orientation marker at the top changes (A → R for an axial image).
  const top = vp.getByTestId('orient-top');
  const before = await top.textContent();
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowDown');
  await expect(menu.getByRole('menuitem', { name: 'Rotate 90° right' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(menu).toBeHidden();
  await expect(top).not.toHaveText(before!);
  await expect(orient).toBeFocused();
  // The keyboard focus is visible: a 2 px outline.
  expect(await orient.evaluate((el) => getComputedStyle(el).outlineWidth)).toBe('2px');
  errors.expectNone();
});

const phone = { ...devices['Pixel 5'], viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 };
delete (phone as { defaultBrowserType?: string }).defaultBrowserType;

test.describe('on a phone (390×844, touch)', () => {
  test.use(phone);

  test('a shared link opens usable: one viewport drawn, the series sheet, the common tools', async ({ page, manifest, errors }) => {
    // Two studies (the CT and the MR brain) by a link, as a referring doctor gets one: three series to choose from.
    const mr = manifest.entries.find((e) => e.label === 'demo-mr')!;
    await page.goto(`/viewer?StudyInstanceUIDs=${manifest.ct!.studyInstanceUID}&StudyInstanceUIDs=${mr.studyInstanceUID}`);
    const vp = viewport(page, 0);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await drawnStats(vp);
    // One viewport, filling the width; no sideways scrolling.
    await expect(page.getByTestId('viewport').filter({ visible: true })).toHaveCount(1);
    const box = (await vp.boundingBox())!;
    expect(box.width).toBeGreaterThan(370);
    expect(box.height).toBeGreaterThan(500);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    // The toolbar: one row of the common tools (the series, the navigation tools) and one menu for the rest.
    const bar = page.getByTestId('toolbar');
    expect(await bar.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await toolbarRows(page)).toBe(1);
    await expect(page.getByTestId('measurement-panel')).toHaveCount(0);
    await page.screenshot({ path: test.info().outputPath('phone-viewer.png') });

    // The series sheet: its button opens it over the image; choosing a series shows it and closes the sheet.
    const sheet = page.getByTestId('series-sheet');
    await expect(sheet).toBeHidden();
    await page.getByTestId('series-sheet-button').tap();
    await expect(sheet).toBeVisible();
    await expect(page.getByTestId('series-sheet-button')).toHaveAttribute('aria-expanded', 'true');
    const shown = await vp.getAttribute('data-series-uid');
    const other = sheet.locator(`[data-testid=series-item][data-series-uid="${mr.seriesInstanceUID}"]`);
    expect(shown).not.toBe(mr.seriesInstanceUID);
    await page.screenshot({ path: test.info().outputPath('phone-sheet.png') });
    await other.tap();
    await expect(sheet).toBeHidden();
    await expect(vp).not.toHaveAttribute('data-series-uid', shown!);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await drawnStats(vp);
    // The button closes it too.
    await page.getByTestId('series-sheet-button').tap();
    await expect(sheet).toBeVisible();
    await page.getByTestId('series-sheet-button').tap();
    await expect(sheet).toBeHidden();

    // The rest of the tools in one menu: invert from it changes the image.
    const before = (await drawnStats(vp)).mean;
    await page.getByTestId('more-tools').tap();
    await page.getByRole('menuitem', { name: 'Invert' }).tap();
    await expect.poll(async () => Math.abs((await drawnStats(vp, 0)).mean - before)).toBeGreaterThan(20);
    errors.expectNone();
  });

  test('the study list fits the phone: no sideways page scroll, the table scrolls in its own box', async ({ page, manifest, errors }) => {
    await page.goto('/');
    await expect(page.getByTestId('study-row').first()).toBeVisible({ timeout: 30_000 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    const scroller = page.locator('.table-scroll');
    expect(await scroller.evaluate((el) => el.scrollWidth > el.clientWidth)).toBe(true);
    await expect(page.getByLabel('Quick search')).toBeInViewport();
    await page.screenshot({ path: test.info().outputPath('phone-study-list.png') });
    // A row opens the viewer.
    const ct = manifest.ct!;
    await page.getByLabel('Quick search').fill(manifest.studies.find((s) => s.studyInstanceUID === ct.studyInstanceUID)!.patientId);
    await page.getByRole('button', { name: 'Search' }).tap();
    await page.getByTestId('study-row').first().getByRole('link').first().tap();
    await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    errors.expectNone();
  });
});

// Accessibility, checked by axe-core in the real page (WCAG 2 A/AA rules): the study list, the viewer, a dialog and
// the MPR view, in every language of the UI (the browser's language chooses it), with no serious or critical
// violation. Minor and moderate ones are printed, not failed.
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import { drawnStats, openStudy } from './viewer-helpers';

/** The languages the UI ships; each is checked as the browser's language. */
const LANGUAGES = ['en', 'ar'];

async function expectAccessible(page: Page, what: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  const describe = (v: (typeof result.violations)[number]) =>
    `${v.impact} ${v.id}: ${v.help}\n${v.nodes
      .slice(0, 5)
      .map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join('; ')}`)
      .join('\n')}`;
  const others = result.violations.filter((v) => v.impact !== 'serious' && v.impact !== 'critical');
  if (others.length) console.log(`[axe] ${what}: ${others.length} minor/moderate\n${others.map(describe).join('\n')}`);
  const serious = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map(describe), `${what}: serious or critical axe violations`).toEqual([]);
}

for (const lang of LANGUAGES) {
  test.describe(`in ${lang}`, () => {
    test.use({ locale: lang });

    test('the study list: a table with headers, no serious accessibility problem', async ({ page, errors }) => {
      await page.goto('/');
      await expect(page.getByTestId('study-row').first()).toBeVisible({ timeout: 30_000 });
      // The language really is the one checked (Arabic: the page right to left).
      await expect(page.locator('html')).toHaveAttribute('lang', lang);
      await expect(page.locator('html')).toHaveAttribute('dir', lang === 'ar' ? 'rtl' : 'ltr');
      // The study list is a table with column headers; each row's series opened.
      await expect(page.getByRole('table').getByRole('columnheader')).not.toHaveCount(0);
      await page.getByTestId('expand-study').first().click();
      await expect(page.getByTestId('series-list')).toBeVisible();
      await expect(page.getByRole('main')).toHaveCount(1);
      await expectAccessible(page, `${lang} study list`);
      errors.expectNone();
    });

    test('the viewer and its dialogs: landmarks, focus kept in dialogs and given back, no serious problem', async ({ page, manifest, errors }) => {
      test.setTimeout(90_000);
      const ct = manifest.ct!;
      const vp = await openStudy(page, [ct.studyInstanceUID]);
      await drawnStats(vp);
      await expect(page.getByRole('banner')).toHaveCount(1);
      await expect(page.getByRole('main')).toHaveCount(1);
      await expect(page.getByRole('toolbar')).toHaveCount(1);
      await expect(page.getByRole('complementary')).not.toHaveCount(0);
      await expectAccessible(page, `${lang} viewer`);

      // A dialog: it takes the focus, keeps Tab inside, closes on Escape and gives the focus back to its button.
      const help = page.getByTestId('show-help');
      await help.focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog');
      await expect(dialog).toBeVisible();
      await expect(dialog).toHaveAttribute('aria-modal', 'true');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      for (let i = 0; i < 6; i++) {
        await page.keyboard.press('Tab');
        expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      }
      await page.keyboard.press('Shift+Tab');
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      await expectAccessible(page, `${lang} help dialog`);
      await page.keyboard.press('Escape');
      await expect(dialog).toBeHidden();
      await expect(help).toBeFocused();
      // The settings too (a dialog with controls in lists).
      await page.getByTestId('show-settings').click();
      await expect(page.getByTestId('settings-dialog')).toBeVisible();
      await expectAccessible(page, `${lang} settings dialog`);
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('show-settings')).toBeFocused();
      errors.expectNone();
    });

    test('the MPR view has no serious accessibility problem', async ({ page, manifest, errors }) => {
      const ct = manifest.ct!;
      await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&layout=mpr`);
      await expect(page.getByTestId('mpr-axial')).toHaveAttribute('data-right', /\d/, { timeout: 60_000 });
      await expectAccessible(page, `${lang} MPR`);
      errors.expectNone();
    });
  });
}

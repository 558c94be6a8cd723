// Priors: the patient's other studies listed by date, opened beside the current one, and "compare with prior"
// choosing the most relevant one.
import { test, expect } from './harness/fixtures';
import { ALL_STUDIES, CURRENT, deleteStudies, PRIOR_ABDOMEN, PRIOR_CHEST, PRIOR_MR, uploadStudies } from './priors-helpers';
import { viewport } from './viewer-helpers';

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ orthancUrl }) => {
  test.setTimeout(120_000);
  await uploadStudies(orthancUrl, ALL_STUDIES);
});
test.afterAll(async ({ orthancUrl }) => deleteStudies(orthancUrl, ALL_STUDIES));

const iso = (d: string) => `${d.slice(0, 4)}-${d.slice(4, 6)}-${d.slice(6)}`;

test('the patient’s other studies are listed newest first, and compare with prior picks the same modality and body part', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const items = page.getByTestId('prior-item');
  await expect(items).toHaveCount(3);
  expect(await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-study-uid')))).toEqual([PRIOR_MR.uid, PRIOR_CHEST.uid, PRIOR_ABDOMEN.uid]);
  await expect(items.nth(0)).toContainText(iso(PRIOR_MR.date));
  await expect(items.nth(0)).toContainText('MR');
  await expect(items.nth(1)).toContainText('CT chest');

  // The newest prior is an MR, the next a CT of the abdomen: the CT chest of 2023 is the one to compare with.
  await page.keyboard.press('x');
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x2');
  const right = viewport(page, 1);
  await expect(right).toHaveAttribute('data-series-uid', `${PRIOR_CHEST.uid}.1`, { timeout: 30_000 });
  await expect(right).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(viewport(page, 0)).toHaveAttribute('data-series-uid', `${CURRENT.uid}.1`);
  await expect(viewport(page, 0).getByTestId('viewport-study-label')).toHaveText(`Current ${iso(CURRENT.date)}`);
  await expect(right.getByTestId('viewport-study-label')).toHaveText(`Prior ${iso(PRIOR_CHEST.date)}`);
  // The opened prior leaves the list and joins the open studies.
  await expect(items).toHaveCount(2);
  await expect(page.getByTestId('open-study')).toHaveCount(2);
  await page.screenshot({ path: test.info().outputPath('compare.png') });
  errors.expectNone();
});

test('a link with several studies opens the first as current and the others as priors; a prior opens from the list', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&StudyInstanceUIDs=${PRIOR_ABDOMEN.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const open = page.getByTestId('open-study');
  await expect(open).toHaveCount(2);
  await expect(open.nth(0)).toContainText('Current');
  await expect(open.nth(1)).toContainText(`Prior ${iso(PRIOR_ABDOMEN.date)}`);
  await expect(page.getByTestId('prior-item')).toHaveCount(2);
  await page.getByTestId('prior-item').filter({ hasText: 'MR brain' }).click();
  await expect(open).toHaveCount(3);
  await expect(open.nth(2).getByTestId('series-item')).toHaveCount(1);
  errors.expectNone();
});

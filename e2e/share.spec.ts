// Share links: the view (layout, series, image, window per viewport) as a link with no patient data, opened again
// read-only by default.
import { test, expect } from './harness/fixtures';
import { chooseLayout, openStudy, viewport } from './viewer-helpers';

test('a share link restores layout, image and window, holds no patient data, and opens read-only by default', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const study = manifest.studies.find((s) => s.studyInstanceUID === ct.studyInstanceUID)!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await chooseLayout(page, '1x2');
  await vp.click();
  await vp.getByTestId('stack-scrollbar').fill('100');
  await expect(vp).toHaveAttribute('data-image-index', '100');
  await page.keyboard.press('4'); // bone window
  await expect(vp.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');

  await page.getByTestId('share').click();
  const url = await page.getByTestId('share-url').inputValue();
  const link = new URL(url);
  expect(link.pathname).toBe('/viewer');
  expect(link.searchParams.get('layout')).toBe('1x2');
  expect(link.searchParams.getAll('vp')[0]).toBe(`${ct.seriesInstanceUID},101,480,2500`);
  expect(link.searchParams.get('readonly')).toBe('1');
  // Identifiers and numbers only: no name, patient ID or birth date.
  for (const phi of [study.patientName, study.patientId, ...study.patientName.split('^')].filter((x) => x.length > 2)) {
    expect(decodeURIComponent(url)).not.toContain(phi);
  }
  await page.getByTestId('share-editable').check();
  await expect(page.getByTestId('share-url')).not.toHaveValue(/readonly/);
  await page.getByTestId('share-editable').uncheck();
  await page.getByTestId('share-dialog').screenshot({ path: test.info().outputPath('share.png') });
  await page.keyboard.press('Escape');

  // A colleague opens it: the same view, without the tools that edit.
  const other = await page.context().newPage();
  await other.goto(url);
  const theirs = viewport(other, 0);
  await expect(theirs).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(theirs).toHaveAttribute('data-image-index', '100');
  await expect(theirs.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');
  await expect(other.getByTestId('layout-button')).toHaveAttribute('data-value', '1x2');
  await expect(other.getByTestId('measure-tools')).toHaveCount(0);
  await other.close();

  // A link naming a series the study does not have: that viewport is filled as usual instead.
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&layout=1x1&vp=1.2.3.999,5`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  errors.expectNone();
});

test('a link whose study or series UID is not a DICOM UID is refused with a message, and nothing is requested with it', async ({ page, errors }) => {
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  const links = [
    'StudyInstanceUIDs=..',
    'StudyInstanceUIDs=%2e%2e',
    'StudyInstanceUIDs=a/b',
    'StudyInstanceUIDs=1.2%2F..%2F..%2Fseries',
    `StudyInstanceUIDs=${'1.'.repeat(40)}1`,
    'StudyInstanceUIDs=1.2.3&SeriesInstanceUID=..',
  ];
  for (const query of links) {
    await page.goto(`/viewer?${query}`);
    const message = page.getByTestId('invalid-link');
    await expect(message, query).toContainText('This link is not valid');
    await expect(message, query).toContainText('not a DICOM UID');
    await expect(message.getByRole('link', { name: 'Back to the study list' })).toBeVisible();
  }
  // An empty one names no study, and says that.
  await page.goto('/viewer?StudyInstanceUIDs=');
  await expect(page.getByRole('alert')).toContainText('This link names no study');

  const paths = requests.map((u) => new URL(u).pathname);
  expect(paths.filter((p) => /\/series|\/studies\/|\.\.|%2e/i.test(p))).toEqual([]);
  expect(requests.some((u) => u.endsWith('/config.json'))).toBe(true); // the app did start
  errors.expectNone();
});

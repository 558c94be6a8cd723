// Synchronized comparison: scroll sync by position within a frame of reference, a current and a prior linked at
// an offset (the same anatomy on both sides, checked on a dense dot at a known slice), W/L and zoom sync.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import { DOT_SLICE } from './mpr-helpers';
import { deleteStudies, sagittalFiles, studyFiles, uploadFiles, type PriorStudy } from './priors-helpers';
import { chooseLayout, probePixel, toolbarCommand, viewport } from './viewer-helpers';

const patient = { name: 'SYNC^PATIENT', id: 'SYNC-1' };
const CURRENT: PriorStudy = { uid: '2.25.89001', date: '20240301', modality: 'CT', bodyPart: 'CHEST', description: 'CT chest', shiftMm: 0, patient };
// The prior was scanned with the table elsewhere (+40 mm) and starts 6 slices higher: its image i shows the anatomy
// of the current study's image i + 6.
const PRIOR: PriorStudy = { uid: '2.25.89002', date: '20230301', modality: 'CT', bodyPart: 'CHEST', description: 'CT chest', shiftMm: 40, patient };
const SKIP = 6;
// Images run in slice order here (the volume's normal points along +z): slice k is image k.
const DOT_IMAGE = DOT_SLICE;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ orthancUrl }) => {
  test.setTimeout(120_000);
  await uploadFiles(orthancUrl, [
    ...studyFiles(CURRENT, 1, () => true, 'CHEST axial 2.5 mm'),
    // Same frame of reference, every other slice: 5 mm.
    ...studyFiles(CURRENT, 2, (k) => k % 2 === 0, 'CHEST axial 5 mm'),
    ...studyFiles(PRIOR, 1, (k) => k >= SKIP, 'CHEST axial 2.5 mm'),
    ...sagittalFiles(CURRENT, 3),
  ]);
});
test.afterAll(async ({ orthancUrl }) => deleteStudies(orthancUrl, [CURRENT, PRIOR]));

/** Ready, and fitted to its (new) size, so that image pixels map to known screen points. */
async function ready(vp: Locator) {
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.click();
  await vp.page().keyboard.press('=');
  await expect(vp.getByTestId('overlay-zoom')).toHaveText('Zoom 100%');
}

/** The dense dot (3000 HU) of slice DOT_SLICE at pixels (32, 60) and (33, 60) of a 96² image. */
async function dotValue(page: Page, vp: Locator): Promise<number> {
  return (await probePixel(page, vp, 96, 96, 32, 60)).values[0]!;
}

// Links naming a series hang it in the first viewport and the others after it (no hanging protocol).
test('series in one frame of reference scroll together by position', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&SeriesInstanceUID=${CURRENT.uid}.1`);
  await chooseLayout(page, '1x2');
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  await ready(left);
  await ready(right);
  await expect(right).toHaveAttribute('data-series-uid', `${CURRENT.uid}.2`);
  await expect(page.locator('[data-command="sync.scroll"]')).toHaveAttribute('aria-checked', 'true');
  await left.click();
  await left.getByTestId('stack-scrollbar').fill(String(DOT_IMAGE));
  // 2.5 mm slices on the left, 5 mm (the even slices) on the right: slice 10 is the right's image 5.
  await expect(right).toHaveAttribute('data-image-index', String(DOT_SLICE / 2));
  expect(await dotValue(page, left)).toBe(3000);
  expect(await dotValue(page, right)).toBe(3000);
  // And back the other way: the right's image 20 is slice 40.
  await right.getByTestId('stack-scrollbar').fill('20');
  await expect(left).toHaveAttribute('data-image-index', '40');
  // Off: the other side stays.
  await toolbarCommand(page, 'sync.scroll');
  await left.getByTestId('stack-scrollbar').fill('2');
  await page.waitForTimeout(500);
  await expect(right).toHaveAttribute('data-image-index', '20');
  errors.expectNone();
});

test('a prior in another frame of reference scrolls with the current once linked, at the offset the user set', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&StudyInstanceUIDs=${PRIOR.uid}`);
  await chooseLayout(page, '1x2');
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  await ready(left);
  // Put the prior's series on the right.
  await right.click();
  await page.getByTestId('open-study').nth(1).getByTestId('series-item').click();
  await expect(right).toHaveAttribute('data-series-uid', `${PRIOR.uid}.1`);
  await ready(right);
  // Not linked: different frames of reference do not follow each other.
  await left.getByTestId('stack-scrollbar').fill('30');
  await page.waitForTimeout(500);
  await expect(right).toHaveAttribute('data-image-index', '0');
  // The reader brings the same anatomy up on both sides (prior image 24 = current image 30), then links.
  await right.getByTestId('stack-scrollbar').fill(String(30 - SKIP));
  await left.click();
  await page.keyboard.press('n');
  await expect(page.locator('[data-command="sync.link"]')).toHaveAttribute('aria-checked', 'true');
  // Now the dot's slice on the left brings the dot up on the right.
  await left.getByTestId('stack-scrollbar').fill(String(DOT_IMAGE));
  await expect(right).toHaveAttribute('data-image-index', String(DOT_IMAGE - SKIP));
  expect(await dotValue(page, left)).toBe(3000);
  expect(await dotValue(page, right)).toBe(3000);
  await page.screenshot({ path: test.info().outputPath('linked.png') });

  // Shift held while scrolling one side changes the offset instead of moving the other.
  await right.click();
  await page.keyboard.down('Shift');
  await right.getByTestId('stack-scrollbar').fill(String(DOT_IMAGE - SKIP + 2));
  await page.keyboard.up('Shift');
  await expect(left).toHaveAttribute('data-image-index', String(DOT_IMAGE));
  await left.getByTestId('stack-scrollbar').fill(String(DOT_IMAGE + 4));
  await expect(right).toHaveAttribute('data-image-index', String(DOT_IMAGE - SKIP + 6));
  errors.expectNone();
});

test('W/L and zoom follow the active viewport when their sync is on', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&SeriesInstanceUID=${CURRENT.uid}.1`);
  await chooseLayout(page, '1x2');
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  await ready(left);
  await ready(right);
  await left.click();
  await page.keyboard.press('2'); // lung window on the left only
  await expect(left.getByTestId('overlay-wl')).toHaveText('W 1500 L -600');
  await expect(right.getByTestId('overlay-wl')).toHaveText('W 400 L 40');
  await toolbarCommand(page, 'sync.windowLevel');
  await page.keyboard.press('4'); // bone
  await expect(left.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');
  await expect(right.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');
  await toolbarCommand(page, 'sync.zoomPan');
  await left.click();
  await page.keyboard.press('+');
  await expect(left.getByTestId('overlay-zoom')).toHaveText('Zoom 125%');
  await expect(right.getByTestId('overlay-zoom')).toHaveText('Zoom 125%');
  errors.expectNone();
});

test('with reference lines on, measurements still draw', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}`);
  await chooseLayout(page, '1x2');
  const left = viewport(page, 0);
  await ready(left);
  await toolbarCommand(page, 'sync.referenceLines');
  await expect(page.locator('[data-command="sync.referenceLines"]')).toHaveAttribute('aria-checked', 'true');
  await page.keyboard.press('d');
  const box = (await left.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.5);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('measurement')).toHaveCount(1);
  errors.expectNone();
});

test('reference lines: the axial image’s plane crosses the sagittal where that slice lies, and follows it', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&SeriesInstanceUID=${CURRENT.uid}.1&layout=1x2`);
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  await ready(left);
  await right.click();
  await page.getByTestId('series-item').filter({ hasText: 'Sagittal' }).click();
  await expect(right).toHaveAttribute('data-series-uid', `${CURRENT.uid}.3`);
  await ready(right);
  await left.click();
  await toolbarCommand(page, 'sync.referenceLines');
  // The line is horizontal on the sagittal image, at the row of the axial slice (rows run down 2.5 mm each).
  const line = async () => {
    const l = right.locator('svg.svg-layer line').first();
    await l.waitFor({ state: 'attached' }); // a horizontal line has no height: "visible" does not apply
    const [y1, y2] = await Promise.all([l.getAttribute('y1'), l.getAttribute('y2')]);
    expect(Math.abs(Number(y1) - Number(y2))).toBeLessThan(1);
    return Number(y1);
  };
  await left.getByTestId('stack-scrollbar').fill('30');
  await expect(left).toHaveAttribute('data-image-index', '30');
  // The index is set before image 30 is drawn, and the line follows the drawn image: read it once it has settled
  // (the same value twice, 300 ms apart). Read at once, it was sometimes still where an earlier image had put it.
  await expect(left).toHaveAttribute('data-status', 'ready');
  let settled = NaN;
  await expect
    .poll(async () => {
      const before = await line();
      await page.waitForTimeout(300);
      settled = await line();
      return settled === before;
    })
    .toBe(true);
  const at30 = settled;
  await left.getByTestId('stack-scrollbar').fill('10');
  await expect(left).toHaveAttribute('data-image-index', '10');
  // 20 slices = 50 mm; the 192 mm wide sagittal image fills the viewport's width. The line is redrawn when the
  // axial viewport's new image renders: wait for it to settle rather than for its first move.
  const width = (await right.locator('canvas').first().boundingBox())!.width;
  await expect.poll(line).toBeGreaterThan(at30 + 50 * (width / 192) * 0.9);
  const at10 = await line();
  expect(at10 - at30).toBeGreaterThan(50 * (width / 192) * 0.9);
  expect(at10 - at30).toBeLessThan(50 * (width / 192) * 1.1);
  await page.screenshot({ path: test.info().outputPath('reference-lines.png') });
  errors.expectNone();
});

test('compare with prior links the two sides centre on centre', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CURRENT.uid}&SeriesInstanceUID=${CURRENT.uid}.1`);
  const left = viewport(page, 0);
  await ready(left);
  await expect(page.getByTestId('prior-item')).toHaveCount(1);
  await page.keyboard.press('x');
  const right = viewport(page, 1);
  await expect(right).toHaveAttribute('data-series-uid', `${PRIOR.uid}.1`, { timeout: 30_000 });
  await ready(right);
  await expect(page.locator('[data-command="sync.link"]')).toHaveAttribute('aria-checked', 'true');
  // Centres: the current's image 24 (of 48) and the prior's image 21 (of 42).
  await left.getByTestId('stack-scrollbar').fill('24');
  await expect(right).toHaveAttribute('data-image-index', '21');
  await left.getByTestId('stack-scrollbar').fill('30');
  await expect(right).toHaveAttribute('data-image-index', '27');
  errors.expectNone();
});

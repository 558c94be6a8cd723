// Hanging protocols: a CT chest hangs soft tissue beside lung, an MR brain its T1/T2/FLAIR, anything else the
// default; the reader can switch, and the choice is remembered for the modality.
import { test, expect } from './harness/fixtures';
import { deleteStudies, studyFiles, uploadFiles, type PriorStudy } from './priors-helpers';
import { chooseProtocol, viewport } from './viewer-helpers';

const patient = { name: 'PROTOCOL^PATIENT', id: 'HP-1' };
const CHEST: PriorStudy = { uid: '2.25.90001', date: '20240401', modality: 'CT', bodyPart: 'CHEST', description: 'CT thorax', shiftMm: 0, patient };
const BRAIN: PriorStudy = { uid: '2.25.90002', date: '20240402', modality: 'MR', bodyPart: 'HEAD', description: 'MR brain', shiftMm: 0, patient };
const OTHER: PriorStudy = { uid: '2.25.90003', date: '20240403', modality: 'NM', bodyPart: '', description: 'Bone scan', shiftMm: 0, patient };
const BRAIN2: PriorStudy = { ...BRAIN, uid: '2.25.90004', date: '20240405' };

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ orthancUrl }) => {
  test.setTimeout(180_000);
  const some = (k: number) => k % 4 === 0;
  await uploadFiles(orthancUrl, [
    ...studyFiles(CHEST, 1, some, 'Topogram'),
    ...studyFiles(CHEST, 2, () => true, 'Thorax 2.5 mm'),
    // MR series in the order a scanner writes them: localizer, FLAIR, T2, T1.
    ...studyFiles(BRAIN, 1, some, 'Localizer'),
    ...studyFiles(BRAIN, 2, some, 'AX FLAIR'),
    ...studyFiles(BRAIN, 3, some, 'AX T2 TSE'),
    ...studyFiles(BRAIN, 4, some, 'AX T1 SE'),
    ...studyFiles(BRAIN2, 1, some, 'AX FLAIR'),
    ...studyFiles(BRAIN2, 2, some, 'AX T2 TSE'),
    ...studyFiles(BRAIN2, 3, some, 'AX T1 SE'),
    ...studyFiles(OTHER, 1, some, 'Whole body'),
  ]);
});
test.afterAll(async ({ orthancUrl }) => deleteStudies(orthancUrl, [CHEST, BRAIN, OTHER, BRAIN2]));

test('a CT chest hangs the axial series twice, soft tissue beside lung', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CHEST.uid}`);
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x2');
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  for (const vp of [left, right]) {
    await expect(vp).toHaveAttribute('data-series-uid', `${CHEST.uid}.2`);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  }
  await expect(left.getByTestId('overlay-wl')).toHaveText('W 400 L 40');
  await expect(right.getByTestId('overlay-wl')).toHaveText('W 1500 L -600');
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'ct-chest');
  // Both show one series: they scroll together.
  await left.getByTestId('stack-scrollbar').fill('30');
  await expect(right).toHaveAttribute('data-image-index', '30');
  errors.expectNone();
});

test('MPR from the chest protocol gives the slice back to both viewports, each in its own window', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${CHEST.uid}`);
  const [left, right] = [viewport(page, 0), viewport(page, 1)];
  for (const vp of [left, right]) await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await left.getByTestId('stack-scrollbar').fill('30');
  await expect(right).toHaveAttribute('data-image-index', '30');
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.keyboard.press('m');
  for (const vp of [left, right]) {
    await expect(vp).toHaveAttribute('data-status', 'ready');
    await expect(vp).toHaveAttribute('data-image-index', '30');
  }
  await expect(left.getByTestId('overlay-wl')).toHaveText('W 400 L 40');
  await expect(right.getByTestId('overlay-wl')).toHaveText('W 1500 L -600');
  errors.expectNone();
});

test('an MR brain hangs T1, T2 and FLAIR; the default protocol can be chosen and is remembered for MR', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${BRAIN.uid}`);
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x3');
  const uids = () => Promise.all([0, 1, 2].map((i) => viewport(page, i).getAttribute('data-series-uid')));
  await expect.poll(uids).toEqual([`${BRAIN.uid}.4`, `${BRAIN.uid}.3`, `${BRAIN.uid}.2`]);
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'mr-brain');
  await chooseProtocol(page, 'default');
  // Every image series in series order: localizer, FLAIR, T2, T1.
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '2x2');
  await expect.poll(uids).toEqual([`${BRAIN.uid}.1`, `${BRAIN.uid}.2`, `${BRAIN.uid}.3`]);
  // The next MR study of the session (opened from the study list, same tab) opens with the reader’s choice.
  await page.getByTestId('back-to-worklist').click();
  await page.getByLabel('Patient ID').fill('HP-1');
  await page.getByRole('button', { name: 'Search' }).click();
  await page.getByTestId('study-row').filter({ hasText: '2024-04-05' }).click();
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'default');
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x3');
  errors.expectNone();
});

test('a study no protocol is for gets the default', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${OTHER.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('viewport-grid')).toHaveAttribute('data-layout', '1x1');
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', 'default');
  errors.expectNone();
});

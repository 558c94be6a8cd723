// Launch from another system: IHE Invoke Image Display (RAD-106) and the short forms, resolved through Orthanc's
// QIDO. Whatever opens, no patient ID or accession number stays in the address bar, the history or a Referer.
import type { Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import { deleteStudies, studyFiles, uploadFiles, type PriorStudy } from './priors-helpers';
import { viewport } from './viewer-helpers';

const A = { name: 'LAUNCH^ALPHA', id: 'LAUNCH-1', issuer: 'HOSP-A' };
// Another hospital's patient with the same ID: told apart by Issuer of Patient ID.
const B = { name: 'LAUNCH^BRAVO', id: 'LAUNCH-1', issuer: 'HOSP-B' };
const CT: PriorStudy = { uid: '2.25.77001', date: '20240301', modality: 'CT', bodyPart: 'CHEST', description: 'Launch CT chest', shiftMm: 0, patient: A, accession: 'LA-1001' };
const MR: PriorStudy = { uid: '2.25.77002', date: '20230301', modality: 'MR', bodyPart: 'HEAD', description: 'Launch MR brain', shiftMm: 0, patient: A, accession: 'LA-1002' };
const OTHER: PriorStudy = { uid: '2.25.77003', date: '20220301', modality: 'CT', bodyPart: 'CHEST', description: 'Launch other hospital', shiftMm: 0, patient: B, accession: 'LB-2001' };
// One accession number on two studies (two patients): the reader chooses.
const SHARED_1: PriorStudy = { uid: '2.25.77004', date: '20210301', modality: 'CT', bodyPart: 'CHEST', description: 'Launch shared one', shiftMm: 0, patient: { name: 'LAUNCH^CHARLIE', id: 'LAUNCH-2' }, accession: 'LA-SHARED' };
const SHARED_2: PriorStudy = { uid: '2.25.77005', date: '20200301', modality: 'CT', bodyPart: 'CHEST', description: 'Launch shared two', shiftMm: 0, patient: { name: 'LAUNCH^DELTA', id: 'LAUNCH-3' }, accession: 'LA-SHARED' };
const ALL = [CT, MR, OTHER, SHARED_1, SHARED_2];

/** Any identifier of these patients or studies: none may stay in the address bar or a Referer. */
const PHI = /LAUNCH|LA-1|LB-2|LA-SHARED|HOSP-|ALPHA|BRAVO/i;

test.describe.configure({ mode: 'serial' });
test.beforeAll(async ({ orthancUrl }) => {
  test.setTimeout(60_000);
  await deleteStudies(orthancUrl, ALL);
  // Four slices a study: enough to open, quick to upload.
  for (const s of ALL) await uploadFiles(orthancUrl, studyFiles(s, 1, (k) => k >= 22 && k < 26));
});
test.afterAll(async ({ orthancUrl }) => deleteStudies(orthancUrl, ALL));

/** Records the Referer of every request the page makes (and how many requests it saw). */
function referers(page: Page): () => Promise<string[]> {
  const seen: string[] = [];
  let requests = 0;
  page.on('request', (r) => {
    requests++;
    const referer = r.headers()['referer'];
    if (referer) seen.push(referer);
  });
  return async () => {
    expect(requests).toBeGreaterThan(5);
    return seen;
  };
}

/** The address bar and the history hold no identifier; the launch took no more history entries than a plain visit. */
async function expectNoPhi(page: Page, seen: () => Promise<string[]>) {
  expect(page.url()).not.toMatch(PHI);
  // As many entries as a fresh page that visits one plain URL: the launch replaced its own entry, it added none.
  const plain = await page.context().newPage();
  await plain.goto('/');
  const entries = await plain.evaluate(() => history.length);
  await plain.close();
  expect(await page.evaluate(() => history.length)).toBe(entries);
  for (const r of await seen()) expect(r).not.toMatch(PHI);
}

test('IID by accession numbers opens the first study as current and the second as prior', async ({ page, errors }) => {
  const seen = referers(page);
  await page.goto(`/IHEInvokeImageDisplay?requestType=STUDY&accessionNumber=${CT.accession},${MR.accession}&viewerType=IHE_BIR&diagnosticQuality=true`);
  await expect(page).toHaveURL(`/viewer?StudyInstanceUIDs=${CT.uid}&StudyInstanceUIDs=${MR.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-series-uid', `${CT.uid}.1`, { timeout: 30_000 });
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const open = page.getByTestId('open-study');
  await expect(open).toHaveCount(2);
  await expect(open.nth(0)).toContainText('Current');
  await expect(open.nth(1)).toContainText('Prior 2023-03-01');
  await expectNoPhi(page, seen);
  errors.expectNone();
});

test('the short accession form offers a choice when two studies share the number', async ({ page, errors }) => {
  const seen = referers(page);
  await page.goto(`/viewer?AccessionNumber=${SHARED_1.accession}`);
  await expect(page.getByTestId('launch-choose')).toContainText('2 studies have accession number LA-SHARED: choose one');
  await expect(page).toHaveURL('/launch');
  const choices = page.getByTestId('launch-choice');
  await expect(choices).toHaveCount(2);
  expect(await choices.evaluateAll((els) => els.map((e) => e.getAttribute('data-study-uid')))).toEqual([SHARED_1.uid, SHARED_2.uid]);
  await page.screenshot({ path: test.info().outputPath('choose.png') });
  await choices.nth(1).click();
  await expect(page).toHaveURL(`/viewer?StudyInstanceUIDs=${SHARED_2.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expectNoPhi(page, seen);
  errors.expectNone();
});

test('IID by patient lists that patient’s studies, told apart by issuer, filtered as asked', async ({ page, errors }) => {
  const seen = referers(page);
  await page.goto(`/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${encodeURIComponent(`${A.id}^^^${A.issuer}`)}`);
  await expect(page).toHaveURL('/');
  await expect(page.getByTestId('launched-note')).toHaveText(`Opened from another system: 2 studies of patient ID ${A.id} (issuer ${A.issuer}). Search to see others.`);
  const rows = page.getByTestId('study-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText(CT.description);
  await expect(rows.nth(1)).toContainText(MR.description);
  await expectNoPhi(page, seen);
  errors.expectNone();
});

test('the short patient form, modalitiesInStudy and mostRecentResults=1', async ({ page, errors }) => {
  // No issuer: both hospitals' studies under that ID.
  await page.goto(`/studies?PatientID=${A.id}`);
  await expect(page.getByTestId('study-row')).toHaveCount(3);
  await expect(page.getByTestId('study-row').nth(2)).toContainText(OTHER.description);
  expect(page.url()).not.toMatch(PHI);

  await page.goto(`/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${A.id}%5E%5E%5E${A.issuer}&modalitiesInStudy=MR`);
  await expect(page.getByTestId('study-row')).toHaveCount(1);
  await expect(page.getByTestId('study-row')).toContainText(MR.description);

  await page.goto(`/IHEInvokeImageDisplay?requestType=PATIENT&patientID=${A.id}%5E%5E%5E${A.issuer}&mostRecentResults=1&lowerDateTime=2023-01-01`);
  await expect(page).toHaveURL(`/viewer?StudyInstanceUIDs=${CT.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // From the launched study, the patient's other studies are there as usual.
  await expect(page.getByTestId('prior-item').filter({ hasText: 'MR' })).toHaveCount(1);
  errors.expectNone();
});

test('unknown identifiers and unsupported requests get a clear page, never a blank viewer', async ({ page }) => {
  await page.goto('/viewer?AccessionNumber=NOPE-1');
  await expect(page.getByTestId('launch-error')).toContainText('No study with accession number NOPE-1 is available to you on');
  await expect(page).toHaveURL('/launch');
  await page.screenshot({ path: test.info().outputPath('unknown.png') });

  await page.goto('/IHEInvokeImageDisplay?requestType=PATIENT&patientID=NOBODY-9');
  await expect(page.getByTestId('launch-error')).toContainText('No study with patient ID NOBODY-9 is available to you on');

  await page.goto(`/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${CT.uid}&keyImagesOnly=true`);
  await expect(page.getByTestId('launch-error')).toContainText('keyImagesOnly=true is not offered');
  await page.goto('/IHEInvokeImageDisplay?requestType=SERIES&studyUID=1.2.3');
  await expect(page.getByTestId('launch-error')).toContainText('requestType "SERIES" is not supported');

  // The identifiers are not kept: a reload of the launch page cannot open anything.
  await page.reload();
  await expect(page.getByTestId('launch-error')).toContainText('already been handled');

  // Study UIDs are checked too, and then open the viewer.
  await page.goto('/IHEInvokeImageDisplay?requestType=STUDY&studyUID=2.25.77999');
  await expect(page.getByTestId('launch-error')).toContainText('No study with Study Instance UID 2.25.77999 is available to you on');
  await page.goto(`/IHEInvokeImageDisplay?requestType=STUDY&studyUID=${MR.uid}`);
  await expect(page).toHaveURL(`/viewer?StudyInstanceUIDs=${MR.uid}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
});

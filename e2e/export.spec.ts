// Upload of local files (STOW-RS into the real Orthanc), zip export, de-identified export and send, PNG export.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync } from 'fflate';
import type { Locator, Page } from '@playwright/test';
import { dcmjs } from '../src/dicom/dcmjs';
import { test, expect } from './harness/fixtures';
import { sphereFiles } from './local-helpers';
import { pixelToViewport, viewport } from './viewer-helpers';

const STUDY = '2.25.77004';
const SERIES = `${STUDY}.1`;
const PATIENT = 'EXPORT^SPHERE';
const SELECTED = ['2.25.77006', '2.25.77007'];
const RETRIED = '2.25.77008';

test.describe.configure({ mode: 'serial' });

async function orthancStudies(orthancUrl: string, uid: string): Promise<string[]> {
  const found = (await (await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: uid })).json()) as { ID: string; Type: string }[];
  return found.filter((f) => f.Type === 'Study').map((f) => f.ID);
}

async function orthancFind(orthancUrl: string, patientName: string): Promise<string[]> {
  const res = await fetch(`${orthancUrl}/tools/find`, { method: 'POST', body: JSON.stringify({ Level: 'Study', Query: { PatientName: patientName } }) });
  return (await res.json()) as string[];
}

test.afterAll(async ({ orthancUrl }) => {
  const ids = [STUDY, ...SELECTED, RETRIED].map((uid) => orthancStudies(orthancUrl, uid));
  for (const id of [...(await Promise.all(ids)).flat(), ...(await orthancFind(orthancUrl, 'ANONYMOUS'))]) {
    await fetch(`${orthancUrl}/studies/${id}`, { method: 'DELETE' });
  }
});

async function openLocalSphere(page: Page): Promise<Locator> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-export-'));
  for (const f of sphereFiles(STUDY, SERIES, PATIENT)) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('local-summary')).toContainText('Opened 48 instances', { timeout: 30_000 });
  await page.getByRole('row', { name: /EXPORT, SPHERE/ }).click();
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  return vp;
}

const read = (bytes: Uint8Array) => dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer);
const value = (ds: Record<string, { Value?: unknown[] } | undefined>, tag: string) => ds[tag]?.Value?.[0];

test('a local study uploads to the PACS with STOW-RS, is found in its worklist, and a second upload finds it there', async ({ page, orthancUrl, errors }) => {
  await openLocalSphere(page);
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog).toContainText('Export or upload');
  // A server that is down: every instance fails with the URL and status, nothing is lost, retry is offered.
  errors.ignore(/Failed to load resource/);
  await dialog.getByTestId('scope-study').check();
  await dialog.getByTestId('send-target').selectOption({ label: 'Down PACS' });
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 0, failed 48 of 48');
  await expect(dialog.getByTestId('transfer-failed')).toContainText('/down/dicom-web/studies/');
  await expect(dialog.getByTestId('transfer-retry')).toBeVisible();

  await dialog.getByTestId('send-target').selectOption({ label: 'Test PACS' });
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 48 of 48');
  expect(await orthancStudies(orthancUrl, STUDY)).toHaveLength(1);
  const stats = (await (await fetch(`${orthancUrl}/studies/${(await orthancStudies(orthancUrl, STUDY))[0]}/statistics`)).json()) as { CountInstances: number };
  expect(stats.CountInstances).toBe(48);

  // Again: the PACS already holds every instance, so nothing is sent.
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 0, already there 48 of 48');
  await page.keyboard.press('Escape');

  await page.getByTestId('back-to-worklist').click();
  await page.getByTestId('datasource-select').selectOption({ label: 'Test PACS' });
  await page.getByLabel('Patient name').fill('EXPORT');
  await page.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('row', { name: /EXPORT, SPHERE/ })).toContainText('48');
  errors.expectNone();
});

test('a series exports as a zip of its DICOM files, named by UIDs', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${STUDY}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('scope-series')).toBeChecked();
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('export-zip').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^dicom-export-\d{4}-\d{2}-\d{2}\.zip$/);
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Zipped 48 of 48');
  const entries = unzipSync(new Uint8Array(fs.readFileSync(await download.path())));
  const names = Object.keys(entries).sort();
  expect(names).toHaveLength(48);
  const originals = new Map(sphereFiles(STUDY, SERIES, PATIENT).map((f) => [String(value(read(f.bytes).dict, '00080018')), f.bytes]));
  for (const name of names) {
    const ds = read(entries[name]!).dict;
    const sop = String(value(ds, '00080018'));
    expect(name).toBe(`${STUDY}/${SERIES}/${sop}.dcm`);
    const original = read(originals.get(sop)!).dict;
    expect(new Uint8Array(ds['7FE00010']!.Value![0] as ArrayBuffer)).toEqual(new Uint8Array(original['7FE00010']!.Value![0] as ArrayBuffer));
    expect(value(ds, '00100010')).toMatchObject({ Alphabetic: PATIENT });
  }
  errors.expectNone();
});

test('a de-identified export follows the Basic profile with consistent new UIDs across the study', async ({ page, errors }) => {
  await page.goto(`/viewer?StudyInstanceUIDs=${STUDY}`);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('scope-study').check();
  await dialog.getByTestId('deid').check();
  await dialog.getByTestId('deid-shift').check();
  await dialog.getByTestId('deid-days').fill('-10');
  await dialog.getByTestId('deid-keep-characteristics').check();
  await dialog.screenshot({ path: test.info().outputPath('export-dialog.png') });
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('export-zip').click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/^deidentified-export-/);
  const entries = Object.values(unzipSync(new Uint8Array(fs.readFileSync(await download.path()))));
  expect(entries).toHaveLength(48);
  const studies = new Set<string>();
  const series = new Set<string>();
  const frames = new Set<string>();
  const sops = new Set<string>();
  for (const bytes of entries) {
    const { meta, dict } = read(bytes);
    // Identity replaced, dates shifted by the offset, kept characteristics, the method recorded.
    expect(value(dict, '00100010')).toMatchObject({ Alphabetic: 'ANONYMOUS' });
    expect(value(dict, '00100020')).toBe('ANON');
    expect(value(dict, '00080020')).toBe('20240105');
    expect(value(dict, '00120062')).toBe('YES');
    expect(value(dict, '00280303')).toBe('MODIFIED');
    const codes = (dict['00120064']?.Value ?? []).map((item) => String(value(item as never, '00080100')));
    expect(codes.sort()).toEqual(['113100', '113107', '113108']);
    // Descriptions are removed by the Basic profile.
    expect(value(dict, '00081030')).toBeUndefined();
    // Nothing of the patient left anywhere in the file.
    expect(Buffer.from(bytes).toString('latin1')).not.toMatch(/EXPORT|SPHERE|LOCAL-1/);
    studies.add(String(value(dict, '0020000D')));
    series.add(String(value(dict, '0020000E')));
    frames.add(String(value(dict, '00200052')));
    sops.add(String(value(dict, '00080018')));
    expect(value(meta, '00020003')).toBe(value(dict, '00080018'));
  }
  // One new study, series and frame of reference for all 48; 48 new, distinct instance UIDs.
  expect([studies.size, series.size, frames.size, sops.size]).toEqual([1, 1, 1, 48]);
  for (const uid of [...studies, ...series, ...frames]) {
    expect(uid).toMatch(/^2\.25\.\d+$/);
    expect(uid.startsWith(STUDY)).toBe(false);
  }

  errors.expectNone();
});

test('a de-identified copy of a local study is sent to a data source (a research PACS) under new UIDs', async ({ page, orthancUrl, errors }) => {
  await openLocalSphere(page);
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('scope-study').check();
  await dialog.getByTestId('deid').check();
  await dialog.getByTestId('send-target').selectOption({ label: 'Test PACS' });
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  // New UIDs: nothing of it was on the PACS before, so all 48 are stored.
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 48 of 48');
  const [id, ...more] = await orthancFind(orthancUrl, 'ANONYMOUS');
  expect(more).toEqual([]);
  const study = (await (await fetch(`${orthancUrl}/studies/${id}`)).json()) as { MainDicomTags: { StudyInstanceUID: string; StudyDate?: string }; PatientMainDicomTags: { PatientID: string } };
  expect(study.MainDicomTags.StudyInstanceUID).toMatch(/^2\.25\.\d+$/);
  expect(study.MainDicomTags.StudyInstanceUID).not.toBe(STUDY);
  expect(study.PatientMainDicomTags.PatientID).toBe('ANON');
  expect(study.MainDicomTags.StudyDate ?? '').toBe('');
  const stats = (await (await fetch(`${orthancUrl}/studies/${id}/statistics`)).json()) as { CountInstances: number; CountSeries: number };
  expect([stats.CountSeries, stats.CountInstances]).toEqual([1, 48]);
  errors.expectNone();
});

test('the viewport saves as PNG, with or without the measurements', async ({ page, errors }) => {
  const vp = await openLocalSphere(page);
  await vp.getByTestId('stack-scrollbar').fill('29');
  await page.keyboard.press('d');
  const a = await pixelToViewport(vp, 96, 96, 30, 42);
  const b = await pixelToViewport(vp, 96, 96, 80, 42);
  await page.mouse.move(a.box.x + a.x, a.box.y + a.y);
  await page.mouse.down();
  await page.mouse.move(b.box.x + b.x, b.box.y + b.y, { steps: 8 });
  await page.mouse.up();
  await expect(page.getByTestId('measurement')).toHaveCount(1);
  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  const png = async (withAnnotations: boolean) => {
    await dialog.getByTestId('png-annotations').setChecked(withAnnotations);
    const downloading = page.waitForEvent('download');
    await dialog.getByTestId('save-png').click();
    const file = await (await downloading).path();
    const bytes = [...fs.readFileSync(file)];
    fs.copyFileSync(file, test.info().outputPath(`viewport-${withAnnotations}.png`));
    // Decoded by the browser: how many pixels are bright (the sphere) and how many coloured (a measurement).
    return page.evaluate(async (data) => {
      const bitmap = await createImageBitmap(new Blob([new Uint8Array(data)], { type: 'image/png' }));
      const c = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = c.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const px = ctx.getImageData(0, 0, c.width, c.height).data;
      let bright = 0;
      let coloured = 0;
      for (let i = 0; i < px.length; i += 4) {
        if (px[i]! > 200 && px[i + 1]! > 200 && px[i + 2]! > 200) bright++;
        if (Math.max(px[i]!, px[i + 1]!, px[i + 2]!) - Math.min(px[i]!, px[i + 1]!, px[i + 2]!) > 60) coloured++;
      }
      return { width: c.width, height: c.height, bright, coloured };
    }, bytes);
  };
  const plain = await png(false);
  const annotated = await png(true);
  expect(plain.width).toBeGreaterThan(200);
  expect(plain.bright).toBeGreaterThan(1000);
  expect(plain.coloured).toBe(0);
  expect(annotated.coloured).toBeGreaterThan(50);
  errors.expectNone();
});

test('local studies ticked in the study list upload together', async ({ page, orthancUrl, errors }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-select-'));
  SELECTED.forEach((uid, i) => {
    fs.mkdirSync(path.join(dir, `S${i}`));
    for (const f of sphereFiles(uid, `${uid}.1`, `SELECT^${i ? 'TWO' : 'ONE'}`).slice(0, 5)) fs.writeFileSync(path.join(dir, `S${i}`, f.name), f.bytes);
  });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('local-summary')).toContainText('Opened 10 instances', { timeout: 30_000 });
  await expect(page.getByTestId('export-selected')).toHaveCount(0);
  for (const name of [/SELECT, ONE/, /SELECT, TWO/]) await page.getByRole('row', { name }).getByTestId('select-study').check();
  await expect(page).toHaveURL(/\/$/); // ticking does not open the study
  await page.getByTestId('export-selected').click();
  const dialog = page.getByTestId('export-dialog');
  await expect(dialog.getByTestId('export-selection')).toHaveText('2 selected studies');
  await expect(dialog.getByTestId('save-png')).toHaveCount(0);
  await dialog.getByTestId('send-target').selectOption({ label: 'Test PACS' });
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 10 of 10', { timeout: 60_000 });
  for (const uid of SELECTED) expect(await orthancStudies(orthancUrl, uid)).toHaveLength(1);
  errors.expectNone();
});

test('a refused upload keeps every instance listed with the reason, and Retry failed stores them', async ({ page, orthancUrl, errors }) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-retry-'));
  for (const f of sphereFiles(RETRIED, `${RETRIED}.1`, 'RETRY^ME').slice(0, 5)) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('local-summary')).toContainText('Opened 5 instances', { timeout: 30_000 });
  await page.getByRole('row', { name: /RETRY, ME/ }).getByTestId('select-study').check();
  await page.getByTestId('export-selected').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('send-target').selectOption({ label: 'Test PACS' });
  const refuse = (route: import('@playwright/test').Route) =>
    route.request().method() === 'POST' ? route.fulfill({ status: 503, contentType: 'text/plain', body: 'storage is read-only' }) : route.continue();
  await page.route('**/dicom-web/studies/**', refuse);
  errors.ignore('the server responded with a status of 503');
  await dialog.getByTestId('send').click();
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 0, failed 5 of 5', { timeout: 60_000 });
  await expect(dialog.getByTestId('transfer-failed').locator('li')).toHaveCount(5);
  await expect(dialog.getByTestId('transfer-failed').locator('li').first()).toContainText('503 Service Unavailable');
  await expect(dialog.getByTestId('transfer-failed').locator('li').first()).toContainText('storage is read-only');
  expect(await orthancStudies(orthancUrl, RETRIED)).toHaveLength(0);

  await page.unroute('**/dicom-web/studies/**', refuse);
  await dialog.getByTestId('transfer-retry').click();
  await expect(dialog.getByTestId('transfer-summary')).toHaveText('Stored 5 of 5', { timeout: 60_000 });
  await expect(dialog.getByTestId('transfer-retry')).toHaveCount(0);
  expect(await orthancStudies(orthancUrl, RETRIED)).toHaveLength(1);
  errors.expectNone();
});

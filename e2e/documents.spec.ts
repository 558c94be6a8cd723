// Reports and documents (features/documents): the demo's Comprehensive SR and KOS on the demo CT, pydicom's
// test-SR.dcm, the demo's Encapsulated PDF and CDA documents, and a hostile and a truncated PDF, from Orthanc; the
// PDF from a static tree too. Text is checked as text, the PDF's text as pixels on its canvas.
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { importFiles } from '../scripts/import/staticTree';
import { KO_FACTS, koSliceIndices, SR_FACTS, srSliceIndex } from '../scripts/demo/objects/documents';
import { HOSTILE_URL } from '../scripts/demo/objects/documentTests';
import { readEncapsulatedDocument } from '../src/dicom/encapsulated';
import { test, expect, entry, type Manifest } from './harness/fixtures';
import { loadManifest } from './harness/run-info';
import { serveStaticTree, type StaticTreeServer } from './harness/staticStudy';
import { canvasStats, viewport } from './viewer-helpers';

const link = (studyUID: string, seriesUID: string, extra = '&layout=1x1') =>
  `/viewer?StudyInstanceUIDs=${encodeURIComponent(studyUID)}&SeriesInstanceUID=${encodeURIComponent(seriesUID)}${extra}`;
const seriesItem = (page: Page, uid: string) => page.locator(`[data-testid=series-item][data-series-uid="${uid}"]`);

/** Dark pixels (luminance < 128) of the PDF canvas within a band of the page, given in PDF points from its top. */
async function inkInBand(vp: Locator, top: number, bottom: number, left = 0, right = 612): Promise<number> {
  return vp.getByTestId('pdf-canvas').evaluate(
    (c: HTMLCanvasElement, [t, b, l, r]) => {
      // The page is 612 × 792 points, drawn over the whole canvas.
      const sx = c.width / 612;
      const sy = c.height / 792;
      const d = c.getContext('2d')!.getImageData(Math.round(l! * sx), Math.round(t! * sy), Math.round((r! - l!) * sx), Math.round((b! - t!) * sy)).data;
      let n = 0;
      for (let i = 0; i < d.length; i += 4) if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! < 128) n++;
      return n;
    },
    [top, bottom, left, right],
  );
}

function pdfBytes(manifest: Manifest, label: string): Uint8Array {
  return readEncapsulatedDocument(new Uint8Array(fs.readFileSync(entry(manifest, label).uploadedPath))).bytes;
}

test('the SR reader shows the report as text, and its image link the referenced CT slice beside it; the KOS gives a key-image stack', async ({ page, manifest, errors }) => {
  const sr = entry(manifest, 'demo-sr');
  const ko = entry(manifest, 'demo-ko');
  const ct = manifest.ct!;
  // Deep link naming the SR series: the reader opens in viewport 1.
  await page.goto(link(sr.studyInstanceUID, sr.seriesInstanceUID));
  const reader = viewport(page, 0).getByTestId('sr-view');
  await expect(reader.getByTestId('document-title')).toHaveText(SR_FACTS.title);
  await expect(reader.getByTestId('sr-header')).toContainText('CompletionComplete');
  await expect(reader.getByTestId('sr-header')).toContainText('VerificationVerified');
  await expect(reader.getByTestId('sr-header')).toContainText('DEMO, RADIOLOGIST · Lumen Demo Hospital');
  await expect(reader.locator('h3')).toHaveText(['History', 'Findings', 'Impressions']);
  const items = reader.getByTestId('sr-item');
  await expect(items.filter({ hasText: 'Finding:' }).first()).toContainText('Finding: Nodule');
  // The finding's property, nested under it and tagged with its relationship.
  await expect(items.filter({ hasText: 'Finding site' }).last()).toHaveText('propertyFinding site: Right lower lobe of lung');
  await expect(reader.getByTestId('sr-num')).toHaveText([`${SR_FACTS.noduleLength} millimeter`, `${SR_FACTS.meanHu} Hounsfield unit`]);
  await expect(items.filter({ hasText: 'Comparison study date' })).toContainText('2024-03-01');
  await expect(items.filter({ hasText: 'Image Region' })).toContainText('POINT at (256, 256) (image pixels)');
  await expect(items.filter({ hasText: 'Impression:' })).toContainText(SR_FACTS.impression);
  // The image link names where the image is, then shows it beside the report (the layout grows to 1×2).
  const n = srSliceIndex(ct.slices) + 1;
  const imageLink = reader.getByTestId('sr-image-link').first();
  await expect(imageLink.locator('xpath=..')).toContainText(`${n}/${ct.slices}`);
  await imageLink.click();
  const beside = viewport(page, 1);
  await expect(beside).toHaveAttribute('data-series-uid', ct.seriesInstanceUID);
  await expect(beside).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(beside.getByTestId('overlay-image')).toHaveText(`Im ${n}/${ct.slices}`);
  await expect(viewport(page, 0).getByTestId('sr-view')).toBeVisible();
  await expect.poll(async () => (await canvasStats(beside)).std).toBeGreaterThan(2);
  const middle = await canvasStats(beside);

  // The KOS, clicked in the series panel into the active viewport (the report's): its note and three images.
  await viewport(page, 0).click({ position: { x: 5, y: 5 } });
  await seriesItem(page, ko.seriesInstanceUID).click();
  const kos = viewport(page, 0).getByTestId('ko-view');
  await expect(kos.getByTestId('document-title')).toHaveText(KO_FACTS.title);
  await expect(kos.getByTestId('ko-note')).toHaveText(`Note: ${KO_FACTS.note}`);
  const picks = koSliceIndices(ct.slices);
  await expect(kos.getByTestId('ko-images').locator('li')).toHaveCount(3);
  for (const [i, k] of picks.entries()) await expect(kos.getByTestId('ko-images').locator('li').nth(i)).toContainText(`${k + 1}/${ct.slices}`);
  await kos.getByTestId('ko-show-stack').click();
  await expect(beside).toHaveAttribute('data-series-uid', /^key-images:/);
  await expect(beside).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(beside.getByTestId('overlay-image')).toHaveText('Im 1/3');
  await expect(beside.getByTestId('overlay-series')).toHaveText(KO_FACTS.title);
  await expect(beside.getByTestId('stack-scrollbar')).toHaveAttribute('max', '2');
  // The second key image is the middle slice the report's link showed: the same pixels.
  const first = await canvasStats(beside);
  await beside.getByTestId('stack-scrollbar').fill('1');
  await expect(beside.getByTestId('overlay-image')).toHaveText('Im 2/3');
  await expect.poll(async () => (await canvasStats(beside)).hash).toBe(middle.hash);
  expect(first.hash).not.toBe(middle.hash);
  await page.screenshot({ path: test.info().outputPath('sr-and-key-images.png') });
  errors.expectNone();
});

test("pydicom's test-SR.dcm opens from the series panel (click and drag) as text, its odd characters as they are", async ({ page, manifest, errors }) => {
  const sr = entry(manifest, 'test-sr');
  await page.goto(`/viewer?StudyInstanceUIDs=${encodeURIComponent(sr.studyInstanceUID)}&layout=1x2`);
  await seriesItem(page, sr.seriesInstanceUID).click();
  const reader = viewport(page, 0).getByTestId('sr-view');
  await expect(reader.getByTestId('document-title')).toHaveText('Diagnosis');
  await expect(reader.getByTestId('sr-num').first()).toHaveText('3 Length Unit');
  await expect(reader).toContainText('&%$§"!()<>{}/;');
  await expect(reader).toContainText('inferred from');
  await expect(reader.getByTestId('sr-image-link').first()).toBeDisabled();
  await seriesItem(page, sr.seriesInstanceUID).dragTo(viewport(page, 1));
  await expect(viewport(page, 1).getByTestId('document-title')).toHaveText('Diagnosis');
  errors.expectNone();
});

test('the PDF renders its text on pages 1 and 2, zooms, and downloads its own bytes', async ({ page, manifest, errors }) => {
  const pdf = entry(manifest, 'demo-pdf');
  await page.goto(link(pdf.studyInstanceUID, pdf.seriesInstanceUID));
  const vp = viewport(page, 0);
  await expect(vp.getByTestId('pdf-page')).toHaveText('Page 1 of 2', { timeout: 30_000 });
  // "Referral letter" (40 pt, baseline 120 pt from the top) is ink; the middle of the page is blank.
  await expect.poll(() => inkInBand(vp, 85, 125, 72, 330)).toBeGreaterThan(500);
  expect(await inkInBand(vp, 300, 700)).toBe(0);
  const page1 = await canvasStats(vp.getByTestId('pdf-view'));
  await vp.getByTestId('pdf-next').click();
  await expect(vp.getByTestId('pdf-page')).toHaveText('Page 2 of 2');
  await expect(vp.getByTestId('pdf-next')).toBeDisabled();
  // Page 2: a 24 pt line at the same height; the 14 pt line under page 1's title is not there.
  await expect.poll(() => inkInBand(vp, 95, 125, 72, 330)).toBeGreaterThan(200);
  await expect.poll(async () => (await canvasStats(vp.getByTestId('pdf-view'))).hash).not.toBe(page1.hash);
  expect(await inkInBand(vp, 160, 175)).toBe(0);
  const width = await vp.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width);
  await vp.getByTestId('pdf-zoom-in').click();
  await expect.poll(() => vp.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBeGreaterThan(width * 1.2);
  await vp.getByTestId('pdf-fit-width').click();
  await expect.poll(() => vp.getByTestId('pdf-canvas').evaluate((c: HTMLCanvasElement) => c.width)).toBe(width);
  const [download] = await Promise.all([page.waitForEvent('download'), vp.getByTestId('pdf-download').click()]);
  expect(download.suggestedFilename()).toBe('document-se1-1.pdf');
  const saved = new Uint8Array(fs.readFileSync((await download.path())!));
  expect(Buffer.compare(Buffer.from(saved), Buffer.from(pdfBytes(manifest, 'demo-pdf')))).toBe(0);
  await page.screenshot({ path: test.info().outputPath('pdf.png') });
  errors.expectNone();
});

test('a hostile PDF runs nothing and goes nowhere; a truncated one fails in its own viewport', async ({ page, manifest, errors }) => {
  const hostile = entry(manifest, 'pdf-hostile');
  const truncated = entry(manifest, 'pdf-truncated');
  const dialogs: string[] = [];
  const outside: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('request', (r) => {
    if (r.url().startsWith(HOSTILE_URL)) outside.push(r.url());
  });
  const popups: Page[] = [];
  page.context().on('page', (p) => popups.push(p));
  await page.goto(`/viewer?StudyInstanceUIDs=${encodeURIComponent(hostile.studyInstanceUID)}&layout=1x2`);
  await seriesItem(page, hostile.seriesInstanceUID).dragTo(viewport(page, 0));
  await seriesItem(page, truncated.seriesInstanceUID).dragTo(viewport(page, 1));
  await expect(viewport(page, 1).getByTestId('document-error')).toContainText(/This document could not be opened: .*(Invalid PDF|PDF)/i, { timeout: 30_000 });
  const vp = viewport(page, 0);
  await expect(vp.getByTestId('pdf-page')).toHaveText('Page 1 of 2', { timeout: 30_000 });
  await expect.poll(() => inkInBand(vp, 85, 125, 72, 330)).toBeGreaterThan(500);
  const url = page.url();
  // The link covers the whole page: a click on it stays here.
  await vp.getByTestId('pdf-canvas').click({ position: { x: 60, y: 60 } });
  await page.waitForTimeout(500);
  expect(page.url()).toBe(url);
  expect(dialogs).toEqual([]);
  expect(outside).toEqual([]);
  expect(popups).toEqual([]);
  errors.ignore(/Invalid PDF structure/);
  errors.expectNone();
});

test('the CDA shows its sections as text, and a CDA with a PDF body shows the PDF', async ({ page, manifest, errors }) => {
  const cda = entry(manifest, 'demo-cda');
  const withPdf = entry(manifest, 'demo-cda-2');
  await page.goto(link(cda.studyInstanceUID, cda.seriesInstanceUID));
  const view = viewport(page, 0).getByTestId('cda-view');
  await expect(view.getByTestId('document-title')).toHaveText('Discharge summary (synthetic)');
  await expect(view).toContainText('Author');
  await expect(view).toContainText('Ada Demo');
  await expect(view.getByTestId('cda-section-title')).toHaveText(['Reason for admission', 'Medications on discharge', 'Vital signs', 'Follow-up']);
  await expect(view.locator('p').filter({ hasText: 'Shortness of breath' })).toHaveText('Shortness of breath for three days.');
  await expect(view.locator('ol > li')).toHaveText(['Amoxicillin 500 mg three times a day', 'Paracetamol 1 g as needed']);
  await expect(view.locator('table td')).toHaveText(['Pulse', '72 /min', 'Temperature', '36.8 °C']);
  await expect(view.locator('p').filter({ hasText: 'six weeks' })).toHaveText('Review in the chest clinic in six weeks.\nBring this letter.');
  await seriesItem(page, withPdf.seriesInstanceUID).click();
  await expect(viewport(page, 0).getByTestId('pdf-page')).toHaveText('Page 1 of 2', { timeout: 30_000 });
  await expect.poll(() => inkInBand(viewport(page, 0), 85, 125, 72, 330)).toBeGreaterThan(500);
  errors.expectNone();
});

test.describe('from a static tree', () => {
  let server: StaticTreeServer;
  test.beforeAll(async () => {
    const manifest = loadManifest();
    const files = ['demo-pdf', 'demo-cda'].flatMap((l) => entry(manifest, l).instances.map((i) => i.uploadedPath));
    server = await serveStaticTree('documents', (dir) => expect(importFiles(files, dir).skipped).toEqual([]));
  });
  test.afterAll(async () => server?.stop());

  test('the PDF and the CDA open by deep link', async ({ page, manifest, errors }) => {
    const pdf = entry(manifest, 'demo-pdf');
    await page.goto(server.url + link(pdf.studyInstanceUID, pdf.seriesInstanceUID));
    await expect(viewport(page, 0).getByTestId('pdf-page')).toHaveText('Page 1 of 2', { timeout: 30_000 });
    await expect.poll(() => inkInBand(viewport(page, 0), 85, 125, 72, 330)).toBeGreaterThan(500);
    const cda = entry(manifest, 'demo-cda');
    await seriesItem(page, cda.seriesInstanceUID).click();
    await expect(viewport(page, 0).getByTestId('cda-section-title').first()).toHaveText('Reason for admission');
    errors.expectNone();
  });
});

// Hostile DICOM text is shown as text and never runs; the production server sends a strict CSP that the app
// works under (every other spec runs with it too: a violation is a console error, which they fail on).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import dcmjs from 'dcmjs';
import { test, expect, entry, startStack, type Stack } from './harness/fixtures';
import { loadManifest } from './harness/run-info';

const { DicomMessage, DicomMetaDictionary, DicomDict } = dcmjs.data as unknown as {
  DicomMessage: { readFile(b: ArrayBuffer): { dict: unknown; meta: unknown } };
  DicomMetaDictionary: {
    naturalizeDataset(d: unknown): Record<string, unknown>;
    denaturalizeDataset(d: Record<string, unknown>): unknown;
  };
  DicomDict: new (meta: unknown) => { dict: unknown; write(): ArrayBuffer };
};

const PAYLOADS = {
  PatientName: '<img src=x onerror="window.__xss=1">^<script>window.__xss=2</script>',
  StudyDescription: '<script>window.__xss=3</script>',
  SeriesDescription: '<svg onload="window.__xss=4"></svg>',
  InstitutionName: '"><img src=x onerror=window.__xss=5>',
  PatientID: 'XSS<b>1</b>',
};
const STUDY_UID = '2.25.318472605812640192837465018273645019283';

let stack: Stack;

test.beforeAll(async () => {
  const source = entry(loadManifest(), 'explicit-le').uploadedPath;
  const b = fs.readFileSync(source);
  const parsed = DicomMessage.readFile(b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer);
  const ds = DicomMetaDictionary.naturalizeDataset(parsed.dict);
  const meta = DicomMetaDictionary.naturalizeDataset(parsed.meta);
  Object.assign(ds, PAYLOADS, {
    StudyInstanceUID: STUDY_UID,
    SeriesInstanceUID: `${STUDY_UID}.1`,
    SOPInstanceUID: `${STUDY_UID}.1.1`,
  });
  meta.MediaStorageSOPInstanceUID = `${STUDY_UID}.1.1`;
  const dict = new DicomDict(DicomMetaDictionary.denaturalizeDataset(meta));
  dict.dict = DicomMetaDictionary.denaturalizeDataset(ds);
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-xss-')), 'xss.dcm');
  fs.writeFileSync(file, Buffer.from(dict.write()));
  stack = await startStack({ files: [{ path: file, label: 'xss', expectRejected: false }] });
});

test.afterAll(async () => {
  await stack?.stop();
});

test('the app page is served with a strict Content-Security-Policy', async ({ request, baseURL }) => {
  const res = await request.get(`${baseURL}/viewer?StudyInstanceUIDs=1.2.3`);
  const csp = res.headers()['content-security-policy'] ?? '';
  expect(csp).toContain("script-src 'self' 'wasm-unsafe-eval'");
  // Inline code and <style> elements are refused; only style attributes are allowed (Cornerstone's SVG labels).
  const directives = csp.split(';').map((d) => d.trim());
  expect(directives.filter((d) => d.includes("'unsafe-inline'"))).toEqual(["style-src-attr 'unsafe-inline'"]);
  expect(directives).toContain("style-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-eval'/);
  expect(csp).toContain("worker-src 'self'");
  expect(csp).toContain("connect-src 'self'");
  expect(csp).toContain("object-src 'none'");
});

test('DICOM text with script, img and svg payloads is shown as text and nothing runs', async ({ page, errors }) => {
  await page.goto(stack.url + '/');
  const row = page.getByTestId('study-row').filter({ hasText: 'XSS<b>1</b>' });
  await expect(row).toHaveCount(1);
  await expect(row.locator('[data-col=description]')).toHaveText(PAYLOADS.StudyDescription);
  // '=' separates the representations of a person name, so the shown (alphabetic) name stops there.
  await expect(row.locator('[data-col=patientName]')).toContainText('<img src');
  await row.getByTestId('expand-study').click();
  await expect(page.getByTestId('series-list')).toContainText(PAYLOADS.SeriesDescription);
  await row.click();
  const vp = page.getByTestId('viewport').first();
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('patient-banner')).toContainText('<img src');
  await expect(page.getByTestId('series-panel')).toContainText(PAYLOADS.StudyDescription);
  await expect(vp.getByTestId('overlay-series')).toHaveText(PAYLOADS.SeriesDescription);
  await page.keyboard.press('t');
  await expect(page.getByTestId('tag-browser').locator('tr[data-tag="00080080"]')).toContainText(PAYLOADS.InstitutionName);
  // No element was created from the payloads, and none of them ran.
  expect(await page.locator('img[src=x], svg[onload], script:not([src])').count()).toBe(0);
  expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  errors.expectNone();
});

test('study links carry UIDs only and no patient data is stored in the browser', async ({ page }) => {
  await page.goto(stack.url + '/');
  await page.getByTestId('study-row').filter({ hasText: 'XSS<b>1</b>' }).click();
  await expect(page.getByTestId('viewport').first()).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const url = new URL(page.url());
  expect([...url.searchParams.keys()], url.search).toEqual(['StudyInstanceUIDs']);
  expect(url.searchParams.get('StudyInstanceUIDs')).toBe(STUDY_UID);
  // Cornerstone keeps its GPU capability probe and log level in localStorage; no patient data may be there.
  const stored = await page.evaluate(() =>
    JSON.stringify({ local: Object.entries(localStorage), session: Object.entries(sessionStorage), cookie: document.cookie }),
  );
  for (const phi of ['XSS<b>1</b>', 'xss', 'onerror', 'PatientName', 'DOE']) expect(stored).not.toContain(phi);
  expect(JSON.parse(stored).session).toEqual([]);
  expect(JSON.parse(stored).cookie).toBe('');
});

// Local files: a folder, a DICOMDIR set, a zip and a drop are read in the browser (nothing uploaded) into the
// "Local files" data source, and viewed like PACS studies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { dcmjs } from '../src/local/dcmjs';
import { test, expect } from './harness/fixtures';
import { sphereFiles } from './local-helpers';
import { SPHERE } from './mpr-helpers';
import { pixelToViewport, probePixel, viewport } from './viewer-helpers';

const PYDICOM = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-local-'));
}

/** The sphere's centre slice (image 30 of 48) shows 1000 HU in the sphere and −1000 outside. */
async function expectSphere(page: import('@playwright/test').Page) {
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.getByTestId('stack-scrollbar').fill('29');
  await expect(vp).toHaveAttribute('data-image-index', '29');
  await expect.poll(async () => (await probePixel(page, vp, 96, 96, 57, 42)).values[0]).toBe(SPHERE.hu);
  expect((await probePixel(page, vp, 96, 96, 5, 5)).values[0]).toBe(-1000);
}

test('a folder of files opens locally: non-DICOM files are skipped and counted, the study views and reformats', async ({ page, errors }) => {
  const dir = tempDir();
  fs.mkdirSync(path.join(dir, 'CD', 'SERIES1'), { recursive: true });
  for (const f of sphereFiles()) fs.writeFileSync(path.join(dir, 'CD', 'SERIES1', f.name), f.bytes);
  fs.writeFileSync(path.join(dir, 'CD', 'README.TXT'), 'Viewer on this disc: run setup.exe');
  fs.writeFileSync(path.join(dir, 'CD', 'autorun.inf'), '[autorun]');
  await page.goto('/');
  let uploads = 0;
  page.on('request', (r) => {
    if (r.method() !== 'GET') uploads++;
  });
  await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'CD'));
  await expect(page.getByTestId('local-summary')).toContainText('Opened 48 instances from 50 files', { timeout: 30_000 });
  await expect(page.getByTestId('local-summary')).toContainText('skipped 2 not DICOM');
  await expect(page.getByTestId('datasource-select')).toHaveValue('local');
  const row = page.getByRole('row', { name: /LOCAL, SPHERE/ });
  await expect(row).toContainText('Local sphere');
  await expect(row).toContainText('48');
  await page.getByTestId('local-details').click();
  await expect(page.getByTestId('local-details-dialog')).toContainText('README.TXT');
  await page.keyboard.press('Escape');

  await row.click();
  await expect(page).toHaveURL(/datasource=local/);
  await expectSphere(page);
  expect(page.url()).not.toContain('LOCAL');
  // MPR from the same local frames.
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.screenshot({ path: test.info().outputPath('local-mpr.png') });
  expect(uploads, 'nothing leaves the browser').toBe(0);
  errors.expectNone();
});

test('a DICOMDIR set opens from its folder, and files it lists that are missing are named', async ({ page, errors }) => {
  const src = path.join(PYDICOM, 'dicomdirtests', 'TINY_ALPHA');
  test.skip(!fs.existsSync(src), 'python3-pydicom is not installed');
  const dir = tempDir();
  fs.cpSync(src, path.join(dir, 'TINY_ALPHA'), { recursive: true });
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'TINY_ALPHA'));
  await expect(page.getByTestId('local-summary')).toContainText('every file the DICOMDIR lists was found', { timeout: 30_000 });
  const opened = Number(/Opened (\d+) instance/.exec(await page.getByTestId('local-summary').innerText())?.[1]);
  expect(opened).toBeGreaterThan(5);

  // One image missing from the copy: named, the rest still opens.
  const series = path.join(dir, 'TINY_ALPHA', 'PT000000', 'ST000000', 'SE000000');
  fs.rmSync(path.join(series, 'IM00000J'));
  await page.getByTestId('local-clear').click();
  await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'TINY_ALPHA'));
  await expect(page.getByTestId('local-summary')).toContainText('the DICOMDIR lists 1 file that were not opened', { timeout: 30_000 });
  await expect(page.getByTestId('local-summary')).toContainText(`Opened ${opened - 1} instance`);
  await page.getByTestId('local-details').click();
  await expect(page.getByTestId('local-details-dialog')).toContainText('TINY_ALPHA/PT000000/ST000000/SE000000/IM00000J');
  errors.expectNone();
});

test('a zip of a study opens locally, entry by entry', async ({ page, errors }) => {
  const entries: Record<string, Uint8Array> = {};
  for (const f of sphereFiles()) entries[`export/DICOM/${f.name}`] = f.bytes;
  entries['export/index.html'] = new TextEncoder().encode('<html></html>');
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles({ name: 'study.zip', mimeType: 'application/zip', buffer: Buffer.from(zipSync(entries, { level: 1 })) });
  await expect(page.getByTestId('local-summary')).toContainText('Opened 48 instances from 1 file', { timeout: 30_000 });
  await expect(page.getByTestId('local-summary')).toContainText('skipped 1 not DICOM');
  await page.getByRole('row', { name: /LOCAL, SPHERE/ }).click();
  await expectSphere(page);
  errors.expectNone();
});

test('files dropped on the viewer open locally', async ({ page, errors }) => {
  const files = sphereFiles().slice(0, 3);
  await page.goto('/');
  const data = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) dt.items.add(new File([new Uint8Array(f.bytes)], f.name, { type: 'application/dicom' }));
    return dt;
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
  await page.dispatchEvent('body', 'dragover', { dataTransfer: data });
  await expect(page.getByTestId('drop-zone')).toBeVisible();
  await page.dispatchEvent('body', 'drop', { dataTransfer: data });
  await expect(page.getByTestId('drop-zone')).toBeHidden();
  await expect(page.getByTestId('local-summary')).toContainText('Opened 3 instances from 3 files', { timeout: 30_000 });
  await expect(page.getByRole('row', { name: /LOCAL, SPHERE/ })).toContainText('3');
  errors.expectNone();
});

test('a dropped folder with a file and a subfolder the browser cannot read opens the rest and names what failed', async ({ page, errors }) => {
  const files = sphereFiles().slice(0, 3);
  await page.goto('/');
  // A real folder drop cannot be scripted: the drop event carries FileSystemEntry objects as Chromium hands them
  // over, one file of which was deleted after the drop and one subfolder of which cannot be listed.
  await page.evaluate((list) => {
    const entry = (fullPath: string, bytes?: number[]) => ({
      isFile: true,
      isDirectory: false,
      fullPath,
      name: fullPath.split('/').pop(),
      file: (ok: (f: File) => void, ko: (e: unknown) => void) =>
        bytes ? ok(new File([new Uint8Array(bytes)], fullPath.split('/').pop()!)) : ko(new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError')),
    });
    const folder = (fullPath: string, children: unknown[], listable: boolean) => ({
      isFile: false,
      isDirectory: true,
      fullPath,
      name: fullPath.split('/').pop(),
      createReader: () => {
        let done = false;
        return {
          readEntries: (ok: (b: unknown[]) => void, ko: (e: unknown) => void) => {
            if (!listable) return ko(new DOMException('The folder could not be read.', 'NotReadableError'));
            ok(done ? [] : children);
            done = true;
          },
        };
      },
    });
    const root = folder('/STUDY', [...list.map((f) => entry(`/STUDY/${f.name}`, f.bytes)), entry('/STUDY/gone.dcm'), folder('/STUDY/locked', [], false)], true);
    const data = { types: ['Files'], files: [], items: [{ kind: 'file', webkitGetAsEntry: () => root }], dropEffect: 'none' };
    for (const type of ['dragover', 'drop']) {
      const event = new DragEvent(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: data });
      document.body.dispatchEvent(event);
    }
  }, files.map((f) => ({ name: f.name, bytes: [...f.bytes] })));
  await expect(page.getByTestId('local-summary')).toContainText('Opened 3 instances from 3 files', { timeout: 30_000 });
  await expect(page.getByTestId('local-summary')).toContainText('skipped 2 unreadable');
  await expect(page.getByRole('row', { name: /LOCAL, SPHERE/ })).toContainText('3');
  await page.getByTestId('local-details').click();
  const details = page.getByTestId('local-details-dialog');
  await expect(details).toContainText('STUDY/gone.dcm: unreadable, the browser could not read it (NotFoundError: A requested file or directory could not be found');
  await expect(details).toContainText('STUDY/locked/: unreadable, the browser could not list this folder in full (NotReadableError: The folder could not be read.)');
  errors.expectNone();
});

test('measurements on local files are saved with them as an SR and exported with the study', async ({ page, errors }) => {
  const dir = tempDir();
  for (const f of sphereFiles()) fs.writeFileSync(path.join(dir, f.name), f.bytes);
  await page.goto('/');
  await page.getByTestId('folder-input').setInputFiles(dir);
  await expect(page.getByTestId('local-summary')).toContainText('Opened 48 instances', { timeout: 30_000 });
  await page.getByRole('row', { name: /LOCAL, SPHERE/ }).click();
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.getByTestId('stack-scrollbar').fill('29');
  await page.keyboard.press('d');
  const a = await pixelToViewport(vp, 96, 96, 37, 42);
  const b = await pixelToViewport(vp, 96, 96, 77, 42);
  await page.mouse.move(a.box.x + a.x, a.box.y + a.y);
  await page.mouse.down();
  await page.mouse.move(b.box.x + b.x, b.box.y + b.y, { steps: 8 });
  await page.mouse.up();
  // 40 pixels of 2 mm.
  await expect(page.getByTestId('measurement-value')).toHaveText(/^80\.0 mm/);
  await expect(page.getByTestId('save-measurements')).toHaveText('Save report (1 unsaved)');
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toContainText('Saved');
  await expect(page.getByTestId('series-item')).toHaveCount(2);

  await page.getByTestId('export').click();
  const dialog = page.getByTestId('export-dialog');
  await dialog.getByTestId('scope-study').check();
  const downloading = page.waitForEvent('download');
  await dialog.getByTestId('export-zip').click();
  const entries = unzipSync(new Uint8Array(fs.readFileSync(await (await downloading).path())));
  expect(Object.keys(entries)).toHaveLength(49);
  const modalities = Object.values(entries).map((bytes) => {
    const { dict } = dcmjs.data.DicomMessage.readFile(bytes.slice().buffer as ArrayBuffer);
    return String(dict['00080060']?.Value?.[0]);
  });
  expect(modalities.filter((m) => m === 'SR')).toHaveLength(1);
  errors.expectNone();
});

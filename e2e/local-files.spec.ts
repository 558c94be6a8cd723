// Local files: a folder, a DICOMDIR set, a zip and a drop are read in the browser (nothing uploaded) into the
// "Local files" data source, and viewed like PACS studies.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { dcmjs } from '../src/dicom/dcmjs';
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

test('a zip of a study opens locally, entry by entry, past entries that would inflate too far', async ({ page, errors }) => {
  const entries: Record<string, Uint8Array> = {};
  // 64 MiB of zeros (a zip bomb in small): refused on its first bytes. huge.dcm's header will claim 4 GiB.
  entries['export/zeros.bin'] = new Uint8Array(64 * 1024 * 1024);
  entries['export/huge.dcm'] = new TextEncoder().encode('small, whatever its header says');
  for (const f of sphereFiles()) entries[`export/DICOM/${f.name}`] = f.bytes;
  entries['export/index.html'] = new TextEncoder().encode('<html></html>');
  const zip = zipSync(entries, { level: 1 });
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const second = 30 + view.getUint16(26, true) + view.getUint16(28, true) + view.getUint32(18, true);
  view.setUint32(second + 22, 0xfffffff0, true); // huge.dcm's declared size
  await page.goto('/');
  await page.getByTestId('files-input').setInputFiles({ name: 'study.zip', mimeType: 'application/zip', buffer: Buffer.from(zip) });
  await expect(page.getByTestId('local-summary')).toContainText('Opened 48 instances from 1 file', { timeout: 30_000 });
  await expect(page.getByTestId('local-summary')).toContainText('skipped 2 not DICOM, 1 too large');
  await page.getByTestId('local-details').click();
  await expect(page.getByTestId('local-details-dialog')).toContainText('study.zip/export/huge.dcm: too large, its header says it expands to 4 GiB');
  await page.keyboard.press('Escape');
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

test('a dropped DICOMDIR set with a file and a folder the browser cannot read opens the rest and names what failed', async ({ page, errors }) => {
  const src = path.join(PYDICOM, 'dicomdirtests', 'TINY_ALPHA');
  test.skip(!fs.existsSync(src), 'python3-pydicom is not installed');
  const series = 'PT000000/ST000000/SE000000';
  const images = fs.readdirSync(path.join(src, series)).sort();
  // The series folder lists its first 25 files, then fails; one of those (IM00000J) was deleted after the drop.
  const listed = images.slice(0, 25);
  expect(listed).toContain('IM00000J');
  const bytes = (rel: string) => [...fs.readFileSync(path.join(src, rel))];
  const tree = {
    DICOMDIR: bytes('DICOMDIR'),
    files: listed.map((name) => ({ name, bytes: name === 'IM00000J' ? null : bytes(`${series}/${name}`) })),
    loose: { name: sphereFiles()[0]!.name, bytes: [...sphereFiles()[0]!.bytes] },
  };
  await page.goto('/');
  // A real folder drop cannot be scripted: the drop event carries FileSystemEntry objects as Chromium hands them
  // over, and, beside the folder, a file some applications drag out without an entry.
  await page.evaluate((t) => {
    const file = (fullPath: string, data: number[] | null) => ({
      isFile: true,
      isDirectory: false,
      fullPath,
      name: fullPath.split('/').pop(),
      file: (ok: (f: File) => void, ko: (e: unknown) => void) =>
        data ? ok(new File([new Uint8Array(data)], fullPath.split('/').pop()!)) : ko(new DOMException('A requested file or directory could not be found at the time an operation was processed.', 'NotFoundError')),
    });
    /** A folder that answers its children in one batch, then none, or then fails when `fails`. */
    const folder = (fullPath: string, children: unknown[], fails = false) => ({
      isFile: false,
      isDirectory: true,
      fullPath,
      name: fullPath.split('/').pop(),
      createReader: () => {
        let calls = 0;
        return {
          readEntries: (ok: (b: unknown[]) => void, ko: (e: unknown) => void) => {
            calls++;
            if (calls === 1) ok(children);
            else if (fails) ko(new DOMException('The folder could not be read.', 'NotReadableError'));
            else ok([]);
          },
        };
      },
    });
    const se = folder('/TINY_ALPHA/PT000000/ST000000/SE000000', t.files.map((f) => file(`/TINY_ALPHA/PT000000/ST000000/SE000000/${f.name}`, f.bytes)), true);
    const root = folder('/TINY_ALPHA', [file('/TINY_ALPHA/DICOMDIR', t.DICOMDIR), folder('/TINY_ALPHA/PT000000', [folder('/TINY_ALPHA/PT000000/ST000000', [se])])]);
    const loose = new File([new Uint8Array(t.loose.bytes)], t.loose.name);
    const items = [
      { kind: 'file', webkitGetAsEntry: () => root, getAsFile: () => null },
      { kind: 'file', webkitGetAsEntry: () => null, getAsFile: () => loose },
    ];
    const data = { types: ['Files'], files: [], items, dropEffect: 'none' };
    for (const type of ['dragover', 'drop']) {
      const event = new DragEvent(type, { bubbles: true, cancelable: true });
      Object.defineProperty(event, 'dataTransfer', { value: data });
      document.body.dispatchEvent(event);
    }
  }, tree);
  // 24 images of the set and the loose sphere slice; the DICOMDIR is the 26th file read.
  const summary = page.getByTestId('local-summary');
  await expect(summary).toContainText('Opened 25 instances from 26 files', { timeout: 30_000 });
  await expect(summary).toContainText('skipped 2 unreadable');
  // What the folder could not list, and the deleted file, are not "listed in the DICOMDIR but not opened".
  await expect(summary).toContainText('every file the DICOMDIR lists was found');
  await expect(page.getByRole('row', { name: /LOCAL, SPHERE/ })).toContainText('1');
  await page.getByTestId('local-details').click();
  const details = page.getByTestId('local-details-dialog');
  await expect(details).toContainText(`TINY_ALPHA/${series}/IM00000J: unreadable, the browser could not read it (NotFoundError: A requested file or directory could not be found`);
  await expect(details).toContainText(`TINY_ALPHA/${series}/: unreadable, the browser could not list this folder in full (NotReadableError: The folder could not be read.)`);
  await expect(details).not.toContainText('Listed in the DICOMDIR');
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
  // 40 pixels of 2 mm, within a pixel's spacing (the mouse lands on screen pixels, not image pixel centres).
  await expect(page.getByTestId('measurement-value')).toHaveText(/^\d+\.\d mm/);
  await expect.poll(async () => Math.abs(parseFloat((await page.getByTestId('measurement-value').textContent()) ?? '') - 80)).toBeLessThanOrEqual(1);
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

// Measurements on the generated CT (known geometry and HU), saved to the real Orthanc as DICOM SR (C-STORE via
// STOW-RS) and loaded back; undo/redo, delete, rename, CSV, read-only viewing and a refused save.
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import dcmjs from 'dcmjs';
import { ctHuAt } from '../scripts/demo/phantom';
import { parsePart10 } from '../scripts/import/staticTree';
import type { DicomJson } from '../src/dicom/json';
import { patchConfig } from './harness/config';
import { entry } from './harness/fixtures';
import { serveStaticTree, writeStaticStudy } from './harness/staticStudy';
import { readMeasurementGroups } from '../src/model/srContent';
import { test, expect, type CtInfo } from './harness/fixtures';
import { openStudy, pixelToViewport, toolbarCommand, viewport } from './viewer-helpers';

/** The slice the tests measure on, and its geometry (the generator's: 512², first pixel centre at `origin`). */
const SLICE = 100;

function geometry(ct: CtInfo) {
  const origin = ct.firstPosition!;
  // The grid is centred on x = y = 0, so the first pixel centre sits at −(n − 1)/2 · spacing.
  const spacing = (-2 * origin[0]!) / (ct.columns - 1);
  const z = origin[2]! + ((ct.lastPosition![2]! - origin[2]!) * SLICE) / (ct.slices - 1);
  const hu = (column: number, row: number) => ctHuAt(origin[0]! + column * spacing, origin[1]! + row * spacing, z);
  return { spacing, hu };
}

async function openSlice(page: Page, ct: CtInfo, extra = ''): Promise<Locator> {
  const vp = await openStudy(page, [ct.studyInstanceUID], extra);
  await vp.getByTestId('stack-scrollbar').fill(String(SLICE));
  await expect(vp).toHaveAttribute('data-image-index', String(SLICE));
  await expect(vp).toHaveAttribute('data-status', 'ready');
  return vp;
}

/** Page coordinates of image pixel (column, row) of the fitted, unrotated image. */
async function at(vp: Locator, ct: CtInfo, column: number, row: number) {
  const p = await pixelToViewport(vp, ct.columns, ct.rows, column, row);
  return { x: p.box.x + p.x, y: p.box.y + p.y };
}

const xy = (p: { x: number; y: number }): [number, number] => [p.x, p.y];

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

async function drawLength(page: Page, vp: Locator, ct: CtInfo, a: [number, number], b: [number, number]) {
  await page.locator('[data-command="tool.Length"]').click();
  await drag(page, await at(vp, ct, ...a), await at(vp, ct, ...b));
}

/** A centre whose surroundings (radius r pixels) hold one tissue only, inside the body: a uniform ROI. */
function uniformSpot(ct: CtInfo, hu: (c: number, r: number) => number, r: number): { column: number; row: number; value: number } {
  for (let row = 120; row < ct.rows - 120; row += 6) {
    for (let column = 120; column < ct.columns - 120; column += 6) {
      const value = hu(column, row);
      if (value < -200 || value > 300) continue;
      let uniform = true;
      for (let dy = -r - 2; dy <= r + 2 && uniform; dy += 2) {
        for (let dx = -r - 2; dx <= r + 2 && uniform; dx += 2) {
          if (dx * dx + dy * dy <= (r + 2) * (r + 2) && hu(column + dx, row + dy) !== value) uniform = false;
        }
      }
      if (uniform) return { column, row, value };
    }
  }
  throw new Error('no uniform region found on the slice');
}

const measurements = (page: Page) => page.getByTestId('measurement');
const valueOf = async (item: Locator) => Number(/(-?\d+(?:\.\d+)?)/.exec(await item.getByTestId('measurement-value').innerText())![1]);

/**
 * Removes every report series the tests stored in the CT study, so other specs see the study as prepared (the demo's
 * own SR there, e2e/documents.spec.ts's, stays).
 */
async function deleteReports(orthancUrl: string, studyUID: string): Promise<void> {
  const found = (await (await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: studyUID })).json()) as { ID: string; Type: string }[];
  const study = found.find((f) => f.Type === 'Study');
  if (!study) return;
  const series = (await (await fetch(`${orthancUrl}/studies/${study.ID}/series`)).json()) as { ID: string; MainDicomTags: { Modality?: string; SeriesDescription?: string } }[];
  for (const s of series) {
    if (s.MainDicomTags.Modality === 'SR' && s.MainDicomTags.SeriesDescription === 'Measurements (Lumen)') await fetch(`${orthancUrl}/series/${s.ID}`, { method: 'DELETE' });
  }
}

test.afterEach(async ({ manifest, orthancUrl }) => {
  await deleteReports(orthancUrl, manifest.ct!.studyInstanceUID);
});

test('a length, an angle and an ellipse ROI read the phantom’s true size, angle and HU', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const { spacing, hu } = geometry(ct);
  const vp = await openSlice(page, ct);

  // Length between two known pixels: within one pixel spacing of the truth.
  await drawLength(page, vp, ct, [150, 200], [350, 260]);
  await expect(measurements(page)).toHaveCount(1);
  const truth = Math.hypot(200, 60) * spacing;
  await expect.poll(() => valueOf(measurements(page).first())).toBeGreaterThan(0);
  const length = await valueOf(measurements(page).first());
  expect(Math.abs(length - truth)).toBeLessThan(spacing);
  await expect(measurements(page).first().getByTestId('measurement-value')).toHaveText(/ mm$/);
  await expect(measurements(page).first().getByTestId('measurement-note')).toHaveCount(0);

  // Angle of 60° at a known vertex: first arm by dragging, the second by a click.
  await page.locator('[data-command="tool.Angle"]').click();
  const vertex: [number, number] = [256, 300];
  await drag(page, await at(vp, ct, vertex[0] + 120, vertex[1]), await at(vp, ct, ...vertex));
  const end = await at(vp, ct, vertex[0] + 120 * Math.cos(Math.PI / 3), vertex[1] - 120 * Math.sin(Math.PI / 3));
  await page.mouse.move(end.x, end.y, { steps: 4 });
  const angle = measurements(page).nth(1);
  await expect(angle).toHaveAttribute('data-kind', 'Angle');
  // The second arm follows the mouse until the click that ends it: wait for it to be there, then click.
  await expect.poll(() => valueOf(angle)).toBeCloseTo(60, 0);
  await page.mouse.down();
  await page.mouse.up();
  // Ended: moving the mouse away leaves it where it was.
  await page.mouse.move(end.x + 60, end.y + 80, { steps: 4 });
  await expect(angle).toHaveAttribute('data-uid', /.+/);
  await page.waitForTimeout(300);
  expect(Math.abs((await valueOf(angle)) - 60)).toBeLessThan(1);

  // Ellipse inside one tissue: mean HU within ±5 of the phantom's value (noise σ = 8 HU).
  const r = 14;
  const spot = uniformSpot(ct, hu, r);
  await page.locator('[data-command="tool.EllipticalROI"]').click();
  await drag(page, await at(vp, ct, spot.column, spot.row), await at(vp, ct, spot.column + r * 0.7, spot.row + r * 0.7));
  const roi = measurements(page).nth(2);
  await expect(roi).toHaveAttribute('data-kind', 'EllipticalROI');
  await expect(roi.getByTestId('measurement-value')).toHaveText(/Mean -?\d+\.\d HU, SD \d+\.\d HU, Min .* Max .* Area \d+\.\d mm²/);
  const text = await roi.getByTestId('measurement-value').innerText();
  const mean = Number(/Mean (-?\d+\.\d)/.exec(text)![1]);
  const sd = Number(/SD (\d+\.\d)/.exec(text)![1]);
  expect(Math.abs(mean - spot.value)).toBeLessThanOrEqual(5);
  expect(sd).toBeGreaterThan(4);
  expect(sd).toBeLessThan(12);
  await vp.screenshot({ path: test.info().outputPath('measurements.png') });
  errors.expectNone();
});

test('an ROI half off the image gives the values of its part on the image and says so; one wholly off says it is outside', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const { hu } = geometry(ct);
  const vp = await openSlice(page, ct);
  // Zoomed out three steps (0.8³, about the centre): room beside the image to draw in.
  for (let k = 0; k < 3; k++) await page.keyboard.press('-');
  await expect(vp.getByTestId('overlay-zoom')).toHaveText('Zoom 51%');
  const box = (await vp.locator('canvas').first().boundingBox())!;
  const [cx, cy] = [box.x + box.width / 2, box.y + box.height / 2];
  const zoomed = async (column: number, row: number) => {
    const p = await at(vp, ct, column, row);
    return { x: cx + (p.x - cx) * 0.512, y: cy + (p.y - cy) * 0.512 };
  };
  // The mapping is right: the pixel under the mouse is the one aimed at.
  const aim = await zoomed(100, 200);
  await page.mouse.move(aim.x, aim.y);
  await expect(vp.getByTestId('overlay-probe')).toHaveText(/^X (99|100|101) Y (199|200|201) /);

  // A rectangle from 60 pixels left of the image to 20 pixels into it, in the air above the body: the values of
  // columns 0–20 (pixels off the image counted would pull the mean towards 0).
  await page.locator('[data-command="tool.RectangleROI"]').click();
  await drag(page, await zoomed(-60, 100), await zoomed(20, 150));
  const half = measurements(page).first();
  await expect(half).toHaveAttribute('data-kind', 'RectangleROI');
  await expect(half.getByTestId('measurement-value')).toHaveText(/Mean -?\d+\.\d HU/);
  let sum = 0;
  let n = 0;
  for (let row = 100; row <= 150; row++) for (let column = 0; column <= 20; column++) (sum += hu(column, row)), n++;
  const mean = Number(/Mean (-?\d+\.\d)/.exec(await half.getByTestId('measurement-value').innerText())![1]);
  expect(Math.abs(mean - sum / n)).toBeLessThanOrEqual(5);
  await expect(half.getByTestId('measurement-extent')).toHaveText(/^Partly outside the image: statistics over the part on it/);

  // An ellipse wholly beside the image: no values, and the panel says why.
  await page.locator('[data-command="tool.EllipticalROI"]').click();
  await drag(page, await zoomed(-200, 250), await zoomed(-150, 290));
  const off = measurements(page).nth(1);
  await expect(off).toHaveAttribute('data-kind', 'EllipticalROI');
  await expect(off.getByTestId('measurement-extent')).toHaveText('Outside the image: no pixel values');
  await expect(off.getByTestId('measurement-value')).not.toHaveText(/Mean/);
  // Drawing goes on after a shape off the image: a circle wholly on the image, with no such note.
  await toolbarCommand(page, 'tool.CircleROI');
  await drag(page, await zoomed(300, 300), await zoomed(320, 300));
  await expect(measurements(page)).toHaveCount(3);
  await expect(measurements(page).nth(2).getByTestId('measurement-value')).toHaveText(/Mean/);
  await expect(measurements(page).nth(2).getByTestId('measurement-extent')).toHaveCount(0);
  await vp.screenshot({ path: test.info().outputPath('roi-outside.png') });
  errors.expectNone();
});

test('undo, redo, delete and rename work from the keyboard and the panel', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openSlice(page, ct);
  await drawLength(page, vp, ct, [200, 200], [300, 200]);
  await expect(measurements(page)).toHaveCount(1);
  await drawLength(page, vp, ct, [200, 300], [260, 300]);
  await expect(measurements(page)).toHaveCount(2);

  await page.keyboard.press('Control+z');
  await expect(measurements(page)).toHaveCount(1);
  await page.keyboard.press('Control+y');
  await expect(measurements(page)).toHaveCount(2);

  // With the W/L tool chosen, a measurement's handle can still be dragged: the first length grows by half;
  // undo puts the handle back.
  await page.locator('[data-command="tool.windowLevel"]').click();
  const firstValue = await valueOf(measurements(page).first());
  await drag(page, await at(vp, ct, 300, 200), await at(vp, ct, 350, 200));
  await expect.poll(() => valueOf(measurements(page).first())).toBeCloseTo(firstValue * 1.5, 0);
  await page.keyboard.press('Control+z');
  await expect.poll(() => valueOf(measurements(page).first())).toBeCloseTo(firstValue, 1);

  // Select by clicking in the list; Delete removes it; undo brings it back with its value.
  const second = measurements(page).nth(1);
  const value = await second.getByTestId('measurement-value').innerText();
  await second.click();
  await expect(second).toHaveClass(/selected/);
  await page.keyboard.press('Delete');
  await expect(measurements(page)).toHaveCount(1);
  await page.getByTestId('measure-undo').click();
  await expect(measurements(page)).toHaveCount(2);
  await expect(page.getByTestId('measurement-value').filter({ hasText: value })).toHaveCount(1);

  // Rename through the app's dialog; undo restores the old label.
  await measurements(page).first().getByTestId('measurement-rename').click();
  await page.getByTestId('text-prompt-input').fill('lesion <b>A</b>');
  await page.keyboard.press('Enter');
  await expect(measurements(page).first().getByTestId('measurement-label')).toHaveText('lesion <b>A</b>');
  await page.keyboard.press('Control+z');
  await expect(measurements(page).first().getByTestId('measurement-label')).toHaveText('Length');

  // The panel's delete button.
  await measurements(page).first().getByTestId('measurement-delete').click();
  await expect(measurements(page)).toHaveCount(1);

  // CSV export of what is listed.
  const download = page.waitForEvent('download');
  await page.getByTestId('export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('measurements.csv');
  const csv = fs.readFileSync((await file.path())!, 'utf8').trim().split('\r\n');
  expect(csv[0]).toMatch(/^Label,Tool,Series number/);
  expect(csv).toHaveLength(2);
  expect(csv[1]).toMatch(new RegExp(`^,Length,3,.*,${SLICE + 1},1,${ct.sopInstanceUIDs[SLICE]!.replace(/\./g, '\\.')},Length,\\d+\\.\\d+,mm,$`));
  errors.expectNone();
});

test('measurements are saved to Orthanc as DICOM SR and come back on the same images with the same values', async ({
  page,
  manifest,
  orthancUrl,
  errors,
}) => {
  // Draws, saves, reads Orthanc's copy, reloads and restores: it took 58 s of the default 60 s on main under a
  // loaded 2-core machine, and the demo CT study's report and key-image series add metadata to load.
  test.setTimeout(120_000);
  const ct = manifest.ct!;
  const { hu } = geometry(ct);
  const vp = await openSlice(page, ct);
  await drawLength(page, vp, ct, [150, 220], [330, 250]);
  await measurements(page).first().getByTestId('measurement-rename').click();
  await page.getByTestId('text-prompt-input').fill('lesion A');
  await page.keyboard.press('Enter');
  const spot = uniformSpot(ct, hu, 12);
  await page.locator('[data-command="tool.EllipticalROI"]').click();
  await drag(page, await at(vp, ct, spot.column, spot.row), await at(vp, ct, spot.column + 8, spot.row + 8));
  // An arrow with a text, on another image.
  await page.keyboard.press('ArrowDown');
  await expect(vp).toHaveAttribute('data-image-index', String(SLICE + 1));
  await expect(vp).toHaveAttribute('data-status', 'ready');
  await toolbarCommand(page, 'tool.ArrowAnnotate');
  await drag(page, await at(vp, ct, 300, 300), await at(vp, ct, 340, 340));
  await page.getByTestId('text-prompt-input').fill('see here');
  await page.keyboard.press('Enter');
  await expect(measurements(page)).toHaveCount(3);
  await expect(measurements(page).nth(1).getByTestId('measurement-value')).toHaveText(/Mean/);
  await expect(measurements(page).nth(2).getByTestId('measurement-label')).toHaveText('see here');
  const snapshot = () =>
    measurements(page).evaluateAll((items) =>
      items.map((i) => ({
        kind: i.getAttribute('data-kind'),
        label: i.querySelector('[data-testid=measurement-label]')!.textContent,
        value: i.querySelector('[data-testid=measurement-value]')!.textContent,
      })),
    );
  const before = await snapshot();

  await expect(page.getByTestId('save-measurements')).toHaveText('Save to PACS (3 unsaved)');
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toHaveText(/Saved 3 measurements to the PACS \(series \d+\)/);
  await expect(page.getByTestId('save-measurements')).toHaveText('Save to PACS');
  const reportItem = page.getByTestId('series-item').filter({ hasText: 'Measurements (Lumen)' });
  await expect(reportItem).toHaveCount(1);
  // Opening the report just saved shows what is already there, no copies.
  await reportItem.click();
  await expect(page.getByTestId('report-status')).toHaveText('3 measurements shown');
  await expect(measurements(page)).toHaveCount(3);

  // What Orthanc stored: a TID 1500 report on this patient's study, with the values shown and the images used.
  const found = (await (await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: ct.studyInstanceUID })).json()) as { ID: string; Type: string }[];
  const studyId = found.find((f) => f.Type === 'Study')!.ID;
  const instances = (await (await fetch(`${orthancUrl}/studies/${studyId}/instances`)).json()) as { ID: string; MainDicomTags: Record<string, string> }[];
  const srIds = [];
  for (const i of instances) {
    const tags = (await (await fetch(`${orthancUrl}/instances/${i.ID}/simplified-tags`)).json()) as Record<string, string>;
    if (tags.Modality === 'SR' && tags.SeriesDescription === 'Measurements (Lumen)') srIds.push(i.ID);
  }
  expect(srIds).toHaveLength(1);
  const bytes = await (await fetch(`${orthancUrl}/instances/${srIds[0]}/file`)).arrayBuffer();
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dcmjs.data.DicomMessage.readFile(bytes).dict);
  expect(ds.StudyInstanceUID).toBe(ct.studyInstanceUID);
  const groups = readMeasurementGroups(ds);
  expect(groups.map((g) => g.trackingIdentifier.split(':').pop()).sort()).toEqual(['ArrowAnnotate', 'EllipticalROI', 'Length']);
  const length = groups.find((g) => g.trackingIdentifier.endsWith(':Length'))!;
  expect(length.label).toBe('lesion A');
  expect(length.graphic?.sopInstanceUID).toBe(ct.sopInstanceUIDs[SLICE]);
  expect(before[0]!.value).toBe(`${length.values[0]!.value.toFixed(1)} mm`);
  expect(groups.find((g) => g.trackingIdentifier.endsWith(':ArrowAnnotate'))!.graphic?.sopInstanceUID).toBe(ct.sopInstanceUIDs[SLICE + 1]);

  // A new session: nothing drawn; opening the report puts the same measurements back.
  await page.reload();
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(measurements(page)).toHaveCount(0);
  await page.getByTestId('series-item').filter({ hasText: 'Measurements (Lumen)' }).click();
  await expect(page.getByTestId('report-status')).toHaveText('3 measurements shown');
  await expect(measurements(page)).toHaveCount(3);
  // Values are measured again on their images: jump to each and compare.
  for (const m of before) {
    const item = measurements(page).filter({ has: page.getByTestId('measurement-label').getByText(m.label!, { exact: true }) });
    await item.click();
    await expect(item.getByTestId('measurement-value')).toHaveText(m.value!);
  }
  await expect(viewport(page, 0)).toHaveAttribute('data-image-index', String(SLICE + 1));
  await measurements(page).filter({ hasText: 'lesion A' }).click();
  await expect(viewport(page, 0)).toHaveAttribute('data-image-index', String(SLICE));
  // Restored measurements count as saved; opening the report again adds nothing.
  await expect(page.getByTestId('save-measurements')).toHaveText('Save to PACS');
  await page.getByTestId('series-item').filter({ hasText: 'Measurements (Lumen)' }).click();
  await expect(measurements(page)).toHaveCount(3);
  await viewport(page, 0).screenshot({ path: test.info().outputPath('restored.png') });
  errors.expectNone();
});

test('a shape keeps its final values when the reader moves to the next image straight after drawing it', async ({ page, manifest, errors }) => {
  // Cornerstone measures a shape while it is drawn, at most every 100 ms, and only on the image shown: a step to
  // the next image at once must not leave the panel (and a saved report) with the values from mid-drag.
  const ct = manifest.ct!;
  const { spacing } = geometry(ct);
  const vp = await openSlice(page, ct);
  // Large enough that the mouse's whole-pixel positions move the area by under 5%; a value from before the
  // last of the drag's 12 steps is 16% short or more.
  const r = 40;
  const spot = { column: 256, row: 256 };
  await page.locator('[data-command="tool.EllipticalROI"]').click();
  const area = Math.PI * r * r * spacing * spacing;
  const areaOf = async () => Number(/Area (\d+(?:\.\d)?) mm²/.exec(await measurements(page).first().getByTestId('measurement-value').innerText())?.[1]);
  for (let attempt = 0; attempt < 3; attempt++) {
    await page.mouse.move(...xy(await at(vp, ct, spot.column, spot.row)));
    await page.mouse.down();
    await page.mouse.move(...xy(await at(vp, ct, spot.column + r, spot.row + r)), { steps: 12 });
    await page.mouse.up();
    await page.keyboard.press('ArrowDown');
    await expect(vp).toHaveAttribute('data-image-index', String(SLICE + 1));
    await expect(measurements(page)).toHaveCount(1);
    await expect.poll(areaOf).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    expect(Math.abs((await areaOf()) - area) / area, `attempt ${attempt + 1}: ${await areaOf()} mm² against ${area.toFixed(1)}`).toBeLessThan(0.07);
    // Undo takes the viewer back to the image the shape was on.
    await page.keyboard.press('Control+z');
    await expect(measurements(page)).toHaveCount(0);
    await expect(vp).toHaveAttribute('data-image-index', String(SLICE));
    await expect(vp).toHaveAttribute('data-status', 'ready');
  }
  errors.expectNone();
});

test('the click that ends an angle is kept when a toolbar button is clicked straight after', async ({ page, manifest, errors }) => {
  // Cornerstone holds a click on the image for 400 ms, to tell it from a double click; a click elsewhere in that
  // time used to drop it, and the angle went on following the mouse.
  const ct = manifest.ct!;
  const vp = await openSlice(page, ct);
  await page.locator('[data-command="tool.Angle"]').click();
  await drag(page, await at(vp, ct, 100, 200), await at(vp, ct, 150, 200));
  await page.mouse.move(...xy(await at(vp, ct, 150, 250)), { steps: 4 });
  const angle = measurements(page).first();
  await expect.poll(() => valueOf(angle)).toBeCloseTo(90, 0);
  const length = (await page.locator('[data-command="tool.Length"]').boundingBox())!;
  await page.mouse.down();
  await page.mouse.up();
  await page.mouse.click(length.x + length.width / 2, length.y + length.height / 2);
  await expect(page.locator('[data-command="tool.Length"]')).toHaveAttribute('aria-pressed', 'true');
  // Over the image again: the ended angle no longer follows the mouse.
  await page.mouse.move(...xy(await at(vp, ct, 300, 320)), { steps: 6 });
  await page.waitForTimeout(600);
  expect(Math.abs((await valueOf(angle)) - 90)).toBeLessThan(1);
  await drag(page, await at(vp, ct, 300, 100), await at(vp, ct, 400, 110));
  await expect(measurements(page)).toHaveCount(2);
  await expect(measurements(page).nth(1)).toHaveAttribute('data-kind', 'Length');
  expect(Math.abs((await valueOf(angle)) - 90)).toBeLessThan(1);
  errors.expectNone();
});

test('a refused save says why, keeps the measurements, and can be retried', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openSlice(page, ct);
  await drawLength(page, vp, ct, [200, 200], [300, 200]);
  await expect(measurements(page)).toHaveCount(1);
  let refused = 0;
  await page.route('**/dicom-web/studies/*', async (route) => {
    if (route.request().method() !== 'POST') return route.fallback();
    refused++;
    await route.fulfill({ status: 503, contentType: 'text/plain', body: 'storage is read-only' });
  });
  errors.ignore('the server responded with a status of 503');
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toHaveText(
    /Saving the measurements failed: Store \(STOW-RS\) failed: http:\/\/127\.0\.0\.1:\d+\/dicom-web\/studies\/[\d.]+ answered 503 Service Unavailable — storage is read-only\. Your measurements are still here/,
  );
  expect(refused).toBe(1);
  await expect(measurements(page)).toHaveCount(1);
  await expect(page.getByTestId('save-measurements')).toHaveText('Save to PACS (1 unsaved)');
  await page.unroute('**/dicom-web/studies/*');
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toHaveText(/Saved 1 measurement to the PACS/);
  errors.expectNone();
});

test('leaving with unsaved measurements asks first: the study list link and the browser’s Back', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  // Arrive from the study list, as a reader does, so Back stays inside the app.
  await page.goto('/');
  const patientId = manifest.studies.find((st) => st.studyInstanceUID === ct.studyInstanceUID)!.patientId;
  await page.getByTestId('study-row').filter({ hasText: patientId }).first().click();
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.getByTestId('stack-scrollbar').fill(String(SLICE));
  await expect(vp).toHaveAttribute('data-image-index', String(SLICE));
  await drawLength(page, vp, ct, [200, 200], [300, 200]);
  await expect(measurements(page)).toHaveCount(1);
  const asked: string[] = [];
  // Stay (dismiss) the first two times, leave the third.
  page.on('dialog', (d) => {
    asked.push(d.message());
    void (asked.length < 3 ? d.dismiss() : d.accept());
  });
  await page.goBack();
  await expect.poll(() => asked.length).toBe(1);
  await expect(page).toHaveURL(/\/viewer\?/);
  await expect(measurements(page)).toHaveCount(1);
  await page.getByTestId('back-to-worklist').click();
  await expect.poll(() => asked.length).toBe(2);
  await expect(measurements(page)).toHaveCount(1);
  await page.goBack();
  await expect.poll(() => asked.length).toBe(3);
  await expect(page.getByTestId('study-row').first()).toBeVisible();
  expect(asked.every((m) => m === 'Leave without saving your measurements to the PACS?')).toBe(true);
  errors.expectNone();
});

test('read-only viewing (per link or by configuration) hides every tool that edits', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openSlice(page, ct, '&readonly=1');
  await expect(page.getByTestId('measure-tools')).toHaveCount(0);
  await expect(page.getByTestId('save-measurements')).toHaveCount(0);
  await expect(page.getByTestId('measure-undo')).toHaveCount(0);
  await expect(page.getByTestId('export-csv')).toBeVisible();
  // The length hotkey does nothing; a drag stays a window/level drag.
  await page.keyboard.press('d');
  const box = (await vp.boundingBox())!;
  await drag(page, { x: box.x + 200, y: box.y + 200 }, { x: box.x + 320, y: box.y + 260 });
  await expect(measurements(page)).toHaveCount(0);
  await expect(page.locator('[data-command="tool.windowLevel"]')).toHaveAttribute('aria-pressed', 'true');

  // The same from config.json, for a deployment that only views.
  await patchConfig(page, (config) => ({ ...config, readOnly: true }));
  await openSlice(page, ct);
  await expect(page.getByTestId('measure-tools')).toHaveCount(0);
  await expect(page.getByTestId('save-measurements')).toHaveCount(0);
  errors.expectNone();
});

test('every tool draws and lists its values, and all of them come back from the saved report (auto-opened by config)', async ({
  page,
  manifest,
  errors,
}) => {
  test.setTimeout(120_000);
  const ct = manifest.ct!;
  const vp = await openSlice(page, ct);
  const tool = (kind: string) => toolbarCommand(page, `tool.${kind}`);
  const p = (c: number, r: number) => at(vp, ct, c, r);
  const click = async (c: number, r: number) => {
    const q = await p(c, r);
    await page.mouse.click(q.x, q.y);
  };
  const answer = async (text: string) => {
    await page.getByTestId('text-prompt-input').fill(text);
    await page.keyboard.press('Enter');
  };

  await tool('Length');
  await drag(page, await p(100, 150), await p(200, 150));
  await expect(measurements(page)).toHaveCount(1);
  await tool('Angle');
  await drag(page, await p(100, 200), await p(150, 200));
  {
    const q = await p(150, 250);
    await page.mouse.move(q.x, q.y, { steps: 4 });
    await expect.poll(() => valueOf(measurements(page).nth(1))).toBeCloseTo(90, 0);
    await page.mouse.down();
    await page.mouse.up();
  }
  await expect(measurements(page)).toHaveCount(2);
  await tool('CobbAngle');
  await drag(page, await p(300, 100), await p(400, 110));
  await drag(page, await p(300, 180), await p(400, 160));
  await expect(measurements(page)).toHaveCount(3);
  await tool('Bidirectional');
  await drag(page, await p(250, 330), await p(330, 330));
  await expect(measurements(page)).toHaveCount(4);
  await tool('EllipticalROI');
  await drag(page, await p(140, 320), await p(160, 335));
  await expect(measurements(page)).toHaveCount(5);
  await tool('RectangleROI');
  await drag(page, await p(180, 380), await p(220, 410));
  await expect(measurements(page)).toHaveCount(6);
  await tool('CircleROI');
  await drag(page, await p(350, 380), await p(362, 380));
  await expect(measurements(page)).toHaveCount(7);
  await tool('PlanarFreehandROI');
  {
    const path = [
      [380, 250],
      [420, 250],
      [420, 290],
      [380, 290],
      [380, 251],
    ];
    const first = await p(path[0]![0]!, path[0]![1]!);
    await page.mouse.move(first.x, first.y);
    await page.mouse.down();
    for (const [c, r] of path.slice(1)) {
      const q = await p(c!, r!);
      await page.mouse.move(q.x, q.y, { steps: 6 });
    }
    await page.mouse.up();
  }
  await expect(measurements(page)).toHaveCount(8);
  await tool('Probe');
  // Away from every other annotation's text box (a click on one selects that annotation instead).
  await click(460, 180);
  await expect(measurements(page)).toHaveCount(9);
  await tool('ArrowAnnotate');
  await drag(page, await p(60, 60), await p(90, 90));
  await answer('arrow text');
  await expect(measurements(page)).toHaveCount(10);
  await tool('Label');
  await click(450, 60);
  await answer('text label');

  await expect(measurements(page)).toHaveCount(11);
  const kinds = ['Length', 'Angle', 'CobbAngle', 'Bidirectional', 'EllipticalROI', 'RectangleROI', 'CircleROI', 'PlanarFreehandROI', 'Probe', 'ArrowAnnotate', 'Label'];
  await expect(measurements(page)).toHaveCount(kinds.length);
  expect(await measurements(page).evaluateAll((items) => items.map((i) => i.getAttribute('data-kind')))).toEqual(kinds);
  const expected: Record<string, RegExp> = {
    Length: /^\d+\.\d mm$/,
    Angle: /^\d+\.\d°$/,
    CobbAngle: /^\d+\.\d°$/,
    Bidirectional: /^\d+\.\d mm × \d+\.\d mm$/,
    EllipticalROI: /^Mean -?\d+\.\d HU, SD \d+\.\d HU, Min -?\d+\.\d HU, Max -?\d+\.\d HU, Area \d+\.\d mm²$/,
    RectangleROI: /^Mean -?\d+\.\d HU, .*Area \d+\.\d mm²$/,
    CircleROI: /^Mean -?\d+\.\d HU, .*Area \d+\.\d mm²$/,
    PlanarFreehandROI: /^Mean -?\d+\.\d HU, .*Area \d+\.\d mm²$/,
    Probe: /^-?\d+(\.\d)? HU$/,
    ArrowAnnotate: /^$/,
    Label: /^$/,
  };
  for (const [i, kind] of kinds.entries()) {
    await expect(measurements(page).nth(i).getByTestId('measurement-value'), kind).toHaveText(expected[kind]!);
  }
  // The probe reads the phantom's value on this slice (not on the first image: Cornerstone's own probe would).
  const probe = await valueOf(measurements(page).nth(8));
  expect(Math.abs(probe - geometry(ct).hu(460, 180))).toBeLessThan(40); // noise σ = 8 HU
  await expect(measurements(page).nth(9).getByTestId('measurement-label')).toHaveText('arrow text');
  await expect(measurements(page).nth(10).getByTestId('measurement-label')).toHaveText('text label');
  const before = await measurements(page).evaluateAll((items) =>
    items.map((i) => `${i.getAttribute('data-kind')}|${i.querySelector('[data-testid=measurement-label]')!.textContent}|${i.querySelector('[data-testid=measurement-value]')!.textContent}`),
  );
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toHaveText(/Saved 11 measurements/);

  // A deployment that opens the newest report with the study: no click needed. (This page route takes config.json
  // from the server, ahead of the fixture's `stackRendering`: in the gpu-stacks project the report drawn and saved
  // on WebGL is reopened on the CPU pipeline, and must read the same.)
  await patchConfig(page, (config) => ({ ...config, autoLoadMeasurementReports: true }));
  await page.reload();
  await expect(page.getByTestId('report-status')).toHaveText('11 measurements shown', { timeout: 30_000 });
  await expect(measurements(page)).toHaveCount(11);
  await vp.getByTestId('stack-scrollbar').fill(String(SLICE));
  await expect(vp).toHaveAttribute('data-status', 'ready');
  const after = measurements(page);
  await expect
    .poll(() =>
      after.evaluateAll((items) =>
        items.map((i) => `${i.getAttribute('data-kind')}|${i.querySelector('[data-testid=measurement-label]')!.textContent}|${i.querySelector('[data-testid=measurement-value]')!.textContent}`),
      ),
    )
    .toEqual(before);
  await vp.screenshot({ path: test.info().outputPath('all-tools.png') });
  errors.expectNone();
});

test('images without PixelSpacing say how their lengths are calibrated; a static source cannot save', async ({ page, manifest, errors }) => {
  const src = parsePart10(new Uint8Array(fs.readFileSync(entry(manifest, 'explicit-le').uploadedPath)));
  const STUDY = '2.25.4242424242';
  const variant = (n: number, description: string, change: (md: DicomJson) => void) => {
    const md = JSON.parse(JSON.stringify(src.metadata)) as DicomJson;
    delete md['00280030'];
    change(md);
    return {
      uid: `${STUDY}.${n}`,
      description,
      modality: n === 1 ? 'OT' : 'DX',
      number: n,
      instances: [{ metadata: { ...md, '00080018': { vr: 'UI', Value: [`${STUDY}.${n}.1`] } }, frames: [src.frames[0]!], transferSyntaxUID: src.frameTransferSyntaxUID }],
    };
  };
  const server = await serveStaticTree('calibration', (dir) =>
    writeStaticStudy(dir, {
      uid: STUDY,
      patientName: 'CALIBRATION^TEST',
      series: [
        variant(1, 'no spacing', () => {}),
        variant(2, 'detector spacing', (md) => {
          md['00181164'] = { vr: 'DS', Value: [0.5, 0.5] };
        }),
      ],
    }),
  );
  try {
    await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}`);
    const vp = viewport(page, 0);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    const draw = async () => {
      const a = await pixelToViewport(vp, 64, 64, 10, 32);
      const b = await pixelToViewport(vp, 64, 64, 50, 32);
      await page.locator('[data-command="tool.Length"]').click();
      await drag(page, { x: a.box.x + a.x, y: a.box.y + a.y }, { x: b.box.x + b.x, y: b.box.y + b.y });
    };
    await draw();
    const first = measurements(page).first();
    await expect(first.getByTestId('measurement-value')).toHaveText(/^(39|40|41)\.\d px$/);
    await expect(first.getByTestId('measurement-note')).toHaveText('Uncalibrated image: lengths and areas are in pixels');

    await page.getByTestId('series-item').filter({ hasText: 'detector spacing' }).click();
    await expect(vp).toHaveAttribute('data-series-uid', `${STUDY}.2`);
    await expect(vp).toHaveAttribute('data-status', 'ready');
    await draw();
    const second = measurements(page).nth(1);
    await expect(second.getByTestId('measurement-value')).toHaveText(/^(19|20|21)\.\d mm/);
    await expect(second.getByTestId('measurement-note')).toHaveText(/Calibrated at the detector \(Imager Pixel Spacing\)/);

    await expect(page.getByTestId('save-measurements')).toBeDisabled();
    await expect(page.getByTestId('save-measurements')).toHaveAttribute('title', 'This data source cannot store');
    errors.expectNone();
  } finally {
    await server.stop();
  }
});

// DICOM SEG over the demo CT (scripts/demo/objects/seg.ts made them from the phantom, so where each segment lies is
// known): opened by a deep link naming the SEG and from the series panel, drawn over the CT in its recommended
// colour at the structure it labels, shown/hidden, faded and outlined from the segments panel, named under the
// pointer, in MPR's other planes too; a fractional SEG at its 50% surface; a SEG whose images are not in the study
// and a broken SEG file say so.
import fs from 'node:fs';
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import type { CtInfo, ManifestEntry } from './harness/manifest';
import { canvasRgbAt, openStudy, pixelToViewport, viewport } from './viewer-helpers';
import { toCanvas } from './mpr-helpers';
import { SEG_DEMO } from '../scripts/demo/objects/seg';

type Rgb = [number, number, number];
type Point = readonly [number, number, number];

function segEntry(manifest: { entries: ManifestEntry[] }, description: string): ManifestEntry {
  const e = manifest.entries.find((x) => x.modality === 'SEG' && x.seriesDescription === description);
  if (!e) throw new Error(`no SEG "${description}" in the e2e data`);
  return e;
}

/** The CT's slice index and pixel (column, row) of a patient point (axial slices on a grid centred on x = y = 0). */
function ctPixel(ct: CtInfo, p: Point) {
  const first = ct.firstPosition!;
  const last = ct.lastPosition!;
  const spacing = (-2 * first[0]!) / (ct.columns - 1);
  const step = (last[2]! - first[2]!) / (ct.slices - 1);
  return { slice: Math.round((p[2] - first[2]!) / step), column: Math.round((p[0] - first[0]!) / spacing), row: Math.round((p[1] - first[1]!) / spacing) };
}

/** Mean colour of a 5×5 patch of a viewport's canvas around (x, y) CSS px of its element. */
async function rgbAt(pane: Locator, at: { x: number; y: number }): Promise<Rgb> {
  return pane.locator('canvas').first().evaluate(
    (c: HTMLCanvasElement, [px, py]) => {
      const r = c.getBoundingClientRect();
      const sx = Math.round((px! * c.width) / r.width);
      const sy = Math.round((py! * c.height) / r.height);
      const d = c.getContext('2d')!.getImageData(sx - 2, sy - 2, 5, 5).data;
      const sum = [0, 0, 0];
      for (let i = 0; i < d.length; i += 4) for (let k = 0; k < 3; k++) sum[k]! += d[i + k]!;
      return sum.map((v) => Math.round(v / 25)) as [number, number, number];
    },
    [at.x, at.y],
  );
}

/** How far a pixel is from grey (0 for the CT alone). */
const tint = ([r, g, b]: Rgb) => Math.max(r, g, b) - Math.min(r, g, b);

async function openSegLink(page: Page, ct: CtInfo, seg: ManifestEntry, extra = ''): Promise<Locator> {
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&SeriesInstanceUID=${seg.seriesInstanceUID}&layout=1x1${extra}`);
  const vp = viewport(page, 0);
  // The link names the SEG: the viewport shows the CT it was made on.
  await expect(vp).toHaveAttribute('data-series-uid', ct.seriesInstanceUID, { timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  return vp;
}

async function showSlice(vp: Locator, slice: number): Promise<void> {
  await vp.getByTestId('stack-scrollbar').fill(String(slice));
  await expect(vp).toHaveAttribute('data-image-index', String(slice));
  await expect(vp).toHaveAttribute('data-status', 'ready');
}

test('a SEG named by a link is drawn over its CT in each segment’s colour, where the segment is; the panel hides, fades and outlines it; the segment under the pointer is named', async ({ page, manifest, errors }) => {
  test.setTimeout(120_000);
  const ct = manifest.ct!;
  const vp = await openSegLink(page, ct, segEntry(manifest, 'Liver and lesion (synthetic AI)'));
  const set = page.getByTestId('overlay-set');
  await expect(set).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // Segmentations are drawn by Cornerstone's WebGL pipeline, whatever draws the other stacks.
  await expect(vp.locator('[data-rendering]')).toHaveAttribute('data-rendering', 'gpu');

  // The panel: each segment with its label, algorithm and recommended colour (CIELab in the file → sRGB).
  const rows = page.getByTestId('segment-row');
  await expect(rows.getByTestId('segment-label')).toHaveText(['Liver', 'Liver lesion']);
  await expect(rows.nth(0)).toContainText('Lumen demo threshold');
  await expect(rows.nth(1)).toContainText('Lumen demo lesion finder');
  await expect(rows.nth(0)).toHaveAttribute('data-color', '200,80,60');
  await expect(rows.nth(1)).toHaveAttribute('data-color', '250,220,40');

  const lesion = ctPixel(ct, SEG_DEMO.liverLesion.centre);
  await showSlice(vp, lesion.slice);
  const where = async (p: Point) => {
    const { column, row } = ctPixel(ct, p);
    const v = await pixelToViewport(vp, ct.columns, ct.rows, column, row);
    return { x: v.x, y: v.y, page: { x: v.box.x + v.x, y: v.box.y + v.y } };
  };
  const atLesion = await where(SEG_DEMO.liverLesion.centre);
  const atLiver = await where(SEG_DEMO.liverPoint);
  const atOutside = await where(SEG_DEMO.outsidePoint);

  // Liver red-brown over the liver; the lesion, which overlaps it, yellow over the lesion; the stomach untouched.
  await expect.poll(async () => tint(await rgbAt(vp, atLiver)), { message: 'the liver is coloured' }).toBeGreaterThan(40);
  const liver = await rgbAt(vp, atLiver);
  expect(liver[0] - liver[1], `liver ${liver}`).toBeGreaterThan(40);
  const both = await rgbAt(vp, atLesion);
  expect(both[1] - both[2], `lesion ${both}`).toBeGreaterThan(50);
  expect(tint(await rgbAt(vp, atOutside)), 'outside the liver').toBeLessThan(6);

  // The segment under the pointer is named (the lesion is drawn over the liver).
  await page.mouse.move(atLesion.page.x, atLesion.page.y);
  await expect(vp.getByTestId('overlay-segment')).toHaveText('Liver lesion');
  await page.mouse.move(atLiver.page.x, atLiver.page.y);
  await expect(vp.getByTestId('overlay-segment')).toHaveText('Liver');
  await page.mouse.move(atOutside.page.x, atOutside.page.y);
  await expect(vp.getByTestId('overlay-segment')).toHaveCount(0);

  // Hiding the lesion leaves the liver's colour there; hiding all leaves the CT.
  await rows.nth(1).getByTestId('segment-visible').click();
  await expect.poll(async () => { const c = await rgbAt(vp, atLesion); return c[0] - c[1]; }, { message: 'only the liver at the lesion' }).toBeGreaterThan(40);
  await page.mouse.move(atLesion.page.x, atLesion.page.y);
  await expect(vp.getByTestId('overlay-segment')).toHaveText('Liver');
  await page.getByTestId('segments-toggle-all').click();
  await expect.poll(async () => tint(await rgbAt(vp, atLesion))).toBeLessThan(6);
  await expect.poll(async () => tint(await rgbAt(vp, atLiver))).toBeLessThan(6);
  await page.getByTestId('segments-toggle-all').click();
  await expect.poll(async () => tint(await rgbAt(vp, atLesion))).toBeGreaterThan(40);

  // Opacity: fully opaque, the liver is its own colour.
  await page.getByTestId('segments-opacity').fill('1');
  await expect.poll(async () => { const c = await rgbAt(vp, atLiver); return Math.max(...c.map((v, i) => Math.abs(v - [200, 80, 60][i]!))); }).toBeLessThanOrEqual(12);
  // Outlines only: the inside of the liver is the CT again, its edge still coloured.
  await page.getByTestId('segments-mode').selectOption('outline');
  await expect.poll(async () => tint(await rgbAt(vp, atLiver))).toBeLessThan(6);
  await vp.screenshot({ path: test.info().outputPath('seg-outline.png') });
  errors.expectNone();
});

test('in MPR the segmentation sits on the lesion in the sagittal and coronal planes', async ({ page, manifest, errors }) => {
  test.setTimeout(120_000);
  const ct = manifest.ct!;
  const vp = await openSegLink(page, ct, segEntry(manifest, 'Liver and lesion (synthetic AI)'));
  await expect(page.getByTestId('overlay-set')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const centre = SEG_DEMO.liverLesion.centre;
  await showSlice(vp, ctPixel(ct, centre).slice);
  await page.keyboard.press('m');
  const view = page.getByTestId('mpr-view');
  await expect(view).toHaveAttribute('data-status', 'ready', { timeout: 60_000 });
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 60_000 });
  // The crosshairs to the lesion: a click on the axial plane at its (x, y) moves the other two planes through it.
  // The lesion lies near the planes' first horizontal line, where a click would take the line: a click elsewhere first.
  const axial = page.getByTestId('mpr-axial');
  const box = (await axial.boundingBox())!;
  for (const p of [[60, -40, centre[2]], centre] as const) {
    const target = await toCanvas(axial, p);
    await page.mouse.click(box.x + target.x, box.y + target.y);
  }
  const centreNow = async () => ((await view.getAttribute('data-center')) ?? '').split(',').map(Number);
  await expect.poll(async () => Math.abs((await centreNow())[0]! - centre[0])).toBeLessThan(3);
  expect(Math.abs((await centreNow())[1]! - centre[1])).toBeLessThan(3);
  for (const plane of ['sagittal', 'coronal']) {
    const pane = page.getByTestId(`mpr-${plane}`);
    // Yellow over the lesion (over the liver's red-brown); grey in the lung above it.
    await expect.poll(async () => { const c = await rgbAt(pane, await toCanvas(pane, centre)); return c[1] - c[2]; }, { message: `${plane}: the lesion's colour`, timeout: 20_000 }).toBeGreaterThan(50);
    expect(tint(await rgbAt(pane, await toCanvas(pane, [centre[0], centre[1], 60]))), `${plane}: lung`).toBeLessThan(6);
    await pane.screenshot({ path: test.info().outputPath(`seg-mpr-${plane}.png`) });
  }
  errors.expectNone();
});

test('from the series panel: a cut-short SEG says so in its viewport, a fractional SEG shows where the fraction is at least 50%, a SEG made on other images says they are missing', async ({ page, manifest, errors }) => {
  test.setTimeout(120_000);
  const ct = manifest.ct!;
  const liver = segEntry(manifest, 'Liver and lesion (synthetic AI)');
  const nodule = segEntry(manifest, 'Lung nodule probability (synthetic AI)');
  const elsewhere = segEntry(manifest, 'Lesion on another series (synthetic)');
  // The liver SEG arrives cut in half.
  const file = fs.readFileSync(liver.uploadedPath);
  await page.route(`**/series/${liver.seriesInstanceUID}/instances/**`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/dicom', body: file.subarray(0, file.length >> 1) }),
  );
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  const item = (seg: ManifestEntry) => page.locator(`[data-testid=series-item][data-series-uid="${seg.seriesInstanceUID}"]`);
  await item(liver).click();
  await expect(vp.getByTestId('seg-error')).toContainText('Liver and lesion (synthetic AI)', { timeout: 30_000 });
  await expect(vp.getByTestId('seg-error')).toContainText('its file is cut short');
  // The rest of the viewer works: the CT is shown under the message; closing the segmentation clears it.
  await expect(vp).toHaveAttribute('data-series-uid', ct.seriesInstanceUID);
  await page.getByRole('button', { name: 'Close Liver and lesion (synthetic AI)' }).click();
  await expect(vp.getByTestId('seg-error')).toHaveCount(0);

  // Fractional: the nodule's probability is 1 within 5 mm, 0 beyond 9 mm, one half at its 7 mm surface.
  await item(nodule).click();
  await expect(page.getByTestId('overlay-set')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('overlay-set')).toContainText('Fractional: shown where the fraction is at least 50%');
  const [cx, cy, cz] = SEG_DEMO.nodule.centre;
  const slice = ctPixel(ct, SEG_DEMO.nodule.centre).slice;
  await showSlice(vp, slice);
  const colourAt = async (p: Point) => {
    const { column, row } = ctPixel(ct, p);
    const v = await pixelToViewport(vp, ct.columns, ct.rows, column, row);
    return canvasRgbAt(vp, v.x, v.y);
  };
  // Cyan (40 200 230) at 6 mm (probability 0.75); not at 8 mm (0.25), where the lung is black.
  await expect.poll(async () => { const c = await colourAt([cx + 6, cy, cz]); return c[2] - c[0]; }, { message: 'inside the 50% surface' }).toBeGreaterThan(40);
  expect(tint(await colourAt([cx + 8, cy, cz])), 'outside the 50% surface').toBeLessThan(6);
  expect(tint(await colourAt([cx, cy - 8, cz])), 'outside the 50% surface').toBeLessThan(6);

  // A SEG made on a series this study does not have, dragged into the viewport.
  await item(elsewhere).dragTo(vp);
  await expect(vp.getByTestId('seg-message')).toContainText('are not in this study');
  await expect(vp.getByTestId('seg-message')).toHaveAttribute('role', 'alert');
  errors.expectNone();
});

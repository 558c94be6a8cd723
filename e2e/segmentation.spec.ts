// DICOM SEG over the demo CT (scripts/demo/objects/seg.ts made them from the phantom, so where each segment lies is
// known): opened from the series panel and by a deep link naming the SEG, drawn over the CT in its recommended colour
// at the structure it labels, shown/hidden and faded from the segments panel, named under the pointer, in MPR too;
// a SEG whose images are not in the study says so.
import { test, expect } from './harness/fixtures';
import type { CtInfo, ManifestEntry } from './harness/manifest';
import { canvasRgbAt, pixelToViewport, viewport } from './viewer-helpers';
import { SEG_DEMO } from '../scripts/demo/objects/seg';

function segEntry(manifest: { entries: ManifestEntry[] }, description: string): ManifestEntry {
  const e = manifest.entries.find((x) => x.modality === 'SEG' && x.seriesDescription === description);
  if (!e) throw new Error(`no SEG "${description}" in the e2e data`);
  return e;
}

/** The CT's slice index and pixel (column, row) of a patient point (axial slices, grid centred on x = y = 0). */
function ctPixel(ct: CtInfo, p: readonly [number, number, number]) {
  const first = ct.firstPosition!;
  const last = ct.lastPosition!;
  const spacing = (-2 * first[0]!) / (ct.columns - 1);
  const step = (last[2]! - first[2]!) / (ct.slices - 1);
  return {
    slice: Math.round((p[2] - first[2]!) / step),
    column: Math.round((p[0] - first[0]!) / spacing),
    row: Math.round((p[1] - first[1]!) / spacing),
  };
}

test('explore', async ({ page, manifest }) => {
  const ct = manifest.ct!;
  const liver = segEntry(manifest, 'Liver and lesion (synthetic AI)');
  page.on('console', (m) => console.log('console:', m.type(), m.text()));
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&SeriesInstanceUID=${liver.seriesInstanceUID}&layout=1x1`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-series-uid', ct.seriesInstanceUID, { timeout: 30_000 });
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  const lesion = ctPixel(ct, SEG_DEMO.liverLesion.centre);
  await vp.getByTestId('stack-scrollbar').fill(String(lesion.slice));
  await page.waitForTimeout(4000);
  await page.screenshot({ path: test.info().outputPath('seg.png') });
  const p = await pixelToViewport(vp, ct.columns, ct.rows, lesion.column, lesion.row);
  console.log('rgb lesion', await canvasRgbAt(vp, p.x, p.y), await vp.locator('.viewport-element').first().getAttribute('data-rendering'));
});

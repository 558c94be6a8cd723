// Every transfer syntax the loader supports displays correctly: the value the viewer reports under the mouse
// matches the same pixel decoded independently (DCMTK/GDCM reference files), and colour images show the
// reference RGB on the canvas.
import { patchConfig, withDataSource } from './harness/config';
import { test, expect, type ManifestEntry } from './harness/fixtures';
import { loadManifest, readRunInfo } from './harness/run-info';
import { canvasRgbAt, drawnStats, expectCtProbes, openStudy, pixelToViewport, probePixel } from './viewer-helpers';

const entries = loadManifest().entries.filter((e) => e.group === 'transfer-syntax' || e.label === 'demo-palette');

// Tall enough that a 1024-row image is shown at ≥ 1 screen pixel per image pixel, so a hover hits one pixel.
test.use({ viewport: { width: 1280, height: 1400 } });

function tolerance(e: ManifestEntry): number {
  if (!e.lossy) return 0.01;
  // Lossy decoders may differ from DCMTK/GDCM by a few units of the stored range.
  return Math.max(2, 2 ** e.bitsStored * 0.01);
}

for (const e of entries) {
  const probe = readRunInfo().frameProbes[e.label];
  // Orthanc 1.10 answers 400 to every frame request of native YBR_FULL_422; the static-tree spec covers it.
  const serverCannot = probe !== undefined && probe.star.status >= 400 && probe.plain.status >= 400;
  test(`${e.label}: ${e.description}`, async ({ page, errors }) => {
    if (serverCannot) {
      // What the reader sees then: the reason, in that viewport.
      errors.ignore(/Failed to load resource/);
      await page.goto(`/viewer?StudyInstanceUIDs=${e.studyInstanceUID}&layout=1x1`);
      await expect(page.getByTestId('viewport-message')).toContainText(new RegExp(`\\(${probe.star.status} |answered ${probe.star.status}`), { timeout: 30_000 });
      expect(errors.pageErrors).toEqual([]);
      return;
    }
    // Where the stored syntax is refused (Orthanc: big endian, deflate), the viewer asks for explicit VR LE.
    if (probe && probe.star.status !== 200) errors.ignore(new RegExp(`Failed to load resource.*${probe.star.status}`));
    const vp = await openStudy(page, [e.studyInstanceUID]);
    await drawnStats(vp);

    const color = e.probes.some((p) => p.rgb);
    for (const p of e.probes.filter((x) => x.frame === 0)) {
      const probe = await probePixel(page, vp, e.columns, e.rows, p.x, p.y);
      expect([probe.x, probe.y], 'probe lands on the intended pixel').toEqual([p.x, p.y]);
      if (color) {
        const rgbTol = e.lossy ? 12 : 2;
        for (let i = 0; i < 3; i++) expect(Math.abs(probe.values[i]! - p.rgb![i]!), `RGB[${i}] at ${p.x},${p.y}`).toBeLessThanOrEqual(rgbTol);
        const at = await pixelToViewport(vp, e.columns, e.rows, p.x, p.y);
        const shown = await canvasRgbAt(vp, at.x, at.y);
        for (let i = 0; i < 3; i++) expect(Math.abs(shown[i]! - p.rgb![i]!), `canvas RGB[${i}] at ${p.x},${p.y}`).toBeLessThanOrEqual(rgbTol + 8);
      } else {
        expect(Math.abs(probe.values[0]! - p.modality!), `modality value at ${p.x},${p.y}`).toBeLessThanOrEqual(tolerance(e));
      }
    }

    if (e.frames > 1) {
      // Later frames of a multi-frame instance are images of their own.
      await page.keyboard.press('ArrowDown');
      await expect(vp).toHaveAttribute('data-image-index', '1');
      await expect(vp).toHaveAttribute('data-status', 'ready');
      for (const p of e.probes.filter((x) => x.frame === 1).slice(0, 2)) {
        const probe = await probePixel(page, vp, e.columns, e.rows, p.x, p.y);
        if (p.rgb) for (let i = 0; i < 3; i++) expect(Math.abs(probe.values[i]! - p.rgb[i]!)).toBeLessThanOrEqual(2);
        else expect(Math.abs(probe.values[0]! - p.modality!)).toBeLessThanOrEqual(tolerance(e));
      }
    }
    errors.expectNone();
  });
}

test('a data source configured for JPEG-LS gets its frames JPEG-LS compressed by the PACS, with the same HU', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  // A site whose PACS transcodes asks for lossless compression (config requestTransferSyntaxUID): about a third of
  // the bytes for a CT frame, which is what a clinician on a slow link waits for.
  await patchConfig(page, withDataSource('pacs', { requestTransferSyntaxUID: '1.2.840.10008.1.2.4.80' }));
  const frames: { type: string; bytes: number }[] = [];
  page.on('response', async (r) => {
    if (!/\/frames\/\d+$/.test(r.url())) return;
    frames.push({ type: r.headers()['content-type'] ?? '', bytes: (await r.body().catch(() => Buffer.alloc(0))).length });
  });
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await drawnStats(vp);
  await expectCtProbes(page, vp, ct, ct.probes.slice(0, 2));
  await expect.poll(() => frames.length).toBeGreaterThan(2);
  for (const f of frames) {
    expect(f.type).toContain('image/jls');
    expect(f.type).toContain('transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(f.bytes, 'a compressed frame').toBeLessThan(ct.rows * ct.columns * 2 * 0.8);
  }
  errors.expectNone();
});

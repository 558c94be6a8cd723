// Harness smoke tests: independent of the app's UI.
import { test, expect } from './harness/fixtures';

test('the built app is served and the PACS proxy reaches Orthanc with all prepared studies', async ({ page, baseURL, manifest, request }) => {
  await page.goto('/');
  await expect(page).toHaveTitle('Lumen DICOM Viewer');

  const res = await request.get(`${baseURL}/dicom-web/studies?limit=1000`, { headers: { Accept: 'application/dicom+json' } });
  expect(res.status()).toBe(200);
  const studies = (await res.json()) as Record<string, { Value?: unknown[] }>[];
  expect(studies).toHaveLength(manifest.studyCount);
  const uids = studies.map((s) => s['0020000D']?.Value?.[0]).sort();
  expect(uids).toEqual(manifest.studies.map((s) => s.studyInstanceUID).sort());
});

test('WebGL2 is available in headless Chromium', async ({ page }) => {
  await page.goto('/');
  const gl = await page.evaluate(() => {
    const ctx = document.createElement('canvas').getContext('webgl2');
    if (!ctx) return null;
    const dbg = ctx.getExtension('WEBGL_debug_renderer_info');
    return {
      renderer: String(dbg ? ctx.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : ctx.getParameter(ctx.RENDERER)),
      floatRenderTarget: ctx.getExtension('EXT_color_buffer_float') !== null,
    };
  });
  expect(gl, 'canvas.getContext("webgl2") returned null').not.toBeNull();
  test.info().annotations.push({ type: 'webgl2', description: gl!.renderer });
});

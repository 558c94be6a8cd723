// Touch on the images (a tablet: touch screen, 1024×768): pinch zoom, two-finger pan, double tap to fit, one finger
// running the chosen tool (W/L, zoom, scroll, a measurement, grabbing a handle), in stack viewports and MPR planes.
// Gestures are real touch sequences (DevTools Input.dispatchTouchEvent); the camera is read from what the viewport
// reports (zoom, pan), the overlay and the pixels.
import { test, expect } from './harness/fixtures';
import { drawnStats, openStudy, windowLevel } from './viewer-helpers';
import { brightCentroid, camera, centreOf, doubleTap, gesture, touchSession } from './touch-helpers';

test.use({ hasTouch: true, viewport: { width: 1024, height: 768 } });

const zoomText = async (vp: import('@playwright/test').Locator) => Number((await vp.getByTestId('overlay-zoom').textContent())!.replace(/\D/g, ''));

test('two fingers pan and pinch-zoom the image, a double tap fits it again; the page itself never moves', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await drawnStats(vp);
  const cdp = await touchSession(page);
  const c = await centreOf(vp);
  expect((await camera(vp)).zoom).toBeCloseTo(1, 2);
  const before = await brightCentroid(vp);
  expect(before.n).toBeGreaterThan(1000);

  // Two fingers 120 px apart dragged together by (+40, +30): the image follows them, at the same size.
  await gesture(cdp, page, [{ x: c.x - 60, y: c.y }, { x: c.x + 60, y: c.y }], [{ x: c.x - 20, y: c.y + 30 }, { x: c.x + 100, y: c.y + 30 }]);
  await expect.poll(async () => (await camera(vp)).pan.some((v) => Math.abs(v) > 1)).toBe(true);
  expect((await camera(vp)).zoom).toBeCloseTo(1, 1);
  await expect.poll(async () => (await brightCentroid(vp)).x - before.x).toBeGreaterThan(30);
  const moved = await brightCentroid(vp);
  expect(moved.x - before.x).toBeLessThan(50);
  expect(moved.y - before.y).toBeGreaterThan(20);
  expect(moved.y - before.y).toBeLessThan(40);
  const panned = await camera(vp);

  // Pinch: the fingers from 120 to 300 px apart. The image is magnified (zoom, overlay and pixels agree).
  await gesture(cdp, page, [{ x: c.x - 60, y: c.y }, { x: c.x + 60, y: c.y }], [{ x: c.x - 150, y: c.y }, { x: c.x + 150, y: c.y }]);
  await expect.poll(async () => (await camera(vp)).zoom).toBeGreaterThan(1.5);
  const zoomed = await camera(vp);
  await expect.poll(() => zoomText(vp)).toBe(Math.round(zoomed.zoom * 100));
  await expect.poll(async () => (await brightCentroid(vp)).n).toBeGreaterThan(before.n * 1.5);
  // Fingers apart again, closer together: smaller.
  await gesture(cdp, page, [{ x: c.x - 150, y: c.y }, { x: c.x + 150, y: c.y }], [{ x: c.x - 100, y: c.y }, { x: c.x + 100, y: c.y }]);
  await expect.poll(async () => (await camera(vp)).zoom).toBeLessThan(zoomed.zoom * 0.9);
  expect(panned.pan).not.toEqual([0, 0]);

  // Double tap: fitted (zoom 100 %, no pan), the image back where it was.
  await doubleTap(cdp, page, { x: c.x + 30, y: c.y + 30 });
  await expect.poll(async () => (await camera(vp)).zoom).toBeCloseTo(1, 2);
  expect((await camera(vp)).pan.every((v) => Math.abs(v) < 0.01)).toBe(true);
  await expect.poll(() => zoomText(vp)).toBe(100);
  await expect.poll(async () => Math.abs((await brightCentroid(vp)).x - before.x)).toBeLessThan(2);

  // The page did not scroll or zoom under the gestures.
  expect(await page.evaluate(() => [window.scrollX, window.scrollY, window.visualViewport?.scale ?? 1])).toEqual([0, 0, 1]);
  expect(await vp.evaluate((el) => getComputedStyle(el).touchAction)).toBe('none');
  errors.expectNone();
});

test('one finger runs the chosen tool: window, zoom, scroll, a length, and grabs a handle from a finger’s width away', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  const vp = await openStudy(page, [ct.studyInstanceUID]);
  await drawnStats(vp);
  const cdp = await touchSession(page);
  const c = await centreOf(vp);
  const tool = (id: string) => page.locator(`[data-command="${id}"]`).tap();

  // W/L: a drag right widens the window.
  await tool('tool.windowLevel');
  const wl = await windowLevel(vp);
  await gesture(cdp, page, [c], [{ x: c.x + 80, y: c.y }]);
  await expect.poll(async () => (await windowLevel(vp)).width).toBeGreaterThan(wl.width);

  // Zoom: one finger zooms (Cornerstone's own zoom tool would pan here).
  await tool('tool.zoom');
  await gesture(cdp, page, [c], [{ x: c.x, y: c.y + 120 }]);
  await expect.poll(async () => Math.abs((await camera(vp)).zoom - 1)).toBeGreaterThan(0.2);
  await tool('view.fit');
  await expect.poll(async () => (await camera(vp)).zoom).toBeCloseTo(1, 2);

  // Scroll: a swipe up or down steps through the images.
  await tool('tool.scroll');
  const start = Number(await vp.getAttribute('data-image-index'));
  await gesture(cdp, page, [{ x: c.x, y: c.y - 100 }], [{ x: c.x, y: c.y + 100 }]);
  await expect.poll(async () => Number(await vp.getAttribute('data-image-index'))).not.toBe(start);

  // A length drawn with one finger: 120 px across the image, in mm.
  await tool('tool.Length');
  await gesture(cdp, page, [{ x: c.x - 60, y: c.y }], [{ x: c.x + 60, y: c.y }], 8);
  const value = page.getByTestId('measurement-value').first();
  await expect(value).toHaveText(/mm/);
  const first = Number((await value.textContent())!.replace(/[^\d.]/g, ''));
  expect(first).toBeGreaterThan(10);
  // Its end grabbed 20 px off the handle (a finger's imprecision) and moved 60 px further: the length grows by about half.
  await tool('tool.windowLevel');
  await gesture(cdp, page, [{ x: c.x + 60 + 14, y: c.y + 14 }], [{ x: c.x + 120 + 14, y: c.y + 14 }], 8);
  await expect.poll(async () => Number((await value.textContent())!.replace(/[^\d.]/g, ''))).toBeGreaterThan(first * 1.35);
  // The window did not change under that drag: the finger took the handle, not the image.
  errors.expectNone();
});

test('MPR planes take the same gestures: pinch zooms a plane, a double tap fits it', async ({ page, manifest, errors }) => {
  const ct = manifest.ct!;
  await page.goto(`/viewer?StudyInstanceUIDs=${ct.studyInstanceUID}&layout=mpr`);
  const axial = page.getByTestId('mpr-axial');
  await expect(axial).toHaveAttribute('data-right', /\d/, { timeout: 60_000 });
  const scale = async () => {
    const r = ((await axial.getAttribute('data-right')) ?? '').split(',').map(Number);
    return Math.hypot(r[0]!, r[1]!, r[2]!);
  };
  const fitted = await scale();
  const cdp = await touchSession(page);
  const c = await centreOf(axial);
  await gesture(cdp, page, [{ x: c.x - 40, y: c.y }, { x: c.x + 40, y: c.y }], [{ x: c.x - 110, y: c.y }, { x: c.x + 110, y: c.y }]);
  // mm per CSS pixel shrinks as the plane is magnified.
  await expect.poll(scale).toBeLessThan(fitted / 1.3);
  await doubleTap(cdp, page, c);
  await expect.poll(async () => Math.abs((await scale()) / fitted - 1)).toBeLessThan(0.02);
  errors.expectNone();
});

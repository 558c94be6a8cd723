// MPR on a generated CT volume with known geometry: a bright sphere and a small dense dot at known patient
// coordinates, checked by pixels at the screen positions the planes map them to; crosshair clicks; thick MIP
// slabs; series that do not form a volume (gantry tilt, a missing slice) refused with the reason.
import type { Locator, Page } from '@playwright/test';
import { test, expect } from './harness/fixtures';
import { serveStaticTree, writeStaticStudy, type StaticTreeServer } from './harness/staticStudy';
import { center, DOT, GAP, HALF, offBy, patch, sphereSeries as series, SPHERE, toCanvas, Z0, type Vec } from './mpr-helpers';
import { viewport } from './viewer-helpers';

const STUDY = '2.25.77001';

let server: StaticTreeServer;

test.beforeAll(async () => {
  server = await serveStaticTree('mpr', (dir) =>
    writeStaticStudy(dir, {
      uid: STUDY,
      patientName: 'MPR^PHANTOM',
      series: [
        series(`${STUDY}.1`, 1, 'sphere volume'),
        series(`${STUDY}.2`, 2, 'gantry tilt', { tilt: 0.8 }),
        series(`${STUDY}.3`, 3, 'missing slice', { skip: 20 }),
        series(`${STUDY}.4`, 4, 'one broken frame', { cut: 5 }),
      ],
    }),
  );
});

test.afterAll(async () => {
  await server?.stop();
});

async function openMpr(page: Page): Promise<void> {
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${STUDY}.1&layout=mpr`);
  const view = page.getByTestId('mpr-view');
  await expect(view).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 30_000 });
}

test('the sphere shows at its patient position in all three planes; a crosshair click moves the others to it', async ({ page, errors }) => {
  await openMpr(page);
  const axial = page.getByTestId('mpr-axial');
  const sagittal = page.getByTestId('mpr-sagittal');
  const coronal = page.getByTestId('mpr-coronal');
  const c0 = await center(page);
  expect(c0).toHaveLength(3);

  // A click on a reference line grabs the line; anywhere else it moves the crosshairs there. First the coronal
  // plane, off its vertical line, at the sphere's height: the axial plane moves to the sphere's z.
  const coronalAt = await toCanvas(coronal, [c0[0]! - 40, c0[1]!, SPHERE.center[2]]);
  const cbox = (await coronal.boundingBox())!;
  await page.mouse.click(cbox.x + coronalAt.x, cbox.y + coronalAt.y);
  await expect.poll(() => offBy(page, 2, SPHERE.center[2])).toBeLessThanOrEqual(HALF[2]);
  // Then the axial plane at the sphere's (x, y): the sagittal and coronal planes move through it.
  const target = await toCanvas(axial, SPHERE.center);
  const box = (await axial.boundingBox())!;
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await expect.poll(() => offBy(page, 0, SPHERE.center[0])).toBeLessThanOrEqual(HALF[0]);
  expect(await offBy(page, 1, SPHERE.center[1])).toBeLessThanOrEqual(HALF[1]);
  expect(await offBy(page, 2, SPHERE.center[2])).toBeLessThanOrEqual(HALF[2]);

  // Every plane: bright at the sphere's centre, background just outside its radius.
  for (const pane of [axial, sagittal, coronal]) {
    const inside = await patch(pane, await toCanvas(pane, SPHERE.center));
    expect(inside, 'inside the sphere').toBeGreaterThan(230);
  }
  // Each plane carries its orientation and where it lies (the crosshair centre along its normal).
  const edges = async (pane: Locator) =>
    Promise.all(['top', 'bottom', 'left', 'right'].map((e) => pane.getByTestId(`orient-${e}`).innerText()));
  expect(await edges(axial)).toEqual(['A', 'P', 'R', 'L']);
  expect(await edges(coronal)).toEqual(['H', 'F', 'R', 'L']);
  expect(await edges(sagittal)).toEqual(['H', 'F', 'A', 'P']);
  const position = async (pane: Locator) => Number(/Pos (-?[\d.]+) mm/.exec(await pane.getByTestId('mpr-position').innerText())?.[1]);
  const c1 = await center(page);
  expect(Math.abs((await position(axial)) - c1[2]!)).toBeLessThanOrEqual(0.1);
  expect(Math.abs((await position(sagittal)) - c1[0]!)).toBeLessThanOrEqual(0.1);
  expect(Math.abs((await position(coronal)) - c1[1]!)).toBeLessThanOrEqual(0.1);
  await expect(axial.getByTestId('mpr-slab')).toHaveText('Thin slice');
  const outsideAxial = await patch(axial, await toCanvas(axial, [SPHERE.center[0] + SPHERE.radius + 8, SPHERE.center[1], SPHERE.center[2]]));
  expect(outsideAxial, 'beside the sphere').toBeLessThan(140);
  const outsideSag = await patch(sagittal, await toCanvas(sagittal, [SPHERE.center[0], SPHERE.center[1], SPHERE.center[2] + SPHERE.radius + 8]));
  expect(outsideSag).toBeLessThan(140);
  await page.getByTestId('mpr-view').screenshot({ path: test.info().outputPath('mpr.png') });
  errors.expectNone();
});

test('a thick MIP slab shows the small dense dot a thin slice misses', async ({ page, errors }) => {
  await openMpr(page);
  const axial = page.getByTestId('mpr-axial');
  const coronal = page.getByTestId('mpr-coronal');
  // Put the axial plane 3 slices (7.5 mm) away from the dot, through a coronal click.
  const away: Vec = [DOT[0], DOT[1], DOT[2] + 3 * GAP];
  const at = await toCanvas(coronal, away);
  const box = (await coronal.boundingBox())!;
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await expect.poll(() => offBy(page, 2, away[2])).toBeLessThanOrEqual(HALF[2]);
  const dotOnScreen = await toCanvas(axial, DOT);
  expect(await patch(axial, dotOnScreen), 'thin slice: no dot').toBeLessThan(140);

  await page.getByTestId('slab-thickness').fill('25');
  await expect.poll(async () => patch(axial, await toCanvas(axial, DOT)), { message: 'MIP slab: the dot' }).toBeGreaterThan(180);
  await expect(axial.getByTestId('mpr-slab')).toHaveText('MIP 25 mm');
  // MinIP of the same slab: the dot is gone again (the darkest value wins).
  await page.getByTestId('slab-mode').selectOption('minip');
  await expect.poll(async () => patch(axial, await toCanvas(axial, DOT))).toBeLessThan(140);
  errors.expectNone();
});

test('stack → MPR starts on the stack’s slice and keeps its window; MPR → stack comes back at the crosshairs', async ({ page, errors }) => {
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${STUDY}.1`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await vp.getByTestId('stack-scrollbar').fill('30');
  await expect(vp).toHaveAttribute('data-image-index', '30');
  await page.keyboard.press('4'); // bone window: W 2500 L 480
  await expect(vp.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');
  // The stack follows the scanner's numbering, here from the feet up: image 30 is slice 30.
  const z = Z0 + 30 * GAP;
  await page.keyboard.press('m');
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect.poll(() => offBy(page, 2, z)).toBeLessThanOrEqual(0.05);
  await expect(page.getByTestId('mpr-wl').first()).toHaveText('W 2500 L 480');
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-value', 'mpr');

  // Move the axial plane 4 slices towards the head by a coronal click, then back to the stack.
  const coronal = page.getByTestId('mpr-coronal');
  const c = await center(page);
  const at = await toCanvas(coronal, [c[0]! + 40, c[1]!, z + 4 * GAP]);
  const box = (await coronal.boundingBox())!;
  await page.mouse.click(box.x + at.x, box.y + at.y);
  await expect.poll(() => offBy(page, 2, z + 4 * GAP)).toBeLessThanOrEqual(HALF[2]);
  await page.getByTestId('mpr-back').click();
  await expect(vp).toHaveAttribute('data-image-index', '34');
  await expect(vp).toHaveAttribute('data-status', 'ready');
  await expect(vp.getByTestId('overlay-wl')).toHaveText('W 2500 L 480');
  errors.expectNone();
});

/** The unit normal of the plane a pane shows, from its canvas → patient mapping. */
async function paneNormal(pane: Locator): Promise<number[]> {
  const read = async (name: string) => ((await pane.getAttribute(name)) ?? '').split(',').map(Number);
  const [r, d] = [await read('data-right'), await read('data-down')];
  const n = [r[1]! * d[2]! - r[2]! * d[1]!, r[2]! * d[0]! - r[0]! * d[2]!, r[0]! * d[1]! - r[1]! * d[0]!];
  const len = Math.hypot(n[0]!, n[1]!, n[2]!);
  return n.map((v) => v / len);
}

/** Angle in degrees between a pane's plane normal and a patient axis. */
const tiltFrom = async (pane: Locator, axis: 0 | 1 | 2) => (Math.acos(Math.min(1, Math.abs((await paneNormal(pane))[axis]!))) * 180) / Math.PI;

test('dragging a crosshair’s round handle rotates the other planes (oblique MPR) about the crosshair centre', async ({ page, errors }) => {
  await openMpr(page);
  const axial = page.getByTestId('mpr-axial');
  const sagittal = page.getByTestId('mpr-sagittal');
  const coronal = page.getByTestId('mpr-coronal');
  // Cross at the sphere's centre: a coronal click for z (it moves x too), then an axial click for x and y.
  const box = (await axial.boundingBox())!;
  const cbox = (await coronal.boundingBox())!;
  const c0 = await center(page);
  const cc = await toCanvas(coronal, [c0[0]! - 40, c0[1]!, SPHERE.center[2]]);
  await page.mouse.click(cbox.x + cc.x, cbox.y + cc.y);
  await expect.poll(() => offBy(page, 2, SPHERE.center[2])).toBeLessThanOrEqual(HALF[2]);
  const ac = await toCanvas(axial, SPHERE.center);
  await page.mouse.click(box.x + ac.x, box.y + ac.y);
  await expect.poll(() => offBy(page, 0, SPHERE.center[0])).toBeLessThanOrEqual(HALF[0]);
  expect(await offBy(page, 1, SPHERE.center[1])).toBeLessThanOrEqual(HALF[1]);
  expect(await tiltFrom(sagittal, 0)).toBeLessThan(0.5);

  // Hovering the sagittal plane's line in the axial view shows its handles: square ones (slab thickness) near the
  // centre, round ones (rotation) further out. Hover between them.
  const c = await center(page);
  const mid = await toCanvas(axial, c as unknown as Vec);
  const onLine = await toCanvas(axial, [c[0]!, c[1]! - 70, c[2]!]);
  await page.mouse.move(box.x + onLine.x, box.y + onLine.y);
  const circles = axial.locator('svg circle');
  await expect.poll(() => circles.count()).toBeGreaterThan(0);
  const centres = await circles.evaluateAll((els) =>
    els.map((el) => {
      const r = el.getBoundingClientRect();
      return { x: r.x + r.width / 2, y: r.y + r.height / 2 };
    }),
  );
  // The handle on the hovered line, on the hovered side of the centre.
  const lineX = box.x + mid.x;
  const handle = centres.filter((p) => Math.abs(p.x - lineX) < 4 && p.y < box.y + mid.y).sort((a, b) => a.y - b.y)[0]!;
  expect(handle, 'a rotation handle on the line').toBeTruthy();
  // Drag it 30° around the centre.
  const cx = box.x + mid.x;
  const cy = box.y + mid.y;
  const radius = Math.hypot(handle.x - cx, handle.y - cy);
  const start = Math.atan2(handle.y - cy, handle.x - cx);
  await page.mouse.move(handle.x, handle.y);
  await page.mouse.down();
  for (let k = 1; k <= 10; k++) {
    const a = start + ((30 * Math.PI) / 180) * (k / 10);
    await page.mouse.move(cx + radius * Math.cos(a), cy + radius * Math.sin(a));
  }
  await page.mouse.up();
  // The sagittal and coronal planes turn 30° about the axial normal; the axial plane stays; the centre stays.
  await expect.poll(() => tiltFrom(sagittal, 0)).toBeGreaterThan(27);
  expect(await tiltFrom(sagittal, 0)).toBeLessThan(33);
  expect(await tiltFrom(coronal, 1)).toBeGreaterThan(27);
  expect(await tiltFrom(coronal, 1)).toBeLessThan(33);
  expect(await tiltFrom(axial, 2)).toBeLessThan(0.5);
  await expect(sagittal.getByTestId('mpr-plane-label')).toHaveText('Sagittal (oblique)');
  await expect(axial.getByTestId('mpr-plane-label')).toHaveText('Axial');
  // The orientation markers follow: the sagittal plane's sides now face between front/back and left/right.
  await expect(sagittal.getByTestId('orient-top')).toHaveText('H');
  await expect(sagittal.getByTestId('orient-right')).toHaveText(/^(P[LR]|[LR]P)$/);
  await expect(sagittal.getByTestId('orient-left')).toHaveText(/^(A[LR]|[LR]A)$/);
  for (const axis of [0, 1, 2] as const) expect(await offBy(page, axis, c[axis]!)).toBeLessThan(0.5);
  // Oblique planes through the sphere's centre still cut it through the middle.
  for (const pane of [sagittal, coronal]) expect(await patch(pane, await toCanvas(pane, SPHERE.center))).toBeGreaterThan(230);
  await page.getByTestId('mpr-view').screenshot({ path: test.info().outputPath('mpr-oblique.png') });
  // Reset: unrotated again.
  await page.getByTestId('mpr-reset').click();
  await expect.poll(() => tiltFrom(sagittal, 0)).toBeLessThan(0.5);
  await expect(sagittal.getByTestId('mpr-plane-label')).toHaveText('Sagittal');
  errors.expectNone();
});

test('series that are not one regular volume are refused with the reason, and the stack comes back', async ({ page, errors }) => {
  for (const [n, reason] of [
    [2, /tilted by .*gantry tilt/],
    [3, /a slice is missing between images at/],
  ] as const) {
    await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${STUDY}.${n}`);
    const vp = viewport(page, 0);
    await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
    await page.keyboard.press('m');
    await expect(page.getByTestId('mpr-refused')).toContainText(reason);
    await page.getByTestId('mpr-back').click();
    await expect(vp).toHaveAttribute('data-status', 'ready');
  }
  errors.expectNone();
});

test('MPR + 3D: the volume renders, presets change it, and a CPU-only browser is told why 3D is coarse', async ({ page, errors }) => {
  test.setTimeout(120_000);
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${STUDY}.1&layout=mpr3d`);
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-value', 'mpr3d');
  const pane = page.getByTestId('mpr-3d');
  // A software rasterizer (SwiftShader here) is named by WebGL's renderer string: then, and only then, the app says so.
  const software = await page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    return /swiftshader|llvmpipe|software/i.test(String(info ? gl!.getParameter(info.UNMASKED_RENDERER_WEBGL) : ''));
  });
  await expect(page.getByTestId('software-3d')).toHaveCount(software ? 1 : 0);
  const stats = () =>
    pane.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
      const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let lit = 0;
      let hash = 0;
      for (let i = 0; i < d.length; i += 4) {
        const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
        sum += y;
        if (y > 20) lit++;
        hash = (hash * 31 + d[i]! + d[i + 1]! * 7 + d[i + 2]! * 13) | 0;
      }
      return { mean: sum / (d.length / 4), lit, hash };
    });
  // The bone preset shows the dense sphere: a lit blob on black (air is transparent), once the volume is in.
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 30_000 });
  // On a CPU the still view is drawn again at full quality (coarser while the volume streamed in).
  await expect(pane).toHaveAttribute('data-quality', 'full', { timeout: 60_000 });
  const size = await pane.locator('canvas').first().evaluate((c: HTMLCanvasElement) => c.width * c.height);
  await expect.poll(async () => (await stats()).lit, { timeout: 60_000, message: '3D shows the sphere' }).toBeGreaterThan(300);
  expect((await stats()).lit, 'and not the whole box').toBeLessThan(size * 0.3);
  const bone = await stats();
  await pane.screenshot({ path: test.info().outputPath('3d-bone.png') });
  // Shift+drag to the right moves the preset up the values by 2 HU a pixel: the overlay says so, the pixels change.
  const box = (await pane.boundingBox())!;
  await page.keyboard.down('Shift');
  await page.mouse.move(box.x + 100, box.y + 200);
  await page.mouse.down();
  await page.mouse.move(box.x + 150, box.y + 200, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up('Shift');
  await expect(pane.locator('.overlay.bottom-left')).toHaveText('CT bone +100 HU');
  if (software) {
    // Moving it drew drafts ("Draft" in the corner); still again, full quality comes back.
    await expect(pane).toHaveAttribute('data-quality', 'full', { timeout: 60_000 });
    await expect(pane.getByTestId('quality-3d')).toHaveCount(0);
  }
  await expect.poll(async () => (await stats()).hash, { timeout: 60_000 }).not.toBe(bone.hash);
  await page.getByTestId('volume-preset').selectOption('CT-MIP');
  await expect.poll(async () => (await stats()).hash, { timeout: 60_000 }).not.toBe(bone.hash);
  await expect(pane.locator('.overlay.bottom-left')).toHaveText('CT MIP');
  await page.getByTestId('mpr-view').screenshot({ path: test.info().outputPath('mpr-3d.png') });
  errors.expectNone();
});

test('a frame that cannot be loaded leaves a gap the view names; the rest of the volume shows', async ({ page, errors }) => {
  await page.goto(`${server.url}/viewer?StudyInstanceUIDs=${STUDY}&SeriesInstanceUID=${STUDY}.4&layout=mpr`);
  await expect(page.getByTestId('mpr-view')).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('mpr-failed')).toContainText(/1 image of this series could not be loaded \(the pixel data is truncated: 9216 of the 18432 bytes a 96 × 96 frame needs\); the volume has a gap there/);
  await expect(page.getByTestId('mpr-progress')).toHaveCount(0, { timeout: 30_000 });
  // The sphere still shows where it is.
  const coronal = page.getByTestId('mpr-coronal');
  const c = await center(page);
  // The failure notice above the view can still be laying out: place the click from the current box, and again
  // if the plane did not move (a click that landed while the view was resized).
  await expect(async () => {
    const at = await toCanvas(coronal, [c[0]! - 40, c[1]!, SPHERE.center[2]]);
    const box = (await coronal.boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    await expect.poll(() => offBy(page, 2, SPHERE.center[2]), { timeout: 3_000 }).toBeLessThanOrEqual(HALF[2]);
  }).toPass({ timeout: 15_000 });
  const axial = page.getByTestId('mpr-axial');
  expect(await patch(axial, await toCanvas(axial, SPHERE.center))).toBeGreaterThan(230);
  errors.expectNone();
});

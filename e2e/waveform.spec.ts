// Waveforms (features/objects/waveform): the demo's synthetic 12-lead ECG (75 bpm, R-R 800 ms, lead II R waves
// of 1.0 mV, 500 Hz; scripts/demo/objects/ecg.ts) from Orthanc and from a static tree, and pydicom's
// waveform_ecg.dcm beside a copy with truncated WaveformData (scripts/prepare-e2e-data.mjs). Sizes are measured in
// the canvas's device pixels against CSS's 96 px per inch (1 mm = 96/25.4 CSS px × devicePixelRatio).
import type { Locator, Page } from '@playwright/test';
import { importFiles } from '../scripts/import/staticTree';
import { collectErrors, entry, expect, test } from './harness/fixtures';
import { serveStaticTree } from './harness/staticStudy';
import { viewport } from './viewer-helpers';

const PX_PER_MM = 96 / 25.4;
const STANDARD_LABELS = ['I', 'aVR', 'V1', 'V4', 'II', 'aVL', 'V2', 'V5', 'III', 'aVF', 'V3', 'V6', 'II'];

interface Sheet {
  dpr: number;
  cssPerMm: number;
  calibrationMm: number;
  rows: { top: number; height: number; baseline: number }[];
  layout: string;
}

async function sheet(canvas: Locator): Promise<Sheet> {
  return canvas.evaluate((c: HTMLCanvasElement) => ({
    dpr: window.devicePixelRatio,
    cssPerMm: Number(c.dataset.cssPxPerMm),
    calibrationMm: Number(c.dataset.calibrationMm),
    rows: JSON.parse(c.dataset.rows!) as Sheet['rows'],
    layout: c.dataset.layout!,
  }));
}

/**
 * The calibration pulse of row `row`, in device pixels: the vertical distance between the centre of its top
 * plateau and the centre of the baseline before it (dark pixels in the row's calibration area).
 */
async function pulseHeight(canvas: Locator, row: number): Promise<number> {
  return canvas.evaluate((c: HTMLCanvasElement, r) => {
    const rows = JSON.parse(c.dataset.rows!) as { top: number; height: number }[];
    const scale = (c.width / c.getBoundingClientRect().width) * Number(c.dataset.cssPxPerMm); // device px per mm
    const y0 = Math.round(rows[r]!.top * scale);
    const h = Math.round(rows[r]!.height * scale);
    const w = Math.round(Number(c.dataset.calibrationMm) * scale);
    const d = c.getContext('2d')!.getImageData(0, y0, w, h).data;
    // How much of a pixel is trace: the trace is near black, the grid's lines keep their red channel above 200, and
    // an antialiased edge is partly dark; weighted centres find lines to a fraction of a pixel.
    const ink = (x: number, y: number) => Math.max(0, 200 - d[(y * w + x) * 4]!) / 183;
    const centre = (x: number) => {
      let sum = 0;
      let n = 0;
      for (let y = 0; y < h; y++) {
        const k = ink(x, y);
        sum += k * y;
        n += k;
      }
      return n > 0.3 ? { y: sum / n, n } : undefined;
    };
    const columns = Array.from({ length: w }, (_, x) => centre(x));
    const edges = columns.map((c, x) => ({ x, n: c?.n ?? 0 })).filter((c) => c.n > 5);
    const left = Math.min(...edges.map((e) => e.x));
    const right = Math.max(...edges.map((e) => e.x));
    const top = columns[Math.round((left + right) / 2)]!.y; // middle of the plateau
    const base = columns[Math.max(0, left - 3)]!.y; // the baseline just before the rise
    return base - top;
  }, row);
}

/** Centres (device px) of the major grid lines crossing a horizontal line `yMm` from the sheet's top. */
async function majorLines(canvas: Locator, yMm: number): Promise<number[]> {
  return canvas.evaluate((c: HTMLCanvasElement, mm) => {
    const scale = (c.width / c.getBoundingClientRect().width) * Number(c.dataset.cssPxPerMm);
    const d = c.getContext('2d')!.getImageData(0, Math.round(mm * scale), c.width, 1).data;
    const xs: number[] = [];
    let run: number[] = [];
    for (let x = 0; x <= c.width; x++) {
      // Major lines are #e0868a; minor ones (#f4c7c7) and the white paper are much lighter in green.
      const major = x < c.width && d[x * 4]! > 180 && d[x * 4 + 1]! < 165 && d[x * 4 + 1]! > 100;
      if (major) run.push(x);
      else if (run.length) {
        xs.push(run.reduce((a, b) => a + b, 0) / run.length);
        run = [];
      }
    }
    return xs;
  }, yMm);
}

async function openEcg(page: Page, base: string, studyUID: string, seriesUID: string): Promise<Locator> {
  await page.goto(`${base}/viewer?StudyInstanceUIDs=${studyUID}&SeriesInstanceUID=${seriesUID}&layout=1x1`);
  const vp = viewport(page, 0);
  await expect(vp.locator('[data-testid=object-viewport]')).toHaveAttribute('data-kind', 'waveform', { timeout: 30_000 });
  await expect(vp.getByTestId('ecg-canvas')).toBeVisible({ timeout: 30_000 });
  return vp;
}

test('the demo 12-lead ECG: calibrated grid and pulse, leads, heart rate, calipers, gain and layouts', async ({ page, manifest, errors }) => {
  const ecg = entry(manifest, 'demo-waveform');
  const vp = await openEcg(page, '', ecg.studyInstanceUID, ecg.seriesInstanceUID);
  const canvas = vp.getByTestId('ecg-canvas');
  const s = await sheet(canvas);
  expect(s.layout).toBe('standard');
  expect(s.cssPerMm).toBeCloseTo(PX_PER_MM, 6);
  const mm = PX_PER_MM * s.dpr; // device pixels per mm at 100%

  await test.step('the 1 mV pulse is 10 mm tall at 10 mm/mV, on every row', async () => {
    for (let r = 0; r < 4; r++) {
      const height = await pulseHeight(canvas, r);
      test.info().annotations.push({ type: 'measured', description: `pulse row ${r}: ${height.toFixed(2)} device px for ${(10 * mm).toFixed(2)}` });
      expect(Math.abs(height - 10 * mm), `row ${r}`).toBeLessThanOrEqual(1);
    }
  });

  await test.step('major grid lines are 5 mm apart', async () => {
    const xs = await majorLines(canvas, 2.5);
    expect(xs.length).toBeGreaterThan(40); // 260 mm of paper
    const gaps = xs.slice(1).map((x, i) => x - xs[i]!);
    for (const g of gaps) expect(Math.abs(g - 5 * mm)).toBeLessThanOrEqual(1);
    const mean = (xs.at(-1)! - xs[0]!) / gaps.length;
    test.info().annotations.push({ type: 'measured', description: `major lines: ${xs.length}, mean gap ${mean.toFixed(3)} device px for ${(5 * mm).toFixed(3)}` });
    expect(Math.abs(mean - 5 * mm)).toBeLessThan(0.05);
  });

  await test.step('lead labels from the channel source codes, in the 3×4 + rhythm layout', async () => {
    await expect(vp.getByTestId('lead-label')).toHaveText(STANDARD_LABELS);
  });

  await test.step('heart rate 75 bpm from lead II', async () => {
    const hr = vp.getByTestId('heart-rate');
    await expect(hr).toContainText('75 bpm');
    expect(Math.abs(Number(await hr.getAttribute('data-bpm')) - 75)).toBeLessThanOrEqual(2);
  });

  await test.step('a caliper across one R-R interval on the rhythm strip reads 800 ms and the R wave 1 mV', async () => {
    const box = (await canvas.boundingBox())!;
    const rhythm = s.rows[3]!;
    const x = (t: number) => box.x + (s.calibrationMm + t * 25) * s.cssPerMm;
    const y = (mV: number) => box.y + (rhythm.top + rhythm.baseline - 10 * mV) * s.cssPerMm;
    await page.mouse.move(x(0.4), y(0));
    await page.mouse.down();
    await page.mouse.move(x(0.8), y(0.5), { steps: 4 });
    await page.mouse.move(x(1.2), y(1));
    await page.mouse.up();
    const readout = vp.getByTestId('caliper-readout');
    await expect(readout).toContainText('800 ms');
    await expect(readout).toContainText('75 bpm');
    const ms = Number(await readout.getAttribute('data-ms'));
    test.info().annotations.push({ type: 'measured', description: `caliper: ${ms} ms, ${await readout.getAttribute('data-amplitude')} mV` });
    expect(Math.abs(ms - 800)).toBeLessThanOrEqual(2); // one sample at 500 Hz
    expect(Math.abs(Number(await readout.getAttribute('data-amplitude')) - 1)).toBeLessThan(0.03);
  });

  await test.step('gain 20 mm/mV doubles the pulse', async () => {
    await vp.getByTestId('waveform-gain').selectOption('20');
    await expect.poll(async () => (await sheet(canvas)).rows[0]!.height).toBe(60);
    expect(Math.abs((await pulseHeight(canvas, 0)) - 20 * mm)).toBeLessThanOrEqual(1);
    await vp.getByTestId('waveform-gain').selectOption('10');
  });

  await test.step('one lead per row: 12 rows, labelled in channel order', async () => {
    await vp.getByTestId('layout-rows').click();
    await expect.poll(async () => (await sheet(canvas)).layout).toBe('rows');
    expect((await sheet(canvas)).rows).toHaveLength(12);
    await expect(vp.getByTestId('lead-label')).toHaveText(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
    expect(Math.abs((await pulseHeight(canvas, 11)) - 10 * mm)).toBeLessThanOrEqual(1);
  });

  await test.step('the annotations are listed', async () => {
    await expect(vp.getByTestId('waveform-annotations')).toContainText('Sinus rhythm, 75 bpm');
    await expect(vp.getByTestId('waveform-annotations')).toContainText('RR Interval · 800 ms');
  });

  await test.step('the hemodynamic series beside it: pressure and airflow rows on scales of their own', async () => {
    const hemo = entry(manifest, 'demo-waveform-2');
    await page.locator(`[data-testid=series-item][data-series-uid="${hemo.seriesInstanceUID}"]`).click();
    await expect(vp.getByTestId('lead-label')).toHaveText(['II', 'ART', 'FLOW']);
    await expect(vp.getByTestId('layout-standard')).toBeDisabled();
    await expect(vp.getByTestId('scale-bar')).toHaveText(['100 mmHg', '500 mL/s']);
    await expect(vp.getByTestId('heart-rate')).toContainText('75 bpm');
    // The ECG row keeps its 10 mm pulse.
    expect(Math.abs((await pulseHeight(vp.getByTestId('ecg-canvas'), 0)) - 10 * mm)).toBeLessThanOrEqual(1);
  });
  errors.expectNone();
});

test("pydicom's ECG opens from the series panel by click and drag; its truncated copy fails in its own viewport", async ({ page, manifest, errors }) => {
  const good = entry(manifest, 'waveform-ecg');
  const bad = entry(manifest, 'waveform-ecg-short');
  await page.goto(`/viewer?StudyInstanceUIDs=${good.studyInstanceUID}&layout=1x2`);
  const item = (uid: string) => page.locator(`[data-testid=series-item][data-series-uid="${uid}"]`);
  await expect(item(good.seriesInstanceUID)).toBeVisible({ timeout: 30_000 });
  // Click: the broken copy in the first viewport says why, in words.
  await viewport(page, 0).click();
  await item(bad.seriesInstanceUID).click();
  const error = viewport(page, 0).getByTestId('waveform-error');
  await expect(error).toContainText('too short (1,000 bytes where 240,000 are needed)', { timeout: 30_000 });
  // Drag: the good one into the second viewport, next to the failure.
  await item(good.seriesInstanceUID).dragTo(viewport(page, 1));
  const vp = viewport(page, 1);
  await expect(vp.getByTestId('ecg-canvas')).toBeVisible({ timeout: 30_000 });
  await expect(vp.getByTestId('lead-label')).toHaveText(STANDARD_LABELS);
  // Its own RR Interval annotation says 982 ms: 61 bpm.
  expect(Math.abs(Number(await vp.getByTestId('heart-rate').getAttribute('data-bpm')) - 60_000 / 982)).toBeLessThan(2);
  await expect(vp.getByTestId('waveform-annotations')).toContainText('RITMO SINUSALE');
  // The median beat group (1.2 s) is the second multiplex group.
  await vp.getByTestId('waveform-group').selectOption({ label: 'MEDIAN BEAT' });
  await expect(vp.getByTestId('layout-standard')).toBeDisabled(); // 1.2 s: one lead per row
  await expect(vp.getByTestId('lead-label')).toHaveText(['I', 'II', 'III', 'aVR', 'aVL', 'aVF', 'V1', 'V2', 'V3', 'V4', 'V5', 'V6']);
  await expect(viewport(page, 0).getByTestId('waveform-error')).toBeVisible();
  errors.expectNone();
});

test('the demo ECG from a static tree by a deep link, in Arabic at devicePixelRatio 2: the page mirrors, the time axis does not', async ({ browser, manifest }) => {
  const ecg = entry(manifest, 'demo-waveform');
  const server = await serveStaticTree('static-ecg', (dir) => expect(importFiles(ecg.instances.map((i) => i.uploadedPath), dir).skipped).toEqual([]));
  const page = await browser.newPage({ locale: 'ar-EG', deviceScaleFactor: 2 });
  const errors = collectErrors(page);
  try {
    const vp = await openEcg(page, server.url, ecg.studyInstanceUID, ecg.seriesInstanceUID);
    await expect(page.locator('html')).toHaveAttribute('dir', 'rtl');
    await expect(vp.getByTestId('lead-label')).toHaveText(STANDARD_LABELS);
    await expect(vp.getByTestId('heart-rate')).toContainText('نبضة/دقيقة');
    expect(Number(await vp.getByTestId('heart-rate').getAttribute('data-bpm'))).toBeCloseTo(75, 0);
    // I, aVR, V1, V4 left to right, and the calibration pulse at the row's left end.
    const xs = await vp.getByTestId('lead-label').evaluateAll((els) => els.slice(0, 4).map((e) => e.getBoundingClientRect().left));
    expect([...xs].sort((a, b) => a - b)).toEqual(xs);
    const canvas = vp.getByTestId('ecg-canvas');
    expect(await canvas.evaluate((c) => getComputedStyle(c).direction)).toBe('ltr');
    const mm = PX_PER_MM * (await sheet(canvas)).dpr;
    expect(Math.abs((await pulseHeight(canvas, 0)) - 10 * mm)).toBeLessThanOrEqual(1);
    errors.expectNone();
  } finally {
    await page.close();
    await server.stop();
  }
});

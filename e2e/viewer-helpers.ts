// Helpers for specs that drive the viewer: locating viewports, reading their canvas pixels and overlays.
import type { Locator, Page } from '@playwright/test';
import { expect } from './harness/fixtures';

export function viewport(page: Page, index = 0): Locator {
  return page.locator(`[data-testid=viewport][data-viewport-index="${index}"]`);
}

/**
 * Opens a cold deep link and waits until the first viewport shows an image. The link names the 1×1 layout (unless
 * `extra` names one), so no hanging protocol rearranges what these specs expect: e2e/protocols.spec.ts tests those.
 */
export async function openStudy(page: Page, studyUIDs: string[], extra = ''): Promise<Locator> {
  const query = studyUIDs.map((u) => `StudyInstanceUIDs=${encodeURIComponent(u)}`).join('&');
  const layout = /[?&](layout|vp)=/.test(`&${extra}`) ? '' : '&layout=1x1';
  await page.goto(`/viewer?${query}${layout}${extra}`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  return vp;
}

export interface CanvasStats {
  width: number;
  height: number;
  /** Mean and standard deviation of luminance over all pixels. */
  mean: number;
  std: number;
  /** A cheap fingerprint of the pixels, to tell two renderings apart. */
  hash: number;
}

/** Statistics of what the viewport's Cornerstone canvas shows. */
export async function canvasStats(vp: Locator): Promise<CanvasStats> {
  return vp.locator('canvas').first().evaluate((c: HTMLCanvasElement) => {
    const ctx = c.getContext('2d')!;
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let sum = 0;
    let sq = 0;
    let hash = 0;
    const n = d.length / 4;
    for (let i = 0; i < d.length; i += 4) {
      const y = 0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]!;
      sum += y;
      sq += y * y;
      hash = (hash * 31 + d[i]! + d[i + 1]! * 7 + d[i + 2]! * 13) | 0;
    }
    const mean = sum / n;
    return { width: c.width, height: c.height, mean, std: Math.sqrt(Math.max(0, sq / n - mean * mean)), hash };
  });
}

/**
 * Canvas statistics once the image is drawn: a viewport reports 'ready' when the image is set, and the canvas is
 * painted on the next animation frame.
 */
export async function drawnStats(vp: Locator, minStd = 2): Promise<CanvasStats> {
  await expect.poll(async () => (await canvasStats(vp)).std, { message: 'the image is not a flat field' }).toBeGreaterThan(minStd);
  return canvasStats(vp);
}

/** RGB shown at a point of the viewport (CSS pixels from its top-left). */
export async function canvasRgbAt(vp: Locator, x: number, y: number): Promise<[number, number, number]> {
  return vp.locator('canvas').first().evaluate(
    (c: HTMLCanvasElement, [px, py]) => {
      const r = c.getBoundingClientRect();
      const sx = Math.floor((px! * c.width) / r.width);
      const sy = Math.floor((py! * c.height) / r.height);
      const d = c.getContext('2d')!.getImageData(sx, sy, 1, 1).data;
      return [d[0]!, d[1]!, d[2]!] as [number, number, number];
    },
    [x, y],
  );
}

/**
 * Where image pixel (column x, row y) is shown, in CSS pixels from the viewport element's top-left, for an
 * unrotated image fitted to the viewport (the initial view).
 */
export async function pixelToViewport(vp: Locator, columns: number, rows: number, x: number, y: number) {
  const box = (await vp.locator('canvas').first().boundingBox())!;
  const scale = Math.min(box.width / columns, box.height / rows);
  const offX = (box.width - columns * scale) / 2;
  const offY = (box.height - rows * scale) / 2;
  return { x: offX + (x + 0.5) * scale, y: offY + (y + 0.5) * scale, box };
}

export interface Probe {
  x: number;
  y: number;
  values: number[];
  unit: string;
}

/** Hovers image pixel (x, y) and reads the value the viewer reports under the mouse. */
export async function probePixel(page: Page, vp: Locator, columns: number, rows: number, x: number, y: number): Promise<Probe> {
  const p = await pixelToViewport(vp, columns, rows, x, y);
  await page.mouse.move(p.box.x + p.x, p.box.y + p.y);
  const text = await vp.getByTestId('overlay-probe').innerText();
  const m = /X (\d+) Y (\d+) · ([-\d., ]+)\s*(\S*)/.exec(text);
  if (!m) throw new Error(`unexpected probe overlay "${text}"`);
  return { x: Number(m[1]), y: Number(m[2]), values: m[3]!.split(',').map((v) => Number(v.trim())), unit: m[4] ?? '' };
}

/**
 * Goes to each probe's slice and checks the HU the viewer reports under the mouse at its pixel against the value
 * computed from the source file.
 */
export async function expectCtProbes(
  page: Page,
  vp: Locator,
  ct: { columns: number; rows: number; probes: { slice: number; x: number; y: number; modality: number }[] },
  probes = ct.probes,
): Promise<void> {
  for (const p of probes) {
    if (p.slice > 0) {
      await vp.getByTestId('stack-scrollbar').fill(String(p.slice));
      await expect(vp).toHaveAttribute('data-image-index', String(p.slice));
      await expect(vp).toHaveAttribute('data-status', 'ready');
    }
    const probe = await probePixel(page, vp, ct.columns, ct.rows, p.x, p.y);
    expect([probe.x, probe.y]).toEqual([p.x, p.y]);
    expect(probe.values[0]).toBeCloseTo(p.modality, 1);
    expect(probe.unit).toBe('HU');
  }
}

/** "Im 3/200" → [3, 200] */
export async function imageNumber(vp: Locator): Promise<[number, number]> {
  const text = await vp.getByTestId('overlay-image').innerText();
  const m = /Im (\d+)\/(\d+)/.exec(text);
  if (!m) throw new Error(`unexpected image overlay "${text}"`);
  return [Number(m[1]), Number(m[2])];
}

/** "W 400 L 40" → { width, center } */
export async function windowLevel(vp: Locator): Promise<{ width: number; center: number }> {
  const text = await vp.getByTestId('overlay-wl').innerText();
  const m = /W (-?\d+) L (-?\d+)/.exec(text);
  if (!m) throw new Error(`unexpected W/L overlay "${text}"`);
  return { width: Number(m[1]), center: Number(m[2]) };
}

/** Chooses a layout in the layout picker: a grid cell ('1x2') or a reformat ('mpr', 'mpr3d'). */
export async function chooseLayout(page: Page, value: string): Promise<void> {
  await page.getByTestId('layout-button').click();
  await page.getByTestId('layout-picker').locator(`[data-layout="${value}"]`).click();
  await expect(page.getByTestId('layout-picker')).toBeHidden();
}

/** Chooses a hanging protocol (by id) in the layout picker. */
export async function chooseProtocol(page: Page, id: string): Promise<void> {
  await page.getByTestId('layout-button').click();
  await page.getByTestId('layout-picker').locator(`[data-protocol-id="${id}"]`).click();
  await expect(page.getByTestId('layout-button')).toHaveAttribute('data-protocol', id);
}

/**
 * Runs a toolbar command by its button, or from the toolbar menu that holds it (less-used tools are in menus:
 * more measurements, rotate and flip, synchronization), as a reader would.
 */
export async function toolbarCommand(page: Page, id: string): Promise<void> {
  const bar = page.getByTestId('toolbar');
  const item = bar.locator(`[data-command="${id}"]`);
  if (!(await item.isVisible())) {
    await bar
      .locator('.menu-root')
      .filter({ has: page.locator(`[data-command="${id}"]`) })
      .locator('[aria-haspopup="menu"]')
      .click();
  }
  await item.click();
}

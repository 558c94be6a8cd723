// Real touch sequences through the DevTools protocol (Input.dispatchTouchEvent): the browser makes the same
// touchstart/touchmove/touchend events a finger makes, with several points for pinches and two-finger drags. The
// page's context must have touch (`hasTouch: true`).
import type { CDPSession, Locator, Page } from '@playwright/test';

export type Point = { x: number; y: number };

export async function touchSession(page: Page): Promise<CDPSession> {
  return page.context().newCDPSession(page);
}

/** The middle of an element, in page pixels. */
export async function centreOf(el: Locator): Promise<Point> {
  const b = (await el.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
}

const points = (ps: Point[]) => ps.map((p, id) => ({ x: Math.round(p.x), y: Math.round(p.y), id, radiusX: 6, radiusY: 6, force: 1 }));

/**
 * Fingers put down at `from`, moved in `steps` steps to `to` (one point per finger, same order), lifted. Two
 * points: a pinch (they move apart or together) or a two-finger drag (they move together).
 */
export async function gesture(cdp: CDPSession, page: Page, from: Point[], to: Point[], steps = 12): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points(from) });
  for (let i = 1; i <= steps; i++) {
    const t = i / steps;
    const at = from.map((p, k) => ({ x: p.x + (to[k]!.x - p.x) * t, y: p.y + (to[k]!.y - p.y) * t }));
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: points(at) });
    // A display frame between moves, as a finger gives (Cornerstone draws at frames).
    await page.waitForTimeout(16);
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** A quick tap (down and up at one place). */
export async function tap(cdp: CDPSession, at: Point): Promise<void> {
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: points([at]) });
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
}

/** Two taps 80 ms apart at one place: a double tap. */
export async function doubleTap(cdp: CDPSession, page: Page, at: Point): Promise<void> {
  await tap(cdp, at);
  await page.waitForTimeout(80);
  await tap(cdp, at);
}

/** The camera a stack viewport reports: zoom (1 = fitted) and pan (mm). */
export async function camera(vp: Locator): Promise<{ zoom: number; pan: [number, number] }> {
  const zoom = Number(await vp.getAttribute('data-zoom'));
  const pan = ((await vp.getAttribute('data-pan')) ?? '0 0').split(' ').map(Number) as [number, number];
  return { zoom, pan };
}

/**
 * Where the image's bright part is on the viewport's canvas: the centroid (CSS pixels from the canvas's top-left)
 * of the pixels brighter than `threshold`, and how many there are.
 */
export async function brightCentroid(vp: Locator, threshold = 60): Promise<{ x: number; y: number; n: number }> {
  return vp.locator('canvas').first().evaluate((c: HTMLCanvasElement, th) => {
    const d = c.getContext('2d')!.getImageData(0, 0, c.width, c.height).data;
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (0.299 * d[i]! + 0.587 * d[i + 1]! + 0.114 * d[i + 2]! > th) {
        const p = i / 4;
        sx += p % c.width;
        sy += Math.floor(p / c.width);
        n++;
      }
    }
    const r = c.getBoundingClientRect();
    return { x: ((sx / Math.max(1, n)) * r.width) / c.width, y: ((sy / Math.max(1, n)) * r.height) / c.height, n };
  }, threshold);
}

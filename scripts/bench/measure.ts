// What the benchmark measures in one cold browser session of a viewer: time to first image, time until every
// frame arrived, JS transferred before the first image, peak JS heap, and the scroll rate over the cached stack.
// Viewer-agnostic (it only looks at canvases, network responses and wheel events), so OHIF is measured the same way.
import type { Browser, CDPSession, Page } from '@playwright/test';

export interface OpenResult {
  /** ms from navigation to the first large canvas showing an image. */
  firstImageMs: number | null;
  /** ms from navigation until `frames` pixel-data responses have arrived. */
  allFramesMs: number | null;
  framesReceived: number;
  /** JS (scripts and workers) transferred before the first image, bytes. */
  jsBeforeFirstImage: number;
  /** JS transferred in all, bytes. */
  jsTotal: number;
  /** Largest main-thread JS heap seen, bytes. */
  peakHeap: number;
  /** Distinct images shown per second while wheel-scrolling the cached stack (null when not measured). */
  scrollImagesPerSecond: number | null;
  /**
   * ms from navigation (a link straight to MPR) until every frame of the volume has arrived and three large
   * canvases show an image: the three planes of the full volume (null when not measured or never reached).
   */
  mprReadyMs: number | null;
  errors: string[];
}

export interface OpenOptions {
  /** Pixel-data responses that make the series complete. */
  frames: number;
  timeoutMs?: number;
  /** Also measure the scroll rate once all frames are in. */
  scroll?: boolean;
  /** Emulated link (Mbit/s down, 10 ms latency), as ../shared/bench/ttfi.mjs's THROTTLE_MBIT. */
  throttleMbit?: number;
  /** The link opens MPR: wait for three planes (mprReadyMs) instead of measuring the stack. */
  mpr?: boolean;
}

/** How many canvases of at least 200² show an image (more than 0.5% lit pixels, sampled: a thin volume is a strip). */
const LIT_CANVASES = () => (window as unknown as { __litCanvases(min: number, stride: number, fraction: number): number }).__litCanvases(200, 64, 0.005);

const FRAME_URL = /\/frames\/|\/pixeldata|\/bulkdata|\/rendered/i;

/**
 * Installed in every page: `__litCanvases` counts canvases of at least `min`² with more than `fraction` of their
 * pixels lit (every `stride / 4`-th pixel read), and a poll records when the first canvas of 256² shows an image
 * (more than 2% lit, as ttfi.mjs does).
 */
/** When the viewer's own progress (ours only: the series panel's bar, or MPR's volume) says `frames` images are loaded, in ms since navigation. */
const ALL_FRAMES_PROBE = (frames: number) => {
  const w = window as unknown as { __allFrames: number | null };
  w.__allFrames = null;
  const timer = setInterval(() => {
    for (const el of document.querySelectorAll('[data-testid=series-progress], [data-testid=mpr-view]')) {
      if (Number(el.getAttribute('data-loaded')) >= frames) {
        w.__allFrames = performance.now();
        clearInterval(timer);
        return;
      }
    }
  }, 20);
};

const FIRST_IMAGE_PROBE = () => {
  const w = window as unknown as { __firstImage: number | null; __litCanvases(min: number, stride: number, fraction: number): number };
  w.__litCanvases = (min, stride, fraction) => {
    let n = 0;
    for (const c of document.querySelectorAll('canvas')) {
      if (c.width < min || c.height < min) continue;
      let ctx: CanvasRenderingContext2D | null = null;
      try {
        ctx = c.getContext('2d', { willReadFrequently: true });
      } catch {
        continue;
      }
      if (!ctx) continue;
      const d = ctx.getImageData(0, 0, c.width, c.height).data;
      let lit = 0;
      for (let i = 0; i < d.length; i += stride) if (d[i]! + d[i + 1]! + d[i + 2]! > 60) lit++;
      if (lit > (d.length / stride) * fraction) n++;
    }
    return n;
  };
  w.__firstImage = null;
  const tick = () => {
    if (w.__litCanvases(256, 16, 0.02) > 0) {
      w.__firstImage = performance.now();
      return;
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
};

async function heapSampler(cdp: CDPSession): Promise<{ stop(): Promise<number> }> {
  await cdp.send('Performance.enable');
  let peak = 0;
  let running = true;
  const sample = async () => {
    const { metrics } = await cdp.send('Performance.getMetrics');
    const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
    peak = Math.max(peak, used);
  };
  const loop = (async () => {
    while (running) {
      await sample().catch(() => {});
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await sample().catch(() => {});
      return peak;
    },
  };
}

/** Wheel-scrolls over the largest canvas at animation-frame rate for `ms` and counts distinct images shown. */
export async function scrollRate(page: Page, ms = 4000): Promise<number> {
  const box = await page.evaluate(() => {
    let best: { x: number; y: number; w: number; h: number } | null = null;
    for (const c of document.querySelectorAll('canvas')) {
      const r = c.getBoundingClientRect();
      if (!best || r.width * r.height > best.w * best.h) best = { x: r.x, y: r.y, w: r.width, h: r.height };
    }
    return best;
  });
  if (!box) return 0;
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  await page.mouse.move(cx, cy);
  return page.evaluate(
    ({ cx, cy, ms }) =>
      new Promise<number>((resolve) => {
        const canvas = [...document.querySelectorAll('canvas')].sort((a, b) => b.width * b.height - a.width * a.height)[0]!;
        const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
        const target = document.elementFromPoint(cx, cy)!;
        let last = '';
        let changes = 0;
        let still = 0;
        let dir = 1;
        const end = performance.now() + ms;
        // A 160² patch at the centre: reading the whole canvas back every frame costs more than drawing it on
        // software WebGL and would cap what is measured at the probe's own speed.
        const size = Math.min(160, canvas.width, canvas.height);
        const sx = Math.floor((canvas.width - size) / 2);
        const sy = Math.floor((canvas.height - size) / 2);
        const tick = () => {
          const d = ctx.getImageData(sx, sy, size, size).data;
          let h = 0;
          for (let i = 0; i < d.length; i += 7) h = (h * 31 + d[i]!) | 0;
          if (String(h) !== last) {
            changes++;
            still = 0;
            last = String(h);
          } else if (++still > 10) {
            // At an end of the stack (or scrolling the wrong way for this viewer's wheel mapping): turn round.
            dir = -dir;
            still = 0;
          }
          if (performance.now() > end) return resolve(changes / (ms / 1000));
          target.dispatchEvent(new WheelEvent('wheel', { deltaY: 100 * dir, clientX: cx, clientY: cy, bubbles: true, cancelable: true }));
          requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
    { cx, cy, ms },
  );
}

/** Opens `url` (a cold deep link) in a fresh browser context and measures it. */
export async function measureOpen(browser: Browser, url: string, options: OpenOptions): Promise<OpenResult> {
  const timeoutMs = options.timeoutMs ?? 90_000;
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e).slice(0, 200)));
  page.on('crash', () => errors.push('the tab crashed'));
  const cdp = await context.newCDPSession(page);
  if (options.throttleMbit) {
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 10,
      downloadThroughput: options.throttleMbit * 125_000,
      uploadThroughput: 5 * 125_000,
    });
  }
  let t0 = 0;
  let frames = 0;
  let allFramesAt: number | null = null;
  let firstImageAt: number | null = null;
  let jsBefore = 0;
  let jsTotal = 0;
  const pending: Promise<void>[] = [];
  context.on('response', (r) => {
    const url = r.url();
    const type = r.request().resourceType();
    if (type === 'script' || /\.m?js(\?|$)/.test(url)) {
      const beforeFirstImage = firstImageAt === null;
      // Minified bytes, as OHIF's bundle size is counted: the bytes on the wire where the server does not compress
      // (OHIF's here), the decoded body where it does (ours sends brotli: the wire carries ~a quarter of that).
      // sizes() has none for worker scripts, such as the decode worker the first image needs: their body is fetched
      // instead (only then: fetching every body, OHIF's 27 MB, slowed the page being timed).
      const compressed = !!r.headers()['content-encoding'];
      pending.push(
        r
          .request()
          .sizes()
          .then(async (s) => (s.responseBodySize > 0 && !compressed ? s.responseBodySize : (await r.body()).length))
          .then((bytes) => {
            jsTotal += bytes;
            if (beforeFirstImage) jsBefore += bytes;
          })
          .catch(() => {}),
      );
    }
    if (FRAME_URL.test(url) || (url.includes('/instances/') && !url.endsWith('/metadata'))) {
      if (++frames >= options.frames && allFramesAt === null) allFramesAt = Date.now() - t0;
    }
  });
  // tsx (esbuild keepNames) wraps functions in __name(); the page scripts below need it defined there too.
  await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
  await page.addInitScript(FIRST_IMAGE_PROBE);
  await page.addInitScript(ALL_FRAMES_PROBE, options.frames);
  const heap = await heapSampler(cdp);
  t0 = Date.now();
  await page.goto(url);
  const deadline = Date.now() + timeoutMs;
  let mprReadyAt: number | null = null;
  while (Date.now() < deadline) {
    const first = await page.evaluate(() => (window as unknown as { __firstImage: number | null }).__firstImage).catch(() => null);
    if (first !== null && firstImageAt === null) firstImageAt = first;
    // Ours with bulk retrieval gets most frames in one series response: there, a frame counts once the viewer has it
    // decoded in its cache (its own progress bar), which is later than OHIF's count (each frame's response in).
    if (allFramesAt === null) {
      const decoded = await page.evaluate(() => (window as unknown as { __allFrames: number | null }).__allFrames).catch(() => null);
      if (decoded !== null) allFramesAt = Math.round(decoded);
    }
    if (options.mpr) {
      // The planes fill in as frames arrive: ready when all are in and three planes show (checked after that).
      if (allFramesAt !== null && (await page.evaluate(LIT_CANVASES).catch(() => 0)) >= 3) {
        mprReadyAt = Date.now() - t0;
        break;
      }
    } else if (firstImageAt !== null && allFramesAt !== null) break;
    await page.waitForTimeout(50);
  }
  let scroll: number | null = null;
  if (options.scroll && allFramesAt !== null) {
    await page.waitForTimeout(1500);
    scroll = await scrollRate(page).catch((e: unknown) => {
      errors.push(`scrolling failed: ${String(e).slice(0, 200)}`);
      return null;
    });
  }
  const peakHeap = await heap.stop();
  await Promise.all(pending);
  await context.close();
  return {
    firstImageMs: firstImageAt === null ? null : Math.round(firstImageAt),
    allFramesMs: allFramesAt,
    framesReceived: frames,
    jsBeforeFirstImage: jsBefore,
    jsTotal,
    peakHeap,
    scrollImagesPerSecond: scroll === null ? null : Math.round(scroll * 10) / 10,
    mprReadyMs: mprReadyAt,
    errors: errors.slice(0, 3),
  };
}

/** Median and range of the numbers among `values` (nulls, i.e. timeouts, left out). */
export function summarize(values: (number | null)[]): { median: number | null; min: number | null; max: number | null; n: number } {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, min: null, max: null, n: 0 };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
  return { median, min: v[0]!, max: v[v.length - 1]!, n: v.length };
}

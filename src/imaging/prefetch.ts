import { cache, Enums, imageLoader, imageLoadPoolManager, utilities } from '@cornerstonejs/core';
import { BULK_MIN_FRAMES, releaseStreamedFrame, streamSeries, type BulkRetrieve } from './seriesStream';

export interface LoadProgress {
  loaded: number;
  failed: number;
  total: number;
}

interface Job {
  cancelled: boolean;
  progress: LoadProgress;
  /** Viewports that want this stack; when the last lets go, its queued requests are dropped. */
  holders: number;
  /** Ends the series stream of a bulk retrieval, if one runs. */
  stopStream?: () => void;
}

/** The first images of a long stack are asked for one by one (the first image does not wait for a stream). */
const BULK_FIRST_SINGLE = 3;

const jobs = new Map<string, Job>();

const PROGRESS_INTERVAL_MS = 250;

/** Indices from `start` outward (start, start+1, start-1, …) so the neighbourhood of the visible image loads first. */
export function outwardOrder(count: number, start: number): number[] {
  const order: number[] = [];
  const s = Math.min(Math.max(0, start), count - 1);
  for (let d = 0; order.length < count; d++) {
    if (s + d < count) order.push(s + d);
    if (d > 0 && s - d >= 0) order.push(s - d);
  }
  return order;
}

/**
 * Loads a whole stack into the cache behind the visible image (prefetch priority, after interaction
 * requests), reporting progress. One job per key, shared by every viewport showing the stack. Returns a release
 * function: when no viewport holds the stack any more (another series or study is shown), its requests still
 * queued are dropped as they come up, so they never delay what is on screen now.
 */
export function prefetchStack(
  key: string,
  imageIds: string[],
  startIndex: number,
  onProgress: (p: LoadProgress) => void,
  bulk?: BulkRetrieve,
): () => void {
  let job = jobs.get(key);
  if (job) {
    job.holders++;
    onProgress({ ...job.progress });
  } else {
    const created: Job = { cancelled: false, progress: { loaded: 0, failed: 0, total: imageIds.length }, holders: 1 };
    job = created;
    jobs.set(key, created);
    const report = () => onProgress({ ...created.progress });
    // Progress redraws the series panel: a repaint per frame costs the main thread time it needs for the frames
    // (on software rendering). A few reports a second, and the last one at once.
    let pending: ReturnType<typeof setTimeout> | undefined;
    const reportSoon = () => {
      const { loaded, failed, total } = created.progress;
      if (loaded + failed >= total) {
        clearTimeout(pending);
        pending = undefined;
        report();
      } else {
        pending ??= setTimeout(() => {
          pending = undefined;
          if (!created.cancelled) report();
        }, PROGRESS_INTERVAL_MS);
      }
    };
    report();
    const queued = new Map<number, Promise<void>>();
    /** Queues image `i` once; settles when it has loaded or failed (at once if the job is dropped by then). */
    const enqueue = (i: number): Promise<void> => {
      const known = queued.get(i);
      if (known) return known;
      let done: () => void = () => undefined;
      queued.set(i, new Promise<void>((resolve) => (done = resolve)));
      const imageId = imageIds[i]!;
      const load = async () => {
        try {
          await loadOne();
        } finally {
          done();
        }
      };
      const loadOne = async () => {
        if (created.cancelled) return;
        try {
          const pending = cache.getImageLoadObject(imageId);
          if (pending) await pending.promise;
          else await imageLoader.loadAndCacheImage(imageId, { priority: 0, requestType: Enums.RequestType.Prefetch });
          created.progress.loaded++;
        } catch {
          // The viewport showing this frame reports the reason; here it only counts.
          created.progress.failed++;
        }
        releaseStreamedFrame(imageId);
        if (!created.cancelled) reportSoon();
      };
      imageLoadPoolManager.addRequest(load, Enums.RequestType.Prefetch, { imageId }, 0);
      return queued.get(i)!;
    };
    const order = outwardOrder(imageIds.length, startIndex);
    // The visible image alone first: its neighbours' requests would share the connection and the server with it
    // (four frames at once took ~0.17 s on loopback where one alone takes well under that).
    const visibleIn = enqueue(order[0]!);
    if (!bulk || imageIds.length < BULK_MIN_FRAMES) {
      void visibleIn.then(() => {
        for (const i of order) enqueue(i);
      });
    } else {
      // Then its neighbours one by one, for the first steps of scrolling, and the rest of the series in one stream,
      // each frame queued as it arrives; whatever the stream did not bring (it failed, or the server does not offer
      // series retrieval) then loads one by one.
      const indexOf = new Map(imageIds.map((id, i) => [id, i]));
      void visibleIn.then(async () => {
        if (created.cancelled) return;
        for (const i of order.slice(0, BULK_FIRST_SINGLE)) enqueue(i);
        const stream = streamSeries(
          imageIds,
          bulk,
          (ids) => {
            for (const id of ids) {
              const i = indexOf.get(id);
              if (i !== undefined) enqueue(i);
            }
          },
          // Only a loaded frame is not wanted: one whose load is under way may still take the streamed copy.
          (id) => cache.getImage(id) !== undefined,
        );
        if (stream) {
          created.stopStream = () => stream.cancel();
          await stream.done;
          // Frames that arrived while their single request was under way are in the cache already: their
          // streamed copies can go.
          for (const id of imageIds) if (cache.getImageLoadObject(id)) releaseStreamedFrame(id);
        }
        if (!created.cancelled) for (const i of order) enqueue(i);
      });
    }
  }
  const held = job;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    held.holders--;
    if (held.holders <= 0) {
      held.cancelled = true;
      held.stopStream?.();
      if (jobs.get(key) === held) jobs.delete(key);
    }
  };
}

let thumbnailsOnCpu = false;

/** Thumbnails are drawn on the CPU from now on, as stacks are (config `stackRendering`). */
export function drawThumbnailsOnCpu(): void {
  thumbnailsOnCpu = true;
}

let markFirstImage: () => void = () => undefined;
const firstImage = new Promise<void>((resolve) => (markFirstImage = resolve));

/** An image is on screen (see onScreen.ts): thumbnails may load now. */
export function letThumbnailsLoad(): void {
  markFirstImage();
}

/** How long thumbnails wait for the first image before they load anyway (it may never come: a broken series). */
const THUMBNAILS_WAIT_MS = 3000;
/** The first image or the end of that wait, whichever comes first (counted from the first thumbnail asked for). */
let thumbnailsMayLoad: Promise<unknown> | undefined;

/**
 * Renders one frame into a small canvas for the series panel, once the first image of the page is on screen
 * (or a few seconds have passed): before that its request and decode would compete with that image's.
 */
export async function renderThumbnail(canvas: HTMLCanvasElement, imageId: string): Promise<void> {
  thumbnailsMayLoad ??= Promise.race([firstImage, new Promise((resolve) => setTimeout(resolve, THUMBNAILS_WAIT_MS))]);
  await thumbnailsMayLoad;
  await utilities.loadImageToCanvas({
    canvas,
    imageId,
    thumbnail: true,
    useCPURendering: thumbnailsOnCpu,
    requestType: Enums.RequestType.Thumbnail,
    priority: 0,
  });
}

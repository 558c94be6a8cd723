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
    const queued = new Set<number>();
    const enqueue = (i: number) => {
      if (queued.has(i)) return;
      queued.add(i);
      const imageId = imageIds[i]!;
      const load = async () => {
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
    };
    const order = outwardOrder(imageIds.length, startIndex);
    if (!bulk || imageIds.length < BULK_MIN_FRAMES) {
      for (const i of order) enqueue(i);
    } else {
      // The visible image and its neighbours one by one, for the first image; once the visible one is in, the rest
      // of the series in one stream, each frame queued as it arrives; whatever the stream did not bring (it failed,
      // or the server does not offer series retrieval) then loads one by one.
      for (const i of order.slice(0, BULK_FIRST_SINGLE)) enqueue(i);
      const indexOf = new Map(imageIds.map((id, i) => [id, i]));
      const visible = imageIds[order[0]!]!;
      void Promise.resolve(cache.getImageLoadObject(visible)?.promise ?? imageLoader.loadAndCacheImage(visible, { priority: 0, requestType: Enums.RequestType.Prefetch }))
        .catch(() => undefined)
        .then(async () => {
          if (created.cancelled) return;
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

/** Renders one frame into a small canvas for the series panel. */
export async function renderThumbnail(canvas: HTMLCanvasElement, imageId: string): Promise<void> {
  await utilities.loadImageToCanvas({
    canvas,
    imageId,
    thumbnail: true,
    requestType: Enums.RequestType.Thumbnail,
    priority: 0,
  });
}

import { cache, Enums, imageLoader, imageLoadPoolManager, utilities } from '@cornerstonejs/core';

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
}

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
    for (const i of outwardOrder(imageIds.length, startIndex)) {
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
        if (!created.cancelled) reportSoon();
      };
      imageLoadPoolManager.addRequest(load, Enums.RequestType.Prefetch, { imageId }, 0);
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

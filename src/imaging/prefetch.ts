import { cache, Enums, imageLoader, imageLoadPoolManager, utilities } from '@cornerstonejs/core';

export interface LoadProgress {
  loaded: number;
  failed: number;
  total: number;
}

interface Job {
  cancelled: boolean;
  progress: LoadProgress;
}

const jobs = new Map<string, Job>();

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
 * requests), reporting progress. One job per key; calling again for a running key only reports.
 * Returns a cancel function (queued requests are dropped when they come up).
 */
export function prefetchStack(
  key: string,
  imageIds: string[],
  startIndex: number,
  onProgress: (p: LoadProgress) => void,
): () => void {
  const existing = jobs.get(key);
  if (existing && !existing.cancelled) {
    onProgress({ ...existing.progress });
    return () => cancelJob(key);
  }
  const job: Job = { cancelled: false, progress: { loaded: 0, failed: 0, total: imageIds.length } };
  jobs.set(key, job);
  const report = () => onProgress({ ...job.progress });
  report();
  for (const i of outwardOrder(imageIds.length, startIndex)) {
    const imageId = imageIds[i]!;
    const load = async () => {
      if (job.cancelled) return;
      try {
        if (!cache.getImageLoadObject(imageId)) {
          await imageLoader.loadAndCacheImage(imageId, {
            priority: 0,
            requestType: Enums.RequestType.Prefetch,
          });
        } else {
          await cache.getImageLoadObject(imageId)!.promise;
        }
        job.progress.loaded++;
      } catch {
        // The viewport showing this frame reports the reason; here it only counts.
        job.progress.failed++;
      }
      if (!job.cancelled) report();
    };
    imageLoadPoolManager.addRequest(load, Enums.RequestType.Prefetch, { imageId }, 0);
  }
  return () => cancelJob(key);
}

function cancelJob(key: string): void {
  const job = jobs.get(key);
  if (job) job.cancelled = true;
  jobs.delete(key);
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

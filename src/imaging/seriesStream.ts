import type { SeriesStreamMessage, SeriesStreamRequest } from './seriesStream.worker';

/**
 * Bulk retrieval: a series' frames from one WADO-RS "retrieve series" request instead of one request per frame.
 * Per request, a browser spends more than the bytes cost (a 200-frame CT: ~4 s in 200 frame requests, under 1 s
 * as one stream, on loopback), so after the first images of a stack have been asked for one by one, the rest
 * come this way. A worker reads the stream and splits each instance into frames; each frame becomes a Blob whose
 * URL the image loader fetches instead of the frame's WADO-RS URL (imaging/init.ts), typed with its transfer
 * syntax as a WADO-RS frame part is. Nothing changes downstream: same decode, same cache.
 */

/** Frame URL → Blob URL, for frames that arrived in a series stream and are not in the image cache yet. */
const streamed = new Map<string, string>();

/** The Blob URL that stands in for a frame's WADO-RS URL, if the frame came in a series stream. */
export function streamedFrameUrl(url: string): string | undefined {
  return streamed.get(url);
}

/** The frame is in the image cache (or no longer wanted): its bytes can go. */
export function releaseStreamedFrame(url: string): void {
  const blobUrl = streamed.get(url);
  if (blobUrl === undefined) return;
  URL.revokeObjectURL(blobUrl);
  streamed.delete(url);
}

const FRAME_URL = /^(.*\/studies\/[^/]+\/series\/[^/]+)\/instances\/([^/]+)\/frames\/(\d+)$/;

export interface SeriesStream {
  /** Settles when the stream has ended, well or not (then the frames it did not bring load one by one). */
  readonly done: Promise<{ error?: string }>;
  cancel(): void;
}

/**
 * Streams the series of `frameUrls` (all of one series, as the loader requests them) and calls `onFrames` with the
 * URLs of the frames as they become available. Undefined when the URLs are not WADO-RS frame URLs.
 */
export function streamSeries(
  frameUrls: string[],
  request: { accept: string; headers: Record<string, string> },
  onFrames: (urls: string[]) => void,
): SeriesStream | undefined {
  const first = FRAME_URL.exec(frameUrls[0] ?? '');
  if (!first) return undefined;
  const seriesUrl = first[1]!;
  const wanted = new Set(frameUrls);
  const mine: string[] = [];
  const worker = new Worker(new URL('./seriesStream.worker.ts', import.meta.url), { type: 'module' });
  let finish: (r: { error?: string }) => void = () => {};
  const done = new Promise<{ error?: string }>((resolve) => (finish = resolve));
  const stop = (result: { error?: string }) => {
    worker.terminate();
    finish(result);
  };
  worker.onmessage = (e: MessageEvent<SeriesStreamMessage>) => {
    const m = e.data;
    if (m.kind === 'instance') {
      const urls: string[] = [];
      m.frames.forEach((bytes, i) => {
        const url = `${seriesUrl}/instances/${encodeURIComponent(m.sopInstanceUID)}/frames/${i + 1}`;
        if (!wanted.has(url) || streamed.has(url)) return;
        const blob = new Blob([bytes], { type: `application/octet-stream; transfer-syntax=${m.transferSyntaxUID}` });
        streamed.set(url, URL.createObjectURL(blob));
        mine.push(url);
        urls.push(url);
      });
      if (urls.length) onFrames(urls);
    } else if (m.kind === 'done') stop({});
    else stop({ error: m.message });
  };
  worker.onerror = (e) => stop({ error: e.message || 'the series stream worker failed' });
  worker.postMessage({ url: seriesUrl, headers: { ...request.headers, Accept: request.accept } } satisfies SeriesStreamRequest);
  return {
    done,
    cancel: () => {
      stop({ error: 'cancelled' });
      for (const url of mine) releaseStreamedFrame(url);
    },
  };
}

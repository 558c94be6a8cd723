import type { SeriesStreamConsumed, SeriesStreamMessage, SeriesStreamRequest } from './seriesStream.worker';

/**
 * Bulk retrieval: a series' frames from one WADO-RS "retrieve series" request instead of one request per frame.
 * The browser spends far more per request than the bytes cost (a 200-frame CT on loopback: ~3 s of renderer time
 * as 200 frame requests, ~1.3 s as one stream), so after the first images of a stack have been asked for one by
 * one, the rest come this way. A worker reads the stream and splits each instance into frames; the frames wait
 * here, keyed by image id, until the image loader asks for them through Cornerstone's compressed-frame metadata
 * (the wadors loader decodes such a frame without a request; imaging/init.ts registers the provider). Same
 * decode, same cache; a frame that fails there is asked for from the server as usual.
 */

interface StreamedFrame {
  pixelData: Uint8Array;
  transferSyntaxUid: string;
  /** Tells the stream's worker the bytes are off its hands (it stops reading while too many wait). */
  consumed: () => void;
}

/** Image id → frame bytes that arrived in a series stream and have not been handed to the loader yet. */
const streamed = new Map<string, StreamedFrame>();

/** Streamed frames' bytes the loader has taken: nothing else holds them, so they can move to a decode worker. */
const handedOver = new WeakSet<Uint8Array>();

/** The bytes are a streamed frame's, alone in their buffer and held by nobody else (see `takeStreamedFrame`). */
export function isHandedOverFrame(bytes: Uint8Array): boolean {
  return handedOver.has(bytes);
}

/** Hands a streamed frame to the loader once; later asks (a retry) go to the server. */
export function takeStreamedFrame(imageId: string): { pixelData: Uint8Array; transferSyntaxUid: string } | undefined {
  const frame = streamed.get(imageId);
  if (!frame) return undefined;
  streamed.delete(imageId);
  frame.consumed();
  if (frame.pixelData.byteOffset === 0 && frame.pixelData.byteLength === frame.pixelData.buffer.byteLength) handedOver.add(frame.pixelData);
  return { pixelData: frame.pixelData, transferSyntaxUid: frame.transferSyntaxUid };
}

/** The frame is no longer wanted (its stack was closed, or it loaded another way): its bytes can go. */
export function releaseStreamedFrame(imageId: string): void {
  const frame = streamed.get(imageId);
  if (!frame) return;
  streamed.delete(imageId);
  frame.consumed();
}

/** How many frames wait to be decoded (for tests and memory checks). */
export function streamedFrameCount(): number {
  return streamed.size;
}

/** Frames an awaitable stream will bring and has not yet: the loader waits for them instead of fetching. */
const expected = new Map<string, { arrived: Promise<void>; resolve: () => void }>();

/**
 * Settles when a frame that a running awaitable stream (MPR's volume) will bring has arrived, or the stream has
 * ended without it (then it is fetched alone). Undefined when no stream is bringing it.
 */
export function streamedFrameArrival(imageId: string): Promise<void> | undefined {
  return expected.get(imageId)?.arrived;
}

/** Series (their WADO-RS URLs) with a stream running, and how many. */
const running = new Map<string, number>();

/** Whether a stream is bringing this series already (a second one would download it twice). */
export function seriesStreaming(imageId: string): boolean {
  const m = FRAME_ID.exec(imageId);
  return !!m && (running.get(m[1]!) ?? 0) > 0;
}

/** How a data source that offers series retrieval is asked for a whole series. */
export interface BulkRetrieve {
  /** e.g. multipart/related; type="application/dicom"; transfer-syntax=* */
  accept: string;
  headers: Record<string, string>;
}

/** Short series gain nothing from a stream. */
export const BULK_MIN_FRAMES = 8;

/** Stacks: a few dozen frames ahead of decoding at most. A volume needs every frame in memory anyway. */
const STACK_MAX_AHEAD_BYTES = 96 * 1024 * 1024;

export interface SeriesStreamOptions {
  /** The loader waits for this stream's frames (streamedFrameArrival) rather than fetching them; no read-ahead limit. */
  awaitable?: boolean;
}

const FRAME_ID = /^wadors:(.*\/studies\/[^/]+\/series\/[^/]+)\/instances\/([^/]+)\/frames\/(\d+)$/;

export interface SeriesStream {
  /** Settles when the stream has ended, well or not (then the frames it did not bring load one by one). */
  readonly done: Promise<{ error?: string }>;
  cancel(): void;
}

/**
 * Streams the series of `imageIds` (wadors image ids of one series) and calls `onFrames` with the image ids of the
 * frames as they become available. `skip` says which frames are not wanted any more (already in the cache or on
 * their way). Undefined when the ids are not WADO-RS frame ids.
 */
export function streamSeries(
  imageIds: string[],
  request: { accept: string; headers: Record<string, string> },
  onFrames: (imageIds: string[]) => void,
  skip: (imageId: string) => boolean,
  options: SeriesStreamOptions = {},
): SeriesStream | undefined {
  const first = FRAME_ID.exec(imageIds[0] ?? '');
  if (!first) return undefined;
  const seriesUrl = first[1]!;
  const wanted = new Set(imageIds);
  const mine = new Set<string>();
  const awaited: string[] = [];
  if (options.awaitable) {
    for (const id of imageIds) {
      if (expected.has(id) || skip(id)) continue;
      let resolve = () => {};
      const arrived = new Promise<void>((r) => (resolve = r));
      expected.set(id, { arrived, resolve });
      awaited.push(id);
    }
  }
  const arrive = (id: string) => {
    const e = expected.get(id);
    if (!e) return;
    expected.delete(id);
    e.resolve();
  };
  running.set(seriesUrl, (running.get(seriesUrl) ?? 0) + 1);
  const worker = new Worker(new URL('./seriesStream.worker.ts', import.meta.url), { type: 'module' });
  let finish: (r: { error?: string }) => void = () => {};
  const done = new Promise<{ error?: string }>((resolve) => (finish = resolve));
  const consumed = (bytes: number) => {
    if (!stopped) worker.postMessage({ consumed: bytes } satisfies SeriesStreamConsumed);
  };
  let stopped = false;
  const stop = (result: { error?: string }) => {
    if (stopped) return;
    stopped = true;
    running.set(seriesUrl, (running.get(seriesUrl) ?? 1) - 1);
    // What it did not bring is fetched alone.
    for (const id of awaited) arrive(id);
    worker.terminate();
    finish(result);
  };
  worker.onmessage = (e: MessageEvent<SeriesStreamMessage>) => {
    const m = e.data;
    if (m.kind === 'instance') {
      const ids: string[] = [];
      const all: string[] = [];
      let unused = 0;
      m.frames.forEach((bytes, i) => {
        const imageId = `wadors:${seriesUrl}/instances/${encodeURIComponent(m.sopInstanceUID)}/frames/${i + 1}`;
        all.push(imageId);
        if (!wanted.has(imageId) || streamed.has(imageId) || skip(imageId)) {
          unused += bytes.byteLength;
          return;
        }
        streamed.set(imageId, { pixelData: new Uint8Array(bytes), transferSyntaxUid: m.transferSyntaxUID, consumed: () => consumed(bytes.byteLength) });
        mine.add(imageId);
        ids.push(imageId);
      });
      for (const id of all) arrive(id);
      // Frames nobody wants are off the worker's hands at once.
      if (unused > 0) consumed(unused);
      if (ids.length) onFrames(ids);
    } else if (m.kind === 'done') stop({});
    else stop({ error: m.message });
  };
  worker.onerror = (e) => stop({ error: e.message || 'the series stream worker failed' });
  worker.postMessage({
    url: seriesUrl,
    headers: { ...request.headers, Accept: request.accept },
    maxAheadBytes: options.awaitable ? Infinity : STACK_MAX_AHEAD_BYTES,
  } satisfies SeriesStreamRequest);
  return {
    done,
    cancel: () => {
      stop({ error: 'cancelled' });
      for (const id of mine) releaseStreamedFrame(id);
    },
  };
}

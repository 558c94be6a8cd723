import {
  init as coreInit,
  cache,
  imageLoadPoolManager,
  Enums,
  eventTarget,
  metaData,
  registerImageLoader,
  getRenderingCapabilities,
  getWebWorkerManager,
} from '@cornerstonejs/core';
import * as Comlink from 'comlink';
import { init as loaderInit, wadors } from '@cornerstonejs/dicom-image-loader';
import type { DicomJson } from '../dicom/json';
import { isRetryableStatus, withRetry } from '../dicomweb/retry';
import { codestreamProblem, decodedProblem, encodingName, frameProblem, type FrameLayout } from '../model/frameChecks';
import { ybrFull422ToRgb } from '../dicom/pixels';
import { renderStacksOnCpu, stacksOnCpu, type StackRendering } from './cpuStack';
import { drawThumbnailsOnCpu } from './prefetch';
import { describeLoadError } from './errors';
import { loadFaults } from './loadFaults';
import { isHandedOverFrame, streamedFrameArrival, takeStreamedFrame } from './seriesStream';
import { MEASUREMENT_TOOL_CLASSES } from './annotations';
import { TouchZoomTool } from './touch';
import { DecodePool, DecodeTimeoutError, type DecodeTaskOptions, type DecodeWorker } from './decodePool';
import {
  init as toolsInit,
  ReferenceLinesTool,
  addTool,
  PanTool,
  WindowLevelTool,
  StackScrollTool,
} from '@cornerstonejs/tools';

/** Per-request settings for one data source, matched by the frame URL's prefix. */
export interface FrameRequestPolicy {
  wadoRoot: string;
  /** Read for each request: they carry the signed-in user's access token, which is renewed while the app runs. */
  headers: () => Record<string, string>;
  accept: string;
  /** Explicit VR little endian, which every WADO-RS server can send, for frames the first request failed on. */
  fallbackAccept: string;
}

let policies: FrameRequestPolicy[] = [];
let ready: Promise<void> | undefined;

/** Tells the loader which headers and Accept value each data source's frame requests need. */
export function setFrameRequestPolicies(next: FrameRequestPolicy[]): void {
  policies = next;
}

/** Where the loader really fetches a frame URL from, when not from the URL itself (undefined: the URL). */
export type FrameUrlResolver = (url: string) => string | undefined;
let frameUrlResolver: FrameUrlResolver = () => undefined;

/**
 * Points frame requests elsewhere: local files' frames are Blob URLs standing in for the in-memory server's frame
 * URLs (local/localSource's `localFrameUrl`, given by the viewer; imaging does not import local/).
 */
export function setFrameUrlResolver(resolve: FrameUrlResolver): void {
  frameUrlResolver = resolve;
}

function policyFor(url: string): FrameRequestPolicy | undefined {
  return policies.find((p) => url.startsWith(p.wadoRoot + '/'));
}

/**
 * Cornerstone's loadAndCacheImage leaves the cache's copy of a failed load's promise unobserved, so every frame
 * that fails to load or decode also surfaces as an unhandled rejection. The failure itself is reported through
 * IMAGE_LOAD_FAILED and shown in its viewport; only those exact rejections are marked handled here.
 */
function absorbReportedLoadFailures(): void {
  const objects = new WeakSet<object>();
  const primitives = new Set<unknown>();
  eventTarget.addEventListener(Enums.Events.IMAGE_LOAD_FAILED, (e: Event) => {
    const reason = (e as CustomEvent<{ error?: unknown }>).detail?.error;
    if (reason && typeof reason === 'object') objects.add(reason);
    else if (reason !== undefined) {
      primitives.add(reason);
      // Bounded: repeated identical strings need one entry; drop the oldest beyond a few hundred.
      if (primitives.size > 500) primitives.delete(primitives.values().next().value);
    }
  });
  window.addEventListener('unhandledrejection', (e: PromiseRejectionEvent) => {
    const reason: unknown = e.reason;
    if ((reason && typeof reason === 'object' && objects.has(reason)) || primitives.has(reason)) e.preventDefault();
    // A throw in the loader's post-decode step: its load never settles on its own (see loadFaults.ts).
    else if (loadFaults.unexplainedRejection(reason)) e.preventDefault();
  });
}

type MetadataProvider = (type: string, query: string, options?: unknown) => unknown;

/** The loader's WADO-RS metadata provider, behind the guard installed by guardLoaderMetadata. */
let loaderMetadata: MetadataProvider = (type, imageId) => wadors.metaData.metaDataProvider(type, imageId);

/**
 * The loader's metadata provider assumes attributes that DICOM leaves optional and throws without them, from
 * inside Cornerstone's rendering and loading code where nothing catches it. Its answers go through a guard: a
 * throw fails that image's load with the reason (loadFaults.ts) and answers "no such module" to the caller.
 */
function guardLoaderMetadata(): void {
  const provider = wadors.metaData.metaDataProvider as unknown as MetadataProvider;
  const guarded: MetadataProvider = (type, query, options) => {
    try {
      return provider(type, query, options);
    } catch (error) {
      const id = typeof query === 'string' ? query : undefined;
      // Once per image: rendering asks for the same modules again and again.
      if (!id || loadFaults.providerFault(id) === undefined) console.warn(`DICOM metadata (${type}) could not be read:`, error);
      if (id) loadFaults.providerThrew(id, type, error);
      return undefined;
    }
  };
  metaData.removeProvider(provider as never);
  // The loader registers it at the default priority, 0.
  metaData.addProvider(guarded as never, 0);
  loaderMetadata = guarded;
}

/** Frames whose server could not send them as first asked (e.g. Orthanc answers 500 for stored deflate). */
const useFallbackAccept = new Set<string>();

/** Statuses that mean "not in that transfer syntax", as opposed to a missing frame or a network failure. */
const TRANSFER_SYNTAX_REFUSED = new Set([406, 415, 500, 501]);

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** A frame the server refused for good gets a reason a reader can act on, not just a status line. */
function explainFrameRefusal(error: unknown): never {
  const status = statusOf(error);
  if (status === 400) {
    throw new Error('the server could not send this frame (400 Bad Request): its pixel data is probably missing, truncated or shorter than the number of frames says');
  }
  if (status === 404) throw new Error('the server has no such frame (404 Not Found)');
  throw error;
}

/**
 * The DICOMweb loader with the data path's retry policy: network errors, 408, 429 and 5xx are retried with
 * backoff, and a frame whose stored syntax the server refuses is asked for once more in explicit VR little
 * endian. Decode failures are final (the frame's bytes will not change).
 */
function registerWadorsWithRetry(): void {
  registerImageLoader('wadors', (imageId, loaderOptions) => {
    // Refuse frames that cannot be displayed before fetching or allocating anything (absurd sizes, bad layouts).
    const metadata = wadors.metaDataManager.get(imageId) as DicomJson | undefined;
    const problem = metadata ? frameProblem(metadata) : undefined;
    if (problem) return { promise: Promise.reject(new Error(problem)), cancelFn: undefined };
    // A frame that a running series stream will bring (MPR's volume) is waited for, not fetched alone.
    const arrival = streamedFrameArrival(imageId);
    // The decode task carries the image id, so a failure after decoding can be laid on this load (loadFaults.ts).
    const options = { ...(loaderOptions as object), faultKey: imageId };
    const first = arrival ? undefined : wadors.loadImage(imageId, options as never);
    const promise = withRetry(
      (n) =>
        n === 0 && first
          ? first.promise
          : n === 0 && arrival
            ? arrival.then(() => wadors.loadImage(imageId, options as never).promise)
            : wadors.loadImage(imageId, options as never).promise,
      (error) => {
        const status = statusOf(error);
        if (status === undefined) return { retry: false };
        if (TRANSFER_SYNTAX_REFUSED.has(status) && !useFallbackAccept.has(imageId)) {
          useFallbackAccept.add(imageId);
          return { retry: true };
        }
        return { retry: isRetryableStatus(status) };
      },
    );
    return { promise: loadFaults.watch(imageId, promise.catch(explainFrameRefusal)), cancelFn: first?.cancelFn };
  });
}

/** What the loader hands its decode worker (Cornerstone's decodeImageFrame). */
interface DecodeArgs {
  imageFrame: FrameLayout & { planarConfiguration?: number };
  transferSyntax: string;
  pixelData: Uint8Array;
  /** The loader's options; faultKey is this app's (registerWadorsWithRetry). */
  options?: { faultKey?: unknown };
}

/** The parts of Cornerstone's worker manager this module replaces for the loader's decode worker. */
interface WorkerManagerInternals {
  workerRegistry?: Record<string, { workerFn?: () => Worker } | undefined>;
  executeTask(workerName: string, methodName: string, args?: unknown, options?: DecodeTaskOptions): Promise<unknown>;
  terminate(workerName: string): void;
}

/** The fields of the loader's decoded imageFrame this module reads or rewrites. */
interface DecodedFrame {
  rows?: number;
  columns?: number;
  photometricInterpretation?: string;
  pixelData?: Uint8Array;
  pixelDataLength?: number;
}

/** Native YBR_FULL_422 leaves the decoder still subsampled; Cornerstone would then fail to render it (see pixels.ts). */
function convertNativeYbr422(task: DecodeArgs, decoded: DecodedFrame | undefined): void {
  const { rows = 0, columns = 0 } = task.imageFrame;
  if (!decoded?.pixelData || decoded.photometricInterpretation !== 'YBR_FULL_422' || task.imageFrame.bitsAllocated !== 8) return;
  if (decoded.pixelData.length !== rows * columns * 2) return;
  decoded.pixelData = ybrFull422ToRgb(decoded.pixelData, rows, columns);
  decoded.pixelDataLength = decoded.pixelData.length;
  decoded.photometricInterpretation = 'RGB';
}

/**
 * Routes the loader's decode tasks through a pool with a watchdog (see decodePool.ts). The loader's worker
 * factory is reused, so the worker bundle and its codecs stay exactly as Cornerstone builds them; the workers
 * its manager already started are stopped. Codestreams with impossible headers are refused before decoding.
 */
function installDecodePool(size: number, timeoutMs: number): void {
  const manager = getWebWorkerManager() as unknown as WorkerManagerInternals;
  const workerFn = manager.workerRegistry?.dicomImageLoader?.workerFn;
  if (!workerFn) throw new Error('the DICOM loader registered no decode worker');
  manager.terminate('dicomImageLoader');
  const spawn = (): DecodeWorker<DecodeArgs, unknown> => {
    const worker = workerFn();
    const api = Comlink.wrap<{ decodeTask(args: DecodeArgs): Promise<unknown> }>(worker);
    return {
      // A streamed frame's bytes move to the worker instead of being copied (nothing here reads them afterwards).
      decode: (args) => api.decodeTask(isHandedOverFrame(args.pixelData) ? Comlink.transfer(args, [args.pixelData.buffer]) : args),
      terminate: () => {
        api[Comlink.releaseProxy]();
        worker.terminate();
      },
    };
  };
  const pool = new DecodePool<DecodeArgs, unknown>({
    size,
    spawn,
    timeoutMs,
    // No image identifiers here: the viewport that asked for the frame already says what failed.
    onRecycle: (reason) => console.warn(`decode worker replaced (${reason === 'timeout' ? `a frame took over ${timeoutMs / 1000} s` : 'its decoder crashed'})`),
  });
  pool.warm();
  const original = manager.executeTask.bind(manager);
  manager.executeTask = (workerName, methodName, args, options) => {
    if (workerName !== 'dicomImageLoader' || methodName !== 'decodeTask') return original(workerName, methodName, args, options);
    const task = args as DecodeArgs;
    const problem = codestreamProblem(task.transferSyntax, task.pixelData, task.imageFrame);
    if (problem) return Promise.reject(new Error(problem));
    return pool.run(task, options).then(
      (decoded) => {
        convertNativeYbr422(task, decoded as DecodedFrame);
        const wrong = decodedProblem(encodingName(task.transferSyntax), task.imageFrame, decoded as DecodedFrame);
        if (wrong) throw new Error(wrong);
        if (typeof task.options?.faultKey === 'string') loadFaults.frameDecoded(task.options.faultKey);
        return decoded;
      },
      (error: unknown) => {
        if (error instanceof DecodeTimeoutError) throw error;
        const reason = describeLoadError(error);
        const known = reason !== describeLoadError(undefined);
        throw new Error(`the ${encodingName(task.transferSyntax)} data could not be decoded${known ? ` (${reason})` : ''}`);
      },
    );
  };
}

/**
 * Frames that came in a series stream (bulk retrieval, ./seriesStream.ts) reach the wadors loader as Cornerstone's
 * compressed frame data: it decodes them as it would a frame it fetched, with no request.
 */
function useStreamedFrames(): void {
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'compressedFrameData') return undefined;
    return takeStreamedFrame(imageId);
  }, 30_000);
}

/**
 * Projection radiographs often carry only Imager Pixel Spacing (the detector's): the loader's metadata ignores it,
 * so lengths would read in pixels. Measured at the detector they are what a reader expects (with the panel's note
 * that magnification is not corrected), as PS3.3 C.8.11.4.1.1 describes.
 */
function useImagerPixelSpacing(): void {
  metaData.addProvider((type: string, imageId: string) => {
    if (type !== 'imagePlaneModule' || !imageId.startsWith('wadors:')) return undefined;
    const raw = wadors.metaDataManager.get(imageId) as DicomJson | undefined;
    const imager = raw?.['00181164']?.Value as number[] | undefined;
    if (!raw || raw['00280030']?.Value?.length || !imager || imager.length < 2 || !(imager[0]! > 0 && imager[1]! > 0)) return undefined;
    const base = loaderMetadata(type, imageId) as Record<string, unknown> | undefined;
    if (!base) return undefined;
    // usingDefaultValues is what Cornerstone reads as "no pixel spacing" (lengths in px); the spacing is real here.
    return { ...base, pixelSpacing: imager, rowPixelSpacing: imager[0], columnPixelSpacing: imager[1], usingDefaultValues: false };
  }, 20_000);
}

/** Starts Cornerstone once: core, the DICOM loader with its decode workers, and the tools we use. */
export function initImaging(
  maxWebWorkers: number,
  decodeTimeoutMs = 20_000,
  cacheBudgetMb = 1024,
  stackRendering: StackRendering = 'auto',
): Promise<void> {
  ready ??= (async () => {
    // Cornerstone's engine opens 7 WebGL contexts up front, for parallel drawing on a GPU. A software rasterizer
    // (no GPU: virtual desktops, headless) draws one at a time whatever the count, and each context took it
    // ~50 ms to create, before the first image.
    // (init merges what it is given into its defaults.)
    coreInit(getRenderingCapabilities().softwareRasterizer ? ({ rendering: { webGlContextCount: 1 } } as Parameters<typeof coreInit>[0]) : undefined);
    if (stacksOnCpu(stackRendering)) {
      renderStacksOnCpu();
      // Thumbnails too: Cornerstone's default draws them with WebGL, in an engine and context of their own.
      drawThumbnailsOnCpu();
    }
    absorbReportedLoadFailures();
    const cores = navigator.hardwareConcurrency || 2;
    loaderInit({
      // The loader's own workers are replaced by the pool below; one is enough to register the factory.
      maxWebWorkers: 1,
      // Local files' frames are Blobs: their URLs stand in for the in-memory server's frame URLs.
      open: (xhr: XMLHttpRequest, url: string) => xhr.open('get', frameUrlResolver(url) ?? url, true),
      beforeSend: (_xhr, imageId) => {
        const url = imageId.replace(/^wadors:/, '');
        const policy = policyFor(url);
        if (!policy) return undefined;
        return { ...policy.headers(), Accept: useFallbackAccept.has(imageId) ? policy.fallbackAccept : policy.accept };
      },
    });
    // Decoding happens in workers; leave a core for the UI thread on small machines.
    installDecodePool(maxWebWorkers > 0 ? maxWebWorkers : Math.max(1, Math.min(4, cores - 1)), decodeTimeoutMs);
    guardLoaderMetadata();
    registerWadorsWithRetry();
    useStreamedFrames();
    useImagerPixelSpacing();
    cache.setMaxCacheSize(cacheBudgetMb * 1024 * 1024);
    toolsInit();
    for (const tool of [PanTool, TouchZoomTool, WindowLevelTool, StackScrollTool, ReferenceLinesTool, ...MEASUREMENT_TOOL_CLASSES]) addTool(tool);
    // Browsers keep ~6 connections per origin; more parallel frame requests only queue in the browser, where
    // they can no longer be reordered to put the visible frame first.
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Interaction, 6);
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Thumbnail, 4);
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, 6);
  })();
  return ready;
}

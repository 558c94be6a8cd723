import { init as coreInit, imageLoadPoolManager, Enums, eventTarget, registerImageLoader } from '@cornerstonejs/core';
import { init as loaderInit, wadors } from '@cornerstonejs/dicom-image-loader';
import type { DicomJson } from '../dicomweb/json';
import { isRetryableStatus, withRetry } from '../dicomweb/retry';
import { frameProblem } from '../model/frameChecks';
import {
  init as toolsInit,
  addTool,
  PanTool,
  ZoomTool,
  WindowLevelTool,
  StackScrollTool,
} from '@cornerstonejs/tools';

/** Per-request settings for one data source, matched by the frame URL's prefix. */
export interface FrameRequestPolicy {
  wadoRoot: string;
  headers: Record<string, string>;
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
  });
}

/** Frames whose server could not send them as first asked (e.g. Orthanc answers 500 for stored deflate). */
const useFallbackAccept = new Set<string>();

/** Statuses that mean "not in that transfer syntax", as opposed to a missing frame or a network failure. */
const TRANSFER_SYNTAX_REFUSED = new Set([406, 415, 500, 501]);

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/**
 * The DICOMweb loader with the data path's retry policy: network errors, 408, 429 and 5xx are retried with
 * backoff, and a frame whose stored syntax the server refuses is asked for once more in explicit VR little
 * endian. Decode failures are final (the frame's bytes will not change).
 */
function registerWadorsWithRetry(): void {
  registerImageLoader('wadors', (imageId, options) => {
    // Refuse frames that cannot be displayed before fetching or allocating anything (absurd sizes, bad layouts).
    const metadata = wadors.metaDataManager.get(imageId) as DicomJson | undefined;
    const problem = metadata ? frameProblem(metadata) : undefined;
    if (problem) return { promise: Promise.reject(new Error(problem)), cancelFn: undefined };
    const first = wadors.loadImage(imageId, options as never);
    const promise = withRetry(
      (n) => (n === 0 ? first.promise : wadors.loadImage(imageId, options as never).promise),
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
    return { promise, cancelFn: first.cancelFn };
  });
}

/** Starts Cornerstone once: core, the DICOM loader with its decode workers, and the tools we use. */
export function initImaging(maxWebWorkers: number): Promise<void> {
  ready ??= (async () => {
    coreInit();
    absorbReportedLoadFailures();
    const cores = navigator.hardwareConcurrency || 2;
    loaderInit({
      // Decoding happens in workers; leave a core for the UI thread on small machines.
      maxWebWorkers: maxWebWorkers > 0 ? maxWebWorkers : Math.max(1, Math.min(4, cores - 1)),
      beforeSend: (_xhr, imageId) => {
        const url = imageId.replace(/^wadors:/, '');
        const policy = policyFor(url);
        if (!policy) return undefined;
        return { ...policy.headers, Accept: useFallbackAccept.has(imageId) ? policy.fallbackAccept : policy.accept };
      },
    });
    registerWadorsWithRetry();
    toolsInit();
    for (const tool of [PanTool, ZoomTool, WindowLevelTool, StackScrollTool]) addTool(tool);
    // Browsers keep ~6 connections per origin; more parallel frame requests only queue in the browser, where
    // they can no longer be reordered to put the visible frame first.
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Interaction, 6);
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Thumbnail, 4);
    imageLoadPoolManager.setMaxSimultaneousRequests(Enums.RequestType.Prefetch, 6);
  })();
  return ready;
}

// Local files as a data source: an in-memory DICOMweb server. The app's DicomWebClient (kind "static") reads
// studies, series and metadata through `fetch` below, and the image loader's frame requests are pointed at Blob
// URLs of the frames (see `localFrameUrl`, used by imaging/init.ts), so the worklist, viewer, MPR and
// measurements treat local studies exactly like PACS ones. Nothing is uploaded and nothing is stored: a reload
// forgets the files.
import type { DataSourceConfig } from '../dicomweb/dataSource';
import { encodeMultipartRelated, parseMultipartRelated } from '../dicomweb/multipart';
import type { DicomJson } from '../dicom/json';
import { seriesResult, sortInstances, studyResult } from './qidoResults';
import type { LocalInstance } from './readFiles';

export const LOCAL_SOURCE_NAME = 'local';
/** Path under the page's origin that local URLs use; no request to it ever leaves the browser. */
export const LOCAL_ROOT_PATH = '/__local__';

export const localSourceConfig: DataSourceConfig = {
  name: LOCAL_SOURCE_NAME,
  label: 'Local files',
  kind: 'local',
  qidoRoot: LOCAL_ROOT_PATH,
  wadoRoot: LOCAL_ROOT_PATH,
  requestHeaders: {},
  qidoSupportsIncludeField: true,
  supportsFuzzyMatching: false,
  supportsWildcard: true,
  omitQuotationForMultipartRequest: false,
  requestTransferSyntaxUID: '*',
  bulkRetrieve: false,
};

const PATH = /^\/__local__\/studies(?:\/index\.json|\/([^/]+)\/series(?:\/index\.json|\/([^/]+)\/(metadata|instances\/([^/]+)(?:\/frames\/([\d,]+))?)))$/;

function json(value: unknown): Response {
  return new Response(JSON.stringify(value), { status: 200, headers: { 'Content-Type': 'application/dicom+json' } });
}

function notFound(what: string): Response {
  return new Response(`${what} is not among the local files`, { status: 404, statusText: 'Not Found' });
}

export class LocalIndex {
  /** study → series → SOP instance UID → instance */
  private readonly tree = new Map<string, Map<string, Map<string, LocalInstance>>>();
  private readonly blobUrls = new Map<string, string>();

  /** Adds an instance; false when one with its SOP Instance UID is already there (the first file wins). */
  add(inst: LocalInstance): boolean {
    // The duplicate check first: a refused instance must not leave an empty study (or series) behind.
    for (const s of this.tree.values()) for (const r of s.values()) if (r.has(inst.sopInstanceUID)) return false;
    let study = this.tree.get(inst.studyInstanceUID);
    if (!study) this.tree.set(inst.studyInstanceUID, (study = new Map()));
    let series = study.get(inst.seriesInstanceUID);
    if (!series) study.set(inst.seriesInstanceUID, (series = new Map()));
    series.set(inst.sopInstanceUID, inst);
    return true;
  }

  get studyCount(): number {
    return this.tree.size;
  }

  get instanceCount(): number {
    let n = 0;
    for (const s of this.tree.values()) for (const r of s.values()) n += r.size;
    return n;
  }

  /** Instances of a study (or of one series of it), in series then instance order. */
  instances(studyUID: string, seriesUID?: string): LocalInstance[] {
    const study = this.tree.get(studyUID);
    if (!study) return [];
    const series = seriesUID ? [study.get(seriesUID)].filter((s) => s !== undefined) : [...study.values()];
    return series.flatMap((r) => [...r.values()]);
  }

  studyUIDs(): string[] {
    return [...this.tree.keys()];
  }

  private seriesResults(studyUID: string): DicomJson[] {
    const study = this.tree.get(studyUID);
    if (!study) return [];
    return [...study.values()].map((r) => seriesResult(sortInstances([...r.values()].map((i) => i.metadata))));
  }

  private studyResults(): DicomJson[] {
    return [...this.tree.entries()].map(([uid, study]) => {
      const first = study.values().next().value?.values().next().value as LocalInstance;
      return studyResult(first.metadata, this.seriesResults(uid));
    });
  }

  private instance(study: string, series: string, sop: string): LocalInstance | undefined {
    return this.tree.get(study)?.get(series)?.get(sop);
  }

  /** One frame (1-based) as a Blob typed the way a WADO-RS frame part is, or undefined. */
  frame(study: string, series: string, sop: string, frame: number): Blob | undefined {
    const inst = this.instance(study, series, sop);
    const range = inst?.frameRanges[frame - 1];
    if (!inst || !range) return undefined;
    return inst.frames.slice(range[0], range[1], `application/octet-stream; transfer-syntax=${inst.frameTransferSyntaxUID}`);
  }

  /** The DICOMweb requests the static client makes, answered from memory. */
  readonly fetch = async (input: string, init?: RequestInit): Promise<Response> => {
    const url = new URL(input, globalThis.location?.href ?? 'http://localhost/');
    if (init?.method === 'POST') return this.store(url, init);
    if (init?.method && init.method !== 'GET') return new Response('not supported on local files', { status: 405, statusText: 'Method Not Allowed' });
    const m = PATH.exec(url.pathname);
    if (!m) return notFound(url.pathname);
    const [, study, series, leaf, sop, frames] = m.map((p) => (p === undefined ? undefined : decodeURIComponent(p)));
    if (!study) return json(this.studyResults());
    if (!series) return this.tree.has(study) ? json(this.seriesResults(study)) : notFound('the study');
    if (leaf === 'metadata') {
      const r = this.tree.get(study)?.get(series);
      return r ? json(sortInstances([...r.values()].map((i) => i.metadata))) : notFound('the series');
    }
    const inst = sop ? this.instance(study, series, sop) : undefined;
    if (!inst) return notFound('the instance');
    if (!frames) return new Response(inst.source, { status: 200, headers: { 'Content-Type': 'application/dicom' } });
    const parts: { contentType: string; body: Uint8Array }[] = [];
    for (const n of frames.split(',').map(Number)) {
      const blob = this.frame(study, series, inst.sopInstanceUID, n);
      if (!blob) return notFound(`frame ${n}`);
      parts.push({ contentType: blob.type, body: new Uint8Array(await blob.arrayBuffer()) });
    }
    const { body, contentType } = encodeMultipartRelated(parts, `lumen-local-${Date.now().toString(36)}`);
    return new Response(body as BodyInit, { status: 200, headers: { 'Content-Type': contentType } });
  };

  /**
   * STOW-RS into memory: what the viewer saves on local files (a measurement report) joins them, to be exported or
   * uploaded with the study. Answers like a server: stored instances in 00081199, refused ones in 00081198.
   */
  private async store(url: URL, init: RequestInit): Promise<Response> {
    if (!/^\/__local__\/studies(\/[^/]+)?$/.test(url.pathname)) return notFound(url.pathname);
    const type = new Headers(init.headers).get('content-type') ?? '';
    const body = new Uint8Array(await new Response(init.body ?? null).arrayBuffer());
    // The parser (and dcmjs with it) only when something is saved: the study list's chunk stays small.
    const { readBytes } = await import('./readFiles');
    const stored: DicomJson[] = [];
    const failed: DicomJson[] = [];
    const item = (uid: string, code?: number): DicomJson => ({
      '00081155': { vr: 'UI', Value: [uid] },
      ...(code !== undefined ? { '00081197': { vr: 'US', Value: [code] } } : {}),
    });
    parseMultipartRelated(body, type).forEach((part, n) => {
      readBytes(`saved/${n + 1}.dcm`, part.body, new Blob([part.body as BlobPart], { type: 'application/dicom' }), (r) => {
        if (r.kind !== 'instance') failed.push(item('', 0xc000));
        else if (this.add(r.instance)) stored.push(item(r.instance.sopInstanceUID));
        else failed.push(item(r.instance.sopInstanceUID, 0x0111));
      });
    });
    const answer: DicomJson = {};
    if (stored.length) answer['00081199'] = { vr: 'SQ', Value: stored };
    if (failed.length) answer['00081198'] = { vr: 'SQ', Value: failed };
    const status = failed.length === 0 ? 200 : stored.length === 0 ? 409 : 202;
    return new Response(JSON.stringify(answer), { status, statusText: status === 409 ? 'Conflict' : status === 202 ? 'Accepted' : 'OK', headers: { 'Content-Type': 'application/dicom+json' } });
  }

  /**
   * A Blob URL for a local frame URL (what the image loader requests for a `wadors:` image id), or undefined for
   * any other URL. The Blob's type carries the transfer syntax, which the loader reads as the content type.
   */
  frameBlobUrl(url: string): string | undefined {
    let path: string;
    try {
      path = new URL(url).pathname;
    } catch {
      return undefined;
    }
    const m = PATH.exec(path);
    const [, study, series, , sop, frames] = m?.map((p) => (p === undefined ? undefined : decodeURIComponent(p))) ?? [];
    if (!study || !series || !sop || !frames || frames.includes(',')) return undefined;
    const cached = this.blobUrls.get(path);
    if (cached) return cached;
    const blob = this.frame(study, series, sop, Number(frames));
    if (!blob) return undefined;
    const blobUrl = URL.createObjectURL(blob);
    this.blobUrls.set(path, blobUrl);
    return blobUrl;
  }

  /** Forgets every file (and revokes the frames' Blob URLs). */
  clear(): void {
    for (const u of this.blobUrls.values()) URL.revokeObjectURL(u);
    this.blobUrls.clear();
    this.tree.clear();
  }
}

/** The one set of local files of this page. */
export const localIndex = new LocalIndex();

/** Where the image loader should really fetch `url` from: a Blob URL for local frames, else undefined. */
export function localFrameUrl(url: string): string | undefined {
  return url.includes(LOCAL_ROOT_PATH) ? localIndex.frameBlobUrl(url) : undefined;
}

import type { DataSourceConfig } from './dataSource';
import { DicomWebError, displayUrl } from './errors';
import type { DicomJson } from '../dicom/json';
import { getString } from '../dicom/json';
import { encodeMultipartRelated, parseMultipartRelated, type MultipartPart } from './multipart';
import { expandQuickSearch, matchStudy, qidoQueryString, SERIES_INCLUDE_FIELDS, studySearchParams, type Paging, type StudyQuery } from './qido';
import { DEFAULT_RETRY, isRetryableStatus, retryAfterMs, withRetry, type RetryPolicy } from './retry';
import { Tag } from '../dicom/tags';

/** What a STOW-RS store (C-STORE) did with each instance sent. */
export interface StoreResult {
  stored: string[];
  /** SOP instance UID → the server's reason (a DICOM failure code where it gave one). */
  failed: Record<string, string>;
  /** SOP instance UID → warning text (stored, but with a coercion or similar). */
  warnings: Record<string, string>;
  /** The HTTP status line of the answer, e.g. "409 Conflict", for messages. */
  status: string;
}

export interface StudySearchResult {
  studies: DicomJson[];
  /** More results exist after this page. */
  hasMore: boolean;
  /** Total matches, when the source can tell (static trees can; QIDO servers cannot). */
  total?: number;
  /**
   * False for a quick search on a QIDO server: its answer merges several searches and has no pages (`hasMore`
   * then means that more studies match than are listed).
   */
  pageable: boolean;
}

type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

/** A static tree's Part 10 copy of a non-image object, in its instance's folder (see retrieveInstance). */
export const STATIC_INSTANCE_FILE = 'instance.dcm';

/**
 * A UID as one URL path segment. '.' and '..' survive encoding and move the request up the server's tree
 * (`studies/../series`), and an empty one drops a level: refused here whatever the caller checked (links and
 * exports check UIDs fully with model/uid.ts; odd but harmless UIDs from a server still pass here).
 */
export function uidSegment(uid: string): string {
  if (uid === '' || uid === '.' || uid === '..') throw new Error(`"${uid}" is not a DICOM UID: no request is made with it`);
  return encodeURIComponent(uid);
}

function joinUrl(root: string, path: string): string {
  return `${root.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * The media type of frames in a transfer syntax (PS3.18 Table 8.7.3-2): servers answer a request for a compressed
 * syntax only with its own type (Orthanc refuses `application/octet-stream` with JPEG-LS, 400). Uncompressed
 * frames, and "as stored" (`*`), are `application/octet-stream`.
 */
export function frameMediaType(transferSyntax: string): string {
  if (/^1\.2\.840\.10008\.1\.2\.4\.(50|51|57|70)$/.test(transferSyntax)) return 'image/jpeg';
  if (/^1\.2\.840\.10008\.1\.2\.4\.8[01]$/.test(transferSyntax)) return 'image/jls';
  if (/^1\.2\.840\.10008\.1\.2\.4\.9[01]$/.test(transferSyntax)) return 'image/jp2';
  if (/^1\.2\.840\.10008\.1\.2\.4\.9[23]$/.test(transferSyntax)) return 'image/jpx';
  if (/^1\.2\.840\.10008\.1\.2\.4\.20[1-3]$/.test(transferSyntax)) return 'image/jphc';
  if (transferSyntax === '1.2.840.10008.1.2.5') return 'image/dicom-rle';
  return 'application/octet-stream';
}

/**
 * A typed DICOMweb client for one data source: QIDO-RS searches, WADO-RS metadata and frame URLs.
 * For `static` sources (trees written by `npm run import`) collections are read from `index.json` files and
 * filtered, sorted and paged here with the same semantics as the server would apply.
 */
export class DicomWebClient {
  readonly qidoRoot: string;
  readonly wadoRoot: string;
  private staticStudies?: Promise<DicomJson[]>;

  constructor(
    readonly source: DataSourceConfig,
    private readonly fetchImpl: FetchLike = (input, init) => fetch(input, init),
    baseUrl: string = globalThis.location?.href ?? 'http://localhost/',
    private readonly retryPolicy: RetryPolicy = DEFAULT_RETRY,
    /** Headers that change while the app runs (the signed-in user's access token), read for each request. */
    private readonly credentials: () => Record<string, string> = () => ({}),
  ) {
    // Relative roots ('/dicom-web') resolve against the page, so one build serves any origin.
    this.qidoRoot = new URL(source.qidoRoot, baseUrl).href.replace(/\/+$/, '');
    this.wadoRoot = new URL(source.wadoRoot, baseUrl).href.replace(/\/+$/, '');
    // Servers that take STOW-RS at their WADO root need no stowRoot; static trees cannot store (local files take
    // what the viewer saves, in memory).
    this.stowRoot = source.kind === 'static' ? undefined : new URL(source.stowRoot ?? source.wadoRoot, baseUrl).href.replace(/\/+$/, '');
  }

  readonly stowRoot: string | undefined;

  /** Whether this source takes new instances (STOW-RS): measurement reports are saved there. */
  get canStore(): boolean {
    return this.stowRoot !== undefined;
  }

  /** Collections are read whole and filtered here (static trees, local files). */
  get isStatic(): boolean {
    return this.source.kind === 'static' || this.source.kind === 'local';
  }

  /** The headers every request to this source carries: config's `requestHeaders` and the user's credentials. */
  headers(): Record<string, string> {
    return { ...this.source.requestHeaders, ...this.credentials() };
  }

  /** One request, retried on network errors, 408, 429 and 5xx (see retry.ts); errors name the URL and status. */
  private request(operation: string, url: string, accept: string, signal?: AbortSignal): Promise<Response> {
    const once = async (): Promise<Response> => {
      let response: Response;
      try {
        response = await this.fetchImpl(url, {
          headers: { Accept: accept, ...this.headers() },
          signal,
          credentials: 'same-origin',
        });
      } catch (e) {
        if (signal?.aborted) throw e;
        throw new DicomWebError(operation, displayUrl(url), 0, e instanceof Error ? e.message : 'network error');
      }
      if (!response.ok) {
        throw new DicomWebError(
          operation,
          displayUrl(url),
          response.status,
          response.statusText,
          await shortReason(response),
          retryAfterMs(response.headers.get('retry-after')),
        );
      }
      return response;
    };
    return withRetry(
      once,
      (e) => (e instanceof DicomWebError && isRetryableStatus(e.status) ? { retry: true, afterMs: e.retryAfterMs } : { retry: false }),
      { policy: this.retryPolicy, signal },
    );
  }

  private async getJson(operation: string, url: string, signal?: AbortSignal): Promise<DicomJson[]> {
    const response = await this.request(operation, url, 'application/dicom+json, application/json', signal);
    // QIDO answers 204 No Content for an empty result.
    if (response.status === 204) return [];
    const text = await response.text();
    if (text.trim() === '') return [];
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new DicomWebError(operation, displayUrl(url), response.status, 'response is not JSON');
    }
    if (!Array.isArray(json)) {
      throw new DicomWebError(operation, displayUrl(url), response.status, 'response is not a JSON array');
    }
    return json as DicomJson[];
  }

  private studiesIndex(signal?: AbortSignal): Promise<DicomJson[]> {
    this.staticStudies ??= this.getJson('Study search', joinUrl(this.qidoRoot, 'studies/index.json'), signal).catch(
      (e: unknown) => {
        this.staticStudies = undefined;
        throw e;
      },
    );
    return this.staticStudies;
  }

  /** QIDO-RS study search (C-FIND at study level). */
  async searchStudies(query: StudyQuery, paging: Paging, signal?: AbortSignal): Promise<StudySearchResult> {
    if (this.isStatic) {
      const all = (await this.studiesIndex(signal)).filter((s) => matchStudy(s, query, this.source));
      return {
        studies: all.slice(paging.offset, paging.offset + paging.limit),
        hasMore: all.length > paging.offset + paging.limit,
        total: all.length,
        pageable: true,
      };
    }
    const queries = expandQuickSearch(query);
    if (queries.length > 1) return this.quickSearch(queries, paging.limit, signal);
    const rows = await this.qidoStudies(queries[0] ?? query, paging, signal);
    const hasMore = rows.length > paging.limit;
    const studies = rows.slice(0, paging.limit);
    return { studies, hasMore, total: hasMore ? undefined : paging.offset + studies.length, pageable: true };
  }

  /** One QIDO-RS study search; asks for one row more than the page (see studySearchParams). */
  private qidoStudies(query: StudyQuery, paging: Paging, signal?: AbortSignal): Promise<DicomJson[]> {
    const params = studySearchParams(query, paging, this.source);
    return this.getJson('Study search (QIDO-RS)', `${joinUrl(this.qidoRoot, 'studies')}?${qidoQueryString(params)}`, signal);
  }

  /**
   * A quick search on a QIDO server: QIDO has no "or", so one search per field, at once, merged by
   * StudyInstanceUID in the order of the fields (name, ID, accession, description). Up to `limit` studies; no pages,
   * since the servers' orders cannot be interleaved into stable pages.
   */
  private async quickSearch(queries: StudyQuery[], limit: number, signal?: AbortSignal): Promise<StudySearchResult> {
    const answers = await Promise.all(queries.map((q) => this.qidoStudies(q, { limit, offset: 0 }, signal)));
    const byUid = new Map<string, DicomJson>();
    for (const rows of answers) {
      for (const row of rows.slice(0, limit)) {
        const uid = getString(row, Tag.StudyInstanceUID);
        if (uid && !byUid.has(uid)) byUid.set(uid, row);
      }
    }
    const merged = [...byUid.values()];
    const hasMore = merged.length > limit || answers.some((rows) => rows.length > limit);
    return { studies: merged.slice(0, limit), hasMore, total: hasMore ? undefined : merged.length, pageable: false };
  }

  /** One study's QIDO record, for deep links; undefined when the source does not know the study. */
  async findStudy(studyInstanceUID: string, signal?: AbortSignal): Promise<DicomJson | undefined> {
    const { studies } = await this.searchStudies({ studyInstanceUID }, { limit: 1, offset: 0 }, signal);
    return studies.find((s) => getString(s, Tag.StudyInstanceUID) === studyInstanceUID);
  }

  /** QIDO-RS series of a study. */
  async searchSeries(studyInstanceUID: string, signal?: AbortSignal): Promise<DicomJson[]> {
    const base = joinUrl(this.qidoRoot, `studies/${uidSegment(studyInstanceUID)}/series`);
    if (this.isStatic) return this.getJson('Series search', `${base}/index.json`, signal);
    const params = new URLSearchParams();
    if (this.source.qidoSupportsIncludeField) params.set('includefield', SERIES_INCLUDE_FIELDS.join(','));
    const query = qidoQueryString(params);
    return this.getJson('Series search (QIDO-RS)', query ? `${base}?${query}` : base, signal);
  }

  /**
   * SOP Instance UIDs the source holds for a study (QIDO-RS instance search), to skip what a store would only
   * repeat. Empty when the study is not there.
   */
  async searchInstanceUIDs(studyInstanceUID: string, signal?: AbortSignal): Promise<Set<string>> {
    if (this.isStatic) return new Set();
    const url = `${joinUrl(this.qidoRoot, `studies/${uidSegment(studyInstanceUID)}/instances`)}?includefield=00080018`;
    try {
      const rows = await this.getJson('Instance search (QIDO-RS)', url, signal);
      return new Set(rows.map((r) => getString(r, Tag.SOPInstanceUID)).filter(Boolean));
    } catch (e) {
      // Some servers answer 404 for a study they do not hold.
      if (e instanceof DicomWebError && e.status === 404) return new Set();
      throw e;
    }
  }

  /** WADO-RS series metadata: one DICOM JSON object per instance. */
  async retrieveSeriesMetadata(studyUID: string, seriesUID: string, signal?: AbortSignal): Promise<DicomJson[]> {
    const url = joinUrl(
      this.wadoRoot,
      `studies/${uidSegment(studyUID)}/series/${uidSegment(seriesUID)}/metadata`,
    );
    return this.getJson('Series metadata (WADO-RS)', url, signal);
  }

  /**
   * Bytes of a BulkDataURI. URIs on another origin (servers behind a proxy write their own host into them) are
   * rebased onto this source's WADO root, so requests and their headers only ever go to the configured server.
   */
  async retrieveBulkData(uri: string, signal?: AbortSignal): Promise<Uint8Array> {
    const u = new URL(uri, `${this.wadoRoot}/`);
    let url = u.href;
    if (u.origin !== new URL(this.wadoRoot).origin) {
      const at = u.pathname.indexOf('/studies/');
      if (at < 0) throw new DicomWebError('Bulk data (WADO-RS)', displayUrl(url), 0, 'not on the data source, not fetched');
      url = `${this.wadoRoot}${u.pathname.slice(at)}${u.search}`;
    }
    const response = await this.request('Bulk data (WADO-RS)', url, 'multipart/related; type="application/octet-stream"', signal);
    const body = new Uint8Array(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    return type.includes('multipart') ? (parseMultipartRelated(body, type)[0]?.body ?? new Uint8Array()) : body;
  }

  /**
   * Palette-colour lookup tables arrive as InlineBinary or BulkDataURI; the image loader wants their entries as
   * numbers. Replaces them in place, fetching bulk data where needed.
   */
  async resolvePaletteLuts(instances: DicomJson[], signal?: AbortSignal): Promise<void> {
    const jobs: Promise<void>[] = [];
    for (const ds of instances) {
      if (getString(ds, Tag.PhotometricInterpretation) !== 'PALETTE COLOR') continue;
      for (const [descriptorTag, dataTag] of PALETTE_LUT_DATA) {
        const attr = ds[dataTag];
        const descriptor = ds[descriptorTag]?.Value as number[] | undefined;
        if (!attr || attr.Value || !descriptor) continue;
        const entries = descriptor[0] === 0 ? 65536 : Number(descriptor[0]);
        const bits = Number(descriptor[2]);
        const bytes = attr.InlineBinary !== undefined
          ? Promise.resolve(base64ToBytes(attr.InlineBinary))
          : attr.BulkDataURI
            ? this.retrieveBulkData(attr.BulkDataURI, signal)
            : undefined;
        if (!bytes) continue;
        jobs.push(bytes.then((b) => {
          ds[dataTag] = { vr: attr.vr, Value: lutEntries(b, entries, bits) };
        }));
      }
    }
    await Promise.all(jobs);
  }

  /** Absolute WADO-RS URL of one frame (1-based), as the image loader fetches it. */
  frameUrl(studyUID: string, seriesUID: string, sopUID: string, frame: number): string {
    return joinUrl(
      this.wadoRoot,
      `studies/${encodeURIComponent(studyUID)}/series/${encodeURIComponent(seriesUID)}/instances/${encodeURIComponent(sopUID)}/frames/${frame}`,
    );
  }

  /**
   * The multipart Accept header for frames, honouring the source's quoting quirk and transfer syntax
   * (`transferSyntax` overrides the configured one, e.g. explicit VR little endian as a fallback).
   */
  frameAcceptHeader(transferSyntax = this.source.requestTransferSyntaxUID): string {
    const q = this.source.omitQuotationForMultipartRequest ? '' : '"';
    return `multipart/related; type=${q}${frameMediaType(transferSyntax)}${q}; transfer-syntax=${transferSyntax}`;
  }

  /** The Accept header for a whole series as Part 10 files (bulk retrieval), in the configured transfer syntax. */
  seriesAcceptHeader(): string {
    const q = this.source.omitQuotationForMultipartRequest ? '' : '"';
    return `multipart/related; type=${q}application/dicom${q}; transfer-syntax=${this.source.requestTransferSyntaxUID}`;
  }

  /** How to ask for a whole series when the source offers bulk retrieval (config `bulkRetrieve`), else undefined. */
  bulkRetrieve(): { accept: string; headers: Record<string, string> } | undefined {
    return this.source.bulkRetrieve ? { accept: this.seriesAcceptHeader(), headers: this.headers() } : undefined;
  }

  /**
   * One instance as a DICOM Part 10 file (WADO-RS retrieve instance). A static tree keeps the files of its
   * non-image objects (reports, documents, waveforms, segmentations, videos) as `instances/<I>/instance.dcm`: a
   * folder cannot also be a file on a plain web server.
   */
  async retrieveInstance(studyUID: string, seriesUID: string, sopUID: string, signal?: AbortSignal): Promise<Uint8Array> {
    const url = joinUrl(
      this.wadoRoot,
      `studies/${uidSegment(studyUID)}/series/${uidSegment(seriesUID)}/instances/${uidSegment(sopUID)}${this.source.kind === 'static' ? `/${STATIC_INSTANCE_FILE}` : ''}`,
    );
    const q = this.source.omitQuotationForMultipartRequest ? '' : '"';
    const response = await this.request(
      'Instance retrieval (WADO-RS)',
      url,
      `multipart/related; type=${q}application/dicom${q}; transfer-syntax=*`,
      signal,
    );
    const body = new Uint8Array(await response.arrayBuffer());
    const type = response.headers.get('content-type') ?? '';
    const part = type.includes('multipart') ? parseMultipartRelated(body, type)[0]?.body : body;
    if (!part || part.length < 132) throw new DicomWebError('Instance retrieval (WADO-RS)', displayUrl(url), response.status, 'the answer holds no DICOM file');
    return part;
  }

  /**
   * STOW-RS (C-STORE): sends Part 10 files in one request to the study's store URL. Not retried: the caller
   * keeps what it sent and offers a retry, so nothing is lost when the server refuses.
   */
  async storeInstances(studyUID: string, files: { sopInstanceUID: string; bytes: Uint8Array }[], signal?: AbortSignal): Promise<StoreResult> {
    const operation = 'Store (STOW-RS)';
    if (!this.stowRoot) throw new DicomWebError(operation, displayUrl(this.wadoRoot), 0, 'this data source cannot store (a static tree)');
    const url = joinUrl(this.stowRoot, `studies/${uidSegment(studyUID)}`);
    const boundary = `lumen-${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
    const { body, contentType } = encodeMultipartRelated(
      files.map((f) => ({ contentType: 'application/dicom', body: f.bytes })),
      boundary,
      'application/dicom',
    );
    let response: Response;
    try {
      response = await this.fetchImpl(url, {
        method: 'POST',
        headers: { ...this.headers(), Accept: 'application/dicom+json, application/json', 'Content-Type': contentType },
        body: body as BodyInit,
        signal,
        credentials: 'same-origin',
      });
    } catch (e) {
      if (signal?.aborted) throw e;
      throw new DicomWebError(operation, displayUrl(url), 0, e instanceof Error ? e.message : 'network error');
    }
    let answer: DicomJson | undefined;
    const text = await response.text().catch(() => '');
    try {
      const parsed: unknown = text ? JSON.parse(text) : undefined;
      answer = (Array.isArray(parsed) ? parsed[0] : parsed) as DicomJson | undefined;
    } catch {
      answer = undefined;
    }
    const result = storeResultOf(answer, files.map((f) => f.sopInstanceUID), response.ok && response.status !== 202);
    // 409 (all failed) and 202 (some failed) carry a per-instance answer; other errors are the request's.
    if (!response.ok && response.status !== 409) {
      const reason = answer ? Object.values(result.failed)[0] ?? '' : text.startsWith('{') || text.startsWith('[') ? '' : text.trim().slice(0, 200);
      throw new DicomWebError(operation, displayUrl(url), response.status, response.statusText, reason);
    }
    return { ...result, status: `${response.status}${response.statusText ? ` ${response.statusText}` : ''}` };
  }

  /** WADO-RS frames, parsed from the multipart response (the image loader does this itself for display). */
  async retrieveFrames(
    studyUID: string,
    seriesUID: string,
    sopUID: string,
    frames: number[],
    signal?: AbortSignal,
  ): Promise<MultipartPart[]> {
    const url = this.frameUrl(studyUID, seriesUID, sopUID, 0).replace(/\/frames\/0$/, `/frames/${frames.join(',')}`);
    const response = await this.request('Frame retrieval (WADO-RS)', url, this.frameAcceptHeader(), signal);
    const body = new Uint8Array(await response.arrayBuffer());
    return parseMultipartRelated(body, response.headers.get('content-type') ?? '');
  }
}

const PALETTE_LUT_DATA: [descriptor: string, data: string][] = [
  ['00281101', '00281201'],
  ['00281102', '00281202'],
  ['00281103', '00281203'],
];

function base64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** LUT entries from their bytes; 8-bit tables may come one entry per byte or per 16-bit word. */
export function lutEntries(bytes: Uint8Array, entries: number, bits: number): number[] {
  const words = () => {
    const out: number[] = [];
    for (let i = 0; i + 1 < bytes.length; i += 2) out.push(bytes[i]! | (bytes[i + 1]! << 8));
    return out;
  };
  if (bits === 16) return words();
  return bytes.length === entries * 2 ? words().map((w) => w & 0xff) : Array.from(bytes);
}

/** Failure Reason (0008,1197) codes of PS3.18's STOW-RS answer, in words. */
const FAILURE_REASONS: Record<number, string> = {
  0x0110: 'processing failure',
  0x0111: 'duplicate: this instance is already there',
  0x0122: 'SOP class not supported',
  0x0124: 'not authorized',
  0xa700: 'out of resources',
  0xa900: 'data set does not match SOP class',
  0xc000: 'cannot understand',
  0xa770: 'out of resources (storage full)',
};

/**
 * Reads a STOW-RS answer: Referenced SOP Sequence (stored, with an optional Warning Reason) and Failed SOP
 * Sequence (with a Failure Reason). Instances the answer does not mention count as stored only when the whole
 * request succeeded.
 */
export function storeResultOf(answer: DicomJson | undefined, sent: string[], allOk: boolean): Omit<StoreResult, 'status'> {
  const result: Omit<StoreResult, 'status'> = { stored: [], failed: {}, warnings: {} };
  const items = (tag: string) => (answer?.[tag]?.Value ?? []) as DicomJson[];
  const mentioned = new Set<string>();
  for (const item of items('00081199')) {
    const uid = getString(item, '00081155');
    if (!uid) continue;
    mentioned.add(uid);
    result.stored.push(uid);
    const warning = item['00081196']?.Value?.[0];
    if (typeof warning === 'number') result.warnings[uid] = `warning 0x${warning.toString(16).toUpperCase()}`;
  }
  for (const item of items('00081198')) {
    const uid = getString(item, '00081155');
    if (!uid) continue;
    mentioned.add(uid);
    const code = item['00081197']?.Value?.[0];
    result.failed[uid] =
      typeof code === 'number' ? `${FAILURE_REASONS[code] ?? 'refused'} (0x${code.toString(16).toUpperCase().padStart(4, '0')})` : 'refused';
  }
  for (const uid of sent) {
    if (mentioned.has(uid)) continue;
    if (allOk) result.stored.push(uid);
    else result.failed[uid] = 'the server did not confirm it';
  }
  return result;
}

async function shortReason(response: Response): Promise<string> {
  const type = response.headers.get('content-type') ?? '';
  if (!type.startsWith('text/plain')) return '';
  try {
    return (await response.text()).trim().slice(0, 200);
  } catch {
    return '';
  }
}

import type { DicomWebClient } from './client';
import { displayUrl } from './errors';
import { getString } from '../dicom/json';
import { headerParameter } from './multipart';
import { Tag } from '../dicom/tags';

/** The C-ECHO of the web: what works on a data source, what does not, and what to do about it. */
export interface CheckStep {
  id: 'qido' | 'metadata' | 'frame' | 'transfer-syntax' | 'stow' | 'cors';
  label: string;
  result: 'pass' | 'fail' | 'warn' | 'skip';
  detail: string;
  /** What to change when it fails. */
  hint?: string;
  /**
   * `detail` and `hint` as message keys with their values (a screen says them in the reader's language; the English
   * above stays for logs and support): keys of the `check` group of the worklist namespace.
   */
  say: { detail: CheckMessage; hint?: CheckMessage };
}

export interface CheckMessage {
  key: string;
  params?: Record<string, string | number>;
}

export interface ProbeResponse {
  status: number;
  contentType: string;
  headers: Headers;
  body?: string;
  /** Set when no HTTP answer came back (network error, CORS refusal). */
  error?: string;
}

type Probe = (url: string, init: { method?: string; accept?: string; body?: string; contentType?: string }) => Promise<ProbeResponse>;

const EXPLICIT_LE = '1.2.840.10008.1.2.1';

/** The English of each message key (the app's English translation says the same; connectionCheck.test.ts checks it). */
export const CHECK_ENGLISH: Record<string, string> = {
  'hint.unreachable': 'Nothing answered: is the server running, is the {{what}} URL right, and (for another origin) does it send CORS headers? Serving the viewer with PACS_URL proxies it same-origin.',
  'hint.credentials': "The server wants credentials. Give them to the viewer's gateway (--pacs-auth-file or PACS_BASIC_AUTH; see the README's deployment section), which adds them on its way to the PACS: never in config.json, which every browser reads, nor in the URL.",
  'hint.notFound': 'The server has no such resource: check {{what}} in config.json (e.g. "/dicom-web").',
  'hint.notAcceptable': 'The server refused the Accept header: try omitQuotationForMultipartRequest or requestTransferSyntaxUID in config.json.',
  'hint.serverFailed': 'The server failed: its own log says why.',
  'hint.notJson': 'The URL reaches something that is not a DICOMweb server (a web page?): check qidoRoot.',
  'hint.metadata': 'Check wadoRoot in config.json; the server must offer WADO-RS metadata.',
  'hint.noSyntax': 'The server sends frames in neither form: check its DICOMweb plugin settings.',
  'hint.noStow': 'Storing is not enabled on this server; saving measurements and uploads will not work.',
  'hint.cors': "Enable CORS for the viewer's origin on the server, or serve the viewer with PACS_URL so it proxies the server same-origin.",
  'detail.notJson': '{{url}} answered {{status}} but not with JSON',
  'detail.answered': '{{url}} answered {{status}}',
  'detail.answeredEmpty': '{{url}} answered {{status}} (no studies on the server)',
  'detail.unreachable': '{{url}} could not be reached',
  'detail.unreachableWhy': '{{url}} could not be reached ({{error}})',
  'detail.described': '{{count}} instance(s) described',
  'detail.error': '{{error}}',
  'detail.noStudy': 'no study to read (search failed or the server is empty)',
  'detail.frame': 'frame 1 came back ({{type}})',
  'detail.frameRefused': '{{url}} answered {{status}} when asked for the stored transfer syntax',
  'detail.noImage': 'no image instance to read',
  'detail.noFrame': 'no frame to ask for',
  'detail.syntaxes': 'as stored → {{stored}}; explicit VR little endian → {{explicit}}',
  'detail.notNamed': 'not named',
  'detail.yes': 'yes',
  'detail.staticTree': 'a static tree cannot store',
  'detail.noStowRoot': 'no stowRoot configured',
  'detail.stow': '{{url}} answered {{status}} to an empty store request',
  'detail.stowExists': '{{url}} answered {{status}} to an empty store request (the service exists)',
  'detail.stowNothing': '{{url}} answered nothing to an empty store request',
  'detail.sameOrigin': 'same origin as the viewer: not needed',
  'detail.allowOrigin': 'Access-Control-Allow-Origin: {{origin}}',
  'detail.noAllowOrigin': '{{origin}} sent no Access-Control-Allow-Origin',
};

/** A message key with its values, and its English (for `detail` and `hint`). */
function msg(key: string, params?: Record<string, string | number>): { text: string; say: CheckMessage } {
  const text = (CHECK_ENGLISH[key] ?? key).replace(/\{\{(\w+)\}\}/g, (_, k: string) => String(params?.[k] ?? ''));
  return { text, say: params ? { key, params } : { key } };
}

/** A step from message keys: `detail` and `hint` in English, `say` with the keys. */
function step(id: CheckStep['id'], label: string, result: CheckStep['result'], detail: ReturnType<typeof msg>, hint?: ReturnType<typeof msg>): CheckStep {
  return { id, label, result, detail: detail.text, ...(hint?.text ? { hint: hint.text } : {}), say: { detail: detail.say, ...(hint?.text ? { hint: hint.say } : {}) } };
}

function httpHint(status: number, what: string): ReturnType<typeof msg> | undefined {
  if (status === 0) return msg('hint.unreachable', { what });
  if (status === 401 || status === 403) return msg('hint.credentials');
  if (status === 404) return msg('hint.notFound', { what });
  if (status === 406) return msg('hint.notAcceptable');
  if (status >= 500) return msg('hint.serverFailed');
  return undefined;
}

/** Runs every check in order; later checks are skipped when what they need did not come back. */
export async function checkConnection(client: DicomWebClient, probe: Probe, pageOrigin = globalThis.location?.origin ?? ''): Promise<CheckStep[]> {
  const steps: CheckStep[] = [];
  const qidoUrl = `${client.qidoRoot}/studies${client.isStatic ? '/index.json' : '?limit=1'}`;
  const qido = await probe(qidoUrl, { accept: 'application/dicom+json' });
  let study: Record<string, unknown> | undefined;
  if (qido.status >= 200 && qido.status < 300) {
    let count = 0;
    try {
      const list = qido.body?.trim() ? (JSON.parse(qido.body) as Record<string, unknown>[]) : [];
      count = list.length;
      study = list[0];
    } catch {
      steps.push(step('qido', 'Study search (QIDO-RS)', 'fail', msg('detail.notJson', { url: displayUrl(qidoUrl), status: qido.status }), msg('hint.notJson')));
    }
    if (!steps.length) {
      steps.push(step('qido', 'Study search (QIDO-RS)', 'pass', msg(count ? 'detail.answered' : 'detail.answeredEmpty', { url: displayUrl(qidoUrl), status: qido.status })));
    }
  } else {
    const url = displayUrl(qidoUrl);
    const detail = qido.status
      ? msg('detail.answered', { url, status: qido.status })
      : qido.error
        ? msg('detail.unreachableWhy', { url, error: qido.error })
        : msg('detail.unreachable', { url });
    steps.push(step('qido', 'Study search (QIDO-RS)', 'fail', detail, httpHint(qido.status, 'qidoRoot')));
  }

  // Metadata and a frame of the first instance of the first series of the first study.
  const studyUID = study ? getString(study as never, Tag.StudyInstanceUID) : '';
  let series: { seriesUID: string; sopUID: string; frames: number } | undefined;
  if (studyUID) {
    try {
      const list = await client.searchSeries(studyUID);
      const seriesUID = list[0] ? getString(list[0], Tag.SeriesInstanceUID) : '';
      const metadata = seriesUID ? await client.retrieveSeriesMetadata(studyUID, seriesUID) : [];
      const image = metadata.find((m) => (m[Tag.Rows]?.Value?.length ?? 0) > 0) ?? metadata[0];
      if (image) series = { seriesUID, sopUID: getString(image, Tag.SOPInstanceUID), frames: 1 };
      steps.push(step('metadata', 'Series metadata (WADO-RS)', 'pass', msg('detail.described', { count: metadata.length })));
    } catch (e) {
      steps.push(step('metadata', 'Series metadata (WADO-RS)', 'fail', msg('detail.error', { error: e instanceof Error ? e.message : String(e) }), msg('hint.metadata')));
    }
  } else {
    steps.push(step('metadata', 'Series metadata (WADO-RS)', 'skip', msg('detail.noStudy')));
  }

  if (series) {
    const url = client.frameUrl(studyUID, series.seriesUID, series.sopUID, 1);
    const asStored = await probe(url, { accept: client.frameAcceptHeader() });
    const stored = headerParameter(asStored.contentType, 'transfer-syntax');
    if (asStored.status === 200) {
      steps.push(step('frame', 'Frame retrieval (WADO-RS)', 'pass', msg('detail.frame', { type: asStored.contentType.split(';')[0] ?? '' })));
    } else {
      steps.push(
        step('frame', 'Frame retrieval (WADO-RS)', asStored.status === 0 ? 'fail' : 'warn', msg('detail.frameRefused', { url: displayUrl(url), status: asStored.status }), httpHint(asStored.status, 'wadoRoot')),
      );
    }
    const explicit = await probe(url, { accept: client.frameAcceptHeader(EXPLICIT_LE) });
    const ok = asStored.status === 200 || explicit.status === 200;
    // "not named" and "yes" are words too: the keys, said by the screen; the English, here.
    const storedText = asStored.status === 200 ? (stored ?? msg('detail.notNamed').text) : String(asStored.status);
    const explicitText = explicit.status === 200 ? msg('detail.yes').text : String(explicit.status);
    const syntaxes = msg('detail.syntaxes', { stored: storedText, explicit: explicitText });
    steps.push(step('transfer-syntax', 'Transfer syntaxes', ok ? 'pass' : 'fail', syntaxes, ok ? undefined : msg('hint.noSyntax')));
  } else {
    steps.push(step('frame', 'Frame retrieval (WADO-RS)', 'skip', msg('detail.noImage')));
    steps.push(step('transfer-syntax', 'Transfer syntaxes', 'skip', msg('detail.noFrame')));
  }

  // STOW: an empty multipart body must be refused as a bad request (400/409), not as a missing service.
  const stowRoot = client.source.stowRoot;
  if (client.isStatic || !stowRoot) {
    steps.push(step('stow', 'Store (STOW-RS)', 'skip', msg(client.isStatic ? 'detail.staticTree' : 'detail.noStowRoot')));
  } else {
    const stowUrl = `${new URL(stowRoot, `${client.wadoRoot}/`).href.replace(/\/+$/, '')}/studies`;
    const boundary = 'lumen-connection-check';
    const stow = await probe(stowUrl, {
      method: 'POST',
      accept: 'application/dicom+json',
      contentType: `multipart/related; type="application/dicom"; boundary=${boundary}`,
      body: `--${boundary}--\r\n`,
    });
    const accepted = [200, 202, 400, 409, 415].includes(stow.status);
    const url = displayUrl(stowUrl);
    const detail = !stow.status ? msg('detail.stowNothing', { url }) : msg(accepted ? 'detail.stowExists' : 'detail.stow', { url, status: stow.status });
    const hint = accepted ? undefined : stow.status === 405 || stow.status === 404 ? msg('hint.noStow') : httpHint(stow.status, 'stowRoot');
    steps.push(step('stow', 'Store (STOW-RS)', accepted ? 'pass' : 'warn', detail, hint));
  }

  // CORS matters only when the data source lives on another origin than the viewer.
  const origin = new URL(client.qidoRoot).origin;
  if (!pageOrigin || origin === pageOrigin) {
    steps.push(step('cors', 'Cross-origin access (CORS)', 'pass', msg('detail.sameOrigin')));
  } else {
    const allowed = qido.headers.get('access-control-allow-origin');
    steps.push(
      step('cors', 'Cross-origin access (CORS)', allowed ? 'pass' : 'fail', allowed ? msg('detail.allowOrigin', { origin: allowed }) : msg('detail.noAllowOrigin', { origin }), allowed ? undefined : msg('hint.cors')),
    );
  }
  return steps;
}

/** The probe the app uses: one plain request, no retries, never throwing on HTTP errors. */
export function fetchProbe(headers: Record<string, string>): Probe {
  return async (url, init) => {
    try {
      const response = await fetch(url, {
        method: init.method ?? 'GET',
        headers: { ...headers, ...(init.accept ? { Accept: init.accept } : {}), ...(init.contentType ? { 'Content-Type': init.contentType } : {}) },
        body: init.body,
        credentials: 'same-origin',
      });
      const type = response.headers.get('content-type') ?? '';
      const body = type.includes('json') ? await response.text() : undefined;
      if (!body) await response.body?.cancel();
      return { status: response.status, contentType: type, headers: response.headers, body };
    } catch (e) {
      return { status: 0, contentType: '', headers: new Headers(), error: e instanceof Error ? e.message : String(e) };
    }
  };
}

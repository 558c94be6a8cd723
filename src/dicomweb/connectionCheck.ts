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

function httpHint(status: number, what: string): string {
  if (status === 0) return `Nothing answered: is the server running, is the ${what} URL right, and (for another origin) does it send CORS headers? Serving the viewer with PACS_URL proxies it same-origin.`;
  if (status === 401 || status === 403) return 'The server wants credentials. Give them to the viewer\'s gateway (--pacs-auth-file or PACS_BASIC_AUTH; see the README\'s deployment section), which adds them on its way to the PACS: never in config.json, which every browser reads, nor in the URL.';
  if (status === 404) return `The server has no such resource: check ${what} in config.json (e.g. "/dicom-web").`;
  if (status === 406) return 'The server refused the Accept header: try omitQuotationForMultipartRequest or requestTransferSyntaxUID in config.json.';
  if (status >= 500) return 'The server failed: its own log says why.';
  return '';
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
      steps.push({ id: 'qido', label: 'Study search (QIDO-RS)', result: 'fail', detail: `${displayUrl(qidoUrl)} answered ${qido.status} but not with JSON`, hint: 'The URL reaches something that is not a DICOMweb server (a web page?): check qidoRoot.' });
    }
    if (!steps.length) {
      steps.push({ id: 'qido', label: 'Study search (QIDO-RS)', result: 'pass', detail: `${displayUrl(qidoUrl)} answered ${qido.status}${count ? '' : ' (no studies on the server)'}` });
    }
  } else {
    steps.push({
      id: 'qido',
      label: 'Study search (QIDO-RS)',
      result: 'fail',
      detail: `${displayUrl(qidoUrl)} ${qido.status ? `answered ${qido.status}` : `could not be reached${qido.error ? ` (${qido.error})` : ''}`}`,
      hint: httpHint(qido.status, 'qidoRoot'),
    });
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
      steps.push({ id: 'metadata', label: 'Series metadata (WADO-RS)', result: 'pass', detail: `${metadata.length} instance(s) described` });
    } catch (e) {
      steps.push({ id: 'metadata', label: 'Series metadata (WADO-RS)', result: 'fail', detail: e instanceof Error ? e.message : String(e), hint: 'Check wadoRoot in config.json; the server must offer WADO-RS metadata.' });
    }
  } else {
    steps.push({ id: 'metadata', label: 'Series metadata (WADO-RS)', result: 'skip', detail: 'no study to read (search failed or the server is empty)' });
  }

  if (series) {
    const url = client.frameUrl(studyUID, series.seriesUID, series.sopUID, 1);
    const asStored = await probe(url, { accept: client.frameAcceptHeader() });
    const stored = headerParameter(asStored.contentType, 'transfer-syntax');
    if (asStored.status === 200) {
      steps.push({ id: 'frame', label: 'Frame retrieval (WADO-RS)', result: 'pass', detail: `frame 1 came back (${asStored.contentType.split(';')[0]})` });
    } else {
      steps.push({ id: 'frame', label: 'Frame retrieval (WADO-RS)', result: asStored.status === 0 ? 'fail' : 'warn', detail: `${displayUrl(url)} answered ${asStored.status} when asked for the stored transfer syntax`, hint: httpHint(asStored.status, 'wadoRoot') });
    }
    const explicit = await probe(url, { accept: client.frameAcceptHeader(EXPLICIT_LE) });
    const syntaxes = [
      asStored.status === 200 ? `as stored → ${stored ?? 'not named'}` : `as stored → ${asStored.status}`,
      explicit.status === 200 ? 'explicit VR little endian → yes' : `explicit VR little endian → ${explicit.status}`,
    ];
    steps.push({
      id: 'transfer-syntax',
      label: 'Transfer syntaxes',
      result: asStored.status === 200 || explicit.status === 200 ? 'pass' : 'fail',
      detail: syntaxes.join('; '),
      hint: asStored.status === 200 || explicit.status === 200 ? undefined : 'The server sends frames in neither form: check its DICOMweb plugin settings.',
    });
  } else {
    steps.push({ id: 'frame', label: 'Frame retrieval (WADO-RS)', result: 'skip', detail: 'no image instance to read' });
    steps.push({ id: 'transfer-syntax', label: 'Transfer syntaxes', result: 'skip', detail: 'no frame to ask for' });
  }

  // STOW: an empty multipart body must be refused as a bad request (400/409), not as a missing service.
  const stowRoot = client.source.stowRoot;
  if (client.isStatic || !stowRoot) {
    steps.push({ id: 'stow', label: 'Store (STOW-RS)', result: 'skip', detail: client.isStatic ? 'a static tree cannot store' : 'no stowRoot configured' });
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
    steps.push({
      id: 'stow',
      label: 'Store (STOW-RS)',
      result: accepted ? 'pass' : 'warn',
      detail: `${displayUrl(stowUrl)} answered ${stow.status || 'nothing'} to an empty store request${accepted ? ' (the service exists)' : ''}`,
      hint: accepted ? undefined : stow.status === 405 || stow.status === 404 ? 'Storing is not enabled on this server; saving measurements and uploads will not work.' : httpHint(stow.status, 'stowRoot'),
    });
  }

  // CORS matters only when the data source lives on another origin than the viewer.
  const origin = new URL(client.qidoRoot).origin;
  if (!pageOrigin || origin === pageOrigin) {
    steps.push({ id: 'cors', label: 'Cross-origin access (CORS)', result: 'pass', detail: 'same origin as the viewer: not needed' });
  } else {
    const allowed = qido.headers.get('access-control-allow-origin');
    steps.push({
      id: 'cors',
      label: 'Cross-origin access (CORS)',
      result: allowed ? 'pass' : 'fail',
      detail: allowed ? `Access-Control-Allow-Origin: ${allowed}` : `${origin} sent no Access-Control-Allow-Origin`,
      hint: allowed ? undefined : 'Enable CORS for the viewer\'s origin on the server, or serve the viewer with PACS_URL so it proxies the server same-origin.',
    });
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

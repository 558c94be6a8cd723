import { describe, expect, it } from 'vitest';
import { dataSourceSchema } from './dataSource';
import { DicomWebClient, frameMediaType } from './client';
import { DicomWebError } from './errors';
import type { DicomJson } from '../dicom/json';
import { encodeMultipartRelated } from './multipart';
import { DEFAULT_RETRY } from './retry';
import { expandQuickSearch, matchStudy, wildcardSuggestion, qidoQueryString, studySearchParams } from './qido';

const study = (uid: string, name: string, date: string, modalities: string[], desc = ''): DicomJson => ({
  '0020000D': { vr: 'UI', Value: [uid] },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: name }] },
  '00080020': { vr: 'DA', Value: [date] },
  '00080061': { vr: 'CS', Value: modalities },
  '00081030': { vr: 'LO', Value: [desc] },
});

const FAST = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 2 };

function recorder(respond: (url: string) => Response) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const fetchImpl = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return respond(url);
  };
  return { calls, fetchImpl };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/dicom+json' } });

describe('studySearchParams', () => {
  const caps = { qidoSupportsIncludeField: true, supportsFuzzyMatching: false, supportsWildcard: true };
  it('builds QIDO parameters with wildcards, date ranges and one extra row for paging', () => {
    const p = studySearchParams(
      { patientName: 'doe', studyDateFrom: '20200101', studyDateTo: '20201231', modality: 'CT', description: 'chest' },
      { limit: 25, offset: 50 },
      caps,
    );
    expect(p.get('PatientName')).toBe('doe*');
    expect(p.get('StudyDate')).toBe('20200101-20201231');
    expect(p.get('ModalitiesInStudy')).toBe('CT');
    expect(p.get('StudyDescription')).toBe('*chest*');
    expect(p.get('limit')).toBe('26');
    expect(p.get('offset')).toBe('50');
    expect(p.get('includefield')).toContain('00080061');
  });
  it('keeps user wildcards, open date ranges, and honours capability flags', () => {
    const p = studySearchParams(
      { patientName: 'D?E*', studyDateTo: '20201231' },
      { limit: 10, offset: 0 },
      { qidoSupportsIncludeField: false, supportsFuzzyMatching: true, supportsWildcard: true },
    );
    expect(p.get('PatientName')).toBe('D?E*');
    expect(p.get('StudyDate')).toBe('-20201231');
    expect(p.get('fuzzymatching')).toBe('true');
    expect(p.has('includefield')).toBe(false);
    expect(p.has('offset')).toBe(false);
    const exact = studySearchParams({ patientName: 'DOE, JANE' }, { limit: 1, offset: 0 }, { ...caps, supportsWildcard: false });
    expect(exact.get('PatientName')).toBe('DOE^JANE');
  });
  it('turns typed names into family^given prefix matches', () => {
    const name = (patientName: string) => studySearchParams({ patientName }, { limit: 1, offset: 0 }, caps).get('PatientName');
    expect(name('doe^ja')).toBe('doe^ja*');
    expect(name('Doe, Jane')).toBe('Doe^Jane*');
    expect(name('doe jane')).toBe('doe^jane*');
    expect(name('*jane')).toBe('*jane');
  });
  it('leaves matching characters unescaped in the query string and spaces as single-character wildcards', () => {
    const p = studySearchParams({ patientName: 'doe, j', description: 'ct chest' }, { limit: 1, offset: 0 }, caps);
    expect(qidoQueryString(p)).toContain('PatientName=doe^j*');
    expect(qidoQueryString(p)).toContain('StudyDescription=*ct?chest*');
    expect(qidoQueryString(new URLSearchParams({ AccessionNumber: 'A 1&2' }))).toBe('AccessionNumber=A%201%262');
  });
});

describe('quick search', () => {
  const caps = { qidoSupportsIncludeField: true, supportsFuzzyMatching: false, supportsWildcard: true };
  it('looks for the text in any part of the name, in the ID, the accession number and the description', () => {
    const queries = expandQuickSearch({ quick: ' mo che ', modality: 'CT' });
    const params = queries.map((q) => studySearchParams(q, { limit: 10, offset: 0 }, caps));
    expect(params.map((p) => [p.get('PatientName'), p.get('PatientID'), p.get('AccessionNumber'), p.get('StudyDescription')])).toEqual([
      ['*mo*che*', null, null, null],
      [null, 'mo che', null, null],
      [null, null, 'mo che', null],
      [null, null, null, '*mo?che*'],
    ]);
    // Every query keeps the other filters.
    for (const p of params) expect(p.get('ModalitiesInStudy')).toBe('CT');
    // Typed wildcards are the reader's own; a server without wildcards gets the name as typed.
    expect(studySearchParams(expandQuickSearch({ quick: 'doe*' })[0]!, { limit: 1, offset: 0 }, caps).get('PatientName')).toBe('doe*');
    expect(studySearchParams(expandQuickSearch({ quick: 'doe' })[0]!, { limit: 1, offset: 0 }, { ...caps, supportsWildcard: false }).get('PatientName')).toBe('doe');
  });
  it('leaves a field the reader filled in to its own value, and is no search when empty', () => {
    expect(expandQuickSearch({ quick: 'x', patientId: 'P1' }).map((q) => q.patientId)).toEqual(['P1', 'P1', 'P1']);
    expect(expandQuickSearch({ quick: '  ', patientId: 'P1' })).toEqual([{ patientId: 'P1' }]);
  });
  it('matches static trees the same way', () => {
    const s = { ...study('1', 'DEMO^CHEST', '20250314', ['CT'], 'CT CHEST ABDOMEN'), '00100020': { vr: 'LO', Value: ['DEMO-0001'] }, '00080050': { vr: 'SH', Value: ['ACC1'] } } as DicomJson;
    for (const quick of ['chest', 'mo che', 'DEMO-0001', 'acc1', 'abdomen']) expect(matchStudy(s, { quick }, caps), quick).toBe(true);
    for (const quick of ['demo-00', 'acc', 'brain']) expect(matchStudy(s, { quick }, caps), quick).toBe(false);
    expect(matchStudy(s, { quick: 'chest', modality: 'MR' }, caps)).toBe(false);
  });
});

describe('wildcardSuggestion', () => {
  const caps = { qidoSupportsIncludeField: true, supportsFuzzyMatching: false, supportsWildcard: true };
  it('offers the wildcard form of what found nothing', () => {
    expect(wildcardSuggestion({ patientName: 'jane' }, caps)).toMatchObject({ field: 'patientName', value: '*jane*' });
    expect(wildcardSuggestion({ quick: 'DEMO-00' }, caps)).toMatchObject({ field: 'quick', value: 'DEMO-00*' });
    expect(wildcardSuggestion({ accessionNumber: 'A1' }, caps)).toMatchObject({ field: 'accessionNumber', value: 'A1*' });
  });
  it('offers nothing where wildcards were used or cannot be', () => {
    expect(wildcardSuggestion({ patientName: '*jane*' }, caps)).toBeUndefined();
    expect(wildcardSuggestion({ modality: 'CT' }, caps)).toBeUndefined();
    expect(wildcardSuggestion({ patientName: 'jane' }, { ...caps, supportsWildcard: false })).toBeUndefined();
  });
});

describe('matchStudy (static sources)', () => {
  const caps = { qidoSupportsIncludeField: true, supportsFuzzyMatching: false, supportsWildcard: true };
  const s = study('1.2.3', 'DOE^JANE', '20210315', ['CT', 'SR'], 'CT CHEST W CONTRAST');
  it('matches names case-insensitively by prefix, with ^ as a space', () => {
    expect(matchStudy(s, { patientName: 'doe' }, caps)).toBe(true);
    expect(matchStudy(s, { patientName: 'doe jane' }, caps)).toBe(true);
    expect(matchStudy(s, { patientName: 'DOE^J' }, caps)).toBe(true);
    expect(matchStudy(s, { patientName: 'doe, jane' }, caps)).toBe(true);
    expect(matchStudy(s, { patientName: '*jane' }, caps)).toBe(true);
    expect(matchStudy(s, { patientName: 'jane' }, caps)).toBe(false);
  });
  it('matches date ranges, modality within ModalitiesInStudy, and description substrings', () => {
    expect(matchStudy(s, { studyDateFrom: '20210101', studyDateTo: '20211231' }, caps)).toBe(true);
    expect(matchStudy(s, { studyDateFrom: '20210316' }, caps)).toBe(false);
    expect(matchStudy(s, { modality: 'sr' }, caps)).toBe(true);
    expect(matchStudy(s, { modality: 'MR' }, caps)).toBe(false);
    expect(matchStudy(s, { description: 'chest' }, caps)).toBe(true);
    expect(matchStudy(s, { description: 'abdomen' }, caps)).toBe(false);
  });
});

describe('DicomWebClient', () => {
  const live = dataSourceSchema.parse({
    name: 'pacs',
    qidoRoot: '/dicom-web',
    wadoRoot: '/dicom-web/',
    requestHeaders: { 'X-Api-Key': 'k' },
  });

  it('resolves relative roots against the page and sends Accept plus configured headers', async () => {
    const { calls, fetchImpl } = recorder(() => json([study('1', 'A^B', '20200101', ['CT'])]));
    const client = new DicomWebClient(live, fetchImpl, 'https://viewer.example/viewer?x=1');
    const result = await client.searchStudies({ patientName: 'A' }, { limit: 1, offset: 0 });
    expect(calls[0]!.url.startsWith('https://viewer.example/dicom-web/studies?')).toBe(true);
    const headers = calls[0]!.init!.headers as Record<string, string>;
    expect(headers.Accept).toContain('application/dicom+json');
    expect(headers['X-Api-Key']).toBe('k');
    expect(result.studies).toHaveLength(1);
    expect(result.hasMore).toBe(false);
    expect(result.total).toBe(1);
    expect(client.frameUrl('1.2', '3.4', '5.6', 7)).toBe(
      'https://viewer.example/dicom-web/studies/1.2/series/3.4/instances/5.6/frames/7',
    );
  });

  it("sends the signed-in user's current token with every request, read when each is sent (renewed tokens)", async () => {
    const { calls, fetchImpl } = recorder(() => json([]));
    let token = 'first';
    const client = new DicomWebClient(live, fetchImpl, 'http://h/', FAST, () => ({ Authorization: `Bearer ${token}` }));
    await client.searchSeries('1.2');
    token = 'renewed';
    await client.retrieveSeriesMetadata('1.2', '3.4');
    const sent = calls.map((c) => (c.init!.headers as Record<string, string>).Authorization);
    expect(sent).toEqual(['Bearer first', 'Bearer renewed']);
    expect(client.headers()).toEqual({ 'X-Api-Key': 'k', Authorization: 'Bearer renewed' });
    expect(client.bulkRetrieve()).toBeUndefined();
    // Never in a URL.
    for (const c of calls) expect(c.url).not.toContain('renewed');
  });

  it('makes no request with a UID that would move up the server\'s tree ("..", ".", empty)', async () => {
    const { calls, fetchImpl } = recorder(() => json([]));
    const client = new DicomWebClient(live, fetchImpl, 'http://h/', FAST);
    for (const bad of ['..', '.', '']) {
      await expect(client.searchSeries(bad)).rejects.toThrow(/not a DICOM UID/);
      await expect(client.retrieveSeriesMetadata('1.2', bad)).rejects.toThrow(/not a DICOM UID/);
      await expect(client.retrieveInstance('1.2', '3.4', bad)).rejects.toThrow(/not a DICOM UID/);
    }
    expect(calls).toEqual([]);
    await client.searchSeries('1.2/3');
    expect(calls[0]!.url.startsWith('http://h/dicom-web/studies/1.2%2F3/series')).toBe(true);
  });

  it('runs a quick search as one QIDO search per field and merges the answers by study', async () => {
    const chest = study('1.1', 'DEMO^CHEST', '20250314', ['CT']);
    const other = study('1.2', 'OTHER^A', '20250101', ['MR']);
    const { calls, fetchImpl } = recorder((url) => json(url.includes('PatientName') ? [chest] : url.includes('StudyDescription') ? [other, chest] : []));
    const client = new DicomWebClient(live, fetchImpl, 'http://h/', FAST);
    const result = await client.searchStudies({ quick: 'chest' }, { limit: 10, offset: 0 });
    expect(calls).toHaveLength(4);
    expect(result.studies.map((s) => s['0020000D']!.Value)).toEqual([['1.1'], ['1.2']]);
    expect(result).toMatchObject({ hasMore: false, total: 2, pageable: false });
    // More than a page in one field: said, not paged.
    const many = [1, 2, 3].map((i) => study(`2.${i}`, 'X', '20200101', ['CT']));
    const full = new DicomWebClient(live, recorder((url) => json(url.includes('PatientID') ? many : [])).fetchImpl, 'http://h/', FAST);
    expect(await full.searchStudies({ quick: 'x' }, { limit: 2, offset: 0 })).toMatchObject({ hasMore: true, total: undefined, pageable: false });
  });

  it('reports more pages when the server returns the extra row', async () => {
    const rows = [1, 2, 3].map((i) => study(String(i), 'X', '20200101', ['CT']));
    const client = new DicomWebClient(live, recorder(() => json(rows)).fetchImpl, 'http://h/', FAST);
    const result = await client.searchStudies({}, { limit: 2, offset: 0 });
    expect(result.studies).toHaveLength(2);
    expect(result.hasMore).toBe(true);
    expect(result.total).toBeUndefined();
  });

  it('treats 204 and empty bodies as no results', async () => {
    const client = new DicomWebClient(live, recorder(() => new Response(null, { status: 204 })).fetchImpl, 'http://h/', FAST);
    expect((await client.searchStudies({}, { limit: 5, offset: 0 })).studies).toEqual([]);
  });

  it('names the URL (without the PHI-bearing query) and the status on HTTP errors', async () => {
    const client = new DicomWebClient(
      live,
      recorder(() => new Response('PACS at http://10.0.0.1 unreachable: ECONNREFUSED', {
        status: 502,
        statusText: 'Bad Gateway',
        headers: { 'content-type': 'text/plain' },
      })).fetchImpl,
      'http://h/',
    );
    const error = await client.searchStudies({ patientName: 'SECRET' }, { limit: 5, offset: 0 }).catch((e) => e);
    expect(error).toBeInstanceOf(DicomWebError);
    expect(error.status).toBe(502);
    expect(error.message).toContain('http://h/dicom-web/studies answered 502 Bad Gateway');
    expect(error.message).toContain('ECONNREFUSED');
    expect(error.message).not.toContain('SECRET');
  });

  it('retries 503 and 429 (honouring Retry-After) and then succeeds; does not retry 404', async () => {
    let calls = 0;
    const client = new DicomWebClient(
      live,
      async () => {
        calls++;
        if (calls === 1) return new Response('', { status: 503, statusText: 'Service Unavailable' });
        if (calls === 2) return new Response('', { status: 429, headers: { 'retry-after': '0' } });
        return json([study('1', 'A', '20200101', ['CT'])]);
      },
      'http://h/',
      FAST,
    );
    expect((await client.searchStudies({}, { limit: 5, offset: 0 })).studies).toHaveLength(1);
    expect(calls).toBe(3);
    calls = 0;
    const notFound = new DicomWebClient(live, async () => { calls++; return new Response('', { status: 404 }); }, 'http://h/', FAST);
    await expect(notFound.searchSeries('9')).rejects.toThrow('404');
    expect(calls).toBe(1);
  });

  it('reports unreachable servers as status 0', async () => {
    const client = new DicomWebClient(live, async () => {
      throw new TypeError('Failed to fetch');
    }, 'http://h/');
    const error = await client.searchSeries('1.2').catch((e) => e);
    expect(error.status).toBe(0);
    expect(error.message).toContain('could not reach http://h/dicom-web/studies/1.2/series');
  });

  it('filters, pages and counts static trees in the browser, fetching the index once', async () => {
    const staticSource = dataSourceSchema.parse({ name: 'demo', kind: 'static', qidoRoot: '/demo', wadoRoot: '/demo' });
    const index = [
      study('1', 'DEMO^CHEST', '20240101', ['CT']),
      study('2', 'DEMO^BRAIN', '20240202', ['MR']),
      study('3', 'OTHER^X', '20240303', ['CT']),
    ];
    const { calls, fetchImpl } = recorder(() => json(index));
    const client = new DicomWebClient(staticSource, fetchImpl, 'http://h/', FAST);
    const ct = await client.searchStudies({ modality: 'CT' }, { limit: 1, offset: 0 });
    expect(ct.total).toBe(2);
    expect(ct.hasMore).toBe(true);
    const demo = await client.searchStudies({ patientName: 'demo' }, { limit: 10, offset: 0 });
    expect(demo.studies).toHaveLength(2);
    expect(await client.findStudy('3')).toEqual(index[2]);
    expect(calls.map((c) => c.url)).toEqual(['http://h/demo/studies/index.json']);
    await client.searchSeries('1');
    expect(calls[1]!.url).toBe('http://h/demo/studies/1/series/index.json');
  });

  it('parses WADO-RS multipart frames', async () => {
    const { body, contentType } = encodeMultipartRelated(
      [{ contentType: 'application/octet-stream; transfer-syntax=1.2.840.10008.1.2.1', body: new Uint8Array([9, 8]) }],
      'bnd',
    );
    const { calls, fetchImpl } = recorder(
      () => new Response(body.buffer as ArrayBuffer, { status: 200, headers: { "content-type": contentType } }),
    );
    const client = new DicomWebClient(live, fetchImpl, 'http://h/', FAST);
    const parts = await client.retrieveFrames('1', '2', '3', [1, 2]);
    expect(calls[0]!.url).toBe('http://h/dicom-web/studies/1/series/2/instances/3/frames/1,2');
    expect((calls[0]!.init!.headers as Record<string, string>).Accept).toBe(
      'multipart/related; type="application/octet-stream"; transfer-syntax=*',
    );
    expect(Array.from(parts[0]!.body)).toEqual([9, 8]);
  });
});

describe('palette lookup tables', () => {
  const palette = (lut: Record<string, unknown>): DicomJson => ({
    '00280004': { vr: 'CS', Value: ['PALETTE COLOR'] },
    '00281101': { vr: 'US', Value: [4, 0, 16] },
    '00281102': { vr: 'US', Value: [4, 0, 16] },
    '00281103': { vr: 'US', Value: [4, 0, 8] },
    ...lut,
  } as DicomJson);

  it('decodes InlineBinary tables and fetches BulkDataURI ones from the data source, rebasing foreign hosts', async () => {
    const words = new Uint8Array([1, 0, 2, 0, 0, 1, 255, 255]);
    const { body, contentType } = encodeMultipartRelated([{ contentType: 'application/octet-stream', body: words }], 'b');
    const { calls, fetchImpl } = recorder(
      () => new Response(body.buffer as ArrayBuffer, { status: 200, headers: { 'content-type': contentType } }),
    );
    const client = new DicomWebClient(
      dataSourceSchema.parse({ name: 'p', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web' }),
      fetchImpl,
      'http://viewer/',
    );
    const ds = palette({
      '00281201': { vr: 'OW', InlineBinary: btoa(String.fromCharCode(...words)) },
      '00281202': { vr: 'OW', BulkDataURI: 'http://10.0.0.5:8042/dicom-web/studies/1/series/2/instances/3/bulk/00281202' },
      '00281203': { vr: 'OW', InlineBinary: btoa(String.fromCharCode(10, 0, 20, 0, 30, 0, 40, 0)) },
    });
    await client.resolvePaletteLuts([ds]);
    expect(ds['00281201']!.Value).toEqual([1, 2, 256, 65535]);
    expect(ds['00281202']!.Value).toEqual([1, 2, 256, 65535]);
    expect(ds['00281203']!.Value).toEqual([10, 20, 30, 40]); // 8-bit entries in 16-bit words
    expect(calls.map((c) => c.url)).toEqual(['http://viewer/dicom-web/studies/1/series/2/instances/3/bulk/00281202']);
  });
});

describe('STOW-RS and instance retrieval', () => {
  const source = dataSourceSchema.parse({ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', requestHeaders: { 'X-Key': 'k' } });
  const file = (uid: string) => ({ sopInstanceUID: uid, bytes: new TextEncoder().encode(`DICM-${uid}`) });
  const sop = (uid: string, extra: DicomJson = {}): DicomJson => ({ '00081155': { vr: 'UI', Value: [uid] }, ...extra });

  it('posts the files as multipart/related application/dicom to the study and reads the per-instance answer', async () => {
    const { calls, fetchImpl } = recorder(() =>
      json({
        '00081199': { vr: 'SQ', Value: [sop('1.1'), sop('1.2', { '00081196': { vr: 'US', Value: [0xb000] } })] },
      }),
    );
    const client = new DicomWebClient(source, fetchImpl, 'http://viewer/', FAST);
    expect(client.canStore).toBe(true);
    const result = await client.storeInstances('9.9', [file('1.1'), file('1.2')]);
    expect(result).toEqual({ stored: ['1.1', '1.2'], failed: {}, warnings: { '1.2': 'warning 0xB000' }, status: '200' });
    expect(calls[0]!.url).toBe('http://viewer/dicom-web/studies/9.9');
    const init = calls[0]!.init!;
    expect(init.method).toBe('POST');
    const headers = init.headers as Record<string, string>;
    expect(headers['Content-Type']).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    expect(headers['X-Key']).toBe('k');
    const body = new TextDecoder().decode(init.body as Uint8Array);
    expect(body).toContain('Content-Type: application/dicom\r\n\r\nDICM-1.1');
    expect(body).toContain('DICM-1.2');
  });

  it('reports refused instances with the reason code, and a refused request with its status', async () => {
    const partial = new DicomWebClient(
      source,
      async () => json({ '00081198': { vr: 'SQ', Value: [sop('1.2', { '00081197': { vr: 'US', Value: [0xa900] } })] } }, 202),
      'http://viewer/',
      FAST,
    );
    const r = await partial.storeInstances('9.9', [file('1.1'), file('1.2')]);
    expect(r.failed).toEqual({ '1.2': 'data set does not match SOP class (0xA900)', '1.1': 'the server did not confirm it' });
    expect(r.status).toBe('202');

    const down = new DicomWebClient(source, async () => new Response('disk full', { status: 507, statusText: 'Insufficient Storage' }), 'http://viewer/', FAST);
    await expect(down.storeInstances('9.9', [file('1.1')])).rejects.toThrow(
      'Store (STOW-RS) failed: http://viewer/dicom-web/studies/9.9 answered 507 Insufficient Storage — disk full',
    );
    const unreachable = new DicomWebClient(source, async () => Promise.reject(new TypeError('Failed to fetch')), 'http://viewer/', FAST);
    await expect(unreachable.storeInstances('9.9', [file('1.1')])).rejects.toThrow(/could not reach http:\/\/viewer\/dicom-web\/studies\/9.9/);
  });

  it('cannot store into a static tree', async () => {
    const client = new DicomWebClient(dataSourceSchema.parse({ name: 'demo', kind: 'static', qidoRoot: '/demo', wadoRoot: '/demo' }), async () => json({}));
    expect(client.canStore).toBe(false);
    await expect(client.storeInstances('9.9', [file('1.1')])).rejects.toThrow(/cannot store/);
  });

  it('retrieves one instance as a Part 10 file from its multipart answer', async () => {
    const part10 = new Uint8Array(200);
    part10.set(new TextEncoder().encode('DICM'), 128);
    const { body, contentType } = encodeMultipartRelated([{ contentType: 'application/dicom', body: part10 }], 'b1', 'application/dicom');
    const { calls, fetchImpl } = recorder(() => new Response(body as BodyInit, { headers: { 'content-type': contentType } }));
    const client = new DicomWebClient(source, fetchImpl, 'http://viewer/', FAST);
    const got = await client.retrieveInstance('1', '2', '3');
    expect(got).toEqual(part10);
    expect(calls[0]!.url).toBe('http://viewer/dicom-web/studies/1/series/2/instances/3');
    expect((calls[0]!.init!.headers as Record<string, string>).Accept).toBe('multipart/related; type="application/dicom"; transfer-syntax=*');
  });
});

describe('frame Accept headers', () => {
  it('name the media type a compressed transfer syntax travels in, and octet-stream otherwise', () => {
    expect(frameMediaType('*')).toBe('application/octet-stream');
    expect(frameMediaType('1.2.840.10008.1.2.1')).toBe('application/octet-stream');
    expect(frameMediaType('1.2.840.10008.1.2.4.80')).toBe('image/jls');
    expect(frameMediaType('1.2.840.10008.1.2.4.81')).toBe('image/jls');
    expect(frameMediaType('1.2.840.10008.1.2.4.70')).toBe('image/jpeg');
    expect(frameMediaType('1.2.840.10008.1.2.4.50')).toBe('image/jpeg');
    expect(frameMediaType('1.2.840.10008.1.2.4.90')).toBe('image/jp2');
    expect(frameMediaType('1.2.840.10008.1.2.4.201')).toBe('image/jphc');
    expect(frameMediaType('1.2.840.10008.1.2.5')).toBe('image/dicom-rle');
    // Not a prefix match: 4.800 is no JPEG-LS.
    expect(frameMediaType('1.2.840.10008.1.2.4.800')).toBe('application/octet-stream');
  });

  it('put it in the multipart Accept header, quoted unless the source says not to', () => {
    const client = new DicomWebClient(dataSourceSchema.parse({ name: 'p', qidoRoot: '/dw', wadoRoot: '/dw', requestTransferSyntaxUID: '1.2.840.10008.1.2.4.80' }));
    expect(client.frameAcceptHeader()).toBe('multipart/related; type="image/jls"; transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(client.frameAcceptHeader('1.2.840.10008.1.2.1')).toBe('multipart/related; type="application/octet-stream"; transfer-syntax=1.2.840.10008.1.2.1');
    const bare = dataSourceSchema.parse({ name: 'p', qidoRoot: '/dw', wadoRoot: '/dw', omitQuotationForMultipartRequest: true });
    expect(new DicomWebClient(bare).frameAcceptHeader()).toBe('multipart/related; type=application/octet-stream; transfer-syntax=*');
  });
});


// The audit trail against real sockets: the gateway in front of a stub PACS, and a stub FHIR server that can be
// taken down and brought back.
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyRequest } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './server.mjs';
import { firstPatientId, queryKeys, retrieval, stowStudies } from './audit.mjs';

const STUDY = '1.2.826.0.1.3680043.8.498.1';
const SERIES = '1.2.826.0.1.3680043.8.498.1.1';
const OTHER = '1.2.826.0.1.3680043.8.498.2';
const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJkci1hIn0.c2lnbmF0dXJl';

type Server = { url: string; close(): Promise<void> };

async function listen(handler: http.RequestListener): Promise<Server & { server: http.Server }> {
  const server = http.createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    server,
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

const el = (vr: string, v: unknown) => ({ vr, Value: [v] });

/** A PACS that knows two studies (patients PID-1 and PID-2) and stores whatever is posted. */
async function startPacs() {
  const lookups: string[] = [];
  const s = await listen((req, res) => {
    const u = new URL(req.url ?? '', 'http://x');
    req.resume();
    req.on('end', () => {
      const json = (body: unknown) => {
        res.writeHead(200, { 'content-type': 'application/dicom+json' });
        res.end(JSON.stringify(body));
      };
      if (req.method === 'POST') {
        const inst = (n: number) => ({ '00081155': el('UI', `${STUDY}.9.${n}`), '00081190': el('UR', `${s.url}/dicom-web/studies/${STUDY}/series/${SERIES}/instances/${STUDY}.9.${n}`) });
        return json({ '00081190': el('UR', `${s.url}/dicom-web/studies/${STUDY}`), '00081199': { vr: 'SQ', Value: [inst(1), inst(2), inst(3)] } });
      }
      if (u.pathname === '/dicom-web/studies') {
        const wanted = u.searchParams.get('StudyInstanceUID');
        if (wanted) lookups.push(wanted);
        const all = [
          { '0020000D': el('UI', STUDY), '00100020': el('LO', 'PID-1'), '00100010': el('PN', { Alphabetic: 'DOE^JOHN' }) },
          { '0020000D': el('UI', OTHER), '00100020': el('LO', 'PID-2'), '00100010': el('PN', { Alphabetic: 'ROE^JANE' }) },
        ];
        return json(wanted ? all.filter((x) => x['0020000D'].Value[0] === wanted) : all.slice(0, 1));
      }
      if (u.pathname.endsWith('/metadata')) {
        return json([{ '00080018': el('UI', `${STUDY}.9.1`), '00100020': el('LO', 'PID-1'), '0020000D': el('UI', STUDY) }]);
      }
      res.writeHead(200, { 'content-type': 'multipart/related; type="application/octet-stream"; boundary=b' });
      res.end('--b\r\nContent-Type: application/octet-stream\r\n\r\n\x00\x01\r\n--b--');
    });
  });
  return { ...s, lookups };
}

/** A FHIR server's AuditEvent endpoint: records what it accepts, answers 503 while down. */
async function startSink() {
  const received: any[] = [];
  const state = { up: true, attempts: 0 };
  const s = await listen((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.attempts++;
      if (!state.up) {
        res.writeHead(503);
        return res.end();
      }
      received.push(JSON.parse(Buffer.concat(chunks).toString()));
      res.writeHead(201, { 'content-type': 'application/fhir+json' });
      res.end('{}');
    });
  });
  return { ...s, received, state };
}

type Answer = { status: number; body: string };
function request(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false });
    req.on('response', (res) => {
      let b = '';
      res.on('data', (c) => (b += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: b }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const until = async (what: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!what()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
};

let pacs: Awaited<ReturnType<typeof startPacs>>;
let sink: Awaited<ReturnType<typeof startSink>>;
let dir: string;
let root: string;
const gateways: Awaited<ReturnType<typeof buildGateway>>[] = [];

beforeAll(async () => {
  pacs = await startPacs();
  sink = await startSink();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-audit-'));
  root = path.join(dir, 'dist');
  fs.mkdirSync(root);
  fs.writeFileSync(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ dataSources: [{ qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' }] }));
});
afterEach(async () => {
  for (const g of gateways.splice(0)) await g.close();
  sink.state.up = true;
});
afterAll(async () => {
  await pacs?.close();
  await sink?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The user the auth layer would give: here from a test header (never from the bearer token's text). */
const userOf = (req: FastifyRequest) => {
  const id = req.headers['x-test-user'];
  return typeof id === 'string' ? { id, name: `Dr ${id}` } : undefined;
};

async function start(name: string, audit: Partial<Parameters<typeof buildGateway>[0]['audit']> = {}) {
  const file = path.join(dir, name, 'audit.jsonl');
  const g = await buildGateway({
    root,
    config: path.join(dir, 'config.json'),
    pacs: { url: new URL(`${pacs.url}/dicom-web`) },
    allowedHosts: ['127.0.0.1'],
    audit: { file, instance: name, userOf, idleMs: 60_000, ...audit },
  });
  gateways.push(g);
  await g.listen({ port: 0, host: '127.0.0.1' });
  return { g, file, port: (g.server.address() as AddressInfo).port };
}

const read = (file: string): any[] =>
  fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
const code = (e: any) => e.type.code as string;
const studyOf = (e: any) => e.entity?.find((x: any) => x.what.identifier?.type?.coding?.[0]?.code === '110180')?.what.identifier.value;
const patientOf = (e: any) => e.entity?.find((x: any) => x.role?.code === '1')?.what.identifier.value;
const instancesOf = (e: any) =>
  e.entity?.find((x: any) => x.what.identifier?.type?.coding?.[0]?.code === '110180')?.extension?.find((x: any) => x.url.endsWith('NumberOfInstances'))?.valueInteger;
const detailOf = (e: any, type: string) => {
  for (const en of e.entity ?? []) for (const d of en.detail ?? []) if (d.type === type) return d.valueString;
  return undefined;
};

describe('the audit trail of a session', () => {
  it('records a search, one access event for a study\'s metadata and 50 frames, a store and an export, with user, study and patient, and no token', async () => {
    const { g, file, port } = await start('session', { forward: { url: new URL(`${sink.url}/fhir/AuditEvent`), spoolDir: path.join(dir, 'session', 'spool') } });
    const h = { authorization: `Bearer ${TOKEN}`, 'x-test-user': 'dr-a' };
    const q = await request(port, 'GET', `/dicom-web/studies?PatientName=DOE%5EJOHN&limit=25&access_token=${TOKEN}&includefield=00100020`, h);
    expect(q.status).toBe(200);
    expect((await request(port, 'GET', `/dicom-web/studies/${STUDY}/metadata`, h)).status).toBe(200);
    // 50 frames over 5 instances, some fetched two at a time.
    for (let i = 1; i <= 5; i++) {
      for (let f = 1; f <= 10; f += 2) {
        const r = await request(port, 'GET', `/dicom-web/studies/${STUDY}/series/${SERIES}/instances/${STUDY}.9.${i}/frames/${f},${f + 1}`, h);
        expect(r.status).toBe(200);
      }
    }
    const stow = await request(port, 'POST', '/dicom-web/studies', { ...h, 'content-type': 'multipart/related; type="application/dicom"; boundary=x' }, '--x--');
    expect(stow.status).toBe(200);
    const exp = await request(port, 'POST', '/api/audit', { ...h, 'content-type': 'application/json' }, JSON.stringify({ type: 'export', studies: [{ studyInstanceUid: STUDY, instances: 5 }] }));
    expect(exp.status).toBe(204);
    // Nothing per frame: the access event waits for the idle period (or the shutdown).
    expect(read(file).map(code)).toEqual(['110112', '110107', '110106']);
    await g.close();

    const events = read(file);
    expect(events.map(code)).toEqual(['110112', '110107', '110106', '110103']);
    for (const e of events) {
      expect(e.resourceType).toBe('AuditEvent');
      expect(e.outcome).toBe('0');
      expect(e.agent[0]).toMatchObject({ who: { identifier: { value: 'dr-a' }, display: 'Dr dr-a' }, requestor: true, network: { address: '127.0.0.1', type: '2' } });
      expect(e.source.site).toBe('session');
    }
    const [query, store, exported, accessed] = events;
    expect(query.action).toBe('E');
    expect(detailOf(query, 'level')).toBe('studies');
    expect(detailOf(query, 'PatientName')).toBe('DOE^JOHN');
    expect(detailOf(query, 'limit')).toBe('25');
    expect(detailOf(query, 'keysLeftOut')).toBe('1');
    expect(Buffer.from(query.entity[0].query, 'base64').toString()).toBe('PatientName=DOE%5EJOHN&limit=25&includefield=00100020');

    expect([studyOf(store), patientOf(store), instancesOf(store), store.action]).toEqual([STUDY, 'PID-1', 3, 'C']);
    expect([studyOf(exported), patientOf(exported), instancesOf(exported)]).toEqual([STUDY, 'PID-1', 5]);
    expect([studyOf(accessed), patientOf(accessed), instancesOf(accessed), accessed.action]).toEqual([STUDY, 'PID-1', 5, 'R']);
    expect([detailOf(accessed, 'frames'), detailOf(accessed, 'metadata'), detailOf(accessed, 'requests'), detailOf(accessed, 'series')]).toEqual(['50', '1', '26', '1']);
    expect(detailOf(accessed, 'SeriesInstanceUID')).toBe(SERIES);
    expect(Date.parse(accessed.period.end)).toBeGreaterThanOrEqual(Date.parse(accessed.period.start));

    const text = fs.readFileSync(file, 'utf8');
    expect(text).not.toContain(TOKEN);
    expect(text).not.toMatch(/Bearer|authorization|eyJ/i);
    // The same events reached the FHIR server, in order.
    await until(() => sink.received.length >= 4);
    expect(sink.received.map((e) => e.id)).toEqual(events.map((e) => e.id));
    sink.received.length = 0;
  });

  it('writes a study\'s access event after the idle period, asking the PACS for the patient of a study it has not seen', async () => {
    const { file, port } = await start('idle', { idleMs: 150 });
    for (const f of [1, 2, 3]) await request(port, 'GET', `/dicom-web/studies/${OTHER}/series/${SERIES}/instances/${OTHER}.9.1/frames/${f}`);
    expect(read(file)).toEqual([]);
    await until(() => read(file).length === 1);
    const [e] = read(file);
    expect([code(e), studyOf(e), patientOf(e), detailOf(e, 'frames'), e.agent[0].who.display]).toEqual(['110103', OTHER, 'PID-2', '3', 'anonymous']);
    expect(pacs.lookups).toContain(OTHER);
  });

  it('records refused requests as failures, never with their query', async () => {
    const { file, port } = await start('refused');
    expect((await request(port, 'GET', '/dicom-web/../system', { 'x-test-user': 'mallory' })).status).toBe(400);
    expect((await request(port, 'DELETE', `/dicom-web/studies/${STUDY}`)).status).toBe(405);
    expect((await request(port, 'GET', `/dicom-web/patients?token=${TOKEN}`)).status).toBe(404);
    expect((await request(port, 'GET', '/dicom-web/studies', { host: 'evil.example' })).status).toBe(421);
    const events = read(file);
    expect(events.map((e) => [code(e), e.subtype[0].code, e.outcome, e.outcomeDesc, e.entity[0].what.display])).toEqual([
      ['110113', '110132', '4', 'HTTP 400', 'GET /dicom-web/../system'],
      ['110113', '110132', '4', 'HTTP 405', `DELETE /dicom-web/studies/${STUDY}`],
      ['110113', '110132', '4', 'HTTP 404', 'GET /dicom-web/patients'],
      ['110113', '110132', '4', 'HTTP 421', 'GET /dicom-web/studies'],
    ]);
    expect(events[0].agent[0].who.identifier.value).toBe('mallory');
    expect(fs.readFileSync(file, 'utf8')).not.toContain(TOKEN);
  });
});

describe('reports from the browser', () => {
  it('records de-identified export, local files, sign-in and sign-out with the user the gateway sees', async () => {
    const { file, port } = await start('reports');
    const post = (body: unknown) => request(port, 'POST', '/api/audit', { 'content-type': 'application/json', 'x-test-user': 'dr-b' }, JSON.stringify(body));
    expect((await post({ type: 'sign-in' })).status).toBe(204);
    expect((await post({ type: 'deidentified-export', studies: [{ studyInstanceUid: STUDY, instances: 2 }] })).status).toBe(204);
    expect((await post({ type: 'local-upload', studies: [{ studyInstanceUid: OTHER, patientId: 'LOCAL-7', instances: 12 }] })).status).toBe(204);
    expect((await post({ type: 'sign-out', outcome: 'success' })).status).toBe(204);
    const events = read(file);
    expect(events.map((e) => [code(e), e.subtype?.[0].code])).toEqual([['110114', '110122'], ['110106', undefined], ['110107', undefined], ['110114', '110123']]);
    expect(events[1].entity[0].extension).toContainEqual({ url: 'http://hl7.org/fhir/StructureDefinition/auditevent-Anonymized', valueBoolean: true });
    expect([studyOf(events[2]), patientOf(events[2]), instancesOf(events[2])]).toEqual([OTHER, 'LOCAL-7', 12]);
    expect(events.every((e) => e.agent[0].who.identifier.value === 'dr-b')).toBe(true);
  });

  it('refuses malformed reports with 400 (413 when too large, 415 when not JSON) and writes nothing', async () => {
    const { file, port } = await start('malformed');
    const post = (body: string, type = 'application/json') => request(port, 'POST', '/api/audit', { 'content-type': type }, body);
    const bad = [
      '{',
      '[]',
      'null',
      '{}',
      JSON.stringify({ type: 'delete-everything' }),
      JSON.stringify({ type: 'export', extra: 1 }),
      JSON.stringify({ type: 'export', studies: [{ studyInstanceUid: '1.2.abc' }] }),
      JSON.stringify({ type: 'export', studies: [{ studyInstanceUid: STUDY, instances: -1 }] }),
      JSON.stringify({ type: 'export', studies: 'all' }),
    ];
    for (const b of bad) expect((await post(b)).status, b).toBe(400);
    expect((await post(JSON.stringify({ type: 'export', studies: Array(500).fill({ studyInstanceUid: STUDY }) }))).status).toBe(413);
    expect((await post(JSON.stringify({ type: 'export' }), 'text/plain')).status).toBe(415);
    expect((await request(port, 'POST', '/api/audit', { 'content-type': 'application/json', origin: 'http://evil.example' }, JSON.stringify({ type: 'export' }))).status).toBe(403);
    expect(fs.readFileSync(file, 'utf8')).toBe('');
  });
});

describe('forwarding to a FHIR server', () => {
  const searches = (port: number, n: number[]) => Promise.all(n.map((i) => request(port, 'GET', `/dicom-web/studies?limit=${i}`)));
  const limits = (events: any[]) => events.map((e) => detailOf(e, 'limit'));

  it('spools events while the server is down and delivers each once, in order, when it is back', async () => {
    sink.state.up = false;
    sink.received.length = 0;
    const spoolDir = path.join(dir, 'down', 'spool');
    const { file, port } = await start('down', { forward: { url: new URL(`${sink.url}/fhir/AuditEvent`), spoolDir }, minBackoffMs: 40 });
    for (const i of [1, 2, 3, 4, 5]) await searches(port, [i]);
    await until(() => sink.state.attempts >= 3);
    expect(sink.received).toEqual([]);
    expect(fs.readFileSync(path.join(spoolDir, 'audit-spool-down.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(5);
    sink.state.up = true;
    await until(() => sink.received.length >= 5);
    await new Promise((r) => setTimeout(r, 200));
    expect(limits(sink.received)).toEqual(['1', '2', '3', '4', '5']);
    expect(sink.received.map((e) => e.id)).toEqual(read(file).map((e) => e.id));
    // Delivered: the spool starts afresh.
    expect(fs.readFileSync(path.join(spoolDir, 'audit-spool-down.jsonl'), 'utf8')).toBe('');
  });

  it('keeps the spool across a restart of the gateway and drains it then', async () => {
    sink.state.up = false;
    sink.received.length = 0;
    const spoolDir = path.join(dir, 'restart', 'spool');
    const forward = { url: new URL(`${sink.url}/fhir/AuditEvent`), spoolDir };
    const first = await start('restart', { forward, minBackoffMs: 40 });
    for (const i of [1, 2, 3]) await searches(first.port, [i]);
    await first.g.close();
    gateways.length = 0;
    expect(sink.received).toEqual([]);
    sink.state.up = true;
    const second = await start('restart', { forward, minBackoffMs: 40 });
    await until(() => sink.received.length >= 3);
    await searches(second.port, [4]);
    await until(() => sink.received.length >= 4);
    await new Promise((r) => setTimeout(r, 200));
    expect(limits(sink.received)).toEqual(['1', '2', '3', '4']);
    // One file, both lives of the instance.
    expect(limits(read(second.file))).toEqual(['1', '2', '3', '4']);
    // A second gateway on the same spool is refused, not left to deliver the same events twice.
    await expect(start('restart', { forward })).rejects.toThrow(/open twice/);
  });
});

describe('forwarding to a syslog collector', () => {
  it('sends RFC 5424 messages, octet-counted over TCP, after the collector comes up, in order', async () => {
    // A port with nobody listening: the collector is down.
    const probe = net.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const collectorPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const spoolDir = path.join(dir, 'syslog', 'spool');
    const { port } = await start('syslog', { forward: { url: new URL(`syslog+tcp://127.0.0.1:${collectorPort}`), spoolDir }, minBackoffMs: 40 });
    for (const i of [1, 2, 3]) await request(port, 'GET', `/dicom-web/studies?limit=${i}`);
    expect((await request(port, 'GET', '/dicom-web/../system')).status).toBe(400);
    await new Promise((r) => setTimeout(r, 150));
    expect(fs.readFileSync(path.join(spoolDir, 'audit-spool-syslog.jsonl'), 'utf8').split('\n').filter(Boolean)).toHaveLength(4);

    const messages: string[] = [];
    let buf = Buffer.alloc(0);
    const collector = net.createServer((c) =>
      c.on('data', (d: Buffer) => {
        buf = Buffer.concat([buf, d]);
        for (;;) {
          const sp = buf.indexOf(32);
          const len = sp > 0 ? Number(buf.subarray(0, sp).toString()) : NaN;
          if (!(len > 0) || buf.length < sp + 1 + len) break;
          messages.push(buf.subarray(sp + 1, sp + 1 + len).toString('utf8'));
          buf = buf.subarray(sp + 1 + len);
        }
      }),
    );
    await new Promise<void>((r) => collector.listen(collectorPort, '127.0.0.1', r));
    try {
      await until(() => messages.length >= 4);
      const parsed = messages.map((m) => /^<(\d+)>1 (\S+) (\S+) lumen-gateway (\d+) AuditEvent - (\{.*\})$/.exec(m));
      expect(parsed.every(Boolean)).toBe(true);
      const events = parsed.map((m) => JSON.parse(m![5]!));
      expect(events.map((e) => detailOf(e, 'limit') ?? code(e))).toEqual(['1', '2', '3', '110113']);
      expect(parsed.map((m) => m![1])).toEqual(['85', '85', '85', '84']);
      expect(parsed[0]![2]).toBe(events[0].recorded);
    } finally {
      for (const g of gateways.splice(0)) await g.close();
      await new Promise<void>((r) => collector.close(() => r()));
    }
  });
});

describe('pieces', () => {
  it('keeps DICOM query keys and leaves out anything shaped like a credential', () => {
    expect(queryKeys('?PatientName=DOE*&00100020=X&0040A730.00080100=1&access_token=a&token=b&code=c&state=d&api_key=e&fuzzymatching=true')).toEqual({
      keys: [['PatientName', 'DOE*'], ['00100020', 'X'], ['0040A730.00080100', '1'], ['fuzzymatching', 'true']],
      dropped: 5,
    });
  });

  it('reads what a request retrieved from its path', () => {
    expect(retrieval(`/studies/${STUDY}/series/${SERIES}/instances/1.2/frames/1,2,3`)).toMatchObject({ study: STUDY, series: SERIES, instance: '1.2', what: 'frames', frames: 3 });
    expect(retrieval(`/studies/${STUDY}/metadata`)).toMatchObject({ study: STUDY, what: 'metadata' });
    expect(retrieval(`/studies/${STUDY}/series/${SERIES}/instances/1.2/bulk/7FE00010`)).toMatchObject({ what: 'bulk' });
  });

  it('finds the patient in a metadata answer and the studies in a STOW answer', () => {
    expect(firstPatientId('[{"00080018":{"vr":"UI","Value":["1.2"]},"00100020":{"vr":"LO","Value":["A\\"B"]}}]')).toBe('A"B');
    expect(firstPatientId('[{"00100020":{"vr":"LO"}}]')).toBeUndefined();
    const url = (s: string) => ({ '00081190': el('UR', `http://p/dicom-web/studies/${s}/series/1/instances/2`) });
    const answer = { '00081199': { vr: 'SQ', Value: [url('1.1'), url('1.1'), url('1.2')] }, '00081198': { vr: 'SQ', Value: [{ '00081155': el('UI', '9') }] } };
    expect(stowStudies(answer, undefined)).toEqual(
      new Map([
        ['1.1', { stored: 2, failed: 0, patientId: undefined }],
        ['1.2', { stored: 1, failed: 0, patientId: undefined }],
        ['unknown', { stored: 0, failed: 1, patientId: undefined }],
      ]),
    );
  });
});

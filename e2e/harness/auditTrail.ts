// Reading the gateway's audit trail (FHIR AuditEvent JSON lines, gateway/audit.mjs) in tests, and a FHIR sink: a
// tiny HTTP server that stores every AuditEvent POSTed to it (the shared endpoint of several gateways), which can
// be told to fail for a while.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { sleep } from './procs';

export interface AuditEvent {
  resourceType: 'AuditEvent';
  id: string;
  type: { code: string; display: string };
  subtype?: { code: string }[];
  action: string;
  recorded: string;
  outcome: string;
  outcomeDesc?: string;
  agent: { who?: { identifier?: { value: string }; display?: string }; name?: string; requestor: boolean; network?: { address: string } }[];
  source: { site: string };
  entity?: {
    what?: { identifier?: { type?: { coding?: { code: string }[] }; value: string } };
    extension?: { url: string; valueInteger?: number }[];
    detail?: { type: string; valueString: string }[];
  }[];
}

export const AUDIT = { instancesAccessed: '110103', export: '110106', import: '110107', query: '110112', securityAlert: '110113', userAuthentication: '110114' } as const;

/** Every event in a JSON-lines audit file (none when the file does not exist yet). */
export function readAuditFile(file: string): AuditEvent[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as AuditEvent);
}

/**
 * A short view of an event for assertions: type, outcome, user, gateway instance, study, patient, instance count and,
 * for a search, its level and keys as a query string (`studies?StudyInstanceUID=…`).
 */
export function summary(e: AuditEvent) {
  const user = e.agent.find((a) => a.requestor);
  const ids = (code: string) => e.entity?.find((x) => x.what?.identifier?.type?.coding?.some((c) => c.code === code))?.what?.identifier?.value;
  const count = e.entity?.flatMap((x) => x.extension ?? []).find((x) => x.url.endsWith('auditevent-NumberOfInstances'))?.valueInteger;
  const search = e.entity?.find((x) => x.what?.identifier?.value?.startsWith('QIDO-RS '));
  const keys = search?.detail?.filter((d) => d.type !== 'level').map((d) => `${d.type}=${d.valueString}`);
  return {
    type: e.type.code,
    outcome: e.outcome,
    user: user?.who?.identifier?.value,
    userName: user?.name,
    site: e.source.site,
    study: ids('110180'),
    patient: ids('MR'),
    ...(count !== undefined ? { instances: count } : {}),
    ...(search ? { query: `${search.detail?.find((d) => d.type === 'level')?.valueString}?${keys?.join('&')}` } : {}),
  };
}

/** Polls `read` until `done` holds for its result (events are written after the gateway's --audit-idle). */
export async function waitForEvents(read: () => AuditEvent[], done: (events: AuditEvent[]) => boolean, timeoutMs = 10_000): Promise<AuditEvent[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = read();
    if (done(events) || Date.now() > deadline) return events;
    await sleep(100);
  }
}

export interface FhirSink {
  /** The AuditEvent endpoint: a gateway's --audit-forward. */
  url: string;
  /** What it stored, in arrival order. */
  events: AuditEvent[];
  /** Every POST it got, stored or not (retries included). */
  posts: number;
  /** Answer every POST with `status` (e.g. 503) until called with null. */
  failWith(status: number | null): void;
  stop(): Promise<void>;
}

export async function startFhirSink(): Promise<FhirSink> {
  let failing: number | null = null;
  const sink: FhirSink = {
    url: '',
    events: [],
    posts: 0,
    failWith: (s) => void (failing = s),
    stop: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (req.method !== 'POST' || req.url !== '/fhir/AuditEvent') return void res.writeHead(404).end();
      sink.posts++;
      if (failing) return void res.writeHead(failing).end();
      let event: AuditEvent;
      try {
        event = JSON.parse(Buffer.concat(chunks).toString('utf8')) as AuditEvent;
      } catch {
        return void res.writeHead(400).end();
      }
      if (event.resourceType !== 'AuditEvent' || !/^application\/fhir\+json/.test(req.headers['content-type'] ?? '')) return void res.writeHead(400).end();
      sink.events.push(event);
      res.writeHead(201, { 'Content-Type': 'application/fhir+json', Location: `/fhir/AuditEvent/${event.id}` });
      res.end(JSON.stringify(event));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir/AuditEvent`;
  return sink;
}

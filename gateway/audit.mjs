// @ts-check
// The audit trail (issue 23): what each user did through this gateway, as DICOM PS3.15 A.5 audit messages in their
// FHIR R4 AuditEvent form, one JSON line each in an append-only file, optionally forwarded to a FHIR server.
// Events come from the requests the gateway relays (QIDO → Query, WADO → Instances Accessed, STOW → Import),
// from its own refusals, and from what the browser reports (export, de-identified export, local files, sign-in and
// sign-out). A study's frames are one event: retrievals are aggregated per user, address, study and outcome and
// written after an idle period. The only state here is for the trail itself (aggregates, a study → patient cache,
// the spool); no request depends on it, so any instance behind a load balancer can serve any request.
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { Transform } from 'node:stream';
import tls from 'node:tls';
import { z } from 'zod';
import { classify, DICOMWEB_PREFIX, isUid } from './allowlist.mjs';

// ---- codes (DICOM PS3.16 CID 400–403 and the FHIR R4 code systems AuditEvent binds to) ---------------------------

export const DCM = 'http://dicom.nema.org/resources/ontology/DCM';
const ENTITY_TYPE = 'http://terminology.hl7.org/CodeSystem/audit-entity-type';
const OBJECT_ROLE = 'http://terminology.hl7.org/CodeSystem/object-role';
const SOURCE_TYPE = 'http://terminology.hl7.org/CodeSystem/security-source-type';
const ID_TYPE = 'http://terminology.hl7.org/CodeSystem/v2-0203';
const EXT = 'http://hl7.org/fhir/StructureDefinition/';

/**
 * The events this gateway writes. action: FHIR AuditEvent.action (C create, R read, E execute); userRole: the DICOM
 * role of the user's side (110153 Source, 110152 Destination).
 * @typedef {{ code: string, display: string, action: 'C' | 'R' | 'U' | 'D' | 'E', userRole?: { code: string, display: string } }} EventType
 */
const SOURCE_ROLE = { code: '110153', display: 'Source Role ID' };
const DESTINATION_ROLE = { code: '110152', display: 'Destination Role ID' };
export const EVENT = /** @type {const} */ ({
  instancesAccessed: { code: '110103', display: 'DICOM Instances Accessed', action: 'R', userRole: DESTINATION_ROLE },
  export: { code: '110106', display: 'Export', action: 'R', userRole: SOURCE_ROLE },
  import: { code: '110107', display: 'Import', action: 'C', userRole: SOURCE_ROLE },
  query: { code: '110112', display: 'Query', action: 'E', userRole: SOURCE_ROLE },
  securityAlert: { code: '110113', display: 'Security Alert', action: 'E' },
  userAuthentication: { code: '110114', display: 'User Authentication', action: 'E' },
});
/** Event subtypes (DICOM CID 401, 403). */
export const SUBTYPE = /** @type {const} */ ({
  login: { code: '110122', display: 'Login' },
  logout: { code: '110123', display: 'Logout' },
  restrictedFunction: { code: '110132', display: 'Use of Restricted Function' },
});
/** FHIR AuditEvent.outcome (DICOM EventOutcomeIndicator). */
export const OUTCOME = /** @type {const} */ ({ success: '0', minorFailure: '4', seriousFailure: '8', majorFailure: '12' });
const APPLICATION = { system: DCM, code: '110150', display: 'Application' };
const STUDY_ID = { system: DCM, code: '110180', display: 'Study Instance UID' };
const SYSTEM_OBJECT = { system: ENTITY_TYPE, code: '2', display: 'System Object' };
const PERSON = { system: ENTITY_TYPE, code: '1', display: 'Person' };
const ROLE_PATIENT = { system: OBJECT_ROLE, code: '1', display: 'Patient' };
const ROLE_REPORT = { system: OBJECT_ROLE, code: '3', display: 'Report' };
const ROLE_QUERY = { system: OBJECT_ROLE, code: '24', display: 'Query' };
const APPLICATION_SERVER = { system: SOURCE_TYPE, code: '4', display: 'Application Server' };
const PATIENT_NUMBER = { system: ID_TYPE, code: 'MR', display: 'Medical record number' };

/** The outcome of an HTTP answer: a refusal or a client error is a minor failure, a server fault a serious one. */
export function outcomeOf(/** @type {number} */ status) {
  return status < 400 ? OUTCOME.success : status < 500 ? OUTCOME.minorFailure : OUTCOME.seriousFailure;
}

// ---- events -----------------------------------------------------------------------------------------------------

/**
 * @typedef {{ id: string, name?: string }} AuditUser
 * @typedef {(request: import('fastify').FastifyRequest) => AuditUser | undefined} UserOf
 * @typedef {{ uid: string, patientId?: string, instances?: number, detail?: Record<string, string | number>, series?: string[], anonymized?: boolean }} StudyEntity
 * @typedef {{
 *   type: EventType, subtype?: { code: string, display: string }, outcome: string, outcomeDesc?: string,
 *   user?: AuditUser, address?: string, studies?: StudyEntity[], patientId?: string,
 *   query?: { level: string, keys: [string, string][], dropped: number }, what?: string,
 *   start?: Date, end?: Date,
 * }} EventInput
 */

/**
 * One FHIR R4 AuditEvent.
 * @param {EventInput} e
 * @param {{ site: string, now?: Date }} source
 */
export function auditEvent(e, source) {
  const recorded = (source.now ?? new Date()).toISOString();
  /** @type {any[]} */
  const entity = [];
  const patients = new Set();
  for (const s of e.studies ?? []) {
    /** @type {any[]} */
    const extension = [];
    if (s.instances !== undefined) extension.push({ url: `${EXT}auditevent-NumberOfInstances`, valueInteger: s.instances });
    if (s.anonymized !== undefined) extension.push({ url: `${EXT}auditevent-Anonymized`, valueBoolean: s.anonymized });
    const detail = Object.entries(s.detail ?? {}).map(([type, v]) => ({ type, valueString: String(v) }));
    for (const uid of s.series ?? []) detail.push({ type: 'SeriesInstanceUID', valueString: uid });
    entity.push({
      what: { identifier: { type: { coding: [STUDY_ID] }, value: s.uid } },
      type: SYSTEM_OBJECT,
      role: ROLE_REPORT,
      ...(extension.length ? { extension } : {}),
      ...(detail.length ? { detail } : {}),
    });
    if (s.patientId) patients.add(s.patientId);
  }
  if (e.patientId) patients.add(e.patientId);
  for (const p of patients) entity.push({ what: { identifier: { type: { coding: [PATIENT_NUMBER] }, value: p } }, type: PERSON, role: ROLE_PATIENT });
  if (e.query) {
    const q = new URLSearchParams(e.query.keys).toString();
    entity.push({
      what: { identifier: { value: `QIDO-RS ${e.query.level}` } },
      type: SYSTEM_OBJECT,
      role: ROLE_QUERY,
      query: Buffer.from(q, 'utf8').toString('base64'),
      detail: [
        { type: 'level', valueString: e.query.level },
        ...e.query.keys.map(([k, v]) => ({ type: k, valueString: v })),
        ...(e.query.dropped ? [{ type: 'keysLeftOut', valueString: String(e.query.dropped) }] : []),
      ],
    });
  }
  if (e.what) entity.push({ what: { display: e.what }, type: SYSTEM_OBJECT });
  const user = e.user;
  return {
    resourceType: 'AuditEvent',
    id: randomUUID(),
    type: { system: DCM, code: e.type.code, display: e.type.display },
    ...(e.subtype ? { subtype: [{ system: DCM, ...e.subtype }] } : {}),
    action: e.type.action,
    ...(e.start ? { period: { start: e.start.toISOString(), end: (e.end ?? e.start).toISOString() } } : {}),
    recorded,
    outcome: e.outcome,
    ...(e.outcomeDesc ? { outcomeDesc: e.outcomeDesc } : {}),
    agent: [
      {
        ...('userRole' in e.type && e.type.userRole ? { type: { coding: [{ system: DCM, ...e.type.userRole }] } } : {}),
        who: user ? { identifier: { value: user.id }, display: user.name ?? user.id } : { display: 'anonymous' },
        ...(user?.name ? { name: user.name } : {}),
        requestor: true,
        ...(e.address ? { network: { address: e.address, type: '2' } } : {}),
      },
      { type: { coding: [APPLICATION] }, who: { display: source.site }, requestor: false },
    ],
    source: { site: source.site, observer: { display: `Lumen gateway ${source.site}` }, type: [APPLICATION_SERVER] },
    ...(entity.length ? { entity } : {}),
  };
}

// ---- what a request was -----------------------------------------------------------------------------------------

// QIDO keys are DICOM keywords, tags or tag paths, or the QIDO-RS parameters; anything else (or anything shaped like a
// credential) is left out of the trail, counted only: a token must never reach the file.
const QUERY_KEY = /^(?:[A-Za-z][A-Za-z0-9]{0,63}|[0-9A-Fa-f]{8})(?:\.(?:[A-Za-z][A-Za-z0-9]{0,63}|[0-9A-Fa-f]{8}))*$/;
const CREDENTIAL_KEY = /token|secret|pass|auth|grant|session|key$|^code$|^state$/i;
const JWT = /eyJ[\w-]{4,}\.[\w-]{4,}\.?[\w-]*/g;

/** @param {string} query "?a=b&…" */
export function queryKeys(query) {
  /** @type {[string, string][]} */
  const keys = [];
  let dropped = 0;
  for (const [k, v] of new URLSearchParams(query)) {
    if (QUERY_KEY.test(k) && !CREDENTIAL_KEY.test(k) && v.length <= 1024) keys.push([k, v.replace(JWT, '[redacted]')]);
    else dropped++;
  }
  return { keys, dropped };
}

/**
 * A relayed DICOMweb request, read from its path: which study and what it retrieved.
 * @param {string} p the path under the DICOMweb prefix, e.g. /studies/1.2/series/3.4/instances/5.6/frames/1,2
 */
export function retrieval(p) {
  const s = p.split('/').slice(1);
  const study = s[0] === 'studies' && s[1] ? s[1] : undefined;
  const series = s[2] === 'series' ? s[3] : undefined;
  const instance = s[4] === 'instances' ? s[5] : undefined;
  const last = s[s.length - 1];
  const what = s[6] === 'frames' ? 'frames' : s[6] === 'bulk' || s[6] === 'bulkdata' ? 'bulk' : last === 'metadata' ? 'metadata' : last === 'rendered' || last === 'thumbnail' ? 'rendered' : 'retrieve';
  const frames = what === 'frames' ? (s[7] ?? '').split(',').length : 0;
  return { study, series, instance, what, frames };
}

/** The QIDO level of a search path: studies, series or instances. @param {string} p */
function searchLevel(p) {
  return p.split('/').filter(Boolean).pop() ?? 'studies';
}

// ---- reading answers as they pass -------------------------------------------------------------------------------

const PATIENT_ID_RE = /"00100020"\s*:\s*\{[^{}]*?"Value"\s*:\s*\[\s*"((?:[^"\\]|\\.)*)"/;

/** The first PatientID in a DICOM JSON text (a metadata answer lists it in the first instance, near the top). */
export function firstPatientId(/** @type {string} */ text) {
  const m = PATIENT_ID_RE.exec(text);
  if (!m) return undefined;
  try {
    return String(JSON.parse(`"${m[1]}"`)) || undefined;
  } catch {
    return undefined;
  }
}

/** @param {any} item @param {string} tag */
function str(item, tag) {
  const v = item?.[tag]?.Value?.[0];
  return typeof v === 'string' ? v : undefined;
}

/**
 * The studies a STOW-RS answer names (PS3.18 §10.5.3): instances stored and failed per study, from each referenced
 * instance's RetrieveURL (or the request's study).
 * @param {any} answer @param {string | undefined} pathStudy
 * @returns {Map<string, { stored: number, failed: number, patientId?: string }>}
 */
export function stowStudies(answer, pathStudy) {
  /** @type {Map<string, { stored: number, failed: number, patientId?: string }>} */
  const out = new Map();
  const top = Array.isArray(answer) ? answer[0] : answer;
  const topStudy = studyOfUrl(str(top, '00081190')) ?? pathStudy;
  const at = (/** @type {string | undefined} */ uid) => {
    const k = uid ?? topStudy ?? 'unknown';
    let e = out.get(k);
    if (!e) out.set(k, (e = { stored: 0, failed: 0, patientId: str(top, '00100020') }));
    return e;
  };
  for (const it of top?.['00081199']?.Value ?? []) {
    const e = at(studyOfUrl(str(it, '00081190')));
    e.stored++;
    e.patientId ??= str(it, '00100020');
  }
  for (const it of top?.['00081198']?.Value ?? []) at(studyOfUrl(str(it, '00081190'))).failed++;
  return out;
}

/** @param {string | undefined} url */
function studyOfUrl(url) {
  const m = url ? /\/studies\/([0-9.]+)/.exec(url) : null;
  return m && isUid(/** @type {string} */ (m[1])) ? m[1] : undefined;
}

/** Keeps the first `max` bytes of a stream that passes through untouched. */
class Sniffer extends Transform {
  constructor(/** @type {number} */ max) {
    super();
    this.max = max;
    /** @type {Buffer[]} */
    this.chunks = [];
    this.kept = 0;
    this.total = 0;
  }
  /** @param {Buffer} chunk @param {BufferEncoding} _enc @param {import('node:stream').TransformCallback} cb */
  _transform(chunk, _enc, cb) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
    this.total += b.length;
    if (this.kept < this.max) {
      const part = b.subarray(0, this.max - this.kept);
      this.chunks.push(part);
      this.kept += part.length;
    }
    cb(null, b);
  }
  /** Whether all of the answer was kept. */
  get complete() {
    return this.total === this.kept;
  }
  text() {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

// ---- the file and the forwarder ---------------------------------------------------------------------------------

/**
 * An append-only JSON-lines file: each line is written whole with O_APPEND (several writers never interleave inside
 * a line), so a process crash loses nothing written; the data are fsync'ed at most a second later (an OS crash or
 * power cut may lose that second).
 */
export class JsonLines {
  constructor(/** @type {string} */ file) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    this.file = file;
    this.fd = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_APPEND | fs.constants.O_CREAT, 0o600);
    this.dirty = false;
    this.timer = setInterval(() => this.sync(), 1000);
    this.timer.unref();
  }
  /** @param {string} line without its newline */
  append(line) {
    fs.writeSync(this.fd, line + '\n');
    this.dirty = true;
  }
  sync() {
    if (!this.dirty || this.fd < 0) return;
    this.dirty = false;
    try {
      fs.fdatasyncSync(this.fd);
    } catch (e) {
      console.error(`audit: cannot sync ${this.file}: ${/** @type {Error} */ (e).message}`);
    }
  }
  close() {
    clearInterval(this.timer);
    if (this.fd < 0) return;
    this.sync();
    fs.closeSync(this.fd);
    this.fd = -1;
  }
}

/**
 * @typedef {{ ok: boolean, permanent?: boolean, reason?: string }} Sent
 * @typedef {{ send: (event: string) => Promise<Sent>, close?: () => void }} Sender
 */

/**
 * Forwards events to a FHIR server (POST [url] with each AuditEvent, one at a time, in order) or a syslog collector
 * (below) through a spool on disk: every event is appended to the spool first, and the spool's read offset moves on only when the server has
 * answered 2xx. While the server is down, events wait there (across restarts) and are retried with exponential
 * back-off (1 s doubling to 60 s). An answer that the server will never accept (4xx other than 408/429) would stop
 * the queue forever: such an event is moved to a `.rejected.jsonl` file beside the spool and the queue goes on.
 */
export class Forwarder {
  /**
   * @param {{ url: URL, spoolDir: string, instance: string, authorization?: string, ca?: string | Buffer,
   *   minBackoffMs?: number, maxBackoffMs?: number }} o
   */
  constructor(o) {
    fs.mkdirSync(o.spoolDir, { recursive: true });
    const base = path.join(o.spoolDir, `audit-spool-${o.instance.replace(/[^A-Za-z0-9._-]/g, '_')}`);
    this.lockFile = lock(base + '.lock', o.instance);
    this.spool = new JsonLines(base + '.jsonl');
    this.offsetFile = base + '.offset';
    this.rejectedFile = base + '.rejected.jsonl';
    this.readFd = fs.openSync(base + '.jsonl', 'r');
    this.offset = readOffset(this.offsetFile);
    if (this.offset > fs.fstatSync(this.readFd).size) this.offset = 0;
    this.sender = o.url.protocol.startsWith('syslog') ? syslogSender(o.url, o.ca) : fhirSender(o.url, o.authorization);
    this.minBackoff = o.minBackoffMs ?? 1000;
    this.maxBackoff = o.maxBackoffMs ?? 60_000;
    this.backoff = this.minBackoff;
    /** @type {Promise<void> | null} */
    this.running = null;
    /** @type {NodeJS.Timeout | null} */
    this.retry = null;
    this.closed = false;
    this.lastError = '';
    this.drain();
  }

  /** @param {string} line one AuditEvent as JSON */
  enqueue(line) {
    this.spool.append(line);
    if (!this.retry) this.drain();
  }

  drain() {
    if (this.running || this.closed) return this.running ?? Promise.resolve();
    this.running = this.#run().finally(() => (this.running = null));
    return this.running;
  }

  async #run() {
    for (;;) {
      if (this.closed) return;
      const next = readLine(this.readFd, this.offset);
      if (!next) {
        // All delivered: start the spool afresh (appends are synchronous, so none can slip in between).
        if (this.offset > 0 && this.offset === fs.fstatSync(this.readFd).size) {
          fs.ftruncateSync(this.spool.fd, 0);
          this.setOffset(0);
        }
        return;
      }
      let r;
      try {
        r = await this.sender.send(next.line);
      } catch (e) {
        r = { ok: false, reason: /** @type {Error} */ (e).message };
      }
      if (r.ok || r.permanent) {
        if (!r.ok) {
          fs.appendFileSync(this.rejectedFile, next.line + '\n', { mode: 0o600 });
          console.error(`audit: the audit server refused an event for good (${r.reason}); kept in ${this.rejectedFile}`);
        }
        this.setOffset(next.end);
        this.backoff = this.minBackoff;
        continue;
      }
      if (r.reason !== this.lastError) console.error(`audit: cannot forward events (${r.reason}); they wait in the spool`);
      this.lastError = r.reason ?? '';
      const wait = this.backoff;
      this.backoff = Math.min(this.maxBackoff, this.backoff * 2);
      this.retry = setTimeout(() => {
        this.retry = null;
        this.drain();
      }, wait * (0.75 + Math.random() * 0.5));
      this.retry.unref();
      return;
    }
  }

  /** @param {number} n */
  setOffset(n) {
    this.offset = n;
    fs.writeFileSync(this.offsetFile, String(n), { mode: 0o600 });
  }

  /**
   * Stops sending, after up to `graceMs` for what is queued when the server is answering (at shutdown, the last
   * aggregates have just been written); what is left stays in the spool for the next start.
   */
  async close(graceMs = 2000) {
    if (!this.retry && !this.closed) {
      /** @type {NodeJS.Timeout | undefined} */
      let t;
      await Promise.race([this.drain(), new Promise((r) => (t = setTimeout(r, graceMs)))]);
      clearTimeout(t);
    }
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    await this.running;
    this.sender.close?.();
    this.spool.close();
    fs.closeSync(this.readFd);
    fs.rmSync(this.lockFile, { force: true });
  }
}

/**
 * Claims a spool for this process: two gateways sharing a spool folder under one instance name would deliver each
 * other's events twice and corrupt the offset. A lock left by a process that has ended is taken over.
 * @param {string} file @param {string} instance
 */
function lock(file, instance) {
  for (let attempt = 0; ; attempt++) {
    try {
      fs.writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      return file;
    } catch (e) {
      if (/** @type {{ code?: string }} */ (e).code !== 'EEXIST' || attempt > 0) throw e;
      const pid = Number(fs.readFileSync(file, 'utf8'));
      if (pid && pid !== process.pid && alive(pid)) {
        throw new Error(`the audit spool ${file} is in use by process ${pid}: give each gateway its own --audit-instance`);
      }
      if (pid === process.pid) throw new Error(`the audit spool for instance "${instance}" is open twice in this process`);
      fs.rmSync(file, { force: true });
    }
  }
}

/** @param {number} pid */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return /** @type {{ code?: string }} */ (e).code === 'EPERM';
  }
}

/** @param {string} file */
function readOffset(file) {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) && n >= 0 ? n : 0;
  } catch {
    return 0;
  }
}

/** The next whole line from `offset`, or null. @param {number} fd @param {number} offset */
function readLine(fd, offset) {
  let size = 64 * 1024;
  for (;;) {
    const buf = Buffer.alloc(size);
    const n = fs.readSync(fd, buf, 0, size, offset);
    const nl = buf.subarray(0, n).indexOf(10);
    if (nl >= 0) return { line: buf.subarray(0, nl).toString('utf8'), end: offset + nl + 1 };
    if (n < size) return null;
    size *= 4;
  }
}

/**
 * POSTs one AuditEvent to a FHIR endpoint.
 * @param {URL} url @param {string} [authorization]
 * @returns {Sender}
 */
export function fhirSender(url, authorization) {
  const send = async (/** @type {string} */ line) => {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json', ...(authorization ? { authorization } : {}) },
      body: line,
      signal: AbortSignal.timeout(15_000),
    });
    await res.arrayBuffer().catch(() => {});
    if (res.ok) return { ok: true };
    const permanent = res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429 && res.status !== 401 && res.status !== 403;
    return { ok: false, permanent, reason: `HTTP ${res.status}` };
  };
  return { send };
}

/**
 * Sends each AuditEvent as one RFC 5424 message over TLS (RFC 5425, syslog+tls://) or plain TCP (syslog+tcp://, for
 * a collector on the same host), framed by octet counting (RFC 6587 §3.4.1): facility authpriv (10), severity notice
 * (5) for a success and warning (4) for a failure, MSGID "AuditEvent", the event's JSON as the message. TCP, not
 * UDP, so that a collector that is down is noticed and the events wait in the spool. Syslog has no acknowledgement:
 * an event counts as sent once the kernel has taken it, so a collector that fails mid-stream may miss the last few.
 * @param {URL} url @param {string | Buffer} [ca]
 * @returns {Sender}
 */
export function syslogSender(url, ca) {
  /** @type {Promise<net.Socket> | null} */
  let socket = null;
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port);
  const connect = () =>
    new Promise((resolve, reject) => {
      const s = url.protocol === 'syslog+tls:'
        ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, ...(ca ? { ca } : {}) })
        : net.connect({ host, port });
      const fail = (/** @type {Error} */ e) => {
        s.destroy();
        reject(e);
      };
      s.setTimeout(10_000, () => fail(new Error('timed out')));
      s.once('error', fail);
      s.once(url.protocol === 'syslog+tls:' ? 'secureConnect' : 'connect', () => {
        s.off('error', fail);
        s.setTimeout(0);
        s.setKeepAlive(true, 30_000);
        s.on('error', () => {});
        // The collector has nothing to say; if it closes, the next event connects again.
        s.on('close', () => (socket = null));
        s.resume();
        resolve(s);
      });
    });
  const hostname = os.hostname().replace(/[^\x21-\x7e]/g, '') || '-';
  const send = async (/** @type {string} */ line) => {
    try {
      socket ??= /** @type {Promise<net.Socket>} */ (connect());
      const s = await socket.catch((e) => {
        socket = null;
        throw e;
      });
      const e = JSON.parse(line);
      const pri = 10 * 8 + (e.outcome === '0' ? 5 : 4);
      const msg = Buffer.from(`<${pri}>1 ${e.recorded ?? '-'} ${hostname} lumen-gateway ${process.pid} AuditEvent - ${line}`, 'utf8');
      await new Promise((resolve, reject) => s.write(Buffer.concat([Buffer.from(`${msg.length} `), msg]), (err) => (err ? reject(err) : resolve(undefined))));
      return { ok: true };
    } catch (err) {
      socket = null;
      const code = /** @type {{ code?: string }} */ (err).code;
      return { ok: false, reason: code ?? /** @type {Error} */ (err).message };
    }
  };
  return { send, close: () => void socket?.then((s) => s.end(), () => {}) };
}

// ---- study → patient ---------------------------------------------------------------------------------------------

/** A bounded map, oldest first out: PatientIDs of studies seen in answers, to name the patient of later events. */
class Lru {
  constructor(/** @type {number} */ max) {
    this.max = max;
    /** @type {Map<string, string>} */
    this.map = new Map();
  }
  /** @param {string} k */
  get(k) {
    const v = this.map.get(k);
    if (v !== undefined) {
      this.map.delete(k);
      this.map.set(k, v);
    }
    return v;
  }
  /** @param {string} k @param {string} v */
  set(k, v) {
    this.map.delete(k);
    this.map.set(k, v);
    if (this.map.size > this.max) this.map.delete(/** @type {string} */ (this.map.keys().next().value));
  }
}

/**
 * Asks the PACS (directly, with its credentials) for a study's PatientID: for a study whose frames reached this
 * instance while its metadata went to another one behind the load balancer.
 * @param {{ url: URL, authorization?: string, ca?: string | Buffer }} pacs
 * @returns {(study: string) => Promise<string | undefined>}
 */
export function pacsPatientLookup(pacs) {
  return (study) =>
    new Promise((resolve) => {
      const u = new URL(`${pacs.url.href.replace(/\/+$/, '')}/studies?StudyInstanceUID=${encodeURIComponent(study)}&includefield=00100020`);
      const lib = u.protocol === 'https:' ? https : http;
      const req = lib.get(
        u,
        { headers: { accept: 'application/dicom+json', ...(pacs.authorization ? { authorization: pacs.authorization } : {}) }, timeout: 5000, ...(pacs.ca ? { ca: pacs.ca } : {}) },
        (res) => {
          /** @type {Buffer[]} */
          const chunks = [];
          let n = 0;
          res.on('data', (c) => {
            n += c.length;
            if (n > 1 << 20) return void req.destroy();
            chunks.push(c);
          });
          res.on('end', () => {
            try {
              const a = JSON.parse(Buffer.concat(chunks).toString('utf8'));
              // Only the entry that names this study: a PACS that ignored the match key answers with others.
              const own = Array.isArray(a) ? a.find((x) => str(x, '0020000D') === study) : undefined;
              resolve(own ? str(own, '00100020') : undefined);
            } catch {
              resolve(undefined);
            }
          });
          res.on('error', () => resolve(undefined));
        },
      );
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
    });
}

// ---- the gateway side ---------------------------------------------------------------------------------------------

/**
 * @typedef {{
 *   file: string,
 *   forward?: { url: URL, authorization?: string, ca?: string | Buffer, spoolDir?: string },
 *   instance?: string,
 *   idleMs?: number,
 *   userOf?: UserOf,
 *   lookupPatient?: (study: string) => Promise<string | undefined>,
 *   minBackoffMs?: number,
 * }} AuditOptions
 * @typedef {{
 *   key: string, user?: AuditUser, address: string, study: string, outcome: string, status: number,
 *   patientId?: string, start: Date, end: Date, requests: number, metadata: number, frames: number, bulk: number,
 *   rendered: number, instances: Set<string>, series: Set<string>, timer: NodeJS.Timeout,
 * }} Access
 */

/** What the browser may report (POST /api/audit): small, closed, checked. */
const UID = z.string().max(64).refine(isUid, 'not a DICOM UID');
export const REPORT = z.strictObject({
  type: z.enum(['export', 'deidentified-export', 'local-upload', 'sign-in', 'sign-out']),
  outcome: z.enum(['success', 'failure']).optional(),
  studies: z
    .array(
      z.strictObject({
        studyInstanceUid: UID,
        // Local files are not on the PACS: only the browser knows their patient.
        patientId: z.string().min(1).max(64).optional(),
        instances: z.number().int().min(0).max(1_000_000).optional(),
      }),
    )
    .max(100)
    .optional(),
});
const REPORT_BYTES = 16 * 1024;

/**
 * Adds the audit trail to a gateway: hooks that read each answer, the aggregation of retrievals, the file and the
 * forwarder, and POST /api/audit. Call right after creating the Fastify instance.
 * @param {import('fastify').FastifyInstance<any, any, any, any, any>} app
 * @param {AuditOptions} opts
 * @param {{ stow: boolean }} gateway
 */
export function installAudit(app, opts, gateway) {
  const site = opts.instance ?? os.hostname();
  const idleMs = opts.idleMs ?? 30_000;
  const forwarder = opts.forward
    ? new Forwarder({
        url: opts.forward.url,
        authorization: opts.forward.authorization,
        ca: opts.forward.ca,
        spoolDir: opts.forward.spoolDir ?? path.dirname(path.resolve(opts.file)),
        instance: site,
        minBackoffMs: opts.minBackoffMs,
      })
    : null;
  const file = new JsonLines(opts.file);
  const patients = new Lru(10_000);
  /** @type {Map<string, Access>} */
  const open = new Map();
  /** @type {Set<Promise<void>>} */
  const flushing = new Set();
  /** @type {WeakMap<object, Sniffer>} */
  const sniffed = new WeakMap();
  const userOf = opts.userOf ?? (() => undefined);

  /** @param {EventInput} e */
  const write = (e) => {
    const line = JSON.stringify(auditEvent(e, { site }));
    file.append(line);
    forwarder?.enqueue(line);
  };

  /** @param {string} study */
  const patientOf = async (study) => {
    const known = patients.get(study);
    if (known || !opts.lookupPatient) return known;
    const found = await opts.lookupPatient(study).catch(() => undefined);
    if (found) patients.set(study, found);
    return found;
  };

  /** @param {Access} a */
  const flush = (a) => {
    clearTimeout(a.timer);
    open.delete(a.key);
    const p = (async () => {
      const patientId = a.patientId ?? (await patientOf(a.study));
      /** @type {Record<string, number>} */
      const detail = { requests: a.requests, frames: a.frames, metadata: a.metadata, bulk: a.bulk, rendered: a.rendered, series: a.series.size };
      for (const k of Object.keys(detail)) if (!detail[k]) delete detail[k];
      write({
        type: EVENT.instancesAccessed,
        outcome: a.outcome,
        ...(a.outcome !== OUTCOME.success ? { outcomeDesc: `HTTP ${a.status}` } : {}),
        user: a.user,
        address: a.address,
        // The series read, by UID (up to 100; the count is in `series`).
        studies: [{ uid: a.study, patientId, instances: a.instances.size, detail, series: [...a.series].slice(0, 100) }],
        start: a.start,
        end: a.end,
      });
    })().catch((e) => console.error(`audit: ${e.message}`));
    flushing.add(p);
    void p.finally(() => flushing.delete(p));
  };

  /**
   * @param {import('fastify').FastifyRequest} req @param {number} status
   * @param {ReturnType<typeof retrieval>} r
   */
  const accessed = (req, status, r) => {
    if (!r.study) return;
    const user = userOf(req);
    const outcome = outcomeOf(status);
    const key = [user?.id ?? '', req.ip, r.study, outcome].join('\0');
    let a = open.get(key);
    const now = new Date();
    if (!a) {
      const entry = /** @type {Access} */ ({
        key, user, address: req.ip, study: r.study, outcome, status, start: now, end: now,
        requests: 0, metadata: 0, frames: 0, bulk: 0, rendered: 0, instances: new Set(), series: new Set(),
      });
      entry.timer = setTimeout(() => flush(entry), idleMs);
      entry.timer.unref();
      open.set(key, (a = entry));
    } else a.timer.refresh();
    a.end = now;
    a.requests++;
    if (r.what === 'metadata') a.metadata++;
    else if (r.what === 'frames') a.frames += r.frames;
    else if (r.what === 'bulk') a.bulk++;
    else if (r.what === 'rendered') a.rendered++;
    if (r.series) a.series.add(r.series);
    if (r.instance && a.instances.size < 100_000) a.instances.add(r.instance);
    a.patientId ??= patients.get(r.study);
  };

  // Answers worth reading on their way: searches (study → patient), metadata (its patient), STOW (what was stored).
  app.addHook('onSend', (req, reply, payload, done) => {
    const url = req.raw.url ?? '';
    if (!url.startsWith(DICOMWEB_PREFIX + '/') || reply.statusCode >= 300 || !payload || typeof (/** @type {any} */ (payload).pipe) !== 'function') {
      return done(null, payload);
    }
    const c = classify(req.method, url, { stow: gateway.stow });
    if (!c.ok || req.method === 'HEAD') return done(null, payload);
    const r = retrieval(c.path);
    const want = c.kind === 'search' ? 4 << 20 : c.kind === 'store' ? 4 << 20 : r.what === 'metadata' ? 256 << 10 : 0;
    if (!want) return done(null, payload);
    const src = /** @type {import('node:stream').Readable} */ (payload);
    const s = new Sniffer(want);
    src.on('error', (e) => s.destroy(e));
    sniffed.set(req, s);
    done(null, src.pipe(s));
  });

  app.addHook('onResponse', (req, reply, done) => {
    try {
      record(req, reply.statusCode);
    } catch (e) {
      console.error(`audit: ${/** @type {Error} */ (e).message}`);
    }
    done();
  });

  /** @param {import('fastify').FastifyRequest} req @param {number} status */
  const record = (req, status) => {
    const url = req.raw.url ?? '';
    const rawPath = url.split('?')[0] ?? '';
    if (rawPath === '/api/audit') return; // recorded by its route, or refused without a trace
    const inDicomweb = rawPath === DICOMWEB_PREFIX || rawPath.startsWith(DICOMWEB_PREFIX + '/');
    // The gateway's own refusals before routing (wrong Host, over-long or malformed targets) and anything under
    // /dicom-web outside the allowlist: a security alert naming what was tried (never its query).
    const c = inDicomweb ? classify(req.method, url, { stow: true }) : null;
    const refusedEarly = status === 400 || status === 405 || status === 414 || status === 421;
    if (status === 421 || status === 414 || (c ? !c.ok : refusedEarly)) {
      write({
        type: EVENT.securityAlert,
        subtype: SUBTYPE.restrictedFunction,
        outcome: outcomeOf(status),
        outcomeDesc: `HTTP ${status}`,
        user: userOf(req),
        address: req.ip,
        what: `${req.method} ${rawPath.slice(0, 200).replace(JWT, '[redacted]')}`,
      });
      return;
    }
    if (!c || !c.ok || req.method === 'OPTIONS') return;
    const s = sniffed.get(req);
    if (c.kind === 'search') {
      if (s && status < 300) learnFromSearch(s);
      const q = queryKeys(c.query);
      const study = retrieval(c.path).study;
      const pid = q.keys.find(([k]) => k === 'PatientID' || k === '00100020')?.[1];
      write({
        type: EVENT.query,
        outcome: outcomeOf(status),
        ...(status >= 400 ? { outcomeDesc: `HTTP ${status}` } : {}),
        user: userOf(req),
        address: req.ip,
        query: { level: searchLevel(c.path), ...q },
        ...(study ? { studies: [{ uid: study, patientId: patients.get(study) }] } : {}),
        ...(pid && !/[*?\\]/.test(pid) ? { patientId: pid } : {}),
      });
    } else if (c.kind === 'retrieve') {
      const r = retrieval(c.path);
      if (s && r.study && status < 300) {
        const pid = firstPatientId(s.text());
        if (pid) patients.set(r.study, pid);
      }
      accessed(req, status, r);
    } else if (c.kind === 'store') {
      const pathStudy = retrieval(c.path).study;
      let answer;
      try {
        answer = s && s.kept && s.complete ? JSON.parse(s.text()) : undefined;
      } catch {
        answer = undefined;
      }
      const studies = answer ? stowStudies(answer, pathStudy) : new Map([[pathStudy ?? 'unknown', { stored: 0, failed: 0, patientId: undefined }]]);
      for (const [uid, e] of studies) {
        const patientId = e.patientId ?? (uid !== 'unknown' ? patients.get(uid) : undefined);
        if (e.patientId && uid !== 'unknown') patients.set(uid, e.patientId);
        const outcome = status >= 400 ? outcomeOf(status) : e.failed === 0 ? OUTCOME.success : e.stored > 0 ? OUTCOME.minorFailure : OUTCOME.seriousFailure;
        write({
          type: EVENT.import,
          outcome,
          ...(outcome !== OUTCOME.success ? { outcomeDesc: status >= 400 ? `HTTP ${status}` : `${e.failed} instance(s) not stored` } : {}),
          user: userOf(req),
          address: req.ip,
          studies: uid === 'unknown' ? [] : [{ uid, patientId, instances: e.stored, ...(e.failed ? { detail: { failed: e.failed } } : {}) }],
        });
      }
    }
  };

  /** @param {Sniffer} s */
  const learnFromSearch = (s) => {
    if (!s.complete) return;
    try {
      const a = JSON.parse(s.text());
      if (!Array.isArray(a)) return;
      for (const it of a) {
        const study = str(it, '0020000D');
        const pid = str(it, '00100020');
        if (study && pid && isUid(study)) patients.set(study, pid);
      }
    } catch {
      // Not JSON (e.g. multipart or XML): nothing learnt.
    }
  };

  // What only the browser sees, recorded with the user and address this gateway sees.
  app.post('/api/audit', { bodyLimit: REPORT_BYTES }, async (req, reply) => {
    const origin = req.headers.origin;
    if (origin && safeHost(origin) !== String(req.headers.host ?? '').toLowerCase()) {
      return reply.code(403).header('content-type', 'text/plain; charset=utf-8').send('audit reports come from this origin only\n');
    }
    if (!/^application\/json\s*(;|$)/i.test(String(req.headers['content-type'] ?? ''))) {
      return reply.code(415).header('content-type', 'text/plain; charset=utf-8').send('want application/json\n');
    }
    const parsed = REPORT.safeParse(req.body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return reply.code(400).header('content-type', 'text/plain; charset=utf-8').send(`bad audit report: ${issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'invalid'}\n`);
    }
    const b = parsed.data;
    const outcome = b.outcome === 'failure' ? OUTCOME.minorFailure : OUTCOME.success;
    const studies = (b.studies ?? []).map((s) => ({
      uid: s.studyInstanceUid,
      patientId: s.patientId ?? patients.get(s.studyInstanceUid),
      instances: s.instances,
      ...(b.type === 'deidentified-export' ? { anonymized: true } : {}),
    }));
    const base = { outcome, user: userOf(req), address: req.ip };
    if (b.type === 'sign-in' || b.type === 'sign-out') {
      write({ ...base, type: EVENT.userAuthentication, subtype: b.type === 'sign-in' ? SUBTYPE.login : SUBTYPE.logout });
    } else if (b.type === 'local-upload') {
      write({ ...base, type: EVENT.import, studies, what: 'local files opened in the browser' });
    } else {
      write({ ...base, type: EVENT.export, studies, ...(b.type === 'deidentified-export' ? { what: 'de-identified export' } : {}) });
    }
    return reply.code(204).header('cache-control', 'no-store').send();
  });
  app.addHook('onClose', async () => {
    for (const a of [...open.values()]) flush(a);
    await Promise.all([...flushing]);
    file.close();
    await forwarder?.close();
  });

}

/** @param {string} origin */
function safeHost(origin) {
  try {
    return new URL(origin).host.toLowerCase();
  } catch {
    return '';
  }
}

// Sign-in at the gateway against real sockets: an in-process OpenID provider (discovery document and JWKS, keys
// made by jose), a stub PACS that records what reaches it, and two gateway instances sharing one grant key.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { base64url, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DatasetBuilder, part10Bytes } from '../scripts/demo/part10.ts';
import { buildGateway } from './server.mjs';
import type { SignInOptions } from './signIn.mjs';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const COMPREHENSIVE_3D_SR = '1.2.840.10008.5.1.4.1.1.88.34';
// Three studies: S1 and S3 belong to patient P1, S2 to P2.
const S1 = '1.2.3.1';
const S2 = '1.2.3.2';
const S3 = '1.2.3.3';
const PATIENT: Record<string, string> = { [S1]: 'P1', [S2]: 'P2', [S3]: 'P1' };

type Seen = { method: string; url: string; headers: http.IncomingHttpHeaders; bytes: number };

async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
function closeServer(server: http.Server) {
  return new Promise<void>((r) => {
    server.closeAllConnections();
    server.close(() => r());
  });
}

/** A stub PACS: QIDO over the three studies (honouring StudyInstanceUID and includefield), WADO bytes, STOW. */
async function startPacs() {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, bytes: body.length });
      const u = new URL(req.url ?? '/', 'http://pacs');
      const p = u.pathname.replace(/^\/dicom-web/, '');
      const want = u.searchParams.getAll('includefield');
      const only = u.searchParams.get('StudyInstanceUID');
      const studies = Object.keys(PATIENT).filter((s) => !only || s === only);
      const json = (v: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/dicom+json' });
        res.end(JSON.stringify(v));
      };
      if (req.method === 'POST') return json({ stored: body.length });
      if (p === '/studies') {
        return json(studies.map((s) => ({ '0020000D': { vr: 'UI', Value: [s] }, '00100020': { vr: 'LO', Value: [PATIENT[s]] } })));
      }
      if (p === '/series' || p === '/instances') {
        // As some PACS do: study-level attributes only when asked for.
        return json(
          studies.map((s, i) => ({
            '0020000E': { vr: 'UI', Value: [`${s}.${i}`] },
            ...(want.includes('0020000D') ? { '0020000D': { vr: 'UI', Value: [s] } } : {}),
          })),
        );
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.from('pixels'));
    });
  });
  const url = await listen(server);
  return { url, seen, close: () => closeServer(server) };
}

/** An OpenID provider as far as the gateway sees one: discovery and JWKS, plus a key it does not publish. */
async function startProvider() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const other = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  let jwksFetches = 0;
  let base = '';
  const server = http.createServer((req, res) => {
    res.setHeader('Content-Type', 'application/json');
    if (req.url === '/realms/lumen/.well-known/openid-configuration') {
      return res.end(JSON.stringify({ issuer: `${base}/realms/lumen`, jwks_uri: `${base}/realms/lumen/certs` }));
    }
    if (req.url === '/realms/lumen/certs') {
      jwksFetches++;
      return res.end(JSON.stringify({ keys: [jwk] }));
    }
    res.statusCode = 404;
    res.end('{}');
  });
  base = await listen(server);
  return { issuer: `${base}/realms/lumen`, privateKey, otherKey: other.privateKey, jwksFetches: () => jwksFetches, close: () => closeServer(server) };
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string };
/** Every answer the gateways gave in this file. */
const answered: Answer[] = [];

function request(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const a = { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() };
        answered.push(a);
        resolve(a);
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** A Part 10 file of `sopClass`, written by dcmjs. */
function part10(sopClass: string) {
  const ds = new DatasetBuilder()
    .set('SOPClassUID', sopClass)
    .set('SOPInstanceUID', `${S1}.9.${sopClass.split('.').pop()}`)
    .set('StudyInstanceUID', S1)
    .set('Modality', sopClass === CT ? 'CT' : 'SR').dataset;
  return Buffer.from(part10Bytes(ds));
}

/** A STOW body with one Part 10 part per SOP class given. */
function stowBody(...sopClasses: string[]) {
  const boundary = 'lumen-boundary';
  const parts = sopClasses.flatMap((c) => [Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`), part10(c), Buffer.from('\r\n')]);
  return { type: `multipart/related; type="application/dicom"; boundary=${boundary}`, body: Buffer.concat([...parts, Buffer.from(`--${boundary}--\r\n`)]) };
}

let pacs: Awaited<ReturnType<typeof startPacs>>;
let idp: Awaited<ReturnType<typeof startProvider>>;
let dir: string;
let gateways: Awaited<ReturnType<typeof buildGateway>>[] = [];
let port: number;
let port2: number;
let gatewayOptions: SignInOptions;
/** Access tokens made here (grants, which the gateway hands out on purpose, are not among them). */
const issued: string[] = [];
const logged: string[] = [];

async function token(claims: JWTPayload & { sub: string }, o: { key?: CryptoKey; kid?: string; iss?: string; aud?: string; exp?: number } = {}) {
  const t = await new SignJWT(claims)
    .setProtectedHeader({ alg: 'RS256', kid: o.kid ?? 'k1' })
    .setIssuer(o.iss ?? idp.issuer)
    .setAudience(o.aud ?? 'lumen-viewer')
    .setIssuedAt()
    .setExpirationTime(o.exp ?? Math.floor(Date.now() / 1000) + 300)
    .sign(o.key ?? idp.privateKey);
  issued.push(t);
  return t;
}
const bearer = (t: string, more: Record<string, string> = {}) => ({ Authorization: `Bearer ${t}`, ...more });

beforeAll(async () => {
  // Everything the gateway might print, to check no token is ever in it.
  for (const m of ['log', 'warn', 'error', 'info', 'debug'] as const) {
    vi.spyOn(console, m).mockImplementation((...a: unknown[]) => void logged.push(a.map(String).join(' ')));
  }
  [pacs, idp] = await Promise.all([startPacs(), startProvider()]);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-signin-'));
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ dataSources: [{ qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' }] }));
  const signIn: SignInOptions = (gatewayOptions = {
    issuer: idp.issuer,
    audience: ['lumen-viewer'],
    rolesClaim: 'realm_access.roles',
    roleMap: new Map([['pacs-readers', 'reader']]),
    studyClaim: 'lumen_studies',
    patientClaim: 'lumen_patients',
    clockToleranceS: 5,
    grantRole: 'sharer',
    grantMaxLifetimeS: 3600,
    grantKeys: [new TextEncoder().encode('a shared grant key of at least thirty-two bytes')],
  });
  for (let i = 0; i < 2; i++) {
    const gw = await buildGateway({
      root: path.join(dir, 'dist'),
      config: path.join(dir, 'config.json'),
      // The second instance has no PACS credentials of its own: the user's token must still not pass through.
      pacs: { url: new URL(`${pacs.url}/dicom-web`), ...(i === 0 ? { authorization: 'Basic cGFjczpzZWNyZXQ=' } : {}) },
      allowedHosts: ['127.0.0.1'],
      maxUploadBytes: 1 << 20,
      signIn,
    });
    await gw.listen({ port: 0, host: '127.0.0.1' });
    gateways.push(gw);
  }
  port = (gateways[0]!.server.address() as AddressInfo).port;
  port2 = (gateways[1]!.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all(gateways.map((g) => g.close()));
  await Promise.all([pacs?.close(), idp?.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
  vi.restoreAllMocks();
});

const roles = (...r: string[]) => ({ realm_access: { roles: r } });

describe('bearer tokens', () => {
  it('passes a valid token, and the PACS gets the gateway credentials instead of it', async () => {
    const t = await token({ sub: 'u-reader', ...roles('reader') });
    const before = pacs.seen.length;
    const r = await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t));
    expect(r.status).toBe(200);
    const seen = pacs.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.headers['authorization']).toBe('Basic cGFjczpzZWNyZXQ=');
  });

  it('takes roles through the role map (provider name → gateway role)', async () => {
    const t = await token({ sub: 'u-mapped', ...roles('pacs-readers') });
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t))).status).toBe(200);
  });

  it('refuses a missing, expired, wrong-audience, wrong-issuer, foreign-key, unknown-kid or unsigned token with 401', async () => {
    const claims = { sub: 'u-reader', ...roles('reader') };
    const none = `${base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${base64url.encode(
      JSON.stringify({ ...claims, iss: idp.issuer, aud: 'lumen-viewer', exp: Math.floor(Date.now() / 1000) + 300 }),
    )}.`;
    issued.push(none);
    const cases: [string, Record<string, string>, RegExp][] = [
      ['missing', {}, /no|send the access token/],
      ['not bearer', { Authorization: 'Basic dTpw' }, /send the access token/],
      ['expired', bearer(await token(claims, { exp: Math.floor(Date.now() / 1000) - 60 })), /expired/],
      ['wrong audience', bearer(await token(claims, { aud: 'another-app' })), /another audience/],
      ['wrong issuer', bearer(await token(claims, { iss: 'https://evil.example/realms/lumen' })), /another issuer/],
      ['other key, same kid', bearer(await token(claims, { key: idp.otherKey })), /signature/],
      ['other key, unknown kid', bearer(await token(claims, { key: idp.otherKey, kid: 'k2' })), /key the provider does not publish/],
      ['alg none', bearer(none), /algorithm|malformed/],
      ['garbage', bearer('not.a.jwt'), /malformed/],
    ];
    const before = pacs.seen.length;
    for (const [name, headers, reason] of cases) {
      const r = await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, headers);
      expect(r.status, name).toBe(401);
      expect(r.headers['www-authenticate'], name).toMatch(/^Bearer realm="lumen"/);
      if (name !== 'missing' && name !== 'not bearer') expect(r.headers['www-authenticate'], name).toContain('error="invalid_token"');
      expect(r.body, name).toMatch(reason);
      expect(r.headers['content-type'], name).toMatch(/^text\/plain/);
    }
    expect(pacs.seen.length).toBe(before);
  });

  it('refuses a token once it expires, even one verified (and remembered) a moment before', async () => {
    const t = await token({ sub: 'u-reader', ...roles('reader') }, { exp: Math.floor(Date.now() / 1000) + 20 });
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t))).status).toBe(200);
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 30_000);
      const r = await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t));
      expect(r.status).toBe(401);
      expect(r.body).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fetches the keys again when a token names a key it has not seen, within the cooldown only once', async () => {
    const n = idp.jwksFetches();
    expect(n).toBeGreaterThanOrEqual(1);
    const t = await token({ sub: 'u' }, { key: idp.otherKey, kid: 'k9' });
    await request(port, 'GET', '/dicom-web/studies', bearer(t));
    await request(port, 'GET', '/dicom-web/studies', bearer(t));
    expect(idp.jwksFetches() - n).toBeLessThanOrEqual(1);
  });

  it('answers 503 while the provider cannot be reached, but 401 for a malformed token at once', async () => {
    const down = await buildGateway({
      root: path.join(dir, 'dist'),
      allowedHosts: ['127.0.0.1'],
      pacs: { url: new URL(`${pacs.url}/dicom-web`) },
      signIn: { ...gatewayOptions, issuer: 'http://127.0.0.1:1/realms/none' },
    });
    try {
      await down.listen({ port: 0, host: '127.0.0.1' });
      const p = (down.server.address() as AddressInfo).port;
      const t = await token({ sub: 'u-reader', ...roles('reader') });
      const r = await request(p, 'GET', '/dicom-web/studies', bearer(t));
      expect(r.status).toBe(503);
      expect(r.body).toMatch(/provider cannot be reached/);
      expect((await request(p, 'GET', '/dicom-web/studies', bearer('x.y.z'))).status).toBe(401);
    } finally {
      await down.close();
    }
  });

  it('leaves pages, assets and config.json open (the app must load to sign in)', async () => {
    expect((await request(port, 'GET', '/')).status).toBe(200);
    expect((await request(port, 'GET', '/config.json')).status).toBe(200);
  });
});

describe('roles', () => {
  it('refuses every DICOMweb request to a signed-in user with no role', async () => {
    const t = await token({ sub: 'u-none', ...roles('something-else') });
    expect((await request(port, 'GET', '/dicom-web/studies', bearer(t))).status).toBe(403);
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t))).status).toBe(403);
  });

  it("refuses a reader's hand-made STOW with 403, and not a byte reaches the PACS", async () => {
    const t = await token({ sub: 'u-reader', ...roles('reader') });
    const { type, body } = stowBody(CT);
    const before = pacs.seen.length;
    const r = await request(port, 'POST', '/dicom-web/studies', bearer(t, { 'Content-Type': type }), body);
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/uploader/);
    expect(pacs.seen.length).toBe(before);
  });

  it('lets a reporter store a structured report, byte for byte, and refuses a CT image', async () => {
    const t = await token({ sub: 'u-reporter', ...roles('reporter') });
    const sr = stowBody(COMPREHENSIVE_3D_SR);
    let before = pacs.seen.length;
    const ok = await request(port, 'POST', '/dicom-web/studies', bearer(t, { 'Content-Type': sr.type }), sr.body);
    expect(ok.status).toBe(200);
    // The PACS gets the checked file, byte for byte, in a body the gateway rebuilt around it (its own boundary).
    const sent = pacs.seen.slice(before).map((x) => x.headers['content-type'] as string);
    expect(sent).toHaveLength(1);
    const b = /boundary=(lumen-[0-9a-f-]+)$/.exec(sent[0]!)?.[1];
    expect(b).toBeTruthy();
    const file = part10(COMPREHENSIVE_3D_SR);
    expect(JSON.parse(ok.body)).toEqual({ stored: `--${b}\r\nContent-Type: application/dicom\r\n\r\n`.length + file.length + `\r\n--${b}--\r\n`.length });

    const ct = stowBody(CT);
    before = pacs.seen.length;
    const no = await request(port, 'POST', '/dicom-web/studies', bearer(t, { 'Content-Type': ct.type }), ct.body);
    expect(no.status).toBe(403);
    expect(no.body).toContain(CT);
    // Also when the CT hides behind an SR in the same request, or the part is not Part 10 at all.
    const two = stowBody(COMPREHENSIVE_3D_SR, CT);
    const mixed = await request(port, 'POST', '/dicom-web/studies', bearer(t, { 'Content-Type': two.type }), two.body);
    expect(mixed.status).toBe(403);
    expect(mixed.body).toContain('part 2');
    const junk = Buffer.from('--b\r\nContent-Type: application/dicom\r\n\r\nnot dicom\r\n--b--\r\n');
    expect((await request(port, 'POST', '/dicom-web/studies', bearer(t, { 'Content-Type': 'multipart/related; type="application/dicom"; boundary=b' }), junk)).status).toBe(403);
    expect(pacs.seen.length).toBe(before);
  });

  it('lets an uploader store a CT image', async () => {
    const t = await token({ sub: 'u-uploader', ...roles('uploader') });
    const ct = stowBody(CT);
    const r = await request(port, 'POST', `/dicom-web/studies/${S1}`, bearer(t, { 'Content-Type': ct.type }), ct.body);
    expect(r.status).toBe(200);
    expect(JSON.parse(r.body)).toEqual({ stored: ct.body.length });
  });

  it('answers the export check: 204 for an exporter, 403 for a reader', async () => {
    const ex = await token({ sub: 'u-exporter', ...roles('exporter') });
    const rd = await token({ sub: 'u-reader', ...roles('reader') });
    const body = JSON.stringify({ studyInstanceUID: S1 });
    const json = { 'Content-Type': 'application/json' };
    expect((await request(port, 'POST', '/api/actions/export', bearer(ex, json), body)).status).toBe(204);
    expect((await request(port, 'POST', '/api/actions/export', bearer(rd, json), body)).status).toBe(403);
    expect((await request(port, 'POST', '/api/actions/export', json, body)).status).toBe(401);
  });

  it('describes the session without any token in it', async () => {
    const t = await token({ sub: 'u-sess', name: 'Dr. Session', email: 'sess@example.org', ...roles('reader', 'sharer', 'pacs-readers') });
    const r = await request(port, 'GET', '/api/session', bearer(t));
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(JSON.parse(r.body)).toEqual({
      user: { id: 'u-sess', name: 'Dr. Session', email: 'sess@example.org' },
      roles: ['reader', 'sharer'],
      scope: null,
      grant: null,
      sharing: true,
    });
    expect((await request(port, 'GET', '/api/session')).status).toBe(401);
  });
});

describe('study scopes', () => {
  const studiesIn = (body: string) => (JSON.parse(body) as Record<string, { Value: string[] }>[]).map((e) => e['0020000D']!.Value[0]);

  it('shows a study-scoped user only their study in QIDO, at every level', async () => {
    const t = await token({ sub: 'u-scoped', ...roles('reader'), lumen_studies: [S2] });
    const studies = await request(port, 'GET', '/dicom-web/studies?limit=10', bearer(t));
    expect(studies.status).toBe(200);
    expect(studiesIn(studies.body)).toEqual([S2]);
    // Series and instances searches across the archive: the gateway asks for the Study Instance UID to filter by.
    for (const level of ['series', 'instances']) {
      const before = pacs.seen.length;
      const r = await request(port, 'GET', `/dicom-web/${level}?Modality=CT`, bearer(t));
      expect(r.status).toBe(200);
      expect(studiesIn(r.body)).toEqual([S2]);
      expect(pacs.seen[before]!.url).toBe(`/dicom-web/${level}?Modality=CT&includefield=0020000D`);
    }
    // Within a study: its own results, or 403.
    expect((await request(port, 'GET', `/dicom-web/studies/${S2}/series`, bearer(t))).status).toBe(200);
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/series`, bearer(t))).status).toBe(403);
  });

  it("answers 403 for another study's metadata and frames, and the PACS never sees them", async () => {
    const t = await token({ sub: 'u-scoped', ...roles('reader'), lumen_studies: [S2] });
    const before = pacs.seen.length;
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(t))).status).toBe(403);
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/series/1.9/instances/1.9.1/frames/1`, bearer(t))).status).toBe(403);
    expect(pacs.seen.length).toBe(before);
    expect((await request(port, 'GET', `/dicom-web/studies/${S2}/series/1.9/instances/1.9.1/frames/1`, bearer(t))).status).toBe(200);
  });

  it('limits by Patient ID, asking the PACS once per study', async () => {
    const t = await token({ sub: 'u-patient', ...roles('reader'), lumen_patients: 'P1' });
    const studies = await request(port, 'GET', '/dicom-web/studies', bearer(t));
    expect(studiesIn(studies.body).sort()).toEqual([S1, S3]);
    const series = await request(port, 'GET', '/dicom-web/series', bearer(t));
    expect(studiesIn(series.body).sort()).toEqual([S1, S3]);
    const lookups = () => pacs.seen.filter((s) => s.url.includes(`StudyInstanceUID=${S3}&includefield=00100020`)).length;
    const n = lookups();
    expect((await request(port, 'GET', `/dicom-web/studies/${S3}/metadata`, bearer(t))).status).toBe(200);
    expect((await request(port, 'GET', `/dicom-web/studies/${S3}/series/1.9/instances/1.9.1/frames/1`, bearer(t))).status).toBe(200);
    expect(lookups() - n).toBeLessThanOrEqual(1);
    expect((await request(port, 'GET', `/dicom-web/studies/${S2}/metadata`, bearer(t))).status).toBe(403);
  });

  it('refuses STOW and export outside the scope', async () => {
    const t = await token({ sub: 'u-scoped-all', ...roles('reporter', 'uploader', 'exporter'), lumen_studies: [S2] });
    const ct = stowBody(CT);
    expect((await request(port, 'POST', `/dicom-web/studies/${S2}`, bearer(t, { 'Content-Type': ct.type }), ct.body)).status).toBe(403);
    const json = { 'Content-Type': 'application/json' };
    expect((await request(port, 'POST', '/api/actions/export', bearer(t, json), JSON.stringify({ studyInstanceUID: S1 }))).status).toBe(403);
    expect((await request(port, 'POST', '/api/actions/export', bearer(t, json), JSON.stringify({ studyInstanceUID: S2 }))).status).toBe(204);
  });

  it('treats a present but empty scope claim as no study at all', async () => {
    const t = await token({ sub: 'u-empty', ...roles('reader'), lumen_studies: [] });
    expect(JSON.parse((await request(port, 'GET', '/dicom-web/studies', bearer(t))).body)).toEqual([]);
  });
});

describe('grants', () => {
  const json = { 'Content-Type': 'application/json' };
  async function grant(to: string, lifetime = 600, study = S1) {
    const sharer = await token({ sub: 'u-sharer', ...roles('reader', 'sharer') });
    const r = await request(port, 'POST', '/api/grants', bearer(sharer, json), JSON.stringify({ studyInstanceUID: study, recipient: to, lifetime }));
    expect(r.status).toBe(201);
    return JSON.parse(r.body) as { grant: string; recipient: string; expiresAt: string };
  }

  it('is given only by the sharing role, for what the sharer may read', async () => {
    const rd = await token({ sub: 'u-reader', ...roles('reader') });
    const body = JSON.stringify({ studyInstanceUID: S1, recipient: 'doc@example.org', lifetime: 600 });
    expect((await request(port, 'POST', '/api/grants', bearer(rd, json), body)).status).toBe(403);
    const scoped = await token({ sub: 'u-s', ...roles('reader', 'sharer'), lumen_studies: [S2] });
    expect((await request(port, 'POST', '/api/grants', bearer(scoped, json), body)).status).toBe(403);
    const sharer = await token({ sub: 'u-sharer', ...roles('reader', 'sharer') });
    for (const bad of [{ studyInstanceUID: 'x', recipient: 'a@b', lifetime: 600 }, { studyInstanceUID: S1, recipient: '', lifetime: 600 }, { studyInstanceUID: S1, recipient: 'a@b', lifetime: 10 ** 7 }]) {
      expect((await request(port, 'POST', '/api/grants', bearer(sharer, json), JSON.stringify(bad))).status).toBe(400);
    }
  });

  it('opens that one study for its recipient (by e-mail or subject), reader rights only', async () => {
    const g = await grant('Doc@Example.org');
    expect(g.recipient).toBe('doc@example.org');
    // The recipient has no role of their own at this site.
    const doc = await token({ sub: 'u-doc', email: 'doc@example.org', email_verified: true });
    const h = bearer(doc, { 'Lumen-Grant': g.grant });
    const before = pacs.seen.length;
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, h)).status).toBe(200);
    expect(pacs.seen[before]!.headers['lumen-grant']).toBeUndefined();
    expect((await request(port, 'GET', `/dicom-web/studies/${S2}/metadata`, h)).status).toBe(403);
    const list = await request(port, 'GET', '/dicom-web/studies', h);
    expect(JSON.parse(list.body).map((e: Record<string, { Value: string[] }>) => e['0020000D']!.Value[0])).toEqual([S1]);
    const ct = stowBody(CT);
    expect((await request(port, 'POST', `/dicom-web/studies/${S1}`, { ...h, 'Content-Type': ct.type }, ct.body)).status).toBe(403);
    const session = JSON.parse((await request(port, 'GET', '/api/session', h)).body);
    expect(session).toMatchObject({ roles: ['reader'], scope: { studies: [S1] }, grant: { studyInstanceUID: S1 } });
    // Without the grant the same user reads nothing.
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(doc))).status).toBe(403);
    const bySubject = await grant('u-doc');
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(doc, { 'Lumen-Grant': bySubject.grant }))).status).toBe(200);
  });

  it('is refused with 403 for another user, an unverified e-mail, when expired, or tampered with', async () => {
    const g = await grant('doc@example.org');
    const other = await token({ sub: 'u-other', email: 'other@example.org' });
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(other, { 'Lumen-Grant': g.grant }))).status).toBe(403);
    const unverified = await token({ sub: 'u-x', email: 'doc@example.org', email_verified: false });
    expect((await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(unverified, { 'Lumen-Grant': g.grant }))).status).toBe(403);

    const doc = await token({ sub: 'u-doc', email: 'doc@example.org', email_verified: true });
    const [head, payload, sig] = g.grant.split('.') as [string, string, string];
    const claims = JSON.parse(new TextDecoder().decode(base64url.decode(payload)));
    const forged = `${head}.${base64url.encode(JSON.stringify({ ...claims, study: S2 }))}.${sig}`;
    const r = await request(port, 'GET', `/dicom-web/studies/${S2}/metadata`, bearer(doc, { 'Lumen-Grant': forged }));
    expect(r.status).toBe(403);
    expect(r.body).toMatch(/not signed by this site/);

    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      vi.setSystemTime(Date.now() + 601_000 + 10_000);
      const late = await token({ sub: 'u-doc', email: 'doc@example.org', email_verified: true });
      const e = await request(port, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(late, { 'Lumen-Grant': g.grant }));
      expect(e.status).toBe(403);
      expect(e.body).toMatch(/expired/);
    } finally {
      vi.useRealTimers();
    }
  });

  it('is accepted by every gateway instance sharing the key', async () => {
    const g = await grant('doc@example.org');
    const doc = await token({ sub: 'u-doc', email: 'doc@example.org', email_verified: true });
    const before = pacs.seen.length;
    expect((await request(port2, 'GET', `/dicom-web/studies/${S1}/metadata`, bearer(doc, { 'Lumen-Grant': g.grant }))).status).toBe(200);
    expect(pacs.seen[before]!.headers['authorization']).toBeUndefined();
    expect(pacs.seen[before]!.headers['lumen-grant']).toBeUndefined();
    const sharer = await token({ sub: 'u-sharer', ...roles('reader', 'sharer') });
    const r = await request(port2, 'POST', '/api/grants', bearer(sharer, json), JSON.stringify({ studyInstanceUID: S3, recipient: 'u-doc', lifetime: 120 }));
    const g2 = JSON.parse(r.body).grant as string;
    expect((await request(port, 'GET', `/dicom-web/studies/${S3}/metadata`, bearer(doc, { 'Lumen-Grant': g2 }))).status).toBe(200);
  });
});

describe('with the audit trail', () => {
  it('records the verified user with each event, and takes browser reports only with a valid token', async () => {
    const file = path.join(dir, 'audit.jsonl');
    const gw = await buildGateway({
      root: path.join(dir, 'dist'),
      config: path.join(dir, 'config.json'),
      pacs: { url: new URL(`${pacs.url}/dicom-web`) },
      allowedHosts: ['127.0.0.1'],
      signIn: gatewayOptions,
      audit: { file, instance: 'gw-audit', idleMs: 60_000 },
    });
    await gw.listen({ port: 0, host: '127.0.0.1' });
    const p = (gw.server.address() as AddressInfo).port;
    try {
      const t = await token({ sub: 'u-auditor', name: 'Dr Audit', ...roles('reader', 'exporter') });
      expect((await request(p, 'GET', `/dicom-web/studies?StudyInstanceUID=${S1}`, bearer(t))).status).toBe(200);
      const report = JSON.stringify({ type: 'export', studies: [{ studyInstanceUid: S1, instances: 3 }] });
      expect((await request(p, 'POST', '/api/audit', { 'content-type': 'application/json' }, report)).status).toBe(401);
      // Spelled another way, the same route: still no report without a token.
      for (const target of ['/api/%61udit', '/api/audit/', '/api//audit']) {
        expect([401, 404, 405], target).toContain((await request(p, 'POST', target, { 'content-type': 'application/json' }, report)).status);
      }
      expect((await request(p, 'POST', '/api/audit', bearer(t, { 'content-type': 'application/json' }), report)).status).toBe(204);
      const events = fs.readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      // A query and an export, each by the verified user; the refused reports are no export of anyone's (the two
      // the router itself refused, 404 and 405, are security alerts, as every request outside the gateway's rules).
      expect(events.map((e) => e.type.code)).toEqual(['110112', '110113', '110113', '110106']);
      for (const e of events.filter((x) => x.type.code !== '110113')) {
        const who = e.agent.find((a: { requestor?: boolean }) => a.requestor);
        expect([who.who.identifier.value, who.name]).toEqual(['u-auditor', 'Dr Audit']);
      }
      expect(fs.readFileSync(file, 'utf8')).not.toContain(t.split('.')[2]!);
    } finally {
      await gw.close();
    }
  });
});

describe('tokens stay secret', () => {
  it('no access token appears in anything the gateway printed, answered or sent to the PACS', async () => {
    const t = await token({ sub: 'u-reader', ...roles('reader') }, { aud: 'wrong' });
    await request(port, 'GET', '/api/session', bearer(t));
    await request(port, 'POST', '/api/grants', bearer(t, { 'Content-Type': 'application/json' }), '{}');
    expect(issued.length).toBeGreaterThan(20);
    expect(answered.length).toBeGreaterThan(60);
    const texts = [...logged, ...answered.map((a) => JSON.stringify(a)), ...pacs.seen.map((s) => JSON.stringify(s))];
    for (const x of issued) {
      const sig = x.split('.')[2] || x;
      for (const text of texts) expect(text.includes(sig)).toBe(false);
    }
  });
});

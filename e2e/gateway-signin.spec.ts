// Sign-in at the gateway with real parts (issue 23): a real OpenID provider (oidc-provider, e2e/harness/oidc.ts)
// issues tokens through its own login form (code + PKCE, driven by fetch), real gateways check them in front of the
// shared Orthanc, and their audit trails are read back. No browser sign-in here: these are the gateway's answers.
// Then two gateway instances behind the nginx recipe's round-robin upstream, one FHIR endpoint for both trails.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { base64url, decodeJwt, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose';
import type { Page } from '@playwright/test';
import { test, expect, entry, testAppConfig, type Manifest } from './harness/fixtures';
import { OTHER_RESOURCE, refreshWithFetch, signInWithFetch, startProvider, type TestProvider, type Tokens } from './harness/oidc';
import { startSignInGateway, type SignInGateway } from './harness/signInGateway';
import { AUDIT, startFhirSink, summary, waitForEvents, type AuditEvent, type FhirSink } from './harness/auditTrail';
import { startNginx, type NginxHandle } from './harness/nginx';
import { DatasetBuilder, part10Bytes, uidFromSeed } from '../scripts/demo/part10.ts';

test.describe.configure({ mode: 'serial' });

const FRAME_ACCEPT = 'multipart/related; type="application/octet-stream"; transfer-syntax=*';

let idp: TestProvider;
let gw: SignInGateway;
let tokens: { reader: Tokens; referrer: Tokens };
let ct: { study: string; series: string; instances: string[]; patient: string };
/** Another study in the archive (the explicit VR little endian entry): out of the referrer's scope. */
let other: { study: string; series: string; instance: string; patient: string };
/** config.json as the spec gives it: the harness writes any object. */
let appConfig: Record<string, unknown>;

const bearer = (t: Tokens | string, more: Record<string, string> = {}) => ({ Authorization: `Bearer ${typeof t === 'string' ? t : t.access_token}`, ...more });

function demoCt(manifest: Manifest) {
  const c = manifest.ct!;
  const patient = manifest.studies.find((s) => s.studyInstanceUID === c.studyInstanceUID)!.patientId;
  return { study: c.studyInstanceUID, series: c.seriesInstanceUID, instances: c.sopInstanceUIDs, patient };
}
const frameUrl = (base: string, study: string, series: string, instance: string) =>
  `${base}/dicom-web/studies/${study}/series/${series}/instances/${instance}/frames/1`;
const tag = (o: Record<string, { Value?: unknown[] }>, t: string) => o[t]?.Value?.[0];

test.beforeAll(async ({ run, manifest }) => {
  test.setTimeout(30_000);
  ct = demoCt(manifest);
  const e = entry(manifest, 'explicit-le');
  other = { study: e.studyInstanceUID, series: e.seriesInstanceUID, instance: e.sopInstanceUID, patient: e.patientId };
  // Redirect URIs name the viewer's origin; these tests never follow them, so any origin will do.
  idp = await startProvider({ viewerOrigin: run.baseURL, accessTokenTtlS: 120, referrerStudies: [ct.study] });
  appConfig = {
    ...testAppConfig(),
    // The app's block (src/auth/config.ts); no `resource`: the provider's default resource gives aud lumen-viewer.
    oidc: { authority: idp.issuer, clientId: idp.clientId, scope: 'openid profile email', redirectPath: '/auth/callback' },
  };
  gw = await startSignInGateway({ pacs: run.orthancDicomWebUrl, issuer: idp.issuer, audience: idp.audience, config: appConfig, instance: 'gw-signin' });
  tokens = { reader: await signInWithFetch(idp, idp.users.reader), referrer: await signInWithFetch(idp, idp.users.referrer) };
});

test.afterAll(async () => {
  await gw?.stop();
  await idp?.stop();
});

test('the provider issues JWT access tokens the gateway can check: issuer, audience, roles, scope', async () => {
  const header = decodeProtectedHeader(tokens.reader.access_token);
  const claims = decodeJwt(tokens.reader.access_token);
  expect(header).toMatchObject({ typ: 'at+jwt', alg: 'RS256' });
  expect(claims).toMatchObject({ iss: idp.issuer, aud: 'lumen-viewer', sub: 'u-reader', name: 'Dr. Ada Reader', email_verified: true, roles: ['reader'] });
  expect(claims.exp! - claims.iat!).toBe(120);
  expect(decodeJwt(tokens.referrer.access_token)).toMatchObject({ sub: 'u-referrer', roles: ['reader'], lumen_studies: [ct.study] });
  expect(tokens.reader.refresh_token, 'a refresh token for silent renewal').toBeTruthy();
  // The app's settings and pages stay open: it must load before anyone can sign in.
  const config = await fetch(`${gw.url}/config.json`);
  expect(config.status).toBe(200);
  expect(await config.json()).toEqual(appConfig);
});

test("a reader reads the demo study's QIDO, metadata and frames; without a token: 401", async () => {
  const qido = `${gw.url}/dicom-web/studies?StudyInstanceUID=${ct.study}`;
  const anonymous = await fetch(qido);
  expect(anonymous.status).toBe(401);
  expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="lumen"');

  const found = await fetch(qido, { headers: bearer(tokens.reader) });
  expect(found.status).toBe(200);
  const studies = (await found.json()) as Record<string, { Value?: unknown[] }>[];
  expect(studies.map((s) => [tag(s, '0020000D'), tag(s, '00100020')])).toEqual([[ct.study, ct.patient]]);

  const meta = await fetch(`${gw.url}/dicom-web/studies/${ct.study}/series/${ct.series}/metadata`, { headers: bearer(tokens.reader) });
  expect(meta.status).toBe(200);
  expect(((await meta.json()) as unknown[]).length).toBe(ct.instances.length);

  for (const sop of ct.instances.slice(0, 3)) {
    const frame = await fetch(frameUrl(gw.url, ct.study, ct.series, sop), { headers: bearer(tokens.reader, { Accept: FRAME_ACCEPT }) });
    expect(frame.status).toBe(200);
    expect(frame.headers.get('content-type')).toMatch(/^multipart\/related/);
    // 512 × 512 × 2 bytes of pixels, in whatever encoding Orthanc stored.
    expect((await frame.arrayBuffer()).byteLength).toBeGreaterThan(10_000);
  }
});

test('a token for another audience, a tampered token and a forged one are refused with 401', async () => {
  const url = `${gw.url}/dicom-web/studies?StudyInstanceUID=${ct.study}`;
  // A real token from the same provider, issued to another application.
  const otherApp = await signInWithFetch(idp, idp.users.reader, { resource: OTHER_RESOURCE });
  expect(decodeJwt(otherApp.access_token).aud).toBe('another-app');
  // The reader's own token with "uploader" written into its roles: the signature no longer matches.
  const [h, p, s] = tokens.reader.access_token.split('.');
  const claims = JSON.parse(Buffer.from(p!, 'base64url').toString('utf8')) as Record<string, unknown>;
  const tampered = `${h}.${base64url.encode(JSON.stringify({ ...claims, roles: ['reader', 'uploader'] }))}.${s}`;
  // The same claims signed with a key the provider never published, under the provider's key id.
  const { privateKey } = await generateKeyPair('RS256');
  const forged = await new SignJWT(claims).setProtectedHeader({ ...decodeProtectedHeader(tokens.reader.access_token), alg: 'RS256' }).sign(privateKey);

  for (const [what, token, reason] of [
    ['another audience', otherApp.access_token, /audience/],
    ['tampered', tampered, /signature/],
    ['forged', forged, /signature/],
  ] as const) {
    const res = await fetch(url, { headers: bearer(token) });
    const body = await res.text();
    expect(res.status, what).toBe(401);
    expect(res.headers.get('www-authenticate'), what).toMatch(/^Bearer realm="lumen", error="invalid_token"/);
    expect(body, what).toMatch(reason);
    expect(body, 'no answer repeats the token').not.toContain(token.split('.')[2]);
  }
});

test("a reader's hand-made STOW is refused with 403 and never reaches Orthanc", async ({ orthancUrl }) => {
  const study = uidFromSeed(`gateway-signin/stow/${Date.now()}`);
  const sop = `${study}.1.1`;
  const ds = new DatasetBuilder()
    .set('SOPClassUID', '1.2.840.10008.5.1.4.1.1.2')
    .set('SOPInstanceUID', sop)
    .set('StudyInstanceUID', study)
    .set('SeriesInstanceUID', `${study}.1`)
    .set('PatientID', 'STOW-REFUSED')
    .set('Modality', 'CT').dataset;
  const boundary = 'lumen-stow-test';
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
    Buffer.from(part10Bytes(ds)),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const before = ((await (await fetch(`${orthancUrl}/statistics`)).json()) as { CountInstances: number }).CountInstances;
  const res = await fetch(`${gw.url}/dicom-web/studies`, {
    method: 'POST',
    headers: bearer(tokens.reader, { 'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`, Accept: 'application/dicom+json' }),
    body,
  });
  expect(res.status).toBe(403);
  expect(await res.text()).toMatch(/role/);
  // Orthanc's own REST API: no such instance, and no instance more than before.
  const lookup = await fetch(`${orthancUrl}/tools/lookup`, { method: 'POST', body: sop });
  expect(await lookup.json()).toEqual([]);
  const after = ((await (await fetch(`${orthancUrl}/statistics`)).json()) as { CountInstances: number }).CountInstances;
  expect(after).toBe(before);
});

test("a study-scoped referrer sees only their study in QIDO and gets 403 on another study's frames", async () => {
  const all = await fetch(`${gw.url}/dicom-web/studies?limit=1000`, { headers: bearer(tokens.reader) });
  const allStudies = ((await all.json()) as Record<string, { Value?: unknown[] }>[]).map((s) => tag(s, '0020000D'));
  expect(allStudies.length, 'the reader sees the whole archive').toBeGreaterThan(5);
  expect(allStudies).toContain(other.study);

  const mine = await fetch(`${gw.url}/dicom-web/studies?limit=1000`, { headers: bearer(tokens.referrer) });
  expect(mine.status).toBe(200);
  expect(((await mine.json()) as Record<string, { Value?: unknown[] }>[]).map((s) => tag(s, '0020000D'))).toEqual([ct.study]);
  const series = await fetch(`${gw.url}/dicom-web/series?limit=1000`, { headers: bearer(tokens.referrer) });
  // The CT study's series (its images, and the SEG, report and key objects filed with it), and nobody else's.
  const seriesRows = (await series.json()) as Record<string, { Value?: unknown[] }>[];
  expect(seriesRows.map((s) => tag(s, '0020000E'))).toContain(ct.series);
  expect(new Set(seriesRows.map((s) => tag(s, '0020000D')))).toEqual(new Set([ct.study]));

  const own = await fetch(frameUrl(gw.url, ct.study, ct.series, ct.instances[10]!), { headers: bearer(tokens.referrer, { Accept: FRAME_ACCEPT }) });
  expect(own.status).toBe(200);
  await own.arrayBuffer();
  const theirs = await fetch(frameUrl(gw.url, other.study, other.series, other.instance), { headers: bearer(tokens.referrer, { Accept: FRAME_ACCEPT }) });
  expect(theirs.status).toBe(403);
  expect(await theirs.text()).not.toContain('\u0000');
  const theirMeta = await fetch(`${gw.url}/dicom-web/studies/${other.study}/metadata`, { headers: bearer(tokens.referrer) });
  expect(theirMeta.status).toBe(403);
});

test('the audit file holds exactly the expected events, with user, study and patient, and no token', async () => {
  // Access events are written after --audit-idle (1 s) without a request for that study.
  const isAccess = (e: AuditEvent) => e.type.code === AUDIT.instancesAccessed;
  const events = await waitForEvents(gw.audit, (ev) => ev.filter(isAccess).length >= 3);
  const site = 'gw-signin';
  const reader = { user: 'u-reader', userName: 'Dr. Ada Reader', site };
  const referrer = { user: 'u-referrer', userName: 'Dr. Ray Referrer', site };
  const ctQuery = `studies?StudyInstanceUID=${ct.study}`;
  const expected = [
    // The search without a token, then the reader's, then the three refused tokens (no user: none was verified).
    { type: AUDIT.query, outcome: '4', site, query: ctQuery },
    { type: AUDIT.query, outcome: '0', ...reader, query: ctQuery },
    ...Array.from({ length: 3 }, () => ({ type: AUDIT.query, outcome: '4', site, query: ctQuery })),
    // One event for the reader's metadata and three frames: three instances of the demo CT.
    { type: AUDIT.instancesAccessed, outcome: '0', ...reader, study: ct.study, patient: ct.patient, instances: 3 },
    { type: AUDIT.import, outcome: '4', ...reader },
    { type: AUDIT.query, outcome: '0', ...reader, query: 'studies?limit=1000' },
    // A scoped search is recorded as sent to the PACS: with the includefield the scope filter added.
    { type: AUDIT.query, outcome: '0', ...referrer, query: 'studies?limit=1000&includefield=0020000D' },
    { type: AUDIT.query, outcome: '0', ...referrer, query: 'series?limit=1000&includefield=0020000D' },
    { type: AUDIT.instancesAccessed, outcome: '0', ...referrer, study: ct.study, patient: ct.patient, instances: 1 },
    // The refused frames and metadata of the other study: one failed access, named with that study's patient.
    { type: AUDIT.instancesAccessed, outcome: '4', ...referrer, study: other.study, patient: other.patient, instances: 1 },
  ];
  const order = (list: object[]) => list.map((e) => JSON.stringify(e, Object.keys(e).sort())).sort();
  expect(order(events.map(summary))).toEqual(order(expected));
  for (const e of events) expect(e.agent.find((a) => a.requestor)?.network?.address).toBe('127.0.0.1');
  // No token, nor a part of one, in the trail.
  const text = fs.readFileSync(gw.auditFile, 'utf8');
  for (const t of Object.values(tokens)) for (const part of t.access_token.split('.')) expect(text).not.toContain(part);
});

test('an access token expires within seconds at the gateway, and the refreshed one reads again', async ({ run }) => {
  const short = await startProvider({ viewerOrigin: run.baseURL, accessTokenTtlS: 2, referrerStudies: [ct.study] });
  const g = await startSignInGateway({ pacs: run.orthancDicomWebUrl, issuer: short.issuer, audience: short.audience, config: appConfig });
  try {
    const url = `${g.url}/dicom-web/studies?StudyInstanceUID=${ct.study}`;
    const t = await signInWithFetch(short, short.users.reader);
    expect(t.expires_in).toBe(2);
    expect((await fetch(url, { headers: bearer(t) })).status).toBe(200);
    // Past exp: refused, although the gateway had just verified (and remembered) this very token.
    await new Promise((r) => setTimeout(r, Math.max(0, decodeJwt(t.access_token).exp! * 1000 - Date.now()) + 1100));
    const expired = await fetch(url, { headers: bearer(t) });
    expect(expired.status).toBe(401);
    expect(await expired.text()).toMatch(/expired/);
    const renewed = await refreshWithFetch(short, t.refresh_token!);
    expect((await fetch(url, { headers: bearer(renewed) })).status).toBe(200);
  } finally {
    await g.stop();
    await short.stop();
  }
});

test('in Chromium: the login form, the token endpoint from the viewer origin (CORS), both ways of silent renewal until revoked, and sign-out', async ({ page }) => {
  // What the app's oidc-client-ts will rely on, checked at the provider. The viewer is a stand-in here (blank pages
  // on another loopback port): the app's own pages carry its CSP (connect-src, frame-ancestors), which is the app's
  // business, and Playwright cannot route a navigation that arrives by redirect.
  const stand = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>viewer</title>'));
  await new Promise<void>((r) => stand.listen(0, '127.0.0.1', r));
  const viewer = `http://127.0.0.1:${(stand.address() as AddressInfo).port}`;
  const own = await startProvider({ viewerOrigin: viewer, referrerStudies: [ct.study] });
  try {
    await renewals(page, own, viewer);
  } finally {
    await own.stop();
    stand.closeAllConnections();
    stand.close();
  }
});

async function renewals(page: Page, idp: TestProvider, viewer: string) {
  const user = idp.users.reporter;
  const verifier = randomBytes(32).toString('base64url');
  const authorize = (redirect: string, extra: Record<string, string> = {}) =>
    `${idp.issuer}/auth?${new URLSearchParams({
      client_id: idp.clientId,
      response_type: 'code',
      redirect_uri: `${viewer}${redirect}`,
      scope: 'openid profile email',
      code_challenge: createHash('sha256').update(verifier).digest('base64url'),
      code_challenge_method: 'S256',
      state: randomBytes(8).toString('hex'),
      ...extra,
    })}`;
  const token = (params: Record<string, string>) =>
    page.evaluate(
      async ({ url, body }) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        return { status: res.status, body: (await res.json()) as { access_token?: string; id_token?: string; refresh_token?: string; error?: string } };
      },
      { url: `${idp.issuer}/token`, body: new URLSearchParams({ client_id: idp.clientId, ...params }).toString() },
    );

  const signIn = async (password: string) => {
    await page.goto(authorize('/auth/callback'));
    await page.fill('#username', user.username);
    await page.fill('#password', password);
    await page.click('button[type=submit]');
  };
  await signIn('not the password');
  await expect(page.getByRole('alert')).toHaveText('Wrong user name or password.');
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
  await page.waitForURL(`${viewer}/auth/callback?**`);
  const code = new URL(page.url()).searchParams.get('code')!;
  const first = await token({ grant_type: 'authorization_code', code, redirect_uri: `${viewer}/auth/callback`, code_verifier: verifier });
  expect(first.status).toBe(200);
  expect(decodeJwt(first.body.access_token!)).toMatchObject({ sub: user.id, aud: 'lumen-viewer', roles: user.roles });

  // Renewal by refresh token (rotated), and by a hidden iframe with prompt=none on the provider's session cookie.
  const renewed = await token({ grant_type: 'refresh_token', refresh_token: first.body.refresh_token! });
  expect(renewed.status).toBe(200);
  expect(renewed.body.refresh_token).not.toBe(first.body.refresh_token);
  const silent = async () => {
    await page.evaluate((src) => {
      document.querySelectorAll('iframe').forEach((f) => f.remove());
      const frame = document.createElement('iframe');
      frame.src = src;
      document.body.append(frame);
    }, authorize('/auth/silent', { prompt: 'none' }));
    let landed = '';
    await expect.poll(() => (landed = page.frames().map((f) => f.url()).find((u) => u.startsWith(`${viewer}/auth/silent?`)) ?? ''), { intervals: [50] }).not.toBe('');
    return new URL(landed).searchParams;
  };
  expect((await silent()).get('code')).toBeTruthy();

  // Revoked at the provider: neither way renews any more, so the app must ask the user to sign in again.
  await idp.revoke(user);
  expect(idp.sessionsOf(user)).toBe(0);
  const refused = await token({ grant_type: 'refresh_token', refresh_token: renewed.body.refresh_token! });
  expect(refused).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
  const again = await silent();
  expect(again.get('code')).toBeNull();
  expect(again.get('error')).toBe('login_required');

  // Signed in again (the login form, since there is no session), then signed out at the provider's own page.
  await signIn(user.password);
  await page.waitForURL(`${viewer}/auth/callback?**`);
  const second = await token({
    grant_type: 'authorization_code',
    code: new URL(page.url()).searchParams.get('code')!,
    redirect_uri: `${viewer}/auth/callback`,
    code_verifier: verifier,
  });
  expect(second.status).toBe(200);
  expect(idp.sessionsOf(user)).toBe(1);
  await page.goto(
    `${idp.issuer}/session/end?${new URLSearchParams({ id_token_hint: second.body.id_token!, post_logout_redirect_uri: `${viewer}/`, client_id: idp.clientId })}`,
  );
  await page.getByRole('button', { name: 'Yes, sign out' }).click();
  await page.waitForURL(`${viewer}/`);
  expect(idp.sessionsOf(user)).toBe(0);
  expect(await token({ grant_type: 'refresh_token', refresh_token: second.body.refresh_token! })).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
}

test.describe('several gateways, one site', () => {
  let sink: FhirSink;
  const gws: SignInGateway[] = [];
  let nginx: NginxHandle;

  test.afterAll(async () => {
    await nginx?.stop();
    for (const g of gws) await g.stop();
    await sink?.stop();
  });

  test('two instances behind nginx round robin serve one study with one token; one trail at the FHIR endpoint', async ({ run }) => {
    test.setTimeout(30_000);
    sink = await startFhirSink();
    for (const name of ['gw-a', 'gw-b']) {
      gws.push(
        await startSignInGateway({
          pacs: run.orthancDicomWebUrl,
          issuer: idp.issuer,
          audience: idp.audience,
          config: appConfig,
          instance: name,
          auditForward: sink.url,
          trustProxy: '127.0.0.1',
        }),
      );
    }
    nginx = await startNginx({ gateways: gws.map((g) => g.url), config: appConfig });
    const site = nginx.url;

    // nginx checks no token: the gateways do, and their 401 reaches the client as they wrote it.
    const anonymous = await fetch(`${site}/dicom-web/studies?StudyInstanceUID=${ct.study}`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="lumen"');
    const session = await fetch(`${site}/api/session`, { headers: bearer(tokens.reader) });
    expect(session.status).toBe(200);
    expect(await session.json()).toMatchObject({ user: { id: 'u-reader', name: 'Dr. Ada Reader' }, roles: ['reader'] });

    // A viewer's reading of the study: search, metadata, then frames, all with the same token.
    const qido = await fetch(`${site}/dicom-web/studies?StudyInstanceUID=${ct.study}`, { headers: bearer(tokens.reader) });
    expect(qido.status).toBe(200);
    const meta = await fetch(`${site}/dicom-web/studies/${ct.study}/series/${ct.series}/metadata`, { headers: bearer(tokens.reader) });
    expect(meta.status).toBe(200);
    expect(((await meta.json()) as unknown[]).length).toBe(ct.instances.length);
    const read = ct.instances.slice(20, 28);
    for (const sop of read) {
      const frame = await fetch(frameUrl(site, ct.study, ct.series, sop), { headers: bearer(tokens.reader, { Accept: FRAME_ACCEPT }) });
      expect(frame.status).toBe(200);
      await frame.arrayBuffer();
    }

    // Each instance recorded what it served: both served part of the study, together every frame asked for.
    const accessOf = (g: SignInGateway) => g.audit().filter((e) => e.type.code === AUDIT.instancesAccessed).map(summary);
    for (const g of gws) await waitForEvents(g.audit, (ev) => ev.some((e) => e.type.code === AUDIT.instancesAccessed));
    const [a, b] = gws.map(accessOf) as [ReturnType<typeof accessOf>, ReturnType<typeof accessOf>];
    expect(a.length, 'gw-a served part of the study').toBeGreaterThan(0);
    expect(b.length, 'gw-b served part of the study').toBeGreaterThan(0);
    for (const e of [...a, ...b]) expect(e).toMatchObject({ user: 'u-reader', study: ct.study, patient: ct.patient, outcome: '0' });
    expect([...a, ...b].reduce((n, e) => n + (e.instances ?? 0), 0)).toBe(read.length);
    // One trail at the shared endpoint: every event of both files, each once.
    const ids = () => ({ files: gws.flatMap((g) => g.audit().map((e) => e.id)).sort(), sink: sink.events.map((e) => e.id).sort() });
    await expect.poll(() => JSON.stringify(ids().sink) === JSON.stringify(ids().files), { timeout: 10_000 }).toBe(true);
    expect(ids().sink.length).toBeGreaterThanOrEqual(a.length + b.length + 2);
    expect(new Set(sink.events.map((e) => e.source.site))).toEqual(new Set(['gw-a', 'gw-b']));
  });
});

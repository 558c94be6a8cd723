// Sign-in in the browser (issue 23), with real parts: the app's oidc-client-ts against a real OpenID provider
// (oidc-provider, e2e/harness/oidc.ts, its own login pages), a gateway that checks every token in front of the
// shared Orthanc, and its audit trail read back. Access tokens live 20 s and are renewed 10 s before expiry, so
// renewal happens many times while the tests read.
import net from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Page } from '@playwright/test';
import { test, expect, testAppConfig, type Manifest } from './harness/fixtures';
import { startProvider, type TestProvider, type TestUser } from './harness/oidc';
import { startSignInGateway, type SignInGateway } from './harness/signInGateway';
import { AUDIT, summary, waitForEvents } from './harness/auditTrail';
import { viewport } from './viewer-helpers';

test.describe.configure({ mode: 'serial' });

let idp: TestProvider;
let gw: SignInGateway;
let ct: { study: string; series: string; patient: string };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function demoCt(manifest: Manifest) {
  const c = manifest.ct!;
  return { study: c.studyInstanceUID, series: c.seriesInstanceUID, patient: manifest.studies.find((s) => s.studyInstanceUID === c.studyInstanceUID)!.patientId };
}

test.beforeAll(async ({ run, manifest }) => {
  test.setTimeout(30_000);
  ct = demoCt(manifest);
  // The provider needs the viewer's origin (redirect URIs, CORS) before the gateway serving it starts.
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  idp = await startProvider({ viewerOrigin: origin, accessTokenTtlS: 20, referrerStudies: [ct.study] });
  const config = {
    ...testAppConfig(),
    oidc: { authority: idp.issuer, clientId: idp.clientId, scope: 'openid profile email', renewBeforeExpirySeconds: 10 },
  };
  // Study grants on: a key file outside every served folder.
  const keyDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-grant-'));
  const keyFile = path.join(keyDir, 'grant.key');
  fs.writeFileSync(keyFile, randomBytes(48).toString('base64') + '\n', { mode: 0o600 });
  gw = await startSignInGateway({
    pacs: run.orthancDicomWebUrl,
    issuer: idp.issuer,
    audience: idp.audience,
    config,
    port,
    instance: 'gw-browser',
    args: ['--grant-key-file', keyFile],
  });
});

test.afterAll(async () => {
  await gw?.stop();
  await idp?.stop();
});

/** What the provider gave the browser (tokens) and every URL and console line the page saw, to look for them. */
function watchSecrets(page: Page) {
  const secrets: string[] = [];
  const urls: string[] = [];
  const referers: string[] = [];
  const lines: string[] = [];
  page.on('request', (r) => {
    urls.push(r.url());
    const ref = r.headers()['referer'];
    if (ref) referers.push(ref);
  });
  page.on('console', (m) => lines.push(m.text()));
  page.on('response', async (r) => {
    if (!r.url().startsWith(`${idp.issuer}/token`) || r.status() !== 200) return;
    const body = (await r.json().catch(() => ({}))) as Record<string, string>;
    for (const k of ['access_token', 'refresh_token', 'id_token']) if (body[k]) secrets.push(body[k]!);
  });
  return {
    secrets,
    async check() {
      expect(secrets.length, 'tokens were issued').toBeGreaterThan(0);
      // The authorization code (and state) reached the callback URL, as the protocol has it, and went no further.
      const codes = urls.filter((u) => u.includes('/auth/callback?')).map((u) => new URL(u).searchParams.get('code')!);
      expect(codes.length).toBeGreaterThan(0);
      const storage = await page.evaluate(() => JSON.stringify([{ ...localStorage }, { ...sessionStorage }]));
      const history = await page.evaluate(() => window.location.href);
      for (const s of [...secrets.flatMap((t) => t.split('.').filter((p) => p.length > 16)), ...codes]) {
        for (const u of urls.filter((x) => !x.includes('/auth/callback?') && !x.startsWith(`${idp.issuer}/`))) expect(u).not.toContain(s);
        for (const r of referers) expect(r).not.toContain(s);
        for (const l of lines) expect(l).not.toContain(s);
        expect(storage).not.toContain(s);
        expect(history).not.toContain(s);
      }
    },
  };
}

/** Signs in on the provider's own page (the app sent the browser there). */
async function signIn(page: Page, user: TestUser) {
  await page.waitForURL((u) => u.href.startsWith(idp.issuer), { timeout: 15_000 });
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
}

async function drawLength(page: Page) {
  const box = (await viewport(page, 0).locator('canvas').first().boundingBox())!;
  await page.locator('[data-command="tool.Length"]').click();
  await page.mouse.move(box.x + box.width * 0.4, box.y + box.height * 0.4);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height * 0.5, { steps: 6 });
  await page.mouse.up();
  await expect(page.getByTestId('measurement')).toHaveCount(1);
}

test('a reporter signs in, reads, saves a report and exports; the audit trail has each action with user, study and patient; no token or code leaks', async ({ page }) => {
  test.setTimeout(120_000);
  const watch = watchSecrets(page);
  await page.goto(`${gw.url}/viewer?StudyInstanceUIDs=${ct.study}&layout=1x1`);
  await signIn(page, idp.users.reporter);
  // Back where sign-in started, with the code and state gone from the address bar.
  await page.waitForURL(`${gw.url}/viewer?StudyInstanceUIDs=${ct.study}&layout=1x1`);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await expect(page.getByTestId('account-name')).toHaveText(idp.users.reporter.name);
  await vp.getByTestId('stack-scrollbar').fill('60');
  await expect(vp).toHaveAttribute('data-image-index', '60');
  await expect(vp).toHaveAttribute('data-status', 'ready');

  await drawLength(page);
  await page.getByTestId('save-measurements').click();
  await expect(page.getByTestId('save-status')).toContainText(/saved/i, { timeout: 20_000 });

  await page.getByTestId('export').click();
  await page.getByTestId('scope-series').check();
  const download = page.waitForEvent('download');
  await page.getByTestId('export-zip').click();
  await expect(page.getByTestId('transfer-status')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await download;
  await page.keyboard.press('Escape');

  // One event per action: the sign-in, the searches, one access event for the study (written after 1 s idle), the
  // report stored, the export — each by this user, naming the study and its patient.
  const reporter = idp.users.reporter;
  const events = await waitForEvents(gw.audit, (ev) =>
    [AUDIT.instancesAccessed, AUDIT.import, AUDIT.export, AUDIT.userAuthentication].every((c) => ev.some((e) => e.type.code === c)),
  );
  const mine = events.map(summary).filter((e) => e.user === reporter.id);
  const byType = (code: string) => mine.filter((e) => e.type === code);
  expect(byType(AUDIT.userAuthentication)).toHaveLength(1);
  expect(byType(AUDIT.query).length).toBeGreaterThan(0);
  expect(byType(AUDIT.instancesAccessed).map((e) => [e.study, e.patient, e.outcome])).toEqual([[ct.study, ct.patient, '0']]);
  expect(byType(AUDIT.instancesAccessed)[0]!.instances).toBeGreaterThan(1);
  expect(byType(AUDIT.import).map((e) => [e.study, e.outcome])).toEqual([[ct.study, '0']]);
  expect(byType(AUDIT.export).map((e) => [e.study, e.outcome])).toEqual([[ct.study, '0']]);
  // Nothing anonymous came from the signed-in page, and every event carries the reporter's name.
  expect(events.map(summary).filter((e) => e.user !== reporter.id)).toEqual([]);
  for (const e of mine) expect(e.userName).toBe(reporter.name);
  const trail = fs.readFileSync(gw.auditFile, 'utf8');
  for (const t of watch.secrets) for (const part of t.split('.')) if (part.length > 16) expect(trail).not.toContain(part);
  await watch.check();

  // Sign out: the provider ends the session; the sign-out is in the trail.
  await page.getByTestId('sign-out').click();
  await page.waitForURL((u) => u.href.startsWith(idp.issuer), { timeout: 15_000 });
  await page.getByRole('button', { name: /yes, sign out/i }).click();
  await waitForEvents(gw.audit, (ev) => ev.filter((e) => e.type.code === AUDIT.userAuthentication).length >= 2);
  expect(gw.audit().map(summary).filter((e) => e.type === AUDIT.userAuthentication && e.user === reporter.id)).toHaveLength(2);
  expect(idp.sessionsOf(reporter)).toBe(0);
});

test('a reader: the token is renewed mid-study with nothing lost; a revoked session asks to sign in again, in a window, and the page keeps its measurement', async ({ page }) => {
  test.setTimeout(120_000);
  const reader = idp.users.reader;
  const renewals: number[] = [];
  page.on('response', async (r) => {
    if (r.url().startsWith(`${idp.issuer}/token`) && r.request().postData()?.includes('grant_type=refresh_token')) renewals.push(r.status());
  });
  await page.goto(`${gw.url}/viewer?StudyInstanceUIDs=${ct.study}&layout=1x1`);
  await signIn(page, reader);
  const vp = viewport(page, 0);
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  // A reader's page: no export, and reports cannot be stored (measuring still works).
  await expect(page.getByTestId('export')).toHaveCount(0);
  await expect(page.getByTestId('save-measurements')).toBeDisabled();
  await expect(page.getByTestId('save-measurements')).toHaveAttribute('title', 'This account may not store reports');
  await drawLength(page);

  // Renewed by the refresh token (10 s before the 20 s token expires), then frames load with the new token.
  await expect.poll(() => renewals.filter((s) => s === 200).length, { timeout: 30_000 }).toBeGreaterThan(0);
  await vp.getByTestId('stack-scrollbar').fill('150');
  await expect(vp).toHaveAttribute('data-image-index', '150');
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  await expect(page.getByTestId('session-expired')).toHaveCount(0);
  await expect(page.getByTestId('measurement')).toHaveCount(1);

  // The session is revoked at the provider: the next renewal fails and the reader is asked to sign in again.
  await idp.revoke(reader);
  await expect(page.getByTestId('session-expired')).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('measurement')).toHaveCount(1);
  await page.screenshot({ path: test.info().outputPath('session-expired.png') });
  const popup = page.waitForEvent('popup');
  await page.getByTestId('sign-in-again').click();
  const win = await popup;
  await win.waitForURL((u) => u.href.startsWith(idp.issuer), { timeout: 15_000 });
  await win.fill('#username', reader.username);
  await win.fill('#password', reader.password);
  await win.click('button[type=submit]');
  await win.waitForEvent('close', { timeout: 20_000 });
  await expect(page.getByTestId('session-expired')).toHaveCount(0);
  // Same page, same study, same measurement; new frames load with the new session's token.
  await expect(page.getByTestId('measurement')).toHaveCount(1);
  await vp.getByTestId('stack-scrollbar').fill('20');
  await expect(vp).toHaveAttribute('data-image-index', '20');
  await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 20_000 });
  expect(idp.sessionsOf(reader)).toBe(1);
});

test('a study grant: the reporter shares the study with one outside doctor, who sees that study only; anyone else who opens the link is refused', async ({ page, browser }) => {
  test.setTimeout(120_000);
  await page.goto(`${gw.url}/viewer?StudyInstanceUIDs=${ct.study}&layout=1x1`);
  await signIn(page, idp.users.reporter);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  await page.getByTestId('share').click();
  await page.getByTestId('grant-recipient').fill(idp.users.guest.email);
  await page.getByTestId('grant-create').click();
  const link = await page.getByTestId('grant-url').inputValue();
  await expect(page.getByTestId('grant-note')).toContainText(idp.users.guest.email);
  // The grant rides in the fragment only; the part a server sees holds UIDs, no patient data.
  const [served, fragment] = link.split('#');
  expect(fragment).toMatch(/^grant=[A-Za-z0-9._-]+$/);
  expect(served).toContain(ct.study);
  expect(served).not.toMatch(/DEMO|grant/i);

  // The guest, who has no role here, opens it in a browser of their own.
  const guestContext = await browser.newContext();
  const guest = await guestContext.newPage();
  const seen: string[] = [];
  guest.on('request', (r) => seen.push(r.url(), r.headers()['referer'] ?? ''));
  await guest.goto(link);
  await signIn(guest, idp.users.guest);
  const gv = viewport(guest, 0);
  await expect(gv).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  expect(guest.url()).not.toContain('grant');
  for (const u of seen) expect(u).not.toContain(fragment!.slice(6, 40));
  // Their study list holds that one study (the gateway filters every search by the grant).
  await guest.getByTestId('back-to-worklist').click();
  await expect(guest.locator('[data-testid=study-row]')).toHaveCount(1, { timeout: 20_000 });
  await guestContext.close();

  // The reader opens the same link: it was not given to them, and the gateway refuses every request with it.
  const otherContext = await browser.newContext();
  const other = await otherContext.newPage();
  await other.goto(link);
  await signIn(other, idp.users.reader);
  await expect(other.getByText(/403/).first()).toBeVisible({ timeout: 30_000 });
  await expect(other.locator('[data-testid=viewport][data-status=ready]')).toHaveCount(0);
  await otherContext.close();
});

/** Signs in on the provider's page if it asks (its session may still be open, and then it sends the browser straight back). */
async function signInIfAsked(page: Page, user: TestUser) {
  try {
    await page.locator('#username').waitFor({ timeout: 5_000 });
  } catch {
    return;
  }
  await page.fill('#username', user.username);
  await page.fill('#password', user.password);
  await page.click('button[type=submit]');
}

test('a launch from the EHR waits out the sign-in without its identifiers in the address bar, and opens for that user: a study outside their scope reads like an unknown one', async ({ page, run }) => {
  test.setTimeout(90_000);
  // Accession numbers as the PACS has them: the demo CT's, and another patient's study's.
  const rows = (await (await fetch(`${run.orthancDicomWebUrl}/studies?includefield=00080050&limit=1000`)).json()) as Record<string, { Value?: string[] }>[];
  const accessionOf = (r: Record<string, { Value?: string[] }>) => r['00080050']?.Value?.[0];
  const mine = accessionOf(rows.find((r) => r['0020000D']?.Value?.[0] === ct.study)!)!;
  const theirs = accessionOf(rows.find((r) => r['0020000D']?.Value?.[0] !== ct.study && accessionOf(r) && accessionOf(r) !== mine)!)!;
  expect(mine).toBeTruthy();
  expect(theirs).toBeTruthy();
  const shown: string[] = [];
  page.on('framenavigated', (f) => f === page.mainFrame() && shown.push(f.url()));

  // The referrer may see the demo CT only.
  await page.goto(`${gw.url}/viewer?AccessionNumber=${encodeURIComponent(mine)}`);
  await signIn(page, idp.users.referrer);
  await expect(viewport(page, 0)).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
  expect(page.url()).toContain(ct.study);
  // Once the launch page had been left for the provider, no address of the viewer's held the accession number.
  for (const u of shown.slice(1)) if (u.startsWith(gw.url)) expect(u).not.toContain(mine);

  // Another patient's study by its accession number reads exactly as a number no study has.
  await page.goto(`${gw.url}/viewer?AccessionNumber=${encodeURIComponent(theirs)}`);
  await signInIfAsked(page, idp.users.referrer);
  await expect(page.getByTestId('launch-error')).toContainText(`No study with accession number ${theirs} is available to you`, { timeout: 30_000 });
  const outside = (await page.getByTestId('launch-error').innerText()).replace(theirs, 'X');
  expect(page.url()).not.toContain(theirs);
  await page.goto(`${gw.url}/viewer?AccessionNumber=NOSUCH0001`);
  await signInIfAsked(page, idp.users.referrer);
  await expect(page.getByTestId('launch-error')).toContainText('No study with accession number NOSUCH0001 is available to you', { timeout: 30_000 });
  expect((await page.getByTestId('launch-error').innerText()).replace('NOSUCH0001', 'X')).toBe(outside);
});

// The gateway in front of a real Orthanc, and the nginx recipe held to the same tests: only DICOMweb passes, the
// PACS never sees anything else (a recording proxy stands in front of Orthanc and lists every request it got),
// answers carry the privacy headers, a misbehaving PACS costs one request, and the viewer works through both.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect, entry, loadManifest, startOrthanc, startServe, testAppConfig, type OrthancHandle } from './harness/fixtures';
import { startFaultProxy, type FaultProxy } from './harness/faultProxy';
import { startNginx } from './harness/nginx';

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: Buffer; error?: string };

/** One raw request: the target goes on the wire exactly as written (no client normalises it). */
function raw(origin: string, method: string, target: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  const u = new URL(origin);
  return new Promise((resolve) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path: target, agent: false, headers: { host: u.host, ...headers } });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: 'aborted' }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), error: e.message }));
    });
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), error: e.message }));
    req.end(body);
  });
}

/** A PACS that misbehaves on purpose, chosen by the study UID asked for. */
async function startBadPacs() {
  const server = http.createServer((req, res) => {
    const u = req.url ?? '';
    if (u.includes('/studies/9.1/')) {
      res.writeHead(500, { 'Content-Type': 'text/html' });
      return res.end('<html><body><script>window.__pacs=1</script>Internal error</body></html>');
    }
    if (u.includes('/studies/9.2/')) {
      req.socket.end('HTTP/1.1 099 Odd\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    if (u.includes('/studies/9.3/')) return; // hangs
    if (u.includes('/studies/9.4/')) {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '100000' });
      res.write(Buffer.alloc(1000));
      setTimeout(() => req.socket.destroy(), 50);
      return;
    }
    res.writeHead(200, { 'Content-Type': 'application/dicom+json' });
    res.end('[]');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/dicom-web`,
    stop: () => new Promise<void>((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}

const STOW_FILE = '/usr/lib/python3/dist-packages/pydicom/data/test_files/CT_small.dcm';
const FRONTS = ['gateway', 'nginx'] as const;

let orthanc: OrthancHandle;
let recorder: FaultProxy;
let badPacs: Awaited<ReturnType<typeof startBadPacs>>;
const fronts: Record<string, { url: string; stop(): Promise<void> }> = {};
const faultFronts: Record<string, { url: string; stop(): Promise<void> }> = {};
let studyUid = '';

test.beforeAll(async () => {
  test.setTimeout(90_000);
  // No fixed public host for Orthanc: the fronts tell it their origin (Forwarded), as a site's deployment would.
  orthanc = await startOrthanc({ name: 'lumen-e2e-gateway' });
  const file = entry(loadManifest(), 'explicit-le').uploadedPath;
  const stored = await fetch(`${orthanc.url}/instances`, { method: 'POST', body: fs.readFileSync(file) });
  expect(stored.ok).toBe(true);
  recorder = await startFaultProxy(orthanc.url);
  badPacs = await startBadPacs();
  const config = testAppConfig();
  fronts.gateway = await startServe({ pacs: `${recorder.url}/dicom-web`, config });
  fronts.nginx = await startNginx({ pacs: `${recorder.url}/dicom-web`, config });
  faultFronts.gateway = await startServe({ pacs: badPacs.url, config, args: ['--upstream-timeout', '2'] });
  faultFronts.nginx = await startNginx({ pacs: badPacs.url, config, upstreamTimeoutS: 2 });
  const studies = JSON.parse((await raw(fronts.gateway.url, 'GET', '/dicom-web/studies')).body.toString());
  studyUid = studies[0]['0020000D'].Value[0];
});

test.afterAll(async () => {
  for (const f of [...Object.values(fronts), ...Object.values(faultFronts)]) await f.stop();
  await badPacs?.stop();
  await recorder?.stop();
  await orthanc?.stop();
});

for (const name of FRONTS) {
  test.describe(`${name} in front of the PACS`, () => {
    test('refuses everything that is not DICOMweb, and the PACS never sees it', async () => {
      const url = fronts[name]!.url;
      const before = recorder.log.length;
      const attempts: [string, string, Record<string, string>?][] = [
        ['GET', '/dicom-web/../system'],
        ['GET', '/dicom-web/../patients'],
        ['GET', '/dicom-web/%2e%2e/system'],
        ['GET', '/dicom-web/%2E%2E/patients'],
        ['GET', '/dicom-web/..%2fsystem'],
        ['GET', `/dicom-web/studies/${studyUid}/..%2f..%2f..%2fsystem`],
        ['GET', '/dicom-web/studies/..\\..\\system'],
        ['GET', '/dicom-web/studies%00'],
        ['GET', '/dicom-web/patients'],
        ['GET', '/dicom-web/studies?' + 'A'.repeat(10_000)],
        ['DELETE', `/dicom-web/studies/${studyUid}`],
        ['PUT', `/dicom-web/studies/${studyUid}`],
        ['POST', '/dicom-web/../tools/execute-script'],
        ['POST', '/dicom-web/tools/execute-script'],
        ['GET', '/dicom-web/studies', { Host: 'evil.example' }],
        ['GET', '/.env'],
      ];
      for (const [method, target, headers] of attempts) {
        const body = method === 'POST' || method === 'PUT' ? Buffer.from('DeleteResource("/studies")') : undefined;
        const r = await raw(url, method, target, headers, body);
        expect(r.status, `${method} ${target.slice(0, 60)}`).toBeGreaterThanOrEqual(400);
        expect(r.status, `${method} ${target.slice(0, 60)}`).toBeLessThan(500);
        // nginx answers a NUL or an over-long target itself, while reading the request line (before the recipe's
        // rules), with its own script-free page.
        if (name === 'gateway' || !(target.includes('%00') || target.length > 8000)) expect(r.headers['content-type'] ?? '', `${method} ${target.slice(0, 60)}`).not.toMatch(/html/);
      }
      expect(recorder.log.slice(before)).toEqual([]);
      // And the PACS still holds its study.
      expect((await fetch(`${orthanc.url}/studies`).then((r) => r.json())).length).toBeGreaterThanOrEqual(1);
    });

    test('QIDO, WADO metadata, frames, bulk data, series retrieval and STOW pass, with the privacy headers', async () => {
      const url = fronts[name]!.url;
      const qido = await raw(url, 'GET', `/dicom-web/studies?StudyInstanceUID=${studyUid}`, { Cookie: 'session=viewer', Accept: 'application/dicom+json' });
      expect(qido.status).toBe(200);
      expect(qido.headers['cache-control']).toBe('private, no-store');
      expect(qido.headers['x-content-type-options']).toBe('nosniff');
      expect(qido.headers['set-cookie']).toBeUndefined();
      const series = JSON.parse((await raw(url, 'GET', `/dicom-web/studies/${studyUid}/series`)).body.toString());
      const seriesUid = series[0]['0020000E'].Value[0];
      const meta = JSON.parse((await raw(url, 'GET', `/dicom-web/studies/${studyUid}/series/${seriesUid}/metadata`)).body.toString());
      const sop = meta[0]['00080018'].Value[0];
      // The PACS wrote this front's own origin into its bulk data URIs (Forwarded), so the browser can follow them.
      const bulk = meta[0]['7FE00010']?.BulkDataURI as string;
      expect(bulk.startsWith(`${url}/dicom-web/studies/${studyUid}/`)).toBe(true);
      const bulkAnswer = await raw(url, 'GET', new URL(bulk).pathname);
      expect(bulkAnswer.status).toBe(200);
      expect(bulkAnswer.body.length).toBeGreaterThan(1000);
      const frame = await raw(url, 'GET', `/dicom-web/studies/${studyUid}/series/${seriesUid}/instances/${sop}/frames/1`, {
        Accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*',
      });
      expect(frame.status).toBe(200);
      expect(frame.headers['content-type']).toMatch(/^multipart\/related/);
      const retrieve = await raw(url, 'GET', `/dicom-web/studies/${studyUid}/series/${seriesUid}`, {
        Accept: 'multipart/related; type="application/dicom"; transfer-syntax=*',
      });
      expect(retrieve.status).toBe(200);
      expect(retrieve.body.includes(Buffer.from('DICM'))).toBe(true);
      // STOW-RS of a file the PACS does not hold yet, then found by QIDO.
      const boundary = 'lumen-e2e-boundary';
      const body = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Type: application/dicom\r\n\r\n`),
        fs.readFileSync(STOW_FILE),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const stow = await raw(url, 'POST', '/dicom-web/studies', {
        'Content-Type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        Accept: 'application/dicom+json',
      }, body);
      expect(stow.status).toBe(200);
      const found = JSON.parse((await raw(url, 'GET', '/dicom-web/studies?PatientID=1CT1')).body.toString());
      expect(found.length).toBe(1);
    });

    test('a misbehaving PACS costs one request: HTML is never relayed as a page, a bad status is 502, a hang 504', async () => {
      const url = faultFronts[name]!.url;
      const html = await raw(url, 'GET', '/dicom-web/studies/9.1/metadata');
      expect(html.status).toBeGreaterThanOrEqual(500);
      expect(html.headers['content-type'] ?? '').not.toMatch(/html/);
      if (name === 'gateway') expect(html.body.toString()).not.toContain('<script>');
      else expect(html.headers['content-security-policy']).toContain('sandbox'); // nginx relays it as inert text
      // Status 99: the gateway answers 502; nginx relays the line as it came, which no client takes as an answer.
      const odd = await raw(url, 'GET', '/dicom-web/studies/9.2/metadata');
      if (name === 'gateway') expect(odd.status).toBe(502);
      else expect(odd.status === 0 || odd.status === 99, `status ${odd.status} ${odd.error}`).toBe(true);
      const hung = raw(url, 'GET', '/dicom-web/studies/9.3/metadata');
      const cut = await raw(url, 'GET', '/dicom-web/studies/9.4/metadata');
      expect(cut.body.length).toBeLessThan(100_000); // cut short: the answer had started
      expect((await raw(url, 'GET', '/dicom-web/studies')).status).toBe(200); // others are served meanwhile
      expect((await hung).status).toBe(504);
    });

    test('the viewer opens a study through it', async ({ page, errors }) => {
      await page.goto(`${fronts[name]!.url}/viewer?StudyInstanceUIDs=${studyUid}`);
      const vp = page.getByTestId('viewport').first();
      await expect(vp).toHaveAttribute('data-status', 'ready', { timeout: 30_000 });
      errors.expectNone();
    });
  });
}

// The gateway against real sockets: a local upstream that echoes or misbehaves on purpose, and raw requests (no
// client library normalises the paths sent here).
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway, hostName } from './server.mjs';

type Upstream = { url: string; seen: { method: string; url: string; headers: http.IncomingHttpHeaders }[]; close(): Promise<void> };

/** An upstream whose answer is chosen by path: /dicom-web/studies/1.<n> picks a behaviour. */
async function startUpstream(): Promise<Upstream> {
  const seen: Upstream['seen'] = [];
  const server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    const u = req.url ?? '';
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (u.startsWith('/dicom-web/studies/1.1/metadata')) {
        // A hostile or careless answer: cookies, CORS grants, a credentials prompt, caching.
        res.writeHead(200, {
          'Content-Type': 'application/dicom+json',
          'Set-Cookie': 'session=abc',
          'Access-Control-Allow-Origin': '*',
          'Access-Control-Allow-Credentials': 'true',
          'WWW-Authenticate': 'Basic realm="pacs"',
          'Cache-Control': 'public, max-age=3600',
          Connection: 'X-Upstream-Private',
          'X-Upstream-Private': 'yes',
        });
        return res.end(JSON.stringify({ headers: req.headers }));
      }
      if (u.startsWith('/dicom-web/studies/1.2/metadata')) {
        res.writeHead(500, { 'Content-Type': 'text/html; charset=utf-8' });
        return res.end('<html><script>alert(1)</script>PACS error</html>');
      }
      if (u.startsWith('/dicom-web/studies/1.3/metadata')) {
        // Status 99: not HTTP.
        req.socket.write('HTTP/1.1 099 Odd\r\nContent-Length: 2\r\n\r\nhi');
        return req.socket.end();
      }
      if (u.startsWith('/dicom-web/studies/1.4/metadata')) return req.socket.destroy(); // reset before any answer
      if (u.startsWith('/dicom-web/studies/1.5/metadata')) {
        // Reset mid-body: headers promise 100000 bytes, 1000 arrive.
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': '100000' });
        res.write(Buffer.alloc(1000));
        setTimeout(() => req.socket.destroy(), 50);
        return;
      }
      if (u.startsWith('/dicom-web/studies/1.6/metadata')) return; // hang
      if (u.startsWith('/dicom-web/studies/1.7/metadata')) return void setTimeout(() => res.end('[]'), 300); // slow
      if (req.method === 'POST') {
        res.writeHead(200, { 'Content-Type': 'application/dicom+json' });
        return res.end(JSON.stringify({ received: Buffer.concat(chunks).length }));
      }
      res.writeHead(200, { 'Content-Type': 'application/dicom+json' });
      res.end('[]');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

type Answer = { status: number; headers: http.IncomingHttpHeaders; body: string; error?: string };

/** A raw HTTP/1.1 request: the target goes on the wire exactly as given. */
function raw(port: number, method: string, target: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Answer> {
  return new Promise((resolve) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() }));
      res.on('error', (e) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString(), error: e.message }));
      res.on('aborted', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: '', error: 'aborted' }));
    });
    req.on('error', (e) => resolve({ status: 0, headers: {}, body: '', error: e.message }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

let up: Upstream;
let root: string;
let gw: Awaited<ReturnType<typeof buildGateway>>;
let port: number;

beforeAll(async () => {
  up = await startUpstream();
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-test-'));
  fs.mkdirSync(path.join(root, 'dist', 'assets'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(root, 'dist', 'assets', 'a.js'), 'export {}');
  fs.writeFileSync(path.join(root, 'dist', '.env'), 'SECRET=1');
  fs.writeFileSync(path.join(root, 'outside.txt'), 'outside');
  fs.symlinkSync(path.join(root, 'outside.txt'), path.join(root, 'dist', 'escape.txt'));
  fs.writeFileSync(
    path.join(root, 'config.json'),
    JSON.stringify({ dataSources: [{ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' }] }),
  );
  gw = await buildGateway({
    root: path.join(root, 'dist'),
    config: path.join(root, 'config.json'),
    pacs: { url: new URL(`${up.url}/dicom-web`), authorization: 'Basic cGFjczpzZWNyZXQ=' },
    allowedHosts: ['127.0.0.1', 'localhost'],
    upstreamTimeoutMs: 800,
    maxUploadBytes: 1000,
    clientConcurrency: 2,
    clientQueue: 1,
  });
  await gw.listen({ port: 0, host: '127.0.0.1' });
  port = (gw.server.address() as AddressInfo).port;
});

afterAll(async () => {
  await gw?.close();
  await up?.close();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('requests towards the PACS', () => {
  it('strips hop-by-hop fields, what Connection names, cookies, proxy credentials and forwarding claims; adds the PACS credentials', async () => {
    const r = await raw(port, 'GET', '/dicom-web/studies/1.1/metadata', {
      Cookie: 'viewer=1',
      'Proxy-Authorization': 'Basic eDp5',
      Authorization: 'Bearer from-the-browser',
      Connection: 'keep-alive, X-Private',
      'X-Private': 'do not forward',
      'Keep-Alive': 'timeout=5',
      'X-Forwarded-For': '10.0.0.1',
      'X-Forwarded-Host': 'evil.example',
      Accept: 'application/dicom+json',
    });
    expect(r.status).toBe(200);
    const h = JSON.parse(r.body).headers as Record<string, string>;
    for (const gone of ['cookie', 'proxy-authorization', 'x-private', 'keep-alive', 'x-forwarded-for']) expect(h[gone], gone).toBeUndefined();
    expect(h['authorization']).toBe('Basic cGFjczpzZWNyZXQ=');
    expect(h['accept']).toBe('application/dicom+json');
    expect(h['host']).toBe(new URL(up.url).host);
    expect(h['x-forwarded-host']).toBe(`127.0.0.1:${port}`);
    expect(h['forwarded']).toBe(`host=127.0.0.1:${port};proto=http`);
  });

  it('drops cookies, CORS grants and credential prompts from the answer and forbids caching it', async () => {
    const r = await raw(port, 'GET', '/dicom-web/studies/1.1/metadata');
    expect(r.status).toBe(200);
    for (const gone of ['set-cookie', 'access-control-allow-origin', 'access-control-allow-credentials', 'www-authenticate', 'x-upstream-private']) {
      expect(r.headers[gone], gone).toBeUndefined();
    }
    expect(r.headers['cache-control']).toBe('private, no-store');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-security-policy']).toBe("default-src 'none'; sandbox");
  });

  it('refuses dot segments, encoded separators, other methods, the PACS API and unknown Hosts before the PACS sees them', async () => {
    const before = up.seen.length;
    const attempts: [string, string, Record<string, string>?][] = [
      ['GET', '/dicom-web/../system'],
      ['GET', '/dicom-web/%2e%2e/system'],
      ['GET', '/dicom-web/..%2fpatients'],
      ['GET', '/dicom-web/studies/..%2F..%2Fpatients'],
      ['GET', '/dicom-web/studies%00'],
      ['GET', '/dicom-web/patients'],
      ['GET', '/dicom-web/studies?' + 'x'.repeat(9000)],
      ['DELETE', '/dicom-web/studies/1.2.3'],
      ['PUT', '/dicom-web/studies/1.2.3'],
      ['POST', '/dicom-web/../tools/execute-script'],
      ['POST', '/dicom-web/tools/execute-script'],
      ['GET', '/dicom-web/studies', { Host: 'evil.example' }],
      ['GET', '/dicom-web/studies', { Host: 'evil.example:' + 80 }],
    ];
    for (const [m, u, h] of attempts) {
      const r = await raw(port, m, u, h, m === 'GET' || m === 'DELETE' ? undefined : 'print(1)');
      expect(r.status, `${m} ${u}`).toBeGreaterThanOrEqual(400);
      expect(r.status, `${m} ${u}`).toBeLessThan(500);
      expect(r.headers['content-type']).toMatch(/^text\/plain/);
    }
    expect(up.seen.slice(before)).toEqual([]);
  });

  it('streams STOW bodies within the cap and refuses larger ones, declared or chunked, before they reach the PACS', async () => {
    const ok = await raw(port, 'POST', '/dicom-web/studies', { 'Content-Type': 'multipart/related; type="application/dicom"' }, Buffer.alloc(600));
    expect(ok.status).toBe(200);
    expect(JSON.parse(ok.body).received).toBe(600);
    const declared = await raw(port, 'POST', '/dicom-web/studies', { 'Content-Type': 'application/dicom' }, Buffer.alloc(5000));
    expect(declared.status).toBe(413);
    const chunked = await new Promise<Answer>((resolve) => {
      const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: '/dicom-web/studies', headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/dicom', 'transfer-encoding': 'chunked' }, agent: false });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      req.on('error', (e) => resolve({ status: 0, headers: {}, body: '', error: e.message }));
      for (let i = 0; i < 5; i++) req.write(Buffer.alloc(400));
      req.end();
    });
    expect(chunked.status).toBe(413);
  });
});

describe('a failing PACS costs that request only', () => {
  it('answers 502 for an HTML page, without relaying it', async () => {
    const r = await raw(port, 'GET', '/dicom-web/studies/1.2/metadata');
    expect(r.status).toBe(502);
    expect(r.headers['content-type']).toMatch(/^text\/plain/);
    expect(r.body).toContain('web page');
    expect(r.body).not.toContain('<script>');
  });

  it('answers 502 for a status outside 100–599 and for a reset before the answer', async () => {
    expect((await raw(port, 'GET', '/dicom-web/studies/1.3/metadata')).status).toBe(502);
    expect((await raw(port, 'GET', '/dicom-web/studies/1.4/metadata')).status).toBe(502);
  });

  it('cuts the answer short on a reset mid-body (it has started), and keeps serving', async () => {
    const r = await raw(port, 'GET', '/dicom-web/studies/1.5/metadata');
    expect(r.status === 200 && (r.error !== undefined || r.body.length < 100000)).toBe(true);
    expect((await raw(port, 'GET', '/dicom-web/studies')).status).toBe(200);
  });

  it('answers 504 when the PACS hangs, while other requests are served meanwhile', async () => {
    const hung = raw(port, 'GET', '/dicom-web/studies/1.6/metadata');
    const other = await raw(port, 'GET', '/dicom-web/studies');
    expect(other.status).toBe(200);
    const r = await hung;
    expect(r.status).toBe(504);
    expect(r.body).toMatch(/did not answer within/);
  });

  it('answers 502 naming the PACS, never its credentials, when it is unreachable', async () => {
    const dead = net.createServer();
    await new Promise<void>((r) => dead.listen(0, '127.0.0.1', r));
    const deadPort = (dead.address() as AddressInfo).port;
    await new Promise<void>((r) => dead.close(() => r()));
    const g = await buildGateway({
      root: path.join(root, 'dist'),
      pacs: { url: new URL(`http://127.0.0.1:${deadPort}/dicom-web`), authorization: 'Basic cGFjczpzZWNyZXQ=' },
      allowedHosts: ['127.0.0.1'],
    });
    await g.listen({ port: 0, host: '127.0.0.1' });
    const r = await raw((g.server.address() as AddressInfo).port, 'GET', '/dicom-web/studies');
    await g.close();
    expect(r.status).toBe(502);
    expect(r.body).toContain(`PACS at http://127.0.0.1:${deadPort}/dicom-web unreachable: ECONNREFUSED`);
    expect(r.body).not.toMatch(/cGFjczpzZWNyZXQ|secret/);
  });
});

describe('per-client limits', () => {
  it('queues a client past its concurrency and refuses it past its queue, with Retry-After', async () => {
    // Concurrency 2 and queue 1: of four slow requests at once, three are served and one is told to come back.
    const rs = await Promise.all([1, 2, 3, 4].map(() => raw(port, 'GET', '/dicom-web/studies/1.7/metadata')));
    const statuses = rs.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(rs.find((r) => r.status === 429)?.headers['retry-after']).toBe('1');
  });
});

describe('per-client limits when clients go away', () => {
  it('gives a queued request\'s turn back when its client disconnects before its turn', async () => {
    // Two slow requests hold both turns; a third waits in the queue and its client gives up.
    const slow = [1, 2].map(() => raw(port, 'GET', '/dicom-web/studies/1.7/metadata'));
    await new Promise((r) => setTimeout(r, 50));
    const waiting = http.request({ host: '127.0.0.1', port, path: '/dicom-web/studies/1.7/metadata', headers: { host: `127.0.0.1:${port}` }, agent: false });
    waiting.on('error', () => {});
    waiting.end();
    await new Promise((r) => setTimeout(r, 50));
    waiting.destroy();
    expect((await Promise.all(slow)).map((r) => r.status)).toEqual([200, 200]);
    // Had the abandoned request kept its turn, two of these three would queue behind it and one would get 429.
    const after = await Promise.all([1, 2, 3].map(() => raw(port, 'GET', '/dicom-web/studies/1.7/metadata')));
    expect(after.map((r) => r.status)).toEqual([200, 200, 200]);
  });
});

describe('static files', () => {
  it('serves the app with its policy, client routes as index.html, and refuses dotfiles and links that leave the folder', async () => {
    const page = await raw(port, 'GET', '/viewer?StudyInstanceUIDs=1.2.3');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>app</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self' 'wasm-unsafe-eval'");
    expect(page.headers['cross-origin-embedder-policy']).toBe('require-corp');
    // Launch requests from other systems are client routes too (the DICOMweb allowlist does not see them), and
    // the page sends no Referer: the identifiers in their query go nowhere else.
    for (const launch of ['/IHEInvokeImageDisplay?requestType=PATIENT&patientID=P1%5E%5E%5EHOSP', '/studies?PatientID=P1', '/viewer?AccessionNumber=A1']) {
      const answer = await raw(port, 'GET', launch);
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('<title>app</title>');
      expect(answer.headers['referrer-policy']).toBe('no-referrer');
    }
    expect((await raw(port, 'GET', '/assets/a.js')).headers['cache-control']).toContain('immutable');
    expect((await raw(port, 'GET', '/.env')).status).toBe(403);
    expect((await raw(port, 'GET', '/escape.txt')).status).toBe(404);
    expect((await raw(port, 'GET', '/%2e%2e/outside.txt')).status).toBe(400);
    expect((await raw(port, 'GET', '/missing.js')).status).toBe(404);
    expect((await raw(port, 'POST', '/viewer', {}, 'x')).status).toBe(405);
    expect((await raw(port, 'GET', '/', { Host: 'rebind.example' })).status).toBe(421);
  });

  it('reads Host names with ports and IPv6 literals', () => {
    expect(hostName('LocalHost:8080')).toBe('localhost');
    expect(hostName('[::1]:8080')).toBe('[::1]');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
    expect(hostName('a:b:c')).toBe('');
    expect(hostName(undefined)).toBe('');
  });
});

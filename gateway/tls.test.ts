// Encryption in transit: the gateway serves HTTPS with HSTS when given a certificate, and speaks HTTPS to a PACS,
// verifying its certificate against the system's CAs or a site CA (openssl makes both for the test).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildGateway } from './server.mjs';

let dir: string;
let pacs: https.Server;
let pacsPort: number;
const pem = (name: string) => fs.readFileSync(path.join(dir, name));

/** A self-signed certificate for 127.0.0.1 (it is its own CA). */
function selfSigned(name: string) {
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1',
    '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', path.join(dir, `${name}.key`), '-out', path.join(dir, `${name}.pem`),
  ], { stdio: 'ignore' });
}

/** GET over HTTPS trusting `ca`. */
function get(port: number, target: string, ca: Buffer): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    https
      .get({ host: '127.0.0.1', port, path: target, ca, headers: { host: `127.0.0.1:${port}` }, agent: false }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      })
      .on('error', reject);
  });
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gw-tls-'));
  selfSigned('pacs');
  selfSigned('viewer');
  fs.mkdirSync(path.join(dir, 'dist'));
  fs.writeFileSync(path.join(dir, 'dist', 'index.html'), '<!doctype html><title>app</title>');
  pacs = https.createServer({ key: pem('pacs.key'), cert: pem('pacs.pem') }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/dicom+json' });
    res.end('[]');
  });
  await new Promise<void>((r) => pacs.listen(0, '127.0.0.1', r));
  pacsPort = (pacs.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((r) => pacs?.close(() => r()));
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('HTTPS', () => {
  it('serves HTTPS with HSTS, and reaches an HTTPS PACS whose certificate chains to the site CA', async () => {
    const gw = await buildGateway({
      root: path.join(dir, 'dist'),
      allowedHosts: ['127.0.0.1'],
      tls: { key: pem('viewer.key'), cert: pem('viewer.pem') },
      pacs: { url: new URL(`https://127.0.0.1:${pacsPort}/dicom-web`), ca: pem('pacs.pem') },
    });
    await gw.listen({ port: 0, host: '127.0.0.1' });
    const port = (gw.server.address() as AddressInfo).port;
    try {
      const page = await get(port, '/', pem('viewer.pem'));
      expect(page.status).toBe(200);
      expect(page.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      const qido = await get(port, '/dicom-web/studies', pem('viewer.pem'));
      expect(qido.status).toBe(200);
      expect(qido.body).toBe('[]');
    } finally {
      await gw.close();
    }
  });

  it('refuses a PACS whose certificate it cannot verify (502), whatever the PACS sends', async () => {
    const gw = await buildGateway({
      root: path.join(dir, 'dist'),
      allowedHosts: ['127.0.0.1'],
      tls: { key: pem('viewer.key'), cert: pem('viewer.pem') },
      pacs: { url: new URL(`https://127.0.0.1:${pacsPort}/dicom-web`) },
    });
    await gw.listen({ port: 0, host: '127.0.0.1' });
    const port = (gw.server.address() as AddressInfo).port;
    try {
      const qido = await get(port, '/dicom-web/studies', pem('viewer.pem'));
      expect(qido.status).toBe(502);
      expect(qido.body).toContain(`PACS at https://127.0.0.1:${pacsPort}/dicom-web has a certificate this gateway cannot verify`);
    } finally {
      await gw.close();
    }
  });
});

// The nginx recipe's renderer: in front of the PACS (as e2e/gateway.spec.ts runs it) and in front of several gateway
// instances (e2e/gateway-signin.spec.ts), each checked line by line and, where Debian's nginx is installed, by
// `nginx -t` on the rendered files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseNginxArgs, renderNginx, writeNginx } from './render.mjs';

const NGINX = '/usr/sbin/nginx';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-render-test-'));
const root = path.join(dir, 'dist');
fs.mkdirSync(root);
fs.writeFileSync(path.join(root, 'config.json'), JSON.stringify({ dataSources: [{ name: 'pacs', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' }] }));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const render = (...args: string[]) => renderNginx(parseNginxArgs(['--root', root, '--out', path.join(dir, 'out'), ...args]));

/** nginx -t on the rendered site inside a minimal main context; null when nginx is not installed here. */
function nginxCheck(args: string[]): { ok: boolean; log: string } | null {
  if (!fs.existsSync(NGINX)) return null;
  const out = fs.mkdtempSync(path.join(dir, 'site-'));
  writeNginx(parseNginxArgs(['--root', root, '--out', out, '--listen', '18080', '--access-log', path.join(out, 'access.log'), ...args]));
  const conf = path.join(out, 'nginx.conf');
  fs.writeFileSync(
    conf,
    `pid ${out}/nginx.pid;\nerror_log ${out}/error.log;\nevents {}\nhttp {\n  include /etc/nginx/mime.types;\n  access_log off;\n` +
      `  client_body_temp_path ${out}/body;\n  proxy_temp_path ${out}/proxy;\n  include ${out}/lumen.conf;\n}\n`,
  );
  const r = spawnSync(NGINX, ['-t', '-q', '-c', conf, '-e', path.join(out, 'error.log')], { encoding: 'utf8' });
  return { ok: r.status === 0, log: `${r.stdout}${r.stderr}` };
}

describe('in front of the PACS (--pacs)', () => {
  it('sends the PACS its own name, no user credentials, no client address, and hides its prompts', () => {
    const { conf, snippet } = render('--pacs', 'http://127.0.0.1:8042/dicom-web');
    expect(conf).toMatch(/upstream lumen_pacs \{\n {4}server 127\.0\.0\.1:8042;\n {4}keepalive 32;/);
    expect(conf).not.toContain('location ^~ /api/');
    expect(snippet).toContain('proxy_pass http://lumen_pacs;');
    expect(snippet).toContain('proxy_set_header Host 127.0.0.1:8042;');
    expect(snippet).toContain('proxy_set_header Authorization "";');
    expect(snippet).toContain('proxy_set_header X-Forwarded-For "";');
    expect(snippet).toContain('proxy_hide_header WWW-Authenticate;');
    expect(snippet).toContain('rewrite "^/dicom-web(/.*)$" "/dicom-web$1" break;');
  });

  it('logs requests without their query strings (launch identifiers, sign-in codes)', () => {
    const { conf } = render('--pacs', 'http://127.0.0.1:8042/dicom-web', '--access-log', '/var/log/lumen/a.log');
    expect(conf).toContain(`log_format lumen_pacs_no_query '$remote_addr - $remote_user [$time_local] "$request_method $uri $server_protocol"`);
    expect(conf).not.toMatch(/log_format[^\n]*\$request[ "]/);
    expect(conf.match(/access_log \/var\/log\/lumen\/a\.log lumen_pacs_no_query;/g)).toHaveLength(2);
    expect(render('--pacs', 'http://127.0.0.1:8042/dicom-web', '--access-log', 'off').conf).toContain('access_log off;');
  });

  it('is accepted by nginx -t', () => {
    const r = nginxCheck(['--pacs', 'http://127.0.0.1:8042/dicom-web']);
    if (r) expect(r.log).toBe('');
    if (r) expect(r.ok).toBe(true);
  });
});

describe('in front of several gateways (--gateway)', () => {
  const args = ['--gateway', 'http://127.0.0.1:9001', '--gateway', 'http://10.0.0.12:8080/'];

  it('spreads DICOMweb and /api over every instance and lets the user credentials and the client address through', () => {
    const { conf, snippet } = render(...args);
    expect(conf).toMatch(/upstream lumen_gateways \{\n {4}server 127\.0\.0\.1:9001;\n {4}server 10\.0\.0\.12:8080;\n {4}keepalive 32;/);
    expect(conf).not.toContain('lumen_pacs');
    expect(conf).toMatch(/location \^~ \/api\/ \{\n\s+limit_except GET POST \{ deny all; \}\n\s+client_max_body_size 64k;\n\s+include [^;]*lumen-proxy\.conf;/);
    expect(snippet).toContain('proxy_pass http://lumen_gateways;');
    // The gateways answer to the site's names (their --allowed-host), and take the client from X-Forwarded-For.
    expect(snippet).toContain('proxy_set_header Host $http_host;');
    expect(snippet).toContain('proxy_set_header X-Forwarded-For $remote_addr;');
    expect(snippet).not.toMatch(/proxy_set_header Authorization/);
    expect(snippet).not.toContain('proxy_hide_header WWW-Authenticate');
    // Paths go through as they are: the gateway's own /dicom-web.
    expect(snippet).toContain('rewrite "^/dicom-web(/.*)$" "/dicom-web$1" break;');
    // The STOW location stays (the gateways decide by role).
    expect(conf).toContain('limit_except GET POST { deny all; }');
  });

  it('is accepted by nginx -t', () => {
    const r = nginxCheck(args);
    if (r) expect(r.log).toBe('');
    if (r) expect(r.ok).toBe(true);
  });

  it.each([
    [['--gateway', 'https://gw.example.org'], /http only/],
    [['--gateway', 'http://127.0.0.1:9001/dicom-web'], /an origin only/],
    [['--gateway', 'http://u:p@127.0.0.1:9001'], /an origin only/],
    [['--gateway', 'not a url'], /is not a URL/],
    [['--gateway', 'http://127.0.0.1:9001', '--gateway', 'http://127.0.0.1:9001/'], /given twice/],
    [['--gateway', 'http://127.0.0.1:9001', '--pacs', 'http://127.0.0.1:8042/dicom-web'], /not both/],
    [['--gateway', 'http://127.0.0.1:9001', '--pacs-auth-include', '/etc/nginx/pacs.conf'], /--pacs-auth-include is for --pacs/],
    [[], /--pacs \(or --gateway\)/],
  ])('refuses %j', (extra, message) => {
    expect(() => render(...extra)).toThrow(message);
  });
});

// Debian's nginx with the project's recipe (gateway/nginx), rendered for a test PACS, as a child process: the
// production alternative to the Node gateway, held to the same tests (e2e/gateway.spec.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, DIST_DIR } from './paths';
import { freePort, spawnGroup, waitForHttp, type GroupProcess } from './procs';
import { parseNginxArgs, writeNginx } from '../../gateway/nginx/render.mjs';

export const NGINX_BIN = process.env.E2E_NGINX_BIN || '/usr/sbin/nginx';

export interface NginxHandle {
  url: string;
  port: number;
  proc: GroupProcess;
  stop(): Promise<void>;
}

/**
 * nginx serving dist/ and forwarding /dicom-web to `pacs` (a DICOMweb root) under the recipe's rules, or, with
 * `gateways` (instance origins), /dicom-web and /api to those gateway instances, round robin.
 */
export async function startNginx(opts: {
  pacs?: string;
  gateways?: string[];
  config: Record<string, unknown>;
  upstreamTimeoutS?: number;
  clientConcurrency?: number;
}): Promise<NginxHandle> {
  if (!fs.existsSync(NGINX_BIN)) throw new Error(`${NGINX_BIN} not found: apt-get install -y nginx (see .ci/run)`);
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-nginx-'));
  const configPath = path.join(dir, 'config.json');
  fs.writeFileSync(configPath, JSON.stringify(opts.config, null, 2));
  const site = path.join(dir, 'site');
  const args = ['--root', DIST_DIR, '--out', site, '--listen', String(port), '--config', configPath, '--access-log', path.join(dir, 'access.log')];
  if (opts.pacs) args.push('--pacs', opts.pacs);
  for (const g of opts.gateways ?? []) args.push('--gateway', g);
  if (opts.upstreamTimeoutS) args.push('--upstream-timeout', String(opts.upstreamTimeoutS));
  if (opts.clientConcurrency) args.push('--client-concurrency', String(opts.clientConcurrency));
  writeNginx(parseNginxArgs(args));
  for (const t of ['body', 'proxy', 'fastcgi', 'uwsgi', 'scgi']) fs.mkdirSync(path.join(dir, 'tmp', t), { recursive: true, mode: 0o777 });
  // Started as root, nginx's workers run as an unprivileged user: they must read the rendered files and config.json.
  for (const p of [dir, site]) fs.chmodSync(p, 0o755);
  fs.chmodSync(configPath, 0o644);
  const conf = path.join(dir, 'nginx.conf');
  // The minimal main context a site's /etc/nginx/nginx.conf provides, with everything under the test's folder.
  fs.writeFileSync(
    conf,
    `daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  include /etc/nginx/mime.types;
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  include ${site}/lumen.conf;
}
`,
  );
  const proc = spawnGroup({
    name: 'nginx',
    command: NGINX_BIN,
    args: ['-c', conf, '-e', path.join(dir, 'error.log')],
    cwd: REPO_ROOT,
    logFile: path.join(dir, 'nginx.log'),
    cleanupDirs: [dir],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/config.json`, proc, 15000);
  } catch (e) {
    await proc.stop();
    const log = path.join(dir, 'error.log');
    const detail = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n${detail}`);
  }
  return {
    url,
    port,
    proc,
    async stop() {
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

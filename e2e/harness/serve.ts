// The production server (scripts/serve.mjs: the gateway) over dist/, as a child process, plus the stacks tests use.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT, DIST_DIR } from './paths';
import { closedPort, freePort, spawnGroup, waitForHttp, type GroupProcess } from './procs';
import { startOrthanc, uploadFiles, type OrthancHandle } from './orthanc';
import type { UploadFile } from './manifest';

/** The config.json the harness serves: the Orthanc proxy as default, and a data source that always 404s. */
export function testAppConfig(): Record<string, unknown> {
  return {
    dataSources: [
      { name: 'pacs', label: 'Test PACS', qidoRoot: '/dicom-web', wadoRoot: '/dicom-web', stowRoot: '/dicom-web' },
      // Served by an empty --mount: every request answers 404.
      { name: 'down', label: 'Down PACS', qidoRoot: '/down/dicom-web', wadoRoot: '/down/dicom-web' },
    ],
    defaultDataSource: 'pacs',
  };
}

export interface ServeOptions {
  /** PACS DICOMweb root the /dicom-web proxy forwards to; none when omitted. */
  pacs?: string;
  /** config.json content (an object) served instead of dist/config.json; testAppConfig() when omitted. */
  config?: Record<string, unknown>;
  port?: number;
  /** Extra --mount prefix=dir pairs. */
  mounts?: Record<string, string>;
  root?: string;
  /** More command-line options for the gateway (e.g. ['--upstream-timeout', '2']). */
  args?: string[];
  /**
   * More options that name files in the gateway's own temporary folder `dir` (an audit file, a spool), which is
   * removed with the gateway (and by the watchdog if the test process dies).
   */
  argsIn?: (dir: string) => string[];
}

export interface ServeHandle {
  /** http://127.0.0.1:PORT (no trailing slash) */
  url: string;
  port: number;
  configPath: string;
  /** The gateway's temporary folder (config.json, its log, what `argsIn` put there); removed by stop(). */
  dir: string;
  proc: GroupProcess;
  stop(): Promise<void>;
}

export async function startServe(opts: ServeOptions = {}): Promise<ServeHandle> {
  const root = opts.root ?? DIST_DIR;
  if (!fs.existsSync(path.join(root, 'index.html'))) throw new Error(`${root}/index.html missing: run npm run build`);
  const port = opts.port ?? (await freePort());
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-e2e-serve-'));
  const configPath = path.join(dir, 'config.json');
  fs.writeFileSync(configPath, JSON.stringify(opts.config ?? testAppConfig(), null, 2));
  const emptyDir = path.join(dir, 'empty');
  fs.mkdirSync(emptyDir);
  const mounts = { '/down/dicom-web': emptyDir, ...opts.mounts };
  const args = [path.join(REPO_ROOT, 'scripts/serve.mjs'), '--root', root, '--port', String(port), '--host', '127.0.0.1'];
  args.push('--config', configPath);
  if (opts.pacs) args.push('--pacs', opts.pacs);
  for (const [prefix, d] of Object.entries(mounts)) args.push('--mount', `${prefix}=${d}`);
  args.push(...(opts.args ?? []), ...(opts.argsIn?.(dir) ?? []));
  const env = { ...process.env };
  delete env.PACS_URL;
  const proc = spawnGroup({
    name: 'serve.mjs',
    command: process.execPath,
    args,
    cwd: REPO_ROOT,
    env,
    logFile: path.join(dir, 'serve.log'),
    cleanupDirs: [dir],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/config.json`, proc, 15000);
  } catch (e) {
    await proc.stop();
    fs.rmSync(dir, { recursive: true, force: true });
    throw e;
  }
  return {
    url,
    port,
    configPath,
    dir,
    proc,
    async stop() {
      // A gateway that ended before it was asked to is a failure to see: its log goes with the test's output.
      const early = await Promise.race([proc.exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 0))]);
      if (early !== undefined) console.error(`[e2e] serve.mjs on ${url} had exited (${early}) before stop:\n${proc.tail(60)}`);
      await proc.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A viewer whose PACS is unreachable: its /dicom-web proxy points at a closed loopback port, so every
 * DICOMweb request gets 502 "PACS at … unreachable: ECONNREFUSED" from serve.mjs.
 */
export async function startPacsDownServer(opts: Omit<ServeOptions, 'pacs'> = {}): Promise<ServeHandle> {
  const port = await closedPort();
  return startServe({ ...opts, pacs: `http://127.0.0.1:${port}/dicom-web` });
}

export interface Stack {
  orthanc: OrthancHandle;
  serve: ServeHandle;
  /** Viewer origin, e.g. http://127.0.0.1:PORT */
  url: string;
  /** Stops Orthanc but keeps its data: the proxy then answers 502 (connection refused). */
  pacsDown(): Promise<void>;
  /** Starts Orthanc again on the same port with the same data. */
  pacsUp(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A private Orthanc + serve.mjs pair for a test that must take the PACS down and up again without
 * disturbing other tests. `files` (e.g. manifest.uploads filtered by label) are loaded first.
 */
export async function startStack(opts: { files?: UploadFile[]; config?: Record<string, unknown> } = {}): Promise<Stack> {
  const servePort = await freePort();
  const orthanc = await startOrthanc({ publicHost: `127.0.0.1:${servePort}`, name: 'lumen-e2e-extra' });
  try {
    if (opts.files?.length) await uploadFiles(orthanc.url, opts.files);
    const serve = await startServe({ pacs: orthanc.dicomWebUrl, port: servePort, config: opts.config });
    let up = true;
    return {
      orthanc,
      serve,
      url: serve.url,
      async pacsDown() {
        if (up) await orthanc.stop({ keepStorage: true });
        up = false;
      },
      async pacsUp() {
        if (!up) await orthanc.restart();
        up = true;
      },
      async stop() {
        await serve.stop();
        if (up) await orthanc.stop();
        else fs.rmSync(orthanc.storageDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    await orthanc.stop();
    throw e;
  }
}

// Playwright global setup: build (if stale) → test data (if stale) → Orthanc + upload → serve.mjs.
// Everything it starts is recorded in .cache/e2e-run.json and stopped by global-teardown.ts; the process
// groups are also killed when this process exits, and by a watchdog if it is SIGKILLed.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FullConfig } from '@playwright/test';
import { CACHE_DIR, DIST_DIR, MANIFEST_PATH, REPO_ROOT, RUN_FILE } from './paths';
import { freePort, killGroup } from './procs';
import { startOrthanc, uploadFiles } from './orthanc';
import { startServe } from './serve';
import { loadManifest, writeRunInfo, type FrameProbe, type RunInfo } from './run-info';
import type { Manifest } from './manifest';

function log(msg: string): void {
  console.log(`[e2e setup] ${msg}`);
}

function newestMtime(p: string, skip: (p: string) => boolean): number {
  if (!fs.existsSync(p) || skip(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = 0;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e), skip));
  return max;
}

/** Builds dist/ with `npm run build` unless dist/index.html is newer than every build input. */
function ensureBuild(): void {
  if (process.env.E2E_SKIP_BUILD === '1' || process.env.E2E_DIST) {
    log(`using ${path.relative(REPO_ROOT, DIST_DIR) || DIST_DIR} as it is (E2E_SKIP_BUILD / E2E_DIST)`);
    if (!fs.existsSync(path.join(DIST_DIR, 'index.html'))) throw new Error(`${DIST_DIR}/index.html missing`);
    return;
  }
  const indexHtml = path.join(DIST_DIR, 'index.html');
  const inputs = ['src', 'build', 'patches', 'public', 'index.html', 'vite.config.ts', 'tsconfig.json', 'package.json', 'package-lock.json'];
  const skip = (p: string) => p.startsWith(path.join(REPO_ROOT, 'public', 'demo')) || /\.test\.tsx?$/.test(p);
  const newestInput = Math.max(...inputs.map((i) => newestMtime(path.join(REPO_ROOT, i), skip)));
  const built = fs.existsSync(indexHtml) ? fs.statSync(indexHtml).mtimeMs : 0;
  if (built && built >= newestInput) {
    log('dist/ is up to date');
    return;
  }
  log(built ? 'dist/ is older than src/: running npm run build' : 'dist/ is missing: running npm run build');
  const r = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (exit ${r.status ?? r.signal})`);
}

function prepareData(): void {
  const tsx = path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx');
  const r = spawnSync(tsx, [path.join(REPO_ROOT, 'scripts', 'prepare-e2e-data.mjs')], { cwd: REPO_ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`scripts/prepare-e2e-data.mjs failed (exit ${r.status ?? r.signal})`);
}

/** Kills what a previous run that died without teardown left behind (only if the PID still is ours). */
async function cleanStaleRun(): Promise<void> {
  if (!fs.existsSync(RUN_FILE)) return;
  try {
    const old = JSON.parse(fs.readFileSync(RUN_FILE, 'utf8')) as RunInfo;
    for (const p of old.processes) {
      let cmdline = '';
      try {
        cmdline = fs.readFileSync(`/proc/${p.pid}/cmdline`, 'utf8');
      } catch {
        continue;
      }
      if (cmdline.includes(p.marker)) {
        log(`stopping ${p.name} (pid ${p.pid}) left by an earlier run`);
        await killGroup(p.pid);
      }
    }
    for (const d of old.tempDirs) fs.rmSync(d, { recursive: true, force: true });
  } catch {
    // unreadable: ignore
  }
  fs.rmSync(RUN_FILE, { force: true });
}

/** Asks for frame 1 of every entry's first instance, with and without `transfer-syntax=*`. */
async function probeFrames(baseURL: string, manifest: Manifest): Promise<RunInfo['frameProbes']> {
  const get = async (url: string, accept: string): Promise<FrameProbe> => {
    try {
      const res = await fetch(url, { headers: { Accept: accept } });
      await res.arrayBuffer();
      const ts = /transfer-syntax=([0-9.*]+)/.exec(res.headers.get('content-type') ?? '');
      return { status: res.status, transferSyntax: res.ok && ts ? ts[1]! : null };
    } catch {
      return { status: 0, transferSyntax: null };
    }
  };
  const out: RunInfo['frameProbes'] = {};
  for (const e of manifest.entries) {
    const url = `${baseURL}/dicom-web/studies/${e.studyInstanceUID}/series/${e.seriesInstanceUID}/instances/${e.sopInstanceUID}/frames/1`;
    out[e.label] = {
      star: await get(url, 'multipart/related; type="application/octet-stream"; transfer-syntax=*'),
      plain: await get(url, 'multipart/related; type="application/octet-stream"'),
    };
  }
  return out;
}

export default async function globalSetup(_config: FullConfig): Promise<void> {
  const t0 = Date.now();
  const timings: Record<string, number> = {};
  const mark = (name: string, since: number) => (timings[name] = Date.now() - since);
  fs.mkdirSync(CACHE_DIR, { recursive: true });
  await cleanStaleRun();

  let t = Date.now();
  ensureBuild();
  mark('build', t);

  t = Date.now();
  prepareData();
  mark('data', t);
  const manifest = loadManifest();

  // The viewer's port is chosen first so Orthanc can write same-origin absolute URLs (RetrieveURL, BulkDataURI).
  const servePort = await freePort();
  t = Date.now();
  const orthanc = await startOrthanc({ publicHost: `127.0.0.1:${servePort}` });
  mark('orthancStart', t);
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  try {
    t = Date.now();
    const files = manifest.uploads.map((u) => ({ ...u, path: path.resolve(REPO_ROOT, u.path) }));
    const up = await uploadFiles(orthanc.url, files, 4);
    mark('orthancLoad', t);
    const stats = (await (await fetch(`${orthanc.url}/statistics`)).json()) as { CountInstances: number; CountStudies: number };
    if (stats.CountInstances !== manifest.instanceCount || stats.CountStudies !== manifest.studyCount) {
      throw new Error(
        `Orthanc holds ${stats.CountStudies} studies / ${stats.CountInstances} instances, ` +
          `the manifest expects ${manifest.studyCount} / ${manifest.instanceCount}`,
      );
    }
    log(`Orthanc ${orthanc.url}: ${up.stored} instances in ${manifest.studyCount} studies loaded in ${up.ms} ms`);

    t = Date.now();
    serve = await startServe({ pacs: orthanc.dicomWebUrl, port: servePort });
    mark('serveStart', t);
    t = Date.now();
    const frameProbes = await probeFrames(serve.url, manifest);
    mark('frameProbes', t);
    const odd = Object.entries(frameProbes)
      .filter(([, p]) => p.star.status !== 200 || p.plain.status !== 200)
      .map(([label, p]) => `${label} (transfer-syntax=* → ${p.star.status}, none → ${p.plain.status})`);
    if (odd.length) log(`frames Orthanc does not serve as stored: ${odd.join(', ')}`);
    timings.total = Date.now() - t0;
    writeRunInfo({
      baseURL: serve.url,
      orthancUrl: orthanc.url,
      orthancDicomWebUrl: orthanc.dicomWebUrl,
      manifestPath: MANIFEST_PATH,
      startedAt: new Date().toISOString(),
      processes: [
        { name: 'Orthanc', pid: orthanc.proc.pid, marker: orthanc.storageDir, watchdogPid: orthanc.proc.watchdogPid },
        { name: 'serve.mjs', pid: serve.proc.pid, marker: 'serve.mjs', watchdogPid: serve.proc.watchdogPid },
      ],
      tempDirs: [orthanc.storageDir, path.dirname(serve.configPath)],
      timings,
      frameProbes,
    });
    log(`viewer ${serve.url} (proxy /dicom-web → ${orthanc.dicomWebUrl}); setup ${(timings.total / 1000).toFixed(1)} s ${JSON.stringify(timings)}`);
  } catch (e) {
    await serve?.stop();
    await orthanc.stop();
    throw e;
  }
}

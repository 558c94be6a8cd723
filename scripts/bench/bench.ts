// `npm run bench [-- options]`: the viewer against OHIF on the same loopback Orthanc and data, in one run.
//   --peer            also serve OHIF 3.13.2 (../shared/bench/peer-ohif.sh; OHIF stays in /tmp/viewer-peer)
//   --runs N          cold opens per viewer and study (default 3)
//   --studies a,b     from ct200, ct600, mr, ctjls (default: these), ct1000 (a 1000-slice CT: opens and scrolls?)
//   --throttle MBIT   emulate a slow link (MBIT Mbit/s, 10 ms)
//   --transfer-syntax UID  our data source asks for frames in this syntax (its requestTransferSyntaxUID; Orthanc
//                     transcodes with DCMTK: 1.2.840.10008.1.2.4.80 JPEG-LS lossless works), as a site whose PACS
//                     compresses would configure it; OHIF keeps its own default
//   --no-bulk         our data source without bulkRetrieve (every frame its own WADO-RS request; by default the
//                     bench's Orthanc is configured as a server that offers series retrieval, as it does)
//   --smoke           a 20-slice CT, one run, our viewer only: checks that the bench works (CI runs this)
//   --no-mpr          skip the MPR opens (a link straight to MPR of the CTs, timed until three planes show)
//   --no-build        use dist/ as it is
//   --no-write        do not write the dated markdown record under docs/bench/
// Prints a table (median and range per measure, our/OHIF ratios), writes every run's measures to reports/bench.json
// and the table, with the command line, machine and commit, to docs/bench/YYYY-MM-DD-HHMM.md (UTC; not for --smoke).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { startOrthanc, uploadFiles, type OrthancHandle } from '../../e2e/harness/orthanc.ts';
import { startServe, type ServeHandle } from '../../e2e/harness/serve.ts';
import { freePort } from '../../e2e/harness/procs.ts';
import { generateDemoDicom, type DemoFile } from '../demo/demoDicom.ts';
import { measureOpen, summarize, type OpenResult } from './measure.ts';
import { gitCommit, writeBenchMarkdown } from './report.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
// Bump the version when what prepare() writes changes.
const CACHE = path.join(ROOT, '.cache/bench/v2');
const PEER_SCRIPT = path.resolve(ROOT, '../shared/bench/peer-ohif.sh');

interface Study {
  name: string;
  description: string;
  studyInstanceUID: string;
  frames: number;
  files: string[];
  /** Measure the scroll rate on this one. */
  scroll: boolean;
  /** Also time a link straight to MPR of it. */
  mpr?: boolean;
}

interface Options {
  peer: boolean;
  runs: number;
  studies: string[];
  throttle?: number;
  transferSyntax?: string;
  bulk: boolean;
  smoke: boolean;
  build: boolean;
  mpr: boolean;
  /** Write the dated markdown record under docs/bench/. */
  write: boolean;
}

function parseArgs(argv: string[]): Options {
  const o: Options = { peer: false, runs: 3, studies: ['ct200', 'ct600', 'mr', 'ctjls'], smoke: false, build: true, mpr: true, bulk: true, write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--peer') o.peer = true;
    else if (a === '--runs') o.runs = Number(argv[++i]);
    else if (a === '--studies') o.studies = String(argv[++i]).split(',');
    else if (a === '--throttle') o.throttle = Number(argv[++i]);
    else if (a === '--transfer-syntax') o.transferSyntax = String(argv[++i]);
    else if (a === '--smoke') o.smoke = true;
    else if (a === '--no-build') o.build = false;
    else if (a === '--no-mpr') o.mpr = false;
    else if (a === '--no-bulk') o.bulk = false;
    else if (a === '--no-write') o.write = false;
    else throw new Error(`unknown option ${a} (see the top of scripts/bench/bench.ts)`);
  }
  if (!Number.isInteger(o.runs) || o.runs < 1) throw new Error('--runs wants a positive integer');
  if (o.smoke) Object.assign(o, { peer: false, runs: 1, studies: ['smoke'] });
  return o;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

/** Generates (once, cached under .cache/bench) the series a study needs; every study has its own UIDs. */
function prepare(name: string): Study {
  const dir = path.join(CACHE, name);
  const done = path.join(dir, 'study.json');
  if (fs.existsSync(done)) return JSON.parse(fs.readFileSync(done, 'utf8')) as Study;
  fs.rmSync(dir, { recursive: true, force: true });
  const slices = { smoke: 20, ct200: 200, ct600: 600, ct1000: 1000, mr: 2, ctjls: 200 }[name];
  if (!slices) throw new Error(`unknown study ${name}`);
  console.log(`generating ${name}…`);
  // Long CTs are thinner, so every slice cuts the phantom (air-only slices look like no image at all).
  const ctSpacing = name === 'ct600' ? 0.5 : name === 'ct1000' ? 0.3 : 1.5;
  const files = generateDemoDicom(path.join(dir, 'src'), { ctSlices: slices, ctSpacing, uidSeed: `bench/${name}` });
  const pick = (kind: DemoFile['kind']) => files.filter((f) => f.kind === kind);
  let chosen = name === 'mr' ? pick('mr') : pick('ct');
  let description = name === 'mr' ? `MR, ${chosen.length} × 256²` : `CT, ${chosen.length} × 512², explicit VR LE`;
  if (name === 'ctjls') {
    // The same kind of CT stored JPEG-LS lossless, as a PACS that compresses on arrival keeps it.
    fs.mkdirSync(path.join(dir, 'jls'), { recursive: true });
    chosen = chosen.map((f) => {
      const out = path.join(dir, 'jls', path.basename(f.path));
      run('dcmcjpls', [f.path, out]);
      return { ...f, path: out };
    });
    description = `CT, ${chosen.length} × 512², JPEG-LS lossless`;
  }
  const study: Study = {
    name,
    description,
    studyInstanceUID: chosen[0]!.studyInstanceUID,
    frames: chosen.reduce((n, f) => n + f.frames, 0),
    files: chosen.map((f) => f.path),
    scroll: name === 'ct200' || name === 'ct1000' || name === 'smoke',
    mpr: name === 'ct200' || name === 'smoke',
  };
  fs.writeFileSync(done, JSON.stringify(study));
  return study;
}

async function startPeer(orthanc: OrthancHandle): Promise<{ url: string; stop(): void }> {
  if (!fs.existsSync(PEER_SCRIPT)) throw new Error(`${PEER_SCRIPT} not found (--peer needs ../shared/bench)`);
  const port = await freePort();
  const orthancPort = new URL(orthanc.url).port;
  await new Promise<void>((resolve, reject) => {
    const p = spawn('bash', [PEER_SCRIPT, orthancPort, String(port)], { stdio: ['ignore', 'inherit', 'inherit'] });
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`peer-ohif.sh exited ${code}`))));
  });
  const pidFile = `/tmp/viewer-peer/serve-${port}.pid`;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () => {
      try {
        process.kill(Number(fs.readFileSync(pidFile, 'utf8')));
      } catch {
        // already gone
      }
    },
  };
}

const fmt = {
  ms: (v: number | null) => (v === null ? '—' : v >= 10_000 ? `${(v / 1000).toFixed(1)} s` : `${Math.round(v)} ms`),
  mb: (v: number | null) => (v === null ? '—' : `${(v / 1e6).toFixed(v < 1e7 ? 2 : 1)} MB`),
  fps: (v: number | null) => (v === null ? '—' : `${v.toFixed(1)}/s`),
};

type Measure = 'firstImageMs' | 'allFramesMs' | 'jsBeforeFirstImage' | 'peakHeap' | 'scrollImagesPerSecond' | 'mprReadyMs';
const MEASURES: { key: Measure; label: string; unit: keyof typeof fmt }[] = [
  { key: 'firstImageMs', label: 'first image', unit: 'ms' },
  { key: 'allFramesMs', label: 'all frames', unit: 'ms' },
  { key: 'scrollImagesPerSecond', label: 'scroll (cached)', unit: 'fps' },
  { key: 'mprReadyMs', label: 'MPR ready', unit: 'ms' },
  { key: 'jsBeforeFirstImage', label: 'JS before first image', unit: 'mb' },
  { key: 'peakHeap', label: 'peak JS heap', unit: 'mb' },
];

export async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  if (opts.build) run(process.execPath, [path.join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'error']);
  const studies = opts.studies.map(prepare);
  const orthanc = await startOrthanc({ name: 'lumen-bench' });
  let ours: ServeHandle | undefined;
  let peer: { url: string; stop(): void } | undefined;
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--enable-unsafe-swiftshader'],
  });
  try {
    for (const s of studies) {
      // Throws naming every file Orthanc did not store.
      await uploadFiles(orthanc.url, s.files.map((f) => ({ path: f, label: s.name, expectRejected: false })));
    }
    ours = await startServe({
      pacs: orthanc.dicomWebUrl,
      config: {
        dataSources: [
          {
            name: 'pacs',
            label: 'Bench PACS',
            qidoRoot: '/dicom-web',
            wadoRoot: '/dicom-web',
            ...(opts.transferSyntax ? { requestTransferSyntaxUID: opts.transferSyntax } : {}),
            bulkRetrieve: opts.bulk,
          },
        ],
      },
    });
    if (opts.peer) peer = await startPeer(orthanc);
    const viewers = [{ name: 'lumen', url: ours.url }, ...(peer ? [{ name: 'ohif', url: peer.url }] : [])];
    const results: Record<string, Record<string, OpenResult[]>> = {};
    for (const s of studies) {
      results[s.name] = {};
      for (let r = 0; r < opts.runs; r++) {
        // Alternate the viewers run by run, so drift of the machine hits both alike.
        for (const v of r % 2 ? [...viewers].reverse() : viewers) {
          // One viewport each: OHIF's default protocol shows one, and ours would hang this chest CT twice (soft
          // tissue beside lung), doubling what is drawn while scrolling.
          const single = v.name === 'ohif' ? '' : '&layout=1x1';
          const res = await measureOpen(browser, `${v.url}/viewer?StudyInstanceUIDs=${s.studyInstanceUID}${single}`, {
            frames: s.frames,
            scroll: s.scroll,
            throttleMbit: opts.throttle,
            timeoutMs: opts.throttle ? 180_000 : 90_000,
          });
          if (opts.mpr && s.mpr) {
            // Another cold open, straight to MPR (OHIF by its MPR hanging protocol, ours by its layout).
            const query = v.name === 'ohif' ? 'hangingprotocolId=mpr' : 'layout=mpr';
            const mpr = await measureOpen(browser, `${v.url}/viewer?StudyInstanceUIDs=${s.studyInstanceUID}&${query}`, {
              frames: s.frames,
              mpr: true,
              throttleMbit: opts.throttle,
              timeoutMs: opts.throttle ? 180_000 : 90_000,
            });
            res.mprReadyMs = mpr.mprReadyMs;
            res.errors.push(...mpr.errors.map((e) => `MPR: ${e}`));
          }
          (results[s.name]![v.name] ??= []).push(res);
          console.log(`${s.name} ${v.name} run ${r + 1}: ${JSON.stringify(res)}`);
        }
      }
    }
    // The table.
    const lines: string[] = [];
    const cores = os.cpus().length;
    lines.push(
      `Benchmark ${new Date().toISOString()} · ${cores} cores · ${os.cpus()[0]?.model ?? ''} · ${opts.runs} runs${opts.throttle ? ` · ${opts.throttle} Mbit/s` : ''}${opts.transferSyntax ? ` · lumen asks for ${opts.transferSyntax}` : ''}${opts.bulk ? '' : ' · no bulk retrieval'}`,
    );
    lines.push(`| study | measure | lumen median (range) | ${peer ? 'OHIF median (range) | lumen/OHIF |' : ''}`);
    lines.push(`| --- | --- | --- | ${peer ? '--- | --- |' : ''}`);
    const summary: Record<string, Record<string, Record<string, ReturnType<typeof summarize>>>> = {};
    for (const s of studies) {
      summary[s.name] = {};
      for (const m of MEASURES) {
        if (m.key === 'scrollImagesPerSecond' && !s.scroll) continue;
        if (m.key === 'mprReadyMs' && !(opts.mpr && s.mpr)) continue;
        const cell = (viewer: string) => {
          const sum = summarize((results[s.name]![viewer] ?? []).map((x) => x[m.key]));
          ((summary[s.name]![viewer] ??= {})[m.key] = sum);
          return sum;
        };
        const a = cell('lumen');
        const show = (x: ReturnType<typeof summarize>) =>
          x.median === null ? '—' : `${fmt[m.unit](x.median)} (${fmt[m.unit](x.min)}–${fmt[m.unit](x.max)})`;
        let row = `| ${s.name}: ${s.description} | ${m.label} | ${show(a)} |`;
        if (peer) {
          const b = cell('ohif');
          const ratio = a.median !== null && b.median ? (a.median / b.median).toFixed(2) : '—';
          row += ` ${show(b)} | ${ratio} |`;
        }
        lines.push(row);
      }
    }
    console.log('\n' + lines.join('\n'));
    fs.mkdirSync(path.join(ROOT, 'reports'), { recursive: true });
    const out = path.join(ROOT, 'reports', opts.smoke ? 'bench-smoke.json' : 'bench.json');
    fs.writeFileSync(out, JSON.stringify({ date: new Date().toISOString(), cores, options: opts, studies, summary, results, table: lines }, null, 1));
    console.log(`\nwritten ${path.relative(ROOT, out)}`);
    // The smoke run is a check (CI runs it), not a result to keep.
    if (opts.write && !opts.smoke) {
      const md = writeBenchMarkdown(path.join(ROOT, 'docs/bench'), {
        date: new Date(),
        argv,
        cores,
        cpuModel: os.cpus()[0]?.model ?? '',
        commit: gitCommit(ROOT),
        table: lines,
      });
      console.log(`written ${path.relative(ROOT, md)} (commit it to keep the result; see docs/bench/README.md)`);
    }
    // The smoke run fails when nothing could be measured (a broken bench, not a slow machine).
    if (opts.smoke) {
      const r = results.smoke!.lumen![0]!;
      if (r.firstImageMs === null || r.allFramesMs === null || r.jsBeforeFirstImage <= 0 || r.peakHeap <= 0 || !r.scrollImagesPerSecond || (opts.mpr && r.mprReadyMs === null)) {
        console.error('bench smoke: a measure is missing', r);
        return 1;
      }
    }
    return 0;
  } finally {
    await browser.close();
    peer?.stop();
    await ours?.stop();
    await orthanc.stop();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? e.message : e);
      process.exit(1);
    },
  );
}

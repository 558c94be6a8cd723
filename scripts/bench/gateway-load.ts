// npm run bench:gateway [-- --seconds 15] [--soak-minutes 10] [--connections 50,200] [--no-write]
//
// The gateway is the one point every reader's frames pass through. This drives many concurrent clients (autocannon)
// fetching the demo CT's frames and metadata from a real Orthanc, straight and through the gateway, in the same run,
// and reports throughput and p50/p99 latency for both; then a soak through the gateway whose memory is sampled.
// Writes docs/bench/gateway-YYYY-MM-DD-HHMM.md (unless --no-write). Loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { generateDemoDicom } from '../demo/demoDicom.ts';
import { startOrthanc, uploadFiles } from '../../e2e/harness/orthanc.ts';
import { startServe, testAppConfig } from '../../e2e/harness/serve.ts';
import { gitCommit } from './report.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

interface Opts {
  seconds: number;
  soakMinutes: number;
  connections: number[];
  write: boolean;
}

function parse(argv: string[]): Opts {
  const o: Opts = { seconds: 15, soakMinutes: 10, connections: [50, 200], write: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--soak-minutes') o.soakMinutes = Number(v());
    else if (a === '--connections') o.connections = v().split(',').map(Number);
    else if (a === '--no-write') o.write = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

interface Run {
  target: string;
  connections: number;
  requests: number;
  rps: number;
  mbps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** Cycles every connection through the frames of the series and, one request in ten, its metadata. */
async function load(base: string, paths: string[], connections: number, seconds: number, target: string): Promise<Run> {
  let n = 0;
  const result = await autocannon({
    url: base,
    connections,
    duration: seconds,
    requests: [
      {
        method: 'GET',
        setupRequest: (req) => ({ ...req, path: paths[n++ % paths.length] }),
        headers: { accept: 'multipart/related; type="application/octet-stream"; transfer-syntax=*' },
      },
    ],
  });
  return {
    target,
    connections,
    requests: result.requests.total,
    rps: result.requests.average,
    mbps: result.throughput.average / 2 ** 20,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
  };
}

function rssMB(pid: number): number {
  const m = /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

async function main() {
  const o = parse(process.argv.slice(2));
  const dicomDir = path.join(ROOT, '.cache', 'bench-gateway-dicom');
  const files = generateDemoDicom(dicomDir, { uidSeed: 'gateway-load' }).filter((f) => f.kind === 'ct');
  const orthanc = await startOrthanc({ name: 'lumen-bench-gateway' });
  const lines: string[] = [];
  try {
    await uploadFiles(orthanc.url, files.map((f) => ({ path: f.path, label: 'ct', expectRejected: false })));
    const f0 = files[0]!;
    const series = `/dicom-web/studies/${f0.studyInstanceUID}/series/${f0.seriesInstanceUID}`;
    const paths = files.flatMap((f, i) => [
      `${series}/instances/${f.sopInstanceUID}/frames/1`,
      ...(i % 10 === 0 ? [`${series}/metadata`] : []),
    ]);
    const gw = await startServe({ pacs: orthanc.dicomWebUrl, config: testAppConfig() });
    try {
      // Warm both (Orthanc's caches, the gateway's connection pool) so neither pays first-touch costs in its run.
      await load(orthanc.url, paths, 8, 3, 'warm');
      await load(gw.url, paths, 8, 3, 'warm');
      const runs: Run[] = [];
      for (const c of o.connections) {
        runs.push(await load(orthanc.url, paths, c, o.seconds, 'Orthanc direct'));
        runs.push(await load(gw.url, paths, c, o.seconds, 'gateway'));
        const [d, g] = runs.slice(-2) as [Run, Run];
        console.log(`${c} clients: direct ${d.rps.toFixed(0)} req/s, gateway ${g.rps.toFixed(0)} req/s (${(g.rps / d.rps).toFixed(2)})`);
      }
      lines.push(
        `Demo CT (${files.length} frames of 512², uncompressed, 1 in 10 requests the series metadata), ${o.seconds} s per run, autocannon, loopback.`,
        '',
        '| clients | target | req/s | MB/s | p50 ms | p99 ms | errors | non-2xx | gateway/direct |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      );
      for (let i = 0; i < runs.length; i += 2) {
        const [d, g] = [runs[i]!, runs[i + 1]!];
        for (const r of [d, g]) {
          lines.push(
            `| ${r.connections} | ${r.target} | ${r.rps.toFixed(0)} | ${r.mbps.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r === g ? (g.rps / d.rps).toFixed(2) : ''} |`,
          );
        }
      }
      if (o.soakMinutes > 0) {
        // The spawned group's leader is the gateway's Node process.
        const pid = gw.proc.pid;
        const samples: number[] = [rssMB(pid)];
        const timer = setInterval(() => samples.push(rssMB(pid)), 10_000);
        const soak = await load(gw.url, paths, 50, o.soakMinutes * 60, 'gateway soak');
        clearInterval(timer);
        samples.push(rssMB(pid));
        const firstMinute = samples.slice(0, 7);
        const lastMinute = samples.slice(-6);
        const avg = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
        lines.push(
          '',
          `Soak: ${o.soakMinutes} min, 50 clients through the gateway: ${soak.requests} requests, ${soak.rps.toFixed(0)} req/s, p99 ${soak.p99} ms, ` +
            `${soak.errors} errors, ${soak.non2xx} non-2xx. Gateway RSS (MB, sampled every 10 s): start ${samples[0]!.toFixed(0)}, ` +
            `first minute ${avg(firstMinute).toFixed(0)}, last minute ${avg(lastMinute).toFixed(0)}, max ${Math.max(...samples).toFixed(0)}.`,
        );
      }
    } finally {
      await gw.stop();
    }
  } finally {
    await orthanc.stop();
  }
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const now = new Date();
  const md = [
    `# Gateway load ${now.toISOString().slice(0, 16).replace('T', ' ')} UTC`,
    '',
    `- Command: \`npm run bench:gateway -- ${process.argv.slice(2).join(' ')}\``.replace(/ -- `$/, '`'),
    `- Machine: ${os.cpus().length} cores, ${cpu}`,
    `- Commit: ${gitCommit(ROOT)}`,
    '',
    ...lines,
    '',
  ].join('\n');
  console.log('\n' + md);
  if (o.write) {
    const p = (n: number) => String(n).padStart(2, '0');
    const file = path.join(ROOT, 'docs', 'bench', `gateway-${now.getUTCFullYear()}-${p(now.getUTCMonth() + 1)}-${p(now.getUTCDate())}-${p(now.getUTCHours())}${p(now.getUTCMinutes())}.md`);
    fs.writeFileSync(file, md);
    console.log(`wrote ${path.relative(ROOT, file)}`);
  }
}

await main();

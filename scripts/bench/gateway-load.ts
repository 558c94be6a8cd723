// npm run bench:gateway [-- --seconds 15] [--soak-minutes 10] [--connections 50,200] [--no-pin] [--no-write]
//
// The gateway is the one point every reader's frames pass through. This drives many concurrent clients (autocannon)
// fetching the demo CT's frames and instance metadata from a real Orthanc, straight and through the gateway, in the same run,
// and reports throughput and p50/p99 latency for both; then a soak through the gateway whose memory is sampled.
// Writes docs/bench/gateway-YYYY-MM-DD-HHMM.md (unless --no-write). Loopback only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import { generateDemoDicom } from '../demo/demoDicom.ts';
import { startOrthanc, uploadFiles } from '../../e2e/harness/orthanc.ts';
import { startServe, testAppConfig } from '../../e2e/harness/serve.ts';
import { startNginx } from '../../e2e/harness/nginx.ts';
import { gitCommit } from './report.ts';

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

interface Opts {
  seconds: number;
  soakMinutes: number;
  connections: number[];
  write: boolean;
  pin: boolean;
}

function parse(argv: string[]): Opts {
  const o: Opts = { seconds: 15, soakMinutes: 10, connections: [50, 200], write: true, pin: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const v = () => argv[++i] ?? '';
    if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--soak-minutes') o.soakMinutes = Number(v());
    else if (a === '--connections') o.connections = v().split(',').map(Number);
    else if (a === '--no-write') o.write = false;
    else if (a === '--no-pin') o.pin = false;
    else throw new Error(`unknown option ${a}`);
  }
  return o;
}

/**
 * On a small machine the PACS, the load tool and the gateway compete for the same cores, so the gateway's share
 * would read as the PACS's loss. Orthanc gets core 0 to itself; this process (the load tool) and the gateway share
 * the others, in both the direct and the gateway runs. Returns a note for the report.
 */
function pin(orthancPid: number, others: number[]): string {
  const cores = os.cpus().length;
  if (cores < 2) return 'not pinned (one core)';
  const rest = `1-${cores - 1}`;
  const ok = [spawnSync('taskset', ['-a', '-p', '-c', '0', String(orthancPid)]), ...others.map((p) => spawnSync('taskset', ['-a', '-p', '-c', rest, String(p)]))].every((r) => r.status === 0);
  return ok ? `Orthanc pinned to core 0, the load tool and the gateway to cores ${rest}` : 'not pinned (taskset failed)';
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
        setupRequest: (req) => {
          const path = paths[n++ % paths.length]!;
          const accept = path.endsWith('/metadata') ? 'application/dicom+json' : 'multipart/related; type="application/octet-stream"; transfer-syntax=*';
          return { ...req, path, headers: { ...req.headers, accept } };
        },
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
    // Frames, and one request in ten an instance's metadata (the series' whole metadata, 200 instances read from
    // disk per request, would make Orthanc's JSON the only thing measured).
    const paths = files.flatMap((f, i) => [
      `${series}/instances/${f.sopInstanceUID}/frames/1`,
      ...(i % 10 === 0 ? [`${series}/instances/${f.sopInstanceUID}/metadata`] : []),
    ]);
    const pinned = o.pin ? pin(orthanc.proc.pid, [process.pid]) : 'no processes pinned';
    // Every load client comes from the one loopback address, where real readers each have their own: the
    // per-client limit is raised so that it measures the gateway's forwarding, not one client's queue.
    const gw = await startServe({ pacs: orthanc.dicomWebUrl, config: testAppConfig(), args: ['--client-concurrency', '512'] });
    if (o.pin) pin(orthanc.proc.pid, [gw.proc.pid]);
    // nginx with the project's recipe, for scale: what any proxy costs on this machine.
    const ng = await startNginx({ pacs: orthanc.dicomWebUrl, config: testAppConfig(), clientConcurrency: 512 });
    if (o.pin) pin(orthanc.proc.pid, [ng.proc.pid]);
    try {
      // Warm both (Orthanc's caches, the gateway's connection pool) so neither pays first-touch costs in its run.
      await load(orthanc.url, paths, 8, 3, 'warm');
      await load(gw.url, paths, 8, 3, 'warm');
      await load(ng.url, paths, 8, 3, 'warm');
      const runs: Run[] = [];
      for (const c of o.connections) {
        runs.push(await load(orthanc.url, paths, c, o.seconds, 'Orthanc direct'));
        runs.push(await load(gw.url, paths, c, o.seconds, 'gateway'));
        runs.push(await load(ng.url, paths, c, o.seconds, 'nginx recipe'));
        const [d, g, n] = runs.slice(-3) as [Run, Run, Run];
        console.log(`${c} clients: direct ${d.rps.toFixed(0)} req/s, gateway ${g.rps.toFixed(0)} (${(g.rps / d.rps).toFixed(2)}), nginx ${n.rps.toFixed(0)} (${(n.rps / d.rps).toFixed(2)})`);
      }
      lines.push(
        `Demo CT (${files.length} frames of 512², uncompressed, 1 in 10 requests an instance's metadata), ${o.seconds} s per run, autocannon, loopback; ` +
          `the gateway and nginx with a per-client limit of 512 (all load clients share one address); ${pinned}.`,
        '',
        '| clients | target | req/s | MB/s | p50 ms | p99 ms | errors | non-2xx | of direct |',
        '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      );
      for (let i = 0; i < runs.length; i += 3) {
        const d = runs[i]!;
        for (const r of runs.slice(i, i + 3)) {
          lines.push(
            `| ${r.connections} | ${r.target} | ${r.rps.toFixed(0)} | ${r.mbps.toFixed(1)} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r === d ? '' : (r.rps / d.rps).toFixed(2)} |`,
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
      await ng.stop();
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

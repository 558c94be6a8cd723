// npm test: unit tests (vitest) then end-to-end tests (Playwright), both always run, then one closing line
// summed from their JSON reports, alone and last:  "N passed, N failed" (", N skipped" when > 0).
// Exits non-zero when anything failed, a runner failed without reporting a failed test, or a report is missing.
//
//   npm test                       both
//   npm test -- --unit-only        vitest only
//   npm test -- --e2e-only         Playwright only
//   npm test -- <args>             other arguments go to `playwright test` (e.g. a spec file, --grep x)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const REPORTS = path.join(ROOT, 'reports');
const UNIT_REPORT = path.join(REPORTS, 'unit.json');
const E2E_REPORT = path.join(REPORTS, 'e2e.json');

const argv = process.argv.slice(2);
const unitOnly = argv.includes('--unit-only');
const e2eOnly = argv.includes('--e2e-only');
const passThrough = argv.filter((a) => a !== '--unit-only' && a !== '--e2e-only');
if (unitOnly && e2eOnly) {
  console.error('test.mjs: --unit-only and --e2e-only exclude each other');
  process.exit(2);
}

// Ctrl-C reaches the runners too (same process group); wait for them to clean up instead of dying first.
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => (interrupted = true));

function runBin(name, args) {
  const bin = path.join(ROOT, 'node_modules', '.bin', name);
  return new Promise((resolve) => {
    const t0 = Date.now();
    console.log(`\n> ${name} ${args.join(' ')}\n`);
    const child = spawn(bin, args, { cwd: ROOT, stdio: 'inherit' });
    child.on('error', (e) => {
      console.error(`test.mjs: could not start ${bin}: ${e.message}`);
      resolve({ code: 127, ms: Date.now() - t0 });
    });
    child.on('exit', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), ms: Date.now() - t0 }));
  });
}

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

const totals = { passed: 0, failed: 0, skipped: 0 };
const notes = [];

function tallyUnit(run) {
  const r = readJson(UNIT_REPORT);
  if (!r) {
    totals.failed++;
    notes.push(`unit: no report at ${path.relative(ROOT, UNIT_REPORT)} (vitest exit ${run.code}): counted as 1 failure`);
    return;
  }
  const passed = r.numPassedTests ?? 0;
  const failed = r.numFailedTests ?? 0;
  const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  let line = `unit: ${passed} passed, ${failed} failed, ${skipped} skipped (${(run.ms / 1000).toFixed(1)} s)`;
  if (run.code !== 0 && failed === 0) {
    totals.failed++;
    line += ` — vitest exited ${run.code} without a failed test (${r.numFailedTestSuites ?? 0} failed suites): counted as 1 failure`;
  }
  notes.push(line);
}

function tallyE2e(run) {
  const r = readJson(E2E_REPORT);
  if (!r || !r.stats) {
    totals.failed++;
    notes.push(`e2e: no report at ${path.relative(ROOT, E2E_REPORT)} (playwright exit ${run.code}): counted as 1 failure`);
    return;
  }
  const s = r.stats;
  const passed = (s.expected ?? 0) + (s.flaky ?? 0);
  const failed = s.unexpected ?? 0;
  const skipped = s.skipped ?? 0;
  totals.passed += passed;
  totals.failed += failed;
  totals.skipped += skipped;
  let line = `e2e: ${passed} passed${s.flaky ? ` (${s.flaky} flaky)` : ''}, ${failed} failed, ${skipped} skipped (${(run.ms / 1000).toFixed(1)} s)`;
  if (run.code !== 0 && failed === 0) {
    totals.failed++;
    const errs = (r.errors ?? []).map((e) => (e.message ?? String(e)).split('\n')[0]).join('; ');
    line += ` — playwright exited ${run.code} without a failed test${errs ? ` (${errs})` : ''}: counted as 1 failure`;
  }
  notes.push(line);
}

fs.mkdirSync(REPORTS, { recursive: true });
if (!e2eOnly) {
  fs.rmSync(UNIT_REPORT, { force: true });
  const run = await runBin('vitest', ['run', '--reporter=default', '--reporter=json', `--outputFile=${path.relative(ROOT, UNIT_REPORT)}`]);
  tallyUnit(run);
}
if (!unitOnly && !(interrupted && !e2eOnly)) {
  fs.rmSync(E2E_REPORT, { force: true });
  const run = await runBin('playwright', ['test', ...passThrough]);
  tallyE2e(run);
} else if (!unitOnly) {
  totals.failed++;
  notes.push('e2e: not run (interrupted)');
}

console.log('');
for (const n of notes) console.log(n);
const summary = `${totals.passed} passed, ${totals.failed} failed` + (totals.skipped > 0 ? `, ${totals.skipped} skipped` : '');
console.log(summary);
process.exitCode = totals.failed > 0 || interrupted ? 1 : 0;

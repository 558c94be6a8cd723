// The benchmark's smoke run (`npm run bench -- --smoke`): it starts its own Orthanc and browser, opens a 20-slice CT
// and must come back with every measure. Timing is never asserted here; `npm run bench -- --peer` is for numbers.
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../scripts/bench/bench';
import { test, expect } from './harness/fixtures';

test('npm run bench -- --smoke measures first image, all frames, scrolling, MPR ready, JS and heap', async () => {
  test.setTimeout(180_000);
  expect(await main(['--smoke', '--no-build'])).toBe(0);
  const report = JSON.parse(fs.readFileSync(path.resolve('reports/bench-smoke.json'), 'utf8')) as {
    results: { smoke: { lumen: { firstImageMs: number; allFramesMs: number; framesReceived: number; mprReadyMs: number | null }[] } };
    table: string[];
  };
  const run = report.results.smoke.lumen[0]!;
  // The bench's data source has bulk retrieval: the first images come one by one, the rest in one series response,
  // and "all frames" is when the viewer's own progress says all 20 are decoded.
  expect(run.framesReceived).toBeGreaterThanOrEqual(1);
  expect(run.framesReceived).toBeLessThan(10);
  expect(run.allFramesMs).toBeGreaterThanOrEqual(run.firstImageMs);
  expect(report.table.join('\n')).toContain('| smoke: CT, 20 × 512², explicit VR LE | first image |');
  // A link straight to MPR: three planes of the whole volume, timed.
  expect(run.mprReadyMs).toBeGreaterThan(0);
  expect(report.table.join('\n')).toContain('| smoke: CT, 20 × 512², explicit VR LE | MPR ready |');
});

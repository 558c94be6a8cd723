import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { benchFileName, benchMarkdown, commandLine, gitCommit, writeBenchMarkdown, type BenchRecord } from './report';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lumen-bench-report-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const record: BenchRecord = {
  date: new Date('2026-12-07T09:05:30Z'),
  argv: ['--peer', '--studies', 'ct200', '--runs', '5'],
  cores: 2,
  cpuModel: 'AMD EPYC 7B13',
  commit: 'abc1234',
  table: [
    'Benchmark 2026-12-07T09:05:30.000Z · 2 cores · AMD EPYC 7B13 · 5 runs',
    '| study | measure | lumen median (range) | OHIF median (range) | lumen/OHIF |',
    '| --- | --- | --- | --- | --- |',
    '| ct200: CT, 200 × 512², explicit VR LE | first image | 1371 ms (1343 ms–1431 ms) | 5350 ms (5145 ms–5752 ms) | 0.26 |',
  ],
};

describe('the bench\'s dated markdown record', () => {
  it('is named by the UTC minute', () => {
    expect(benchFileName(record.date)).toBe('2026-12-07-0905.md');
  });

  it('gives the command line, machine, commit and the printed table', () => {
    const md = benchMarkdown(record);
    expect(md).toContain('# Benchmark 2026-12-07 09:05 UTC');
    expect(md).toContain('- Command: `npm run bench -- --peer --studies ct200 --runs 5`');
    expect(md).toContain('- Machine: 2 cores, AMD EPYC 7B13');
    expect(md).toContain('- Commit: abc1234');
    // The table verbatim, each line its own, after a blank line (so markdown renders it as a table).
    expect(md).toContain(`\n\n${record.table.slice(1).join('\n')}\n`);
    expect(md).toContain(record.table[0]);
  });

  it('quotes arguments a shell would split, and names a run without options', () => {
    expect(commandLine([])).toBe('npm run bench');
    expect(commandLine(['--transfer-syntax', '1.2.840.10008.1.2.4.80', '--studies', 'ct200,mr'])).toBe(
      'npm run bench -- --transfer-syntax 1.2.840.10008.1.2.4.80 --studies ct200,mr',
    );
    expect(commandLine(['--note', "it's slow"])).toBe(`npm run bench -- --note 'it'\\''s slow'`);
  });

  it('never overwrites a record of the same minute', () => {
    const first = writeBenchMarkdown(dir, record);
    const second = writeBenchMarkdown(dir, record);
    expect(path.basename(first)).toBe('2026-12-07-0905.md');
    expect(path.basename(second)).toBe('2026-12-07-0905-2.md');
    expect(fs.readFileSync(second, 'utf8')).toBe(benchMarkdown(record));
  });

  it('names the commit, or unknown outside a git tree', () => {
    expect(gitCommit(path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..'))).toMatch(/^[0-9a-f]{7,}( \(uncommitted changes\))?$/);
    expect(gitCommit(dir)).toBe('unknown');
  });
});

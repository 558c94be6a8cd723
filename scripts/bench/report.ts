// The dated markdown record a bench run leaves under docs/bench/ (see docs/bench/README.md).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export interface BenchRecord {
  /** When the run ended. */
  date: Date;
  /** The options after `npm run bench --`. */
  argv: string[];
  cores: number;
  cpuModel: string;
  /** `git describe`-like: the short commit, and whether the tree had uncommitted changes. */
  commit: string;
  /** The lines the bench prints: a settings line, then the markdown table. */
  table: string[];
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD-HHMM.md`, in UTC. */
export function benchFileName(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}.md`;
}

/** The command line as typed, quoting what a shell would split or expand. */
export function commandLine(argv: string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return argv.length ? `npm run bench -- ${argv.map(quote).join(' ')}` : 'npm run bench';
}

export function benchMarkdown(r: BenchRecord): string {
  const [settings, ...table] = r.table;
  const when = `${r.date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return [
    `# Benchmark ${when}`,
    '',
    `- Command: \`${commandLine(r.argv)}\``,
    `- Machine: ${r.cores} cores, ${r.cpuModel || 'unknown CPU'}`,
    `- Commit: ${r.commit}`,
    '',
    // The line the bench prints above its table (date, cores, runs, link, transfer syntax, bulk retrieval).
    settings ?? '',
    '',
    ...table,
    '',
    'Written by `npm run bench` (scripts/bench/report.ts); every run\'s raw measures are in reports/bench.json, which is not kept in git.',
    '',
  ].join('\n');
}

/** The checked-out commit, `abc1234`, with `(uncommitted changes)` when the tree differs; `unknown` outside git. */
export function gitCommit(root: string): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: root, encoding: 'utf8' });
  const head = git('rev-parse', '--short', 'HEAD');
  if (head.status !== 0) return 'unknown';
  const dirty = git('status', '--porcelain', '--untracked-files=no').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? ' (uncommitted changes)' : ''}`;
}

/** Writes the record into `dir` under its dated name (`…-2.md` and on when a file of that minute exists); returns the path. */
export function writeBenchMarkdown(dir: string, r: BenchRecord): string {
  fs.mkdirSync(dir, { recursive: true });
  const base = benchFileName(r.date).replace(/\.md$/, '');
  let file = path.join(dir, `${base}.md`);
  for (let n = 2; fs.existsSync(file); n++) file = path.join(dir, `${base}-${n}.md`);
  fs.writeFileSync(file, benchMarkdown(r));
  return file;
}

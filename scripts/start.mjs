// `npm start`: the viewer on the embedded demo, no PACS needed. Generates the demo DICOMweb tree once,
// builds the app when the sources changed, and serves both (PORT, default 8080; PACS_URL adds a PACS proxy).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { main } from '../gateway/cli.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal}).`);
    process.exit(1);
  }
}

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...fs.readdirSync(p).map((f) => newestMtime(path.join(p, f))));
}

// 1. The demo tree (the generator skips its work when it is already there).
run(process.execPath, [path.join('node_modules', 'tsx', 'dist', 'cli.mjs'), 'scripts/demo/generate.ts']);

// 2. The production build, when missing or older than its sources.
const built = fs.existsSync('dist/index.html') ? fs.statSync('dist/index.html').mtimeMs : 0;
const sources = Math.max(...['src', 'build', 'patches', 'public', 'index.html', 'vite.config.ts', 'package-lock.json'].map(newestMtime));
if (sources > built) {
  console.log('Building the viewer…');
  run(process.execPath, [path.join('node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'error']);
}

// 3. Serve, through the gateway (only DICOMweb reaches a PACS given with PACS_URL or --pacs).
await main(['--port', process.env.PORT || '8080', '--host', process.env.HOST || '127.0.0.1', ...process.argv.slice(2)], {
  extraMounts: [{ prefix: '/demo/dicom-web', dir: path.resolve('.cache/demo/dicom-web') }],
  banner: '\nLumen DICOM viewer (demo studies built in)',
});

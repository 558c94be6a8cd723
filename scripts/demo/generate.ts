// npm run demo:generate [-- --dicom-out DIR] [--out DIR] [--ct-slices N] [--force] [--no-pydicom]
// Writes the synthetic demo DICOM files (demoDicom.ts), then imports them, plus pydicom's test files when
// installed (real vendor files, several transfer syntaxes), into the static DICOMweb tree that `npm start` serves.
// Skips all of it when the tree exists and was made by this generator version with the same options.
// Imported by the e2e harness for `generateDemoDicom` (nothing runs on import).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { importFiles } from '../import/staticTree.ts';
import { DEMO_MANIFEST, generateDemoDicom } from './demoDicom.ts';

export { generateDemoDicom, type DemoFile, type DemoKind, type DemoOptions } from './demoDicom.ts';
export { writePart10, part10Bytes, DatasetBuilder, uidFromSeed } from './part10.ts';

/** Bump to force regeneration when the output changes in a way the source hash would not show. */
export const GENERATOR_VERSION = 1;
export const PYDICOM_TEST_FILES = '/usr/lib/python3/dist-packages/pydicom/data/test_files';
const STAMP = '.demo-stamp.json';

export interface GenerateOptions {
  dicomOut: string;
  out: string;
  ctSlices: number;
  force: boolean;
  pydicom: boolean;
}

export function parseArgs(argv: string[]): GenerateOptions {
  const opts: GenerateOptions = { dicomOut: '.cache/demo-dicom', out: '.cache/demo/dicom-web', ctSlices: 200, force: false, pydicom: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--dicom-out') opts.dicomOut = value();
    else if (a === '--out') opts.out = value();
    else if (a === '--ct-slices') {
      opts.ctSlices = Number(value());
      if (!Number.isInteger(opts.ctSlices) || opts.ctSlices < 1 || opts.ctSlices > 2000) throw new Error('--ct-slices wants an integer 1…2000');
    } else if (a === '--force') opts.force = true;
    else if (a === '--no-pydicom') opts.pydicom = false;
    else throw new Error(`unknown option ${a}`);
  }
  return opts;
}

const here = path.dirname(fileURLToPath(import.meta.url));

/** What the output depends on: generator and importer sources, options, and which vendor files exist. */
function stampFor(opts: GenerateOptions, pydicomDir: string | null): Record<string, unknown> {
  const h = crypto.createHash('sha256');
  // objects/ holds the object kinds' modules and the clips they wrap (binary inputs count too).
  for (const dir of [here, path.join(here, 'objects'), path.join(here, '..', 'import'), path.join(here, '..', 'types')]) {
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      if (!/\.(ts|mp4|mpg)$/.test(name) || /\.test\.ts$/.test(name)) continue;
      h.update(name).update(fs.readFileSync(path.join(dir, name)));
    }
  }
  let vendor: string | null = null;
  if (pydicomDir) {
    const v = crypto.createHash('sha256');
    for (const f of fs.readdirSync(pydicomDir, { recursive: true }).map(String).sort()) {
      const st = fs.statSync(path.join(pydicomDir, f));
      if (st.isFile()) v.update(`${f}:${st.size}\n`);
    }
    vendor = v.digest('hex').slice(0, 16);
  }
  return {
    generator: GENERATOR_VERSION,
    sources: h.digest('hex').slice(0, 16),
    ctSlices: opts.ctSlices,
    dicomOut: path.resolve(opts.dicomOut),
    pydicom: pydicomDir,
    vendorFiles: vendor,
  };
}

function readStamp(file: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

export function main(argv: string[]): number {
  let opts: GenerateOptions;
  try {
    opts = parseArgs(argv);
  } catch (e) {
    console.error(`${(e as Error).message}\nusage: npm run demo:generate -- [--dicom-out DIR] [--out DIR] [--ct-slices N] [--force] [--no-pydicom]`);
    return 2;
  }
  const out = path.resolve(opts.out);
  const dicomOut = path.resolve(opts.dicomOut);
  const pydicomDir = opts.pydicom && fs.existsSync(PYDICOM_TEST_FILES) ? PYDICOM_TEST_FILES : null;
  const stamp = stampFor(opts, pydicomDir);
  const stampFile = path.join(out, STAMP);
  if (!opts.force && fs.existsSync(path.join(out, 'studies', 'index.json')) && JSON.stringify(readStamp(stampFile)) === JSON.stringify(stamp)) {
    console.log(`demo already generated (${path.relative(process.cwd(), out) || out}; --force to redo)`);
    return 0;
  }

  const t0 = performance.now();
  const elapsed = () => `${((performance.now() - t0) / 1000).toFixed(1)} s`;
  const log = (line: string) => console.log(line);
  // A fresh tree: the importer merges, and stale instances from other options must not survive.
  fs.rmSync(path.join(out, 'studies'), { recursive: true, force: true });
  fs.rmSync(stampFile, { force: true });
  fs.rmSync(dicomOut, { recursive: true, force: true });

  console.log(`Generating demo DICOM into ${path.relative(process.cwd(), dicomOut) || dicomOut} (CT ${opts.ctSlices} slices)…`);
  const files = generateDemoDicom(dicomOut, { ctSlices: opts.ctSlices, log });
  console.log(`  ${files.length} synthetic files in ${elapsed()}`);

  const inputs = [dicomOut, ...(pydicomDir ? [pydicomDir] : [])];
  console.log(`Importing ${inputs.join(' + ')} into ${path.relative(process.cwd(), out) || out}…`);
  const s = importFiles(inputs, out, { log });
  const vendorSkips = s.skipped.filter((k) => pydicomDir && k.path.startsWith(pydicomDir));
  const ownSkips = s.skipped.filter((k) => !vendorSkips.includes(k) && path.basename(k.path) !== DEMO_MANIFEST);
  if (ownSkips.length) {
    // The synthetic files must all import: anything else is a bug in the generator or the importer.
    for (const k of ownSkips) console.error(`  ERROR ${k.path}: ${k.reason}`);
    return 1;
  }
  if (vendorSkips.length) {
    console.log(`  pydicom test files not imported: ${vendorSkips.length}`);
    const short = (p: string) => (p.startsWith(pydicomDir!) ? path.relative(pydicomDir!, p) : p);
    for (const k of vendorSkips) {
      const kept = k.kind === 'duplicate' ? /\(kept (.*)\)$/.exec(k.reason)?.[1] : undefined;
      console.log(`    ${short(k.path)}: ${kept ? `same SOP Instance UID as ${short(kept)} (kept that one)` : k.reason}`);
    }
  }
  for (const w of s.warnings) console.log(`  warning ${pydicomDir ? path.relative(pydicomDir, w.path) : w.path}: ${w.message}`);
  fs.writeFileSync(stampFile, JSON.stringify(stamp, null, 1));
  console.log(
    `Demo ready: ${s.studies} studies, ${s.series} series, ${s.instances} instances, ${s.frames} frames in ${elapsed()} → ${path.relative(process.cwd(), out) || out}`,
  );
  return 0;
}

// Run only as a script (tsx scripts/demo/generate.ts), not when the e2e harness imports generateDemoDicom.
const invoked = process.argv[1] ? fs.realpathSync(path.resolve(process.argv[1])) : '';
if (invoked === fs.realpathSync(fileURLToPath(import.meta.url))) process.exitCode = main(process.argv.slice(2));

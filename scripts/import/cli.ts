// npm run import -- <DICOM files or folders…> [--out DIR]
// Writes (or merges into) a static DICOMweb tree that `npm start` / scripts/serve.mjs can mount for the viewer.
import path from 'node:path';
import { importFiles, type SkippedFile } from './staticTree.ts';

const USAGE = 'usage: npm run import -- <DICOM files or folders…> [--out DIR]   (default --out ./dicom-web-static)';

function parseArgs(argv: string[]): { inputs: string[]; out: string } {
  const inputs: string[] = [];
  let out = './dicom-web-static';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out' || a === '-o') {
      const v = argv[++i];
      if (!v) throw new Error(`${a} needs a folder`);
      out = v;
    } else if (a.startsWith('--out=')) out = a.slice('--out='.length);
    else if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a.startsWith('-') && a !== '-') throw new Error(`unknown option ${a}`);
    else inputs.push(a);
  }
  if (inputs.length === 0) throw new Error('no input files or folders');
  return { inputs, out };
}

function main(): number {
  let args: { inputs: string[]; out: string };
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  const t0 = performance.now();
  const out = path.resolve(args.out);
  console.log(`Importing ${args.inputs.join(', ')} → ${path.relative(process.cwd(), out) || '.'}`);
  const s = importFiles(args.inputs, out, { log: (line) => console.log(line) });
  const seconds = ((performance.now() - t0) / 1000).toFixed(1);

  const byKind = (kind: SkippedFile['kind']) => s.skipped.filter((k) => k.kind === kind);
  const notDicom = byKind('not-dicom');
  if (notDicom.length) {
    console.log(`Skipped ${notDicom.length} non-DICOM file(s):`);
    for (const k of notDicom.slice(0, 20)) console.log(`  ${k.path}`);
    if (notDicom.length > 20) console.log(`  … and ${notDicom.length - 20} more`);
  }
  for (const [kind, title] of [
    ['missing', 'Not found'],
    ['unreadable', 'Could not import'],
    ['duplicate', 'Duplicates (first file kept)'],
  ] as const) {
    const list = byKind(kind);
    if (!list.length) continue;
    console.log(`${title}: ${list.length}`);
    for (const k of list) console.log(`  ${k.path}: ${k.reason}`);
  }
  if (s.warnings.length) {
    console.log(`Imported with warnings: ${s.warnings.length}`);
    for (const w of s.warnings) console.log(`  ${w.path}: ${w.message}`);
  }
  console.log(
    `Imported ${s.instances} instance(s), ${s.frames} frame(s) into ${s.series} series of ${s.studies} stud${s.studies === 1 ? 'y' : 'ies'} ` +
      `from ${s.files} file(s) in ${seconds} s → ${out}`,
  );
  return s.instances > 0 ? 0 : 1;
}

process.exitCode = main();

// npm run import -- <DICOM files or folders…> [--out DIR]: a static DICOMweb tree the viewer can serve.
import path from 'node:path';
import { importFiles } from './staticTree.ts';

const args = process.argv.slice(2);
let out = './dicom-web-static';
const inputs: string[] = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') out = args[++i] ?? out;
  else inputs.push(args[i]!);
}
if (inputs.length === 0) {
  console.error('usage: npm run import -- <DICOM files or folders…> [--out DIR]');
  process.exit(2);
}
const t0 = Date.now();
const s = importFiles(inputs, path.resolve(out), (line) => console.log(line));
console.log(
  `Imported ${s.instances} instances (${s.frames} frames) in ${s.series} series of ${s.studies} studies into ${out} in ${Date.now() - t0} ms`,
);
for (const w of s.warnings) console.log(`warning: ${w}`);
if (s.skipped.length) {
  console.log(`Skipped ${s.skipped.length} files:`);
  for (const k of s.skipped) console.log(`  ${k.path}: ${k.reason}`);
}

// The DICOM dictionary entries that Cornerstone's metadata package looks up before the viewer's first image (its
// modules' tags, and the keywords its display-set rules name), so that the viewer can start without dcmjs's full
// dictionary (src/imaging/metadataDcmjs.ts).
//   node scripts/metadata/dictionary.mjs           → rewrites src/imaging/metadataDictionary.json
// The unit test beside metadataDcmjs.ts fails when an upgrade of either package makes the file stale.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import dcmjs from 'dcmjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const OUTPUT = path.join(root, 'src/imaging/metadataDictionary.json');

/**
 * [tag, vr, vm, keyword] for each, e.g. ["(0028,0030)", "DS", "2", "PixelSpacing"]: first the module definitions'
 * tags in their order, then every other keyword the package's code names (in any letter case, as its rules may), in
 * tag order.
 */
export async function metadataDictionary() {
  const esm = path.join(root, 'node_modules/@cornerstonejs/metadata/dist/esm');
  // Not in the package's exports map, so imported by path.
  const { moduleDefinitions } = await import(pathToFileURL(path.join(esm, 'utilities/modules/index.js')).href);
  const { dictionary, nameMap } = dcmjs.data.DicomMetaDictionary;
  const entries = new Map();
  for (const [, keywords] of moduleDefinitions) {
    for (const item of keywords) {
      const [keyword, hex] = typeof item === 'string' ? [item, undefined] : item;
      const entry = hex ? dictionary[hex.toUpperCase()] : nameMap[keyword];
      if (!entry) continue; // Cornerstone warns about these itself; the full dictionary does not know them either.
      const { tag, vr, vm, name } = entry;
      entries.set(tag, [tag, vr, vm, name]);
    }
  }
  const keywordByLowerCase = new Map(Object.keys(nameMap).map((k) => [k.toLowerCase(), k]));
  const named = [];
  for (const file of fs.readdirSync(esm, { recursive: true }).filter((f) => f.endsWith('.js')).sort()) {
    for (const [word] of fs.readFileSync(path.join(esm, file), 'utf8').matchAll(/\b[A-Za-z][A-Za-z0-9]{2,}\b/g)) {
      const keyword = keywordByLowerCase.get(word.toLowerCase());
      const entry = keyword && nameMap[keyword];
      if (entry && !entries.has(entry.tag)) named.push(entry);
    }
  }
  for (const { tag, vr, vm, name } of named.sort((a, b) => a.tag.localeCompare(b.tag))) entries.set(tag, [tag, vr, vm, name]);
  return [...entries.values()];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  fs.writeFileSync(OUTPUT, `[\n${(await metadataDictionary()).map((e) => ` ${JSON.stringify(e)}`).join(',\n')}\n]\n`);
  console.log('wrote', path.relative(root, OUTPUT));
}

// Rewrites src/dicom/uids.generated.ts from the checked-in registry data (scripts/uids/data/).
//   npm run uids:generate
// The unit test beside uid-source.ts fails when the generated file no longer matches the data and this script.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OUTPUT, readUidRows, renderUidModule, ROOT } from './uid-source';

const rows = readUidRows();
writeFileSync(OUTPUT, renderUidModule(rows));
console.log(`Wrote ${path.relative(ROOT, OUTPUT)} from ${rows.length} rows of PS3.6 Table A-1`);

// Writes src/dicom/uids.generated.ts (the UID registry) and src/dicom/objectClasses.generated.ts (object kinds)
// from the checked-in copy of PS3.6 Table A-1: npm run uids:generate.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { KINDS_OUTPUT, OUTPUT, readUidRows, renderKindsModule, renderUidModule, ROOT } from './uid-source';

const rows = readUidRows();
writeFileSync(OUTPUT, renderUidModule(rows));
writeFileSync(KINDS_OUTPUT, renderKindsModule(rows));
console.log(`Wrote ${path.relative(ROOT, OUTPUT)} and ${path.relative(ROOT, KINDS_OUTPUT)} from ${rows.length} rows of PS3.6 Table A-1`);

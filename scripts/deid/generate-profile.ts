// Rewrites src/deid/profile.generated.ts from the checked-in standard data (scripts/deid/data/).
//   npm run deid:generate
// The unit test beside profile-source.ts fails when the generated file no longer matches the data and this script.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { OUTPUT, readProfileData, renderProfileModule, ROOT } from './profile-source';

const data = readProfileData();
writeFileSync(OUTPUT, renderProfileModule(data));
console.log(`Wrote ${path.relative(ROOT, OUTPUT)}: ${data.rows.length} rows of Table E.1-1`);

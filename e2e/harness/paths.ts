// Fixed locations the harness, the data preparation script and scripts/test.mjs agree on.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The build to serve. E2E_DIST points elsewhere (used as it is, never rebuilt). */
export const DIST_DIR = process.env.E2E_DIST ? path.resolve(process.env.E2E_DIST) : path.join(REPO_ROOT, 'dist');
export const CACHE_DIR = path.join(REPO_ROOT, '.cache');
/** Written by scripts/prepare-e2e-data.mjs. */
export const DATA_DIR = path.join(CACHE_DIR, 'e2e-data');
export const MANIFEST_PATH = path.join(DATA_DIR, 'manifest.json');
/** Written by global setup for the running session (URLs, PIDs); removed by global teardown. */
export const RUN_FILE = path.join(CACHE_DIR, 'e2e-run.json');
export const REPORTS_DIR = path.join(REPO_ROOT, 'reports');

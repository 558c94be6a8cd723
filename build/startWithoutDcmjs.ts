import path from 'node:path';
import type { Plugin } from 'vite';

const IMPORTER = /[\\/]@cornerstonejs[\\/](metadata|utils)[\\/]/;
const STAND_IN = 'src/imaging/metadataDcmjs.ts';

/**
 * Cornerstone imports dcmjs (0.7 MB, most of it the DICOM dictionary) for its loggers and for the hundred-odd tags
 * its metadata modules know: its `import 'dcmjs'` (from @cornerstonejs/metadata and @cornerstonejs/utils only) gets
 * src/imaging/metadataDcmjs.ts instead, which has those entries and loads dcmjs itself once the first image is up.
 * The app's own imports of dcmjs (reports, local files, the tag browser) are dynamic and get the real one.
 *
 * A module substitution, not a change to Cornerstone's files, so it lives here; but it is applied in the build and
 * in the dev server alike so both run the same code: `startWithoutDcmjs()` for the build, and
 * `startWithoutDcmjsInDeps()` for the dev server's dependency pre-bundle, where the stand-in stays an external
 * import of the app's own module (`/src/imaging/metadataDcmjs.ts`): one instance, shared with the app, which
 * starts its full-dictionary load.
 */
export function startWithoutDcmjs(): Plugin {
  const standIn = path.resolve(STAND_IN);
  return {
    name: 'lumen-start-without-dcmjs',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'dcmjs' && importer && IMPORTER.test(importer)) return standIn;
      return null;
    },
  };
}

/** The same redirect inside the dev server's dependency pre-bundle (`optimizeDeps.rolldownOptions.plugins`). */
export function startWithoutDcmjsInDeps(): { name: string; resolveId(source: string, importer?: string): { id: string; external: true } | null } {
  return {
    name: 'lumen-start-without-dcmjs-deps',
    resolveId(source, importer) {
      if (source === 'dcmjs' && importer && IMPORTER.test(importer)) return { id: `/${STAND_IN}`, external: true };
      return null;
    },
  };
}

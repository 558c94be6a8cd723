import path from 'node:path';
import type { Plugin } from 'vite';
import { precompressDir } from '../scripts/precompress.mjs';

/** Brotli and gzip copies of the built text assets for scripts/serve.mjs (and any static host) to send. */
export function precompress(): Plugin {
  let outDir = 'dist';
  return {
    name: 'lumen-precompress',
    apply: 'build',
    configResolved(config) {
      outDir = path.resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      precompressDir(outDir);
    },
  };
}

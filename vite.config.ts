import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { classify } from './gateway/allowlist.mjs';
import { demoTree } from './build/demoTree.ts';
import { precompress } from './build/precompress.ts';
import { preloadViewerChunks } from './build/preloadViewerChunks.ts';
import { startWithoutDcmjs, startWithoutDcmjsInDeps } from './build/startWithoutDcmjs.ts';
import { trimUnused } from './build/trimUnused.ts';

// Build configuration only. Changes to Cornerstone's own code are patches in patches/, applied to node_modules by
// `npm install` / `npm ci` (patch-package, postinstall), so the dev server, the tests and the build run the same
// Cornerstone: see docs/cornerstone-patches.md.

// PACS_URL points the dev/preview proxy at a PACS on another origin (Orthanc sends no CORS headers):
//   PACS_URL=http://127.0.0.1:8042/dicom-web npm run dev  → /dicom-web/* is forwarded there.
const pacsUrl = process.env.PACS_URL;
const proxy = pacsUrl
  ? {
      '/dicom-web': {
        target: pacsUrl.replace(/\/+$/, ''),
        // Keep the browser's Host so the PACS writes same-origin absolute URLs (RetrieveURL, BulkDataURI).
        changeOrigin: false,
        rewrite: (path: string) => path.replace(/^\/dicom-web/, ''),
        // The same allowlist as the gateway: even in development the PACS's own API stays out of reach.
        bypass: (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse | undefined) => {
          const c = classify(req.method ?? 'GET', req.url ?? '', { stow: true });
          if (c.ok || !res) return undefined;
          res.writeHead(c.status, { 'Content-Type': 'text/plain; charset=utf-8' }).end(`refused: ${c.reason}\n`);
          return req.url ?? '/';
        },
      },
    }
  : undefined;

export default defineConfig({
  // The SEG adapter's ndarray, without the run-time code generation the CSP refuses (build/cspNdarray.ts).
  resolve: { alias: { ndarray: fileURLToPath(new URL('./build/cspNdarray.ts', import.meta.url)) } },
  plugins: [react(), demoTree(), trimUnused(), startWithoutDcmjs(), preloadViewerChunks(), precompress()],
  worker: { format: 'es' },
  optimizeDeps: {
    rolldownOptions: { plugins: [startWithoutDcmjsInDeps()] },
    exclude: ['@cornerstonejs/dicom-image-loader'],
    include: [
      'dicom-parser',
      '@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs',
      '@cornerstonejs/codec-charls/decodewasmjs',
      '@cornerstonejs/codec-openjpeg/decodewasmjs',
      '@cornerstonejs/codec-openjph/wasmjs',
      '@cornerstonejs/codec-libjxl/decodewasmjs',
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 4000,
  },
  server: { proxy },
  preview: { proxy },
});

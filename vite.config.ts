import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serveMount } from './scripts/serve.mjs';

// `npm run dev` serves the demo DICOMweb tree (see `npm run demo:generate`) the way `npm start` does.
function demoTree(): Plugin {
  const mount = { prefix: '/demo/dicom-web', dir: path.resolve('.cache/demo/dicom-web') };
  return {
    name: 'lumen-demo-tree',
    configureServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!serveMount(req, res, mount)) next();
      });
    },
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (!serveMount(req, res, mount)) next();
      });
    },
  };
}

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
      },
    }
  : undefined;

export default defineConfig({
  plugins: [react(), demoTree()],
  worker: { format: 'es' },
  optimizeDeps: {
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

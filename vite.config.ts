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

/**
 * Leaves out code that Cornerstone imports but this viewer never runs on the main thread, from the JS loaded before
 * the first image: vtk.js's WebGPU backend (Cornerstone renders with WebGL), the mesh file readers behind
 * Cornerstone's Mesh class (PLY, STL, OBJ, VTK XML, with an XML builder and a YAML parser), and the codecs' JS
 * glue that the image loader's index pulls in (frames are decoded in the decode workers, whose bundle this plugin
 * does not touch). Imports of them resolve to stand-ins that fail with a clear message if ever called.
 */
function trimUnused(): Plugin {
  const EMPTY = '\0lumen-vtk-empty';
  const NO_MESH = '\0lumen-vtk-no-mesh';
  const NO_CODEC = '\0lumen-main-thread-codec';
  const MESH_READER = /\/IO\/(Geometry\/(PLY|STL)Reader|XML\/XMLPolyDataReader|Misc\/OBJReader)\.js$/;
  return {
    name: 'lumen-trim-unused',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /^@cornerstonejs\/codec-[\w-]+\/(decode)?wasmjs$/.test(source) && /[\\/]dicom-image-loader[\\/]/.test(importer)) return NO_CODEC;
      if (!importer || !/[\\/]@kitware[\\/]vtk\.js[\\/]|[\\/]@cornerstonejs[\\/]core[\\/]/.test(importer)) return null;
      // Side-effect imports that register the WebGPU backend, from outside it.
      if (/\/WebGPU\/(RenderWindow|Profiles\/\w+)\.js$/.test(source) && !/[\\/]Rendering[\\/]WebGPU[\\/]/.test(importer)) return EMPTY;
      if (MESH_READER.test(source) && /[\\/]cache[\\/]classes[\\/]Mesh\.js$/.test(importer)) return NO_MESH;
      return null;
    },
    load(id) {
      if (id === EMPTY) return 'export {};';
      if (id === NO_CODEC) return "export default function () { return Promise.reject(new Error('frames are decoded in the decode workers')); }";
      if (id === NO_MESH) return "export default { newInstance() { throw new Error('this viewer does not load mesh files'); } };";
      return null;
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
  plugins: [react(), demoTree(), trimUnused()],
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

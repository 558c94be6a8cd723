import path from 'node:path';
import type { Plugin } from 'vite';
import { serveMount } from '../gateway/devMount.mjs';

/** `npm run dev` (and `vite preview`) serve the demo DICOMweb tree (see `npm run demo:generate`) the way `npm start` does. */
export function demoTree(): Plugin {
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

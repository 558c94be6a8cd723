import { createHash } from 'node:crypto';
import path from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { serveMount } from './gateway/devMount.mjs';
import { classify } from './gateway/allowlist.mjs';
import { precompressDir } from './scripts/precompress.mjs';
import { VIEWER_PATH } from './src/routes';

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
 * A viewer link (`/viewer?…`) needs the viewer's chunks, Cornerstone among them (~1.9 MB of JS that takes the
 * browser ~0.6 s to parse on two cores), before its first image. The app asks for them when its own entry has run;
 * a small script in the page's head asks for them (modulepreload: fetched and parsed, not run) as soon as the HTML
 * is read, ~0.25 s sooner (async: the page's own entry is not held up). Other pages (the study list) do not load them. An external file, as the Content Security
 * Policy allows scripts from this origin only.
 */
function preloadViewerChunks(): Plugin {
  return {
    name: 'lumen-preload-viewer-chunks',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      const html = bundle['index.html'];
      if (!html || html.type !== 'asset') return;
      const chunks = Object.values(bundle).filter((c) => c.type === 'chunk');
      const viewer = chunks.find((c) => c.facadeModuleId?.endsWith('/src/features/viewer/ViewerPage.tsx'));
      const entry = chunks.find((c) => c.isEntry);
      if (!viewer || !entry) this.error('preloadViewerChunks: no ViewerPage or entry chunk in the bundle');
      // The viewer chunk and what it imports statically, less what the entry loads anyway.
      const loaded = new Set<string>();
      const walk = (name: string, into: Set<string>) => {
        if (into.has(name)) return;
        into.add(name);
        const c = bundle[name];
        if (c?.type === 'chunk') for (const i of c.imports) walk(i, into);
      };
      walk(entry.fileName, loaded);
      const wanted = new Set<string>();
      walk(viewer.fileName, wanted);
      const files = [...wanted].filter((f) => !loaded.has(f)).map((f) => `/${f}`);
      const code =
        `if (location.pathname === ${JSON.stringify(VIEWER_PATH)}) for (const href of ${JSON.stringify(files)}) {\n` +
        `  const link = document.createElement('link');\n  link.rel = 'modulepreload';\n  link.crossOrigin = '';\n  link.href = href;\n  document.head.appendChild(link);\n}\n`;
      const fileName = `assets/preload-viewer-${createHash('sha256').update(code).digest('hex').slice(0, 8)}.js`;
      this.emitFile({ type: 'asset', fileName, source: code });
      const source = String(html.source);
      if (!source.includes('</title>')) this.error('preloadViewerChunks: index.html has no </title>');
      html.source = source.replace('</title>', `</title>\n    <script async src="/${fileName}"></script>`);
    },
  };
}

/** Brotli and gzip copies of the built text assets for scripts/serve.mjs (and any static host) to send. */
function precompress(): Plugin {
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

/**
 * Leaves out code that Cornerstone imports but this viewer never runs on the main thread, from the JS loaded before
 * the first image: vtk.js's WebGPU backend (Cornerstone renders with WebGL), the mesh file readers behind
 * Cornerstone's Mesh class (PLY, STL, OBJ, VTK XML, with an XML builder and a YAML parser), the codecs' JS
 * glue and pako (deflate) that the image loader's index pulls in (frames are decoded in the decode workers, whose
 * bundle this plugin does not touch), and the loader's wadouri scheme with dicom-parser (registered for wadouri:,
 * dicomweb: and dicomfile: image ids, which this viewer never makes: local files' frames have WADO-RS URLs too).
 * Imports of them resolve to stand-ins that fail with a clear message if ever called.
 * vtk.js's 150 colour maps (140 kB) give way to its own "lite" set of 13, which has the ones a reader uses
 * (Grayscale, X Ray, Black-Body Radiation, Cool to Warm, rainbows).
 */
function trimUnused(): Plugin {
  const EMPTY = '\0lumen-vtk-empty';
  const NO_MESH = '\0lumen-vtk-no-mesh';
  const NO_CODEC = '\0lumen-main-thread-codec';
  const NO_INFLATE = '\0lumen-main-thread-inflate';
  const NO_WADOURI = '\0lumen-no-wadouri:';
  const LOADER_INDEX = /[\\/]dicom-image-loader[\\/]dist[\\/]esm[\\/](index|imageLoader[\\/](index|registerLoaders))\.js$/;
  const MESH_READER = /\/IO\/(Geometry\/(PLY|STL)Reader|XML\/XMLPolyDataReader|Misc\/OBJReader)\.js$/;
  return {
    name: 'lumen-trim-unused',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && /^@cornerstonejs\/codec-[\w-]+\/(decode)?wasmjs$/.test(source) && /[\\/]dicom-image-loader[\\/]/.test(importer)) return NO_CODEC;
      if (importer && source === 'pako' && /[\\/]dicom-image-loader[\\/]/.test(importer)) return NO_INFLATE;
      const wadouri = importer && LOADER_INDEX.test(importer) ? /\bwadouri\/(index|register|dataSetCacheManager)\.js$/.exec(source) : null;
      if (wadouri) return NO_WADOURI + wadouri[1];
      if (importer && /[\\/]ColorTransferFunction[\\/]ColorMaps\.js$/.test(source) && /[\\/]@cornerstonejs[\\/]core[\\/]/.test(importer)) {
        return this.resolve(source.replace(/ColorMaps\.js$/, 'ColorMapsLite.js'), importer, { skipSelf: true });
      }
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
      if (id === NO_WADOURI + 'register') return 'export default function registerWadouri() {}';
      if (id === NO_WADOURI + 'dataSetCacheManager') return 'export default { purge() {} };';
      if (id === NO_WADOURI + 'index') {
        const members = ['loadImage', 'loadImageFromPromise', 'loadImageFromNaturalizedMetadata', 'getLoaderForScheme', 'getPixelData', 'getEncapsulatedImageFrame', 'getUncompressedImageFrame', 'loadFileRequest', 'parseImageId', 'unpackBinaryFrame'];
        return [
          "const none = () => { throw new Error('the wadouri loader is not in this build: frames load by WADO-RS'); };",
          `export default { ${members.map((m) => `${m}: none`).join(', ')}, register() {}, dataSetCacheManager: { purge() {}, load: none, get: none }, fileManager: { add: none, get: none, remove: none, purge() {} }, metaData: {} };`,
        ].join('\n');
      }
      if (id === NO_INFLATE) {
        return "const none = () => { throw new Error('frames are decoded in the decode workers'); };\nexport default { inflate: none, inflateRaw: none };";
      }
      return null;
    },
  };
}

/**
 * The loader's setPixelDataType copies every decoded frame into a new typed array of the type its value range
 * needs, on the main thread (3 ms per 512² frame here). The decode worker has already made the array that type
 * when it arrives, whole and alone in its buffer: then the copy is skipped, since it would be the same.
 */
function noSameTypeCopy(): Plugin {
  const COPY = 'const typedArray = new TypedArray(imageFrame.pixelData);';
  return {
    name: 'lumen-no-same-type-copy',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]dicom-image-loader[\\/].*[\\/]imageLoader[\\/]setPixelDataType\.js$/.test(id)) return null;
      if (!code.includes(COPY)) this.error('setPixelDataType.js is not as noSameTypeCopy expects: update it');
      const skip =
        'const given = imageFrame.pixelData; if (given instanceof TypedArray && given.byteOffset === 0 && given.byteLength === given.buffer.byteLength) return;';
      return code.replace(COPY, `${skip}\n${COPY}`);
    },
  };
}

/**
 * Cornerstone's tools hold a click on a viewport for 400 ms, to tell it from the first half of a double click. A
 * mouse button released anywhere else on the page in that time (a toolbar button clicked straight after the click
 * that ends an angle) made them drop the held click unseen: the angle went on following the mouse. A release
 * outside the viewport is no double click on it, so the held click goes through first. Applied in the build and
 * in the dev server's dependency bundle alike, since it changes behaviour.
 */
function keepHeldClick(): Plugin {
  const DROP = `else {
            _cleanUp();
        }`;
  return {
    name: 'lumen-keep-held-click',
    transform(code, id) {
      if (!/[\\/]@cornerstonejs[\\/]tools[\\/].*[\\/]mouse[\\/]mouseDownListener\.js$/.test(id)) return null;
      if (!code.includes(DROP) || !code.includes('function _doStateMouseDownAndUp()')) this.error('mouseDownListener.js is not as keepHeldClick expects: update it');
      return code.replace(DROP, `else if (state.element && !state.element.contains(evt.target)) {\n            _doStateMouseDownAndUp();\n        }\n        ${DROP}`);
    },
  };
}

/**
 * The decode worker hands each decoded frame back by structured clone: a copy of the pixels on the worker's side and
 * another on the page's (1 s per 200 CT slices here). A frame whose pixels are alone in their buffer is transferred
 * instead: the worker has no further use for it. (A view into a larger buffer, a WASM heap or the received
 * request body, is still cloned.)
 */
function transferDecodedFrames(): Plugin {
  const EXPOSE = "import { expose } from 'comlink';";
  const TASK = 'return decodeImageFrame(imageFrame, transferSyntax, pixelData, decodeConfig, options, callbackFn);';
  return {
    name: 'lumen-transfer-decoded-frames',
    apply: 'build',
    transform(code, id) {
      if (!/[\\/]dicom-image-loader[\\/].*[\\/]decodeImageFrameWorker\.js$/.test(id)) return null;
      if (!code.includes(EXPOSE) || !code.includes(TASK)) this.error('decodeImageFrameWorker.js is not as transferDecodedFrames expects: update it');
      const owned =
        '.then((frame) => { const p = frame?.pixelData; return ArrayBuffer.isView(p) && p.buffer instanceof ArrayBuffer && p.byteOffset === 0 && p.byteLength === p.buffer.byteLength ? transfer(frame, [p.buffer]) : frame; })';
      return code.replace(EXPOSE, "import { expose, transfer } from 'comlink';").replace(TASK, TASK.replace(/;$/, `${owned};`));
    },
  };
}

/**
 * The decode worker's bundle imports every codec's JS glue and pako when it starts (about 180 kB), though a series
 * needs one codec at most: here each codec's glue, and pako, load the first time a frame needs them. The
 * loader's codec factories already return promises, so a factory that imports first is a drop-in.
 */
function lazyWorkerCodecs(): Plugin {
  const PREFIX = '\0lumen-lazy-codec:';
  const DEFLATE = [/import pako from 'pako';\n/, /\bpako\.inflateRaw\(/];
  return {
    name: 'lumen-lazy-worker-codecs',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer && !importer.startsWith(PREFIX) && /^@cornerstonejs\/codec-[\w-]+\/(decode)?wasmjs$/.test(source) && /[\\/]dicom-image-loader[\\/]/.test(importer)) {
        return PREFIX + source;
      }
      return null;
    },
    load(id) {
      if (!id.startsWith(PREFIX)) return null;
      return `export default (options) => import(${JSON.stringify(id.slice(PREFIX.length))}).then((m) => m.default(options));`;
    },
    transform(code, id) {
      if (!/[\\/]dicom-image-loader[\\/].*[\\/]decodeDeflatedFrame\.js$/.test(id)) return null;
      // Inside an async function already: the first deflated frame waits for pako.
      if (!DEFLATE.every((re) => re.test(code))) this.error('decodeDeflatedFrame.js is not as lazyWorkerCodecs expects: update it');
      return code.replace(DEFLATE[0]!, '').replace(DEFLATE[1]!, "(await import('pako')).default.inflateRaw(");
    },
  };
}

/**
 * Cornerstone imports dcmjs (0.7 MB, most of it the DICOM dictionary) for its loggers and for the hundred-odd tags its
 * metadata modules know: in the production build it gets src/imaging/metadataDcmjs.ts instead, which has those
 * entries and loads dcmjs itself once the first image is up. Only Cornerstone's imports are redirected; the app's
 * own imports of dcmjs (reports, local files, the tag browser) are dynamic and get the real one.
 */
function startWithoutDcmjs(): Plugin {
  const standIn = path.resolve('src/imaging/metadataDcmjs.ts');
  return {
    name: 'lumen-start-without-dcmjs',
    apply: 'build',
    enforce: 'pre',
    resolveId(source, importer) {
      if (source === 'dcmjs' && importer && /[\\/]@cornerstonejs[\\/](metadata|utils)[\\/]/.test(importer)) return standIn;
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
  plugins: [react(), demoTree(), keepHeldClick(), trimUnused(), startWithoutDcmjs(), noSameTypeCopy(), preloadViewerChunks(), precompress()],
  worker: { format: 'es', plugins: () => [lazyWorkerCodecs(), transferDecodedFrames()] },
  optimizeDeps: {
    rolldownOptions: { plugins: [keepHeldClick()] },
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

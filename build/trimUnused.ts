import type { Plugin } from 'vite';

/**
 * Dead-code removal for the production build's main thread: modules that Cornerstone imports but this viewer never
 * runs there resolve to stand-ins that fail with a clear message if they ever are called. No code path the viewer
 * takes changes, so this is build configuration, not a patch (see docs/cornerstone-patches.md#trimunused-build-configuration):
 * - vtk.js's WebGPU backend (side-effect imports that register it, from outside it): Cornerstone renders with WebGL;
 * - the mesh file readers behind Cornerstone's Mesh class (PLY, STL, OBJ, VTK XML, with an XML builder and a YAML
 *   parser): the viewer loads no mesh files;
 * - the codecs' JS glue and pako (deflate) as imported by the image loader: frames are decoded in the decode
 *   workers, whose bundle this plugin does not touch (Vite builds workers with `worker.plugins` only);
 * - the loader's wadouri scheme with dicom-parser (registered for wadouri:, dicomweb: and dicomfile: image ids,
 *   which this viewer never makes: local files' frames have WADO-RS URLs too).
 * Build only: the dev server keeps the real modules (nothing calls them there either), and its decode workers are
 * served through the same plugin pipeline, where the codec stand-ins would break decoding.
 */
export function trimUnused(): Plugin {
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

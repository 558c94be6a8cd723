// The layers of docs/architecture.md, checked. `npm test` runs them (src/architecture.test.ts, through
// dependency-cruiser's API); from the command line: npm run test:architecture
//
// Data flows dicom/ → dicomweb/ → model/ → store/ → app/ → features/, with imaging/ (the only Cornerstone code)
// beside store/ and app/ (the application services) above both. Each folder below lists what it may import from src; anything else in src is a violation. Tests are
// checked too: a test sits beside its module and keeps to its layer.
//
// Named exceptions, each for a leaf module at src/'s root that imports nothing from src:
//   - src/zod.ts (zod/mini with English messages): dicomweb/ (the data-source schema), model/ (hanging-protocol
//     schema) and config/ all build config.json's schema with it; it is not DICOM, so it is not in dicom/.
//   - src/routes.ts (the viewer's path): model/shareLink.ts builds viewer links with it, as the router does.

/** `src/<folder>/` as a path pattern. */
const dir = (...names) => `^src/(${names.join('|')})/`;
/** Paths in src other than the given folders and root files. */
const srcExcept = (folders, rootFiles = []) => ({
  path: '^src/',
  pathNot: [dir(...folders), ...rootFiles.map((f) => `^src/${f.replace('.', '\\.')}$`)],
});
const TEST = '\\.test\\.tsx?$';
/**
 * Folder `name` may import from src only what is listed (and itself). `testFixtures`: folders its tests may use
 * besides (a named exception per folder, for test scaffolding only).
 */
const onlyImports = (name, comment, folders, rootFiles = [], testFixtures = []) => [
  {
    name: `${name}-imports-only`,
    comment,
    severity: 'error',
    from: { path: dir(name), ...(testFixtures.length ? { pathNot: TEST } : {}) },
    to: srcExcept([name, ...folders], rootFiles),
  },
  ...(testFixtures.length
    ? [
        {
          name: `${name}-tests-import-only`,
          comment: `${comment} Its tests may also use ${testFixtures.join(', ')}/ as fixtures.`,
          severity: 'error',
          from: { path: `${dir(name)}.*${TEST}` },
          to: srcExcept([name, ...folders, ...testFixtures], rootFiles),
        },
      ]
    : []),
];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No module in src reaches itself again through its imports (type-only imports included).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'cornerstone-only-in-imaging',
      comment:
        'Only src/imaging/ imports Cornerstone (@cornerstonejs/*) and vtk.js; the rest of the app goes through ' +
        "imaging/'s API. (vite.config.ts patches Cornerstone at build time; it is outside src and not checked here.)",
      severity: 'error',
      from: { path: '^src/', pathNot: dir('imaging') },
      to: { path: '(^|/)node_modules/(@cornerstonejs|@kitware/vtk\\.js)/|^(@cornerstonejs|@kitware/vtk\\.js)(/|$)' },
    },
    {
      name: 'dicom-is-the-base',
      comment: 'src/dicom/ (DICOM JSON, tags, Part 10, dcmjs) imports nothing else from src.',
      severity: 'error',
      from: { path: dir('dicom') },
      to: srcExcept(['dicom']),
    },
    {
      name: 'root-leaves-import-nothing',
      comment: 'src/zod.ts and src/routes.ts, which lower layers may import (see the named exceptions above), import nothing from src.',
      severity: 'error',
      from: { path: '^src/(zod|routes)\\.ts$' },
      to: { path: '^src/' },
    },
    ...onlyImports('dicomweb', 'The typed DICOMweb client: dicom/ only (and zod.ts, a named exception).', ['dicom'], ['zod.ts']),
    ...onlyImports('model', 'The study model, pure functions: dicom/ only (and zod.ts, routes.ts: named exceptions).', ['dicom'], ['zod.ts', 'routes.ts']),
    ...onlyImports('config', "config.json's schema and loading: the client's data-source schema, model/'s protocol schema, auth/'s sign-in schema, i18n/'s language codes.", ['dicomweb', 'model', 'auth', 'i18n'], ['zod.ts']),
    ...onlyImports('auth', 'Sign-in (OpenID Connect, oidc-client-ts): its config schema and the token session; it knows no other part of the app.', [], ['zod.ts']),
    ...onlyImports('deid', 'De-identification (PS3.15): pure, self-contained.', []),
    ...onlyImports('i18n', 'Translations (i18next): the strings of every language and the language choice; it knows no other part of the app.', []),
    ...onlyImports('local', 'Local files as a data source: Part 10 (dicom/) served as DICOMweb (dicomweb/).', ['dicom', 'dicomweb']),
    // Named exception: transfer.test.ts exports and sends studies read from local files (local/'s in-memory
    // DICOMweb server stands in for a PACS); transfer.ts itself knows only the client.
    ...onlyImports('transfer', 'Export and send: below store/, beside the client.', ['deid', 'dicom', 'dicomweb', 'model'], [], ['local']),
    ...onlyImports('imaging', 'The Cornerstone layer: never store/, local/ or features/ (the viewer hands it what it needs).', ['dicom', 'dicomweb', 'model']),
    {
      name: 'store-not-imaging-app-or-features',
      comment:
        'zustand stores hold state; they do not reach into Cornerstone (imaging/), the application services (app/) ' +
        'or the screens (features/).',
      severity: 'error',
      from: { path: dir('store') },
      to: { path: dir('imaging', 'app', 'features') },
    },
    ...onlyImports(
      'app',
      'Application services (reports over STOW, hanging protocols, compare with prior, viewport sync): between ' +
        'store/ and features/; a screen renders and dispatches to them. Never features/.',
      ['store', 'imaging', 'model', 'dicomweb', 'dicom', 'transfer', 'config', 'i18n'],
      ['zod.ts', 'routes.ts'],
    ),
    {
      name: 'only-features-import-features',
      comment: 'The screens are the top: only features/ itself and src/main.tsx import them.',
      severity: 'error',
      from: { path: '^src/', pathNot: [dir('features'), '^src/main\\.tsx$'] },
      to: { path: dir('features') },
    },
  ],
  options: {
    // The project's TypeScript (7) has no JavaScript API for dependency-cruiser: Babel strips the types instead,
    // keeping type-only imports (see the file).
    babelConfig: { fileName: '.dependency-cruiser.babel.cjs' },
    doNotFollow: { path: 'node_modules' },
    enhancedResolveOptions: {
      extensions: ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.json'],
      conditionNames: ['import', 'default'],
      mainFields: ['module', 'main'],
      exportsFields: ['exports'],
    },
  },
};

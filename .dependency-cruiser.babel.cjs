// How dependency-cruiser reads TypeScript here (see .dependency-cruiser.cjs): the project's TypeScript 7 has no
// JavaScript API for dependency-cruiser to parse with, so Babel strips the types (and turns JSX into calls) and
// dependency-cruiser reads the JavaScript left (its parser would stumble on JSX and skip what follows). Babel would drop type-only imports with the types; the plugin below keeps them as plain
// imports first, so that `import type` counts as a dependency like any other (the layers hold for types too).
function keepTypeOnlyImports() {
  return {
    name: 'keep-type-only-imports',
    visitor: {
      Program: {
        // Before the TypeScript preset's own Program visitor (plugins run before presets).
        enter(program) {
          for (const statement of program.node.body) {
            const isImport = statement.type === 'ImportDeclaration';
            const isReExport = (statement.type === 'ExportNamedDeclaration' || statement.type === 'ExportAllDeclaration') && statement.source;
            if (!isImport && !isReExport) continue;
            if (isImport) statement.importKind = 'value';
            else statement.exportKind = 'value';
            for (const specifier of statement.specifiers ?? []) {
              if (specifier.importKind) specifier.importKind = 'value';
              if (specifier.exportKind) specifier.exportKind = 'value';
            }
          }
        },
      },
    },
  };
}

module.exports = {
  // Only this file: no babel.config.* or .babelrc is looked for.
  babelrc: false,
  configFile: false,
  // Only the imports matter: no source maps, comments or formatting to produce.
  compact: true,
  comments: false,
  sourceMaps: false,
  // The classic runtime: no react/jsx-runtime import appears that the source does not have.
  plugins: [keepTypeOnlyImports, ['@babel/plugin-transform-react-jsx', { runtime: 'classic' }]],
  // onlyRemoveTypeImports: an import whose names are used as types only is kept too.
  presets: [['@babel/preset-typescript', { isTSX: false, allExtensions: false, onlyRemoveTypeImports: true }]],
};

import { createHash } from 'node:crypto';
import type { Plugin } from 'vite';
import { VIEWER_PATH } from '../src/routes.ts';

/**
 * A viewer link (`/viewer?…`) needs the viewer's chunks, Cornerstone among them (~1.9 MB of JS that takes the
 * browser ~0.6 s to parse on two cores), before its first image. The app asks for them when its own entry has run;
 * a small script in the page's head asks for them (modulepreload: fetched and parsed, not run) as soon as the HTML
 * is read, ~0.25 s sooner (async: the page's own entry is not held up). Other pages (the study list) do not load them. An external file, as the Content Security
 * Policy allows scripts from this origin only.
 */
export function preloadViewerChunks(): Plugin {
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

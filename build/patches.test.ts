/**
 * The patches in patches/ (applied to node_modules by patch-package on `npm install` / `npm ci`) are in place: each
 * hunk's patched text is in the installed file, the installed package is the version the patch was made for, and
 * package.json pins that version exactly. Fails when an upgrade or a failed postinstall left a patch out (then:
 * `npx patch-package`, or update the patch as docs/cornerstone-patches.md says).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const PATCHES = path.join(ROOT, 'patches');

interface Hunk {
  file: string;
  /** The hunk's text after the patch: its context and added lines. */
  after: string;
}

interface PatchFile {
  fileName: string;
  pkg: string;
  version: string;
  name: string;
  header: string;
  hunks: Hunk[];
}

/** `@scope+pkg+1.2.3+001+name.patch` (patch-package's sequenced form) or `pkg+1.2.3.patch`. */
function parseName(fileName: string): { pkg: string; version: string; name: string } {
  const m = /^(.+?)\+(\d+\.\d+\.\d+[^+]*)(?:\+\d+\+(.+))?\.patch$/.exec(fileName);
  if (!m) throw new Error(`${fileName}: not a patch-package file name`);
  return { pkg: m[1]!.replace(/\+/g, '/'), version: m[2]!, name: m[3] ?? m[1]! };
}

function parsePatch(fileName: string): PatchFile {
  const text = fs.readFileSync(path.join(PATCHES, fileName), 'utf8');
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.startsWith('diff --git '));
  const hunks: Hunk[] = [];
  let file = '';
  let after: string[] | undefined;
  const close = () => {
    if (after) hunks.push({ file, after: after.join('\n') });
    after = undefined;
  };
  for (const line of lines.slice(first)) {
    if (line.startsWith('diff --git ')) {
      close();
      file = '';
    } else if (line.startsWith('+++ ')) {
      file = line.slice(4).replace(/^b\//, '');
    } else if (line.startsWith('@@ ')) {
      close();
      after = [];
    } else if (after && (line.startsWith(' ') || line.startsWith('+'))) {
      after.push(line.slice(1));
    }
  }
  close();
  return { fileName, ...parseName(fileName), header: lines.slice(0, Math.max(first, 0)).join('\n'), hunks };
}

const patches = fs.readdirSync(PATCHES).filter((f) => f.endsWith('.patch')).sort().map(parsePatch);
const pkgJson = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  scripts?: Record<string, string>;
};
const docs = fs.readFileSync(path.join(ROOT, 'docs', 'cornerstone-patches.md'), 'utf8');

describe('patches/', () => {
  it('has patches, and npm applies them after install', () => {
    expect(patches.length).toBeGreaterThan(0);
    expect(pkgJson.scripts?.postinstall).toBe('patch-package');
  });

  for (const patch of patches) {
    describe(patch.fileName, () => {
      it('says what it changes, why, what to file upstream and the version checked', () => {
        expect(patch.header).toMatch(/^# Lumen patch /);
        for (const field of ['What:', 'Why:', 'Upstream:', patch.version]) expect(patch.header).toContain(field);
        expect(docs, `docs/cornerstone-patches.md needs a "### ${patch.name}" section`).toContain(`### ${patch.name}\n`);
      });

      it(`is for the installed ${patch.pkg}, pinned to that version`, () => {
        const installed = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', patch.pkg, 'package.json'), 'utf8')) as { version: string };
        expect(installed.version, `node_modules has ${patch.pkg}@${installed.version}; the patch is for ${patch.version}`).toBe(patch.version);
        const declared = pkgJson.dependencies?.[patch.pkg] ?? pkgJson.devDependencies?.[patch.pkg];
        if (declared !== undefined) expect(declared, `package.json must pin ${patch.pkg} exactly`).toBe(patch.version);
      });

      it('is applied to the installed files', () => {
        expect(patch.hunks.length).toBeGreaterThan(0);
        for (const hunk of patch.hunks) {
          const file = path.join(ROOT, hunk.file);
          const installed = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
          expect(installed.includes(hunk.after), `${hunk.file} lacks the patched text:\n${hunk.after}\n(run \`npx patch-package\`)`).toBe(true);
        }
      });
    });
  }
});

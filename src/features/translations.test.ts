import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// Every translation key the screens use is in the English files (and so, by src/i18n/locales.test.ts, in every
// language). Read from the source: `t('key')`, `t('ns:key')`, and for keys built at run time (`t(\`kind.${k}\`)`)
// the fixed part before the first placeholder, which must name a group of keys.

const SRC = path.join(import.meta.dirname, '..');
const LOCALES = path.join(SRC, 'i18n/locales/en');

const english = Object.fromEntries(
  readdirSync(LOCALES).map((f) => [f.replace(/\.json$/, ''), JSON.parse(readFileSync(path.join(LOCALES, f), 'utf8')) as Record<string, unknown>]),
);

function lookup(ns: string, key: string): unknown {
  return key.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), english[ns]);
}
const PLURALS = ['', '_one', '_other'];
const has = (ns: string, key: string) => PLURALS.some((p) => typeof lookup(ns, key + p) === 'string');
const hasGroup = (ns: string, prefix: string) => {
  const group = prefix.endsWith('.') ? lookup(ns, prefix.slice(0, -1)) : undefined;
  return !!group && typeof group === 'object';
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sources(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

describe('translation keys in the code', () => {
  const files = [...sources(path.join(SRC, 'features')), ...sources(path.join(SRC, 'app'))];

  it('are found', () => {
    let checked = 0;
    const missing: string[] = [];
    for (const file of files) {
      const code = readFileSync(file, 'utf8');
      // Without useTranslation a file's t is handed in: the default namespace's (common) unless it says another.
      const namespaces = [
        'common',
        ...[...code.matchAll(/useTranslation\('(\w+)'\)/g)].map((m) => m[1]!),
        ...[...code.matchAll(/<Translation ns="(\w+)">/g)].map((m) => m[1]!),
        ...[...code.matchAll(/\bns: '(\w+)'/g)].map((m) => m[1]!),
      ];
      const where = path.relative(SRC, file);
      // Keys chosen by a condition: t(cond ? 'a' : 'b').
      for (const m of code.matchAll(/\b(?:t|tv)\(\s*[\w.!=<>'" ]+\?\s*'([^']+)'\s*:\s*'([^']+)'/g)) {
        for (const key of [m[1]!, m[2]!]) {
          checked++;
          if (!namespaces.some((n) => has(n, key))) missing.push(`${path.relative(SRC, file)}: ${key}`);
        }
      }
      for (const m of code.matchAll(/\b(?:t|tv|i18next\.t)\(\s*(?:'([^']+)'|`([^`]+)`)/g)) {
        const literal = m[1];
        const template = m[2];
        const raw = literal ?? template!;
        const [ns, key] = raw.includes(':') ? raw.split(':') as [string, string] : [undefined, raw];
        const candidates = ns ? [ns] : namespaces;
        checked++;
        if (literal !== undefined || !key.includes('${')) {
          if (!candidates.some((n) => has(n, key))) missing.push(`${where}: ${raw}`);
        } else {
          const prefix = key.slice(0, key.indexOf('${'));
          // A key wholly made at run time (`t(\`${x}\`)`) names nothing to check here.
          if (prefix && !candidates.some((n) => hasGroup(n, prefix))) missing.push(`${where}: ${raw}`);
        }
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(300);
  });
});

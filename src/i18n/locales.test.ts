import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from './languages';

const DIR = path.join(import.meta.dirname, 'locales');

/** Every key of a nested translation object, dotted ("panel.title"). */
function keys(obj: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(obj).flatMap(([k, v]) => (v && typeof v === 'object' ? keys(v as Record<string, unknown>, `${prefix}${k}.`) : [`${prefix}${k}`]));
}
/** Plural forms (count_one, count_other…) count as one key, "count"; each language has the forms it needs. */
const PLURAL = /_(zero|one|two|few|many|other)$/;
const base = (ks: string[]) => [...new Set(ks.map((k) => k.replace(PLURAL, '')))].sort();
const read = (lng: string, file: string) => JSON.parse(readFileSync(path.join(DIR, lng, file), 'utf8')) as Record<string, unknown>;

describe('translations', () => {
  const namespaces = readdirSync(path.join(DIR, 'en')).filter((f) => f.endsWith('.json'));

  it('every language has every namespace and every English key, with text', () => {
    for (const lng of LANGUAGES) {
      expect(readdirSync(path.join(DIR, lng)).sort(), lng).toEqual([...namespaces].sort());
      for (const ns of namespaces) {
        const en = keys(read('en', ns));
        const other = read(lng, ns);
        expect(base(keys(other)), `${lng}/${ns}`).toEqual(base(en));
        // Every plural key has each form the language's plural rules use (Arabic: zero, one, two, few, many, other).
        const forms = new Intl.PluralRules(lng).resolvedOptions().pluralCategories;
        for (const k of base(en.filter((x) => PLURAL.test(x)))) {
          for (const form of forms) expect(keys(other), `${lng}/${ns}: ${k}_${form}`).toContain(`${k}_${form}`);
        }
        for (const k of keys(other)) {
          const v = k.split('.').reduce<unknown>((o, p) => (o as Record<string, unknown>)[p], other);
          expect(typeof v === 'string' && v.trim() !== '', `${lng}/${ns}: ${k} is empty`).toBe(true);
        }
      }
    }
  });

});

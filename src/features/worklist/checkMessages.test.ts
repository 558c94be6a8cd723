import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_ENGLISH } from '../../dicomweb/connectionCheck';

describe('connection check messages', () => {
  it("are the English translation's, word for word (the check's own English is what logs and support see)", () => {
    const en = JSON.parse(readFileSync(path.join(import.meta.dirname, '../../i18n/locales/en/worklist.json'), 'utf8')) as {
      check: Record<string, Record<string, string>>;
    };
    const fromJson = Object.fromEntries(['hint', 'detail'].flatMap((g) => Object.entries(en.check[g]!).map(([k, v]) => [`${g}.${k}`, v])));
    expect(fromJson).toEqual(CHECK_ENGLISH);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UID_REGISTRY, UID_REGISTRY_EDITION } from '../../src/dicom/uids.generated';
import { EDITION, KINDS_OUTPUT, OUTPUT, parseUidDict, readUidRows, renderKindsModule, renderUidModule } from './uid-source';

describe('generated UID registry', () => {
  it('is what the checked-in data and the generator give (run `npm run uids:generate` after changing either)', () => {
    expect(readFileSync(OUTPUT, 'utf8')).toBe(renderUidModule(readUidRows()));
    expect(UID_REGISTRY_EDITION).toBe(EDITION);
    expect(readFileSync(KINDS_OUTPUT, 'utf8')).toBe(renderKindsModule(readUidRows()));
  });

  it('has every registry row but the LDAP OIDs', () => {
    const rows = readUidRows();
    expect(rows.length).toBe(490);
    expect(UID_REGISTRY.length).toBe(rows.filter((r) => r.type !== 'LDAP OID').length);
    expect(rows.filter((r) => r.type === 'Transfer Syntax').length).toBe(63);
  });

  it('refuses a line it does not understand instead of skipping it', () => {
    expect(() => parseUidDict("UID_dictionary = {\n    '1.2.3': ('x', 'SOP Class'),\n}")).toThrow(/line 2/);
    expect(parseUidDict("UID_dictionary = {\n    '1.2.3': ('It\\'s', 'SOP Class', '', 'Retired', 'K')\n}")).toEqual([
      { uid: '1.2.3', name: "It's", type: 'SOP Class', retired: true },
    ]);
  });
});

import { unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { unsafeEntryName, ZipBuilder } from './zip';

describe('export zip names', () => {
  it('lets relative UID paths through', () => {
    expect(unsafeEntryName('1.2/3.4/5.6.dcm')).toBeUndefined();
    expect(unsafeEntryName('invalid-uid-0a1b2c3d/3.4/5.6.dcm')).toBeUndefined();
  });

  it('refuses names that could leave the folder or confuse an unzipper', () => {
    for (const name of ['../1.dcm', '1.2/../../x.dcm', './1.dcm', '/etc/x.dcm', 'C:/x.dcm', '1.2\\..\\x.dcm', '1.2//x.dcm', '1.2/x\0.dcm', '1.2/x\n.dcm', '1.2/']) {
      expect(unsafeEntryName(name), JSON.stringify(name)).toBeDefined();
    }
  });

  it('adds nothing for a refused or repeated name, and the zip stays whole', async () => {
    const zip = new ZipBuilder();
    zip.add('1.2/3.dcm', new Uint8Array([1]));
    expect(() => zip.add('../3.dcm', new Uint8Array([2]))).toThrow(/refused: it has an empty, '\.' or '\.\.' folder/);
    expect(() => zip.add('1.2/3.dcm', new Uint8Array([3]))).toThrow(/already holds/);
    zip.add('1.2/4.dcm', new Uint8Array([4]));
    const entries = unzipSync(new Uint8Array(await (await zip.finish()).arrayBuffer()));
    expect(Object.keys(entries)).toEqual(['1.2/3.dcm', '1.2/4.dcm']);
  });
});

import { describe, expect, it } from 'vitest';
import realDcmjs from 'dcmjs';
import shipped from './metadataDictionary.json';
import { metadataDictionary } from '../../scripts/metadata/dictionary.mjs';
import shim, { constants, loadFullDictionary } from './metadataDcmjs';

type Real = {
  data: { DicomMetaDictionary: { dictionary: Record<string, { tag: string; vr: string; vm: string; name: string } | undefined> } };
  constants: Record<string, unknown>;
  async: { AsyncDicomReader: new () => object };
  utilities: { DicomMetadataListener: new (...a: unknown[]) => object };
};
const real = realDcmjs as unknown as Real;
const { dictionary, nameMap } = shim.data.DicomMetaDictionary;

describe('the dcmjs stand-in for Cornerstone metadata', () => {
  it('ships the entries the installed Cornerstone metadata package needs (run scripts/metadata/dictionary.mjs when this fails)', async () => {
    expect(shipped).toEqual(await metadataDictionary());
    expect(shipped.length).toBeGreaterThan(100);
  });

  it('answers its tags as dcmjs does, by either key form, and knows no others until the full dictionary loads', () => {
    for (const [tag] of shipped as string[][]) {
      const hex = tag!.replace(/[(),]/g, '');
      const expected = real.data.DicomMetaDictionary.dictionary[hex]!;
      expect(dictionary[hex]).toMatchObject({ tag: expected.tag, vr: expected.vr, vm: expected.vm, name: expected.name });
      expect(dictionary[tag!]).toEqual(dictionary[hex]);
      expect(nameMap[expected.name]?.tag).toBe(expected.tag);
    }
    expect(dictionary['00280030']?.name).toBe('PixelSpacing');
    expect(dictionary['00181030']).toBeUndefined(); // ProtocolName: in no module definition
    expect(nameMap.ProtocolName).toBeUndefined();
    expect(() => new shim.async.AsyncDicomReader()).toThrow(/full DICOM dictionary/);
    expect(() => new shim.utilities.DicomMetadataListener({}, {})).toThrow(/full DICOM dictionary/);
  });

  it('has the transfer syntax constants dcmjs has', () => {
    for (const [key, value] of Object.entries(constants)) expect(real.constants[key]).toBe(value);
  });

  it('answers from the full dcmjs once loaded, with its classes', async () => {
    await loadFullDictionary();
    expect(dictionary['00181030']?.name).toBe('ProtocolName');
    expect(dictionary['(0018,1030)']?.name).toBe('ProtocolName');
    expect(nameMap.ProtocolName?.tag).toBe('(0018,1030)');
    expect(new shim.async.AsyncDicomReader()).toBeInstanceOf(real.async.AsyncDicomReader);
    expect(new shim.utilities.DicomMetadataListener({}, {})).toBeInstanceOf(real.utilities.DicomMetadataListener);
  });
});

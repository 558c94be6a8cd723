/**
 * What Cornerstone (@cornerstonejs/metadata and @cornerstonejs/utils) takes from dcmjs, without dcmjs (0.7 MB) before
 * the first image. The build and the dev server resolve those packages' `import 'dcmjs'` to this module (build/startWithoutDcmjs.ts,
 * `startWithoutDcmjs`); the rest of the app imports dcmjs itself, lazily.
 *
 * Cornerstone's loggers come from dcmjs's `log`, which is loglevel: here they get loglevel itself.
 *
 * When it loads, the package builds its tag tables from the dictionary entries of its modules' tags: those entries
 * are here (metadataDictionary.json, from scripts/metadata/dictionary.mjs), so the tables come out the same. Its
 * other uses of dcmjs (whole-dictionary lookups, Part 10 parsing into "naturalized" metadata) are not on the
 * viewer's path (frames come through WADO-RS metadata); they answer from the full dcmjs once
 * `loadFullDictionary()` has run, which the viewer starts as soon as an image is on screen.
 *
 * One limit: the package caches its lower-case keyword map the first time it compiles display-set rules (before
 * the first image), so a rule naming a keyword outside these entries would not resolve. The package's own rules'
 * keywords are among the entries (the generator collects every keyword its code names); the viewer adds none.
 */
import log from 'loglevel';
import entries from './metadataDictionary.json';

export { log };

type Entry = { tag: string; vr: string; vm: string; name: string };
type FullDcmjs = {
  data: { DicomMetaDictionary: { dictionary: Record<string, Entry | undefined>; nameMap: Record<string, Entry> } };
  async: { AsyncDicomReader: new (...args: unknown[]) => object };
  utilities: { DicomMetadataListener: new (...args: unknown[]) => object };
};

let full: FullDcmjs | undefined;
let loading: Promise<void> | undefined;

const byHex = new Map<string, Entry>();
const nameMap: Record<string, Entry> = {};
for (const [tag, vr, vm, name] of entries as [string, string, string, string][]) {
  const entry = { tag, vr, vm, name };
  byHex.set(tag.replace(/[(),]/g, '').toUpperCase(), entry);
  nameMap[name] = entry;
}

/** dcmjs's dictionary answers "00280030" and "(0028,0030)" alike; so does this one. */
const dictionary = new Proxy({} as Record<string, Entry | undefined>, {
  get(_target, key) {
    if (typeof key !== 'string') return undefined;
    if (full) return full.data.DicomMetaDictionary.dictionary[key];
    return byHex.get(key.replace(/[(),]/g, '').toUpperCase());
  },
});

function fullDcmjs(what: string): FullDcmjs {
  if (!full) throw new Error(`${what} needs the full DICOM dictionary, which has not loaded yet`);
  return full;
}

// Constructors that hand back the real dcmjs class's instance (a constructor may return another object).
class AsyncDicomReader {
  constructor(...args: unknown[]) {
    return new (fullDcmjs('Reading a DICOM file').async.AsyncDicomReader)(...args);
  }
}
class DicomMetadataListener {
  constructor(...args: unknown[]) {
    return new (fullDcmjs('Naturalizing DICOM metadata').utilities.DicomMetadataListener)(...args);
  }
}

/** Loads dcmjs and answers every lookup from it from then on. Safe to call more than once; a failed load is retried. */
export function loadFullDictionary(): Promise<void> {
  loading ??= import('dcmjs').then(
    ({ default: dcmjs }) => {
      full = dcmjs as unknown as FullDcmjs;
      Object.assign(nameMap, full.data.DicomMetaDictionary.nameMap);
    },
    (e: unknown) => {
      loading = undefined;
      throw e;
    },
  );
  return loading;
}

let scheduled: ReturnType<typeof setTimeout> | undefined;
/** The full dictionary a little after an image is on screen (see onScreen.ts), so it is not in the first image's way. */
export function loadDictionarySoon(delayMs = 1000): void {
  scheduled ??= setTimeout(() => {
    loadFullDictionary().catch((e: unknown) => {
      scheduled = undefined;
      console.warn('The DICOM dictionary did not load; it is tried again with the next image:', e);
    });
  }, delayMs);
}

// The transfer syntax constants the package reads (enums/TransferSyntaxes.js).
export const constants = {
  IMPLICIT_LITTLE_ENDIAN: '1.2.840.10008.1.2',
  EXPLICIT_LITTLE_ENDIAN: '1.2.840.10008.1.2.1',
  DEFLATED_EXPLICIT_LITTLE_ENDIAN: '1.2.840.10008.1.2.1.99',
  EXPLICIT_BIG_ENDIAN: '1.2.840.10008.1.2.2',
};

export default {
  data: { DicomMetaDictionary: { dictionary, nameMap } },
  async: { AsyncDicomReader },
  utilities: { DicomMetadataListener },
  constants,
  log,
};

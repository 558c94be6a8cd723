// The parts of dcmjs (which ships no types) that reading and writing Part 10 files uses (src/local, scripts/import,
// scripts/demo). A module of its own rather than a `declare module 'dcmjs'` because src/types/dcmjs.d.ts already
// declares that module loosely: users cast the default import to `Dcmjs` (see ./dcmjs.ts).

/** One element as dcmjs reads and writes it: close to the DICOM JSON model, keyed by 8-hex-digit tag. */
export interface DcmjsElement {
  vr: string;
  /**
   * Strings, numbers (IS/DS parsed; null for empty ones), `{ Alphabetic, Ideographic, Phonetic }` for PN,
   * datasets for SQ, ArrayBuffers for binary VRs and pixel data (one per frame or per fragment when
   * encapsulated), numbers for AT, bigint for SV/UV.
   */
  Value?: unknown[];
  /** The value as stored (before trimming / parsing); dcmjs writes it back when it still matches Value. */
  _rawValue?: unknown;
}

export type DcmjsDataset = Record<string, DcmjsElement | undefined>;

export interface DcmjsReadOptions {
  /** Returns what was read so far instead of throwing (also accepts unknown/multiple character sets). */
  ignoreErrors?: boolean;
  untilTag?: string | null;
  includeUntilTagValue?: boolean;
  noCopy?: boolean;
  forceStoreRaw?: boolean;
}

export interface DcmjsDicomDict {
  meta: DcmjsDataset;
  dict: DcmjsDataset;
  write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
}

export interface DcmjsLogger {
  setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
}

export interface Dcmjs {
  data: {
    DicomMessage: {
      /** Parses a Part 10 file (128-byte preamble + "DICM"); throws on anything else. */
      readFile(buffer: ArrayBuffer, options?: DcmjsReadOptions): { meta: DcmjsDataset; dict: DcmjsDataset };
    };
    DicomDict: new (meta: DcmjsDataset) => DcmjsDicomDict;
    DicomMetaDictionary: {
      /** Keyword → dictionary entry, e.g. nameMap.Rows = { tag: "(0028,0010)", vr: "US", … }. */
      nameMap: Record<string, { tag: string; vr: string; name: string; vm: string } | undefined>;
    };
  };
  log: DcmjsLogger & { getLogger(name: string): DcmjsLogger };
}

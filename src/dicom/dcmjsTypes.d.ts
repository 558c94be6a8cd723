// The parts of dcmjs (which ships no types) that the app, the scripts and the tests use: the one declaration of
// the 'dcmjs' module. Types are imported from the module itself (`import type { DcmjsDataset } from 'dcmjs'`);
// the configured instance (loggers quietened) is ./dcmjs.ts.
declare module 'dcmjs' {
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

  /** A Part 10 file in DICOM JSON-like (tag-keyed) form: set `dict`, then `write()`. */
  export interface DcmjsDicomDict {
    meta: DcmjsDataset;
    dict: DcmjsDataset;
    write(options?: { allowInvalidVRLength?: boolean; fragmentMultiframe?: boolean }): ArrayBuffer;
  }

  export interface DcmjsLogger {
    setLevel(level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'silent'): void;
  }

  export interface DcmjsDictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
  }

  export interface Dcmjs {
    data: {
      DicomMessage: {
        /** Parses a Part 10 file (128-byte preamble + "DICM"); throws on anything else. */
        readFile(buffer: ArrayBuffer, options?: DcmjsReadOptions): { meta: DcmjsDataset; dict: DcmjsDataset };
      };
      DicomDict: new (meta: DcmjsDataset) => DcmjsDicomDict;
      DicomMetaDictionary: {
        /** Keyed by punctuated tag, e.g. "(0010,0010)". */
        dictionary: Record<string, DcmjsDictionaryEntry | undefined>;
        /** Keyword → dictionary entry, e.g. nameMap.Rows = { tag: "(0028,0010)", vr: "US", … }. */
        nameMap: Record<string, DcmjsDictionaryEntry | undefined>;
        /** DICOM JSON (tag-keyed) → keyword-keyed dataset with plain values. */
        naturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
        [key: string]: unknown;
      };
      /** A naturalized dataset (with _meta) → a writable Part 10 file. */
      datasetToDict(dataset: Record<string, unknown>): { write(): ArrayBuffer };
      [key: string]: unknown;
    };
    log: DcmjsLogger & { getLogger(name: string): DcmjsLogger };
    [key: string]: unknown;
  }

  const dcmjs: Dcmjs;
  export default dcmjs;
}

// The parts of dcmjs (which ships no types) the app and scripts use.
declare module 'dcmjs' {
  interface DictionaryEntry {
    tag: string;
    vr: string;
    vm: string;
    name: string;
  }
  const dcmjs: {
    data: {
      DicomMetaDictionary: {
        /** Keyed by punctuated tag, e.g. "(0010,0010)". */
        dictionary: Record<string, DictionaryEntry | undefined>;
        /** DICOM JSON (tag-keyed) → keyword-keyed dataset with plain values. */
        naturalizeDataset(dataset: Record<string, unknown>): Record<string, unknown>;
        [key: string]: unknown;
      };
      DicomMessage: {
        readFile(buffer: ArrayBuffer, options?: { ignoreErrors?: boolean }): { meta: Record<string, unknown>; dict: Record<string, unknown> };
      };
      /** A Part 10 file in DICOM JSON-like (tag-keyed) form: set `dict`, then `write()`. */
      DicomDict: new (meta: Record<string, unknown>) => {
        meta: Record<string, unknown>;
        dict: Record<string, unknown>;
        write(options?: { allowInvalidVRLength?: boolean }): ArrayBuffer;
      };
      /** A naturalized dataset (with _meta) → a writable Part 10 file. */
      datasetToDict(dataset: Record<string, unknown>): { write(): ArrayBuffer };
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  export default dcmjs;
}

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
        [key: string]: unknown;
      };
      [key: string]: unknown;
    };
    [key: string]: unknown;
  };
  export default dcmjs;
}

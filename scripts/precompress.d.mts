/** Writes .br and .gz beside every compressible file of `dir` where they are smaller; returns how many. */
export function precompressDir(dir: string): number;
/** Whether an Accept-Encoding header accepts `coding` (q=0 refuses it). */
export function accepts(header: string | undefined, coding: string): boolean;
/** The copy of `file` to send for a request's Accept-Encoding: brotli, else gzip, else the file itself. */
export function encodedVariant(file: string, acceptEncoding: string | undefined): { path: string; encoding: 'br' | 'gzip' | undefined };

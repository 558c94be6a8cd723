import { unsupportedSyntaxMessage } from '../model/frameChecks';

/** A readable reason from whatever the loader rejected with (an XHR, an Error, a worker message…). */
export function describeLoadError(error: unknown): string {
  if (error && typeof error === 'object') {
    const e = error as { status?: number; statusText?: string; message?: string; error?: unknown };
    if (typeof e.status === 'number' && 'readyState' in e) {
      return e.status === 0
        ? 'the server could not be reached'
        : `the server answered ${e.status}${e.statusText ? ` ${e.statusText}` : ''}`;
    }
    if (e.error !== undefined && e.error !== error) return describeLoadError(e.error);
    if (typeof e.message === 'string' && e.message) {
      // The loader's own wording for a syntax it has no decoder for.
      const unsupported = /^No decoder for transfer syntax (\S+)/.exec(e.message);
      return unsupported ? unsupportedSyntaxMessage(unsupported[1]!) : e.message;
    }
  }
  if (typeof error === 'string' && error) return error;
  return 'the image could not be decoded';
}

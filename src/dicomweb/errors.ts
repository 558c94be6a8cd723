/** What went wrong talking to a DICOMweb server, phrased for the person reading the screen. */
export class DicomWebError extends Error {
  constructor(
    /** e.g. 'Study search (QIDO-RS)'. */
    readonly operation: string,
    /** The request URL without its query string: queries carry patient names and IDs. */
    readonly url: string,
    /** HTTP status, or 0 when the server could not be reached. */
    readonly status: number,
    readonly statusText: string,
    /** A short plain-text reason from the server, when it sent one. */
    readonly serverReason = '',
    /** How long the server asked the client to wait before trying again (Retry-After). */
    readonly retryAfterMs?: number,
  ) {
    super(DicomWebError.describe(operation, url, status, statusText, serverReason));
    this.name = 'DicomWebError';
  }

  static describe(operation: string, url: string, status: number, statusText: string, serverReason: string): string {
    const what =
      status === 0
        ? `could not reach ${url}${statusText ? ` (${statusText})` : ''}`
        : `${url} answered ${status}${statusText ? ` ${statusText}` : ''}`;
    return `${operation} failed: ${what}${serverReason ? ` — ${serverReason}` : ''}`;
  }
}

/** The URL as shown in messages: absolute, without query string or fragment. */
export function displayUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return url.split('?')[0] ?? url;
  }
}

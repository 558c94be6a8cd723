// Retrieves a whole series in one WADO-RS request (its instances as Part 10 files in one multipart response) and
// splits each instance into its frames as it streams in, off the UI thread. See ./seriesStream.ts.
import { MultipartRelatedStream } from '../dicomweb/multipart';
import { parsePart10 } from '../local/part10';

export interface SeriesStreamRequest {
  url: string;
  headers: Record<string, string>;
}

export type SeriesStreamMessage =
  | { kind: 'instance'; sopInstanceUID: string; transferSyntaxUID: string; frames: ArrayBuffer[] }
  | { kind: 'done'; instances: number }
  | { kind: 'error'; message: string };

const scope = self as unknown as {
  postMessage(m: SeriesStreamMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<SeriesStreamRequest>) => void) | null;
};

scope.onmessage = async (e) => {
  const { url, headers } = e.data;
  try {
    const response = await fetch(url, { headers });
    if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
    const stream = new MultipartRelatedStream(response.headers.get('content-type') ?? '');
    const reader = response.body.getReader();
    let instances = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      for (const part of stream.push(value)) {
        // An instance that cannot be read is left to the frame-by-frame path, which reports it in its viewport.
        let parsed;
        try {
          parsed = parsePart10(part.body);
        } catch {
          continue;
        }
        const frames = parsed.frames.map((f) => (f.byteOffset === 0 && f.byteLength === f.buffer.byteLength ? f.buffer : f.slice().buffer) as ArrayBuffer);
        instances++;
        scope.postMessage({ kind: 'instance', sopInstanceUID: parsed.sopInstanceUID, transferSyntaxUID: parsed.frameTransferSyntaxUID, frames }, frames);
      }
    }
    stream.end();
    scope.postMessage({ kind: 'done', instances });
  } catch (err) {
    scope.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
};

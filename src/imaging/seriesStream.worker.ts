// Retrieves a whole series in one WADO-RS request (its instances as Part 10 files in one multipart response) and
// splits each instance into its frames as it streams in, off the UI thread. See ./seriesStream.ts.
import { MultipartRelatedStream } from '../dicomweb/multipart';
import { scanPart10, type ScannedInstance } from '../dicom/part10Scan';

export interface SeriesStreamRequest {
  url: string;
  headers: Record<string, string>;
  /** Bytes of frames handed over but not yet taken before reading pauses. */
  maxAheadBytes: number;
}

/** The page has taken (or dropped) this many bytes of frames: reading may go on. */
export interface SeriesStreamConsumed {
  consumed: number;
}

export type SeriesStreamMessage =
  | { kind: 'instance'; sopInstanceUID: string; transferSyntaxUID: string; frames: ArrayBuffer[] }
  | { kind: 'done'; instances: number }
  | { kind: 'error'; message: string };

const scope = self as unknown as {
  postMessage(m: SeriesStreamMessage, transfer?: Transferable[]): void;
  onmessage: ((e: MessageEvent<SeriesStreamRequest | SeriesStreamConsumed>) => void) | null;
};

/** Frames handed over but not yet taken stay under a limit, so a fast server cannot fill memory ahead of decoding. */
let maxAhead = Infinity;
let ahead = 0;
let resume: (() => void) | undefined;

/** What the fast scan leaves (big endian, deflate, odd layouts): the full parse, loaded only then. */
async function fullParse(bytes: Uint8Array): Promise<ScannedInstance | undefined> {
  try {
    const { parsePart10 } = await import('../dicom/part10');
    const parsed = parsePart10(bytes);
    if (parsed.warnings.length > 0 || parsed.pixelsConverted) return undefined;
    return { sopInstanceUID: parsed.sopInstanceUID, transferSyntaxUID: parsed.frameTransferSyntaxUID, frames: parsed.frames };
  } catch {
    return undefined;
  }
}

async function run({ url, headers, maxAheadBytes }: SeriesStreamRequest): Promise<void> {
  maxAhead = maxAheadBytes;
  try {
    const response = await fetch(url, { headers });
    if (!response.ok || !response.body) throw new Error(`${url} answered ${response.status} ${response.statusText}`.trim());
    const stream = new MultipartRelatedStream(response.headers.get('content-type') ?? '');
    const reader = response.body.getReader();
    let instances = 0;
    for (;;) {
      while (ahead > maxAhead) await new Promise<void>((r) => (resume = r));
      const { done, value } = await reader.read();
      if (done) break;
      for (const part of stream.push(value)) {
        // An instance that cannot be read here, or whose pixels would need converting, is left to the frame-by-frame
        // path, which reports any problem in its viewport.
        const parsed = scanPart10(part.body) ?? (await fullParse(part.body));
        if (!parsed) continue;
        const frames = parsed.frames.map((f) => (f.byteOffset === 0 && f.byteLength === f.buffer.byteLength ? f.buffer : f.slice().buffer) as ArrayBuffer);
        for (const f of frames) ahead += f.byteLength;
        instances++;
        scope.postMessage({ kind: 'instance', sopInstanceUID: parsed.sopInstanceUID, transferSyntaxUID: parsed.transferSyntaxUID, frames }, frames);
      }
    }
    stream.end();
    scope.postMessage({ kind: 'done', instances });
  } catch (err) {
    scope.postMessage({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
  }
}

scope.onmessage = (e) => {
  if ('consumed' in e.data) {
    ahead -= e.data.consumed;
    if (ahead <= maxAhead) {
      resume?.();
      resume = undefined;
    }
  } else void run(e.data);
};

/**
 * The decode workers, with a watchdog. Cornerstone's own worker manager queues any number of tasks on each
 * worker and has no time limit, so one corrupt codestream that sends a decoder into an endless loop blocks every
 * later frame of the session. Here each worker decodes one frame at a time; a decode that runs past the limit
 * fails that frame, and its worker is terminated and replaced. A worker whose WebAssembly aborted is replaced
 * too, since an aborted Emscripten module stays unusable.
 */

/** One decode worker, as the pool sees it. */
export interface DecodeWorker<A, R> {
  decode(args: A): Promise<R>;
  terminate(): void;
}

/** Cornerstone's request types, most urgent first. */
const REQUEST_ORDER = ['interaction', 'thumbnail', 'prefetch', 'compute'];

export interface DecodeTaskOptions {
  requestType?: string;
  /** Lower runs first within a request type (Cornerstone's convention). */
  priority?: number;
}

export class DecodeTimeoutError extends Error {
  constructor(seconds: number) {
    super(`decoding did not finish within ${seconds} s; the frame's data is probably corrupt`);
    this.name = 'DecodeTimeoutError';
  }
}

interface Task<A, R> {
  args: A;
  rank: number;
  priority: number;
  seq: number;
  resolve(value: R): void;
  reject(error: unknown): void;
}

interface Slot<A, R> {
  worker?: DecodeWorker<A, R>;
  busy: boolean;
}

/** An error that leaves the worker's WebAssembly module unusable (Emscripten abort, wasm trap). */
export function isFatalWorkerError(error: unknown): boolean {
  const e = error as { name?: unknown; message?: unknown } | null;
  if (!e || typeof e !== 'object') return false;
  return e.name === 'RuntimeError' || (typeof e.message === 'string' && /\babort(ed)?\b|out of memory|unreachable/i.test(e.message));
}

export interface DecodePoolOptions<A, R> {
  size: number;
  spawn: () => DecodeWorker<A, R>;
  timeoutMs: number;
  /** Called when a worker was stopped (for logging in tests and diagnostics; never with pixel data). */
  onRecycle?: (reason: 'timeout' | 'fatal') => void;
}

export class DecodePool<A, R> {
  private readonly slots: Slot<A, R>[];
  private readonly queue: Task<A, R>[] = [];
  private seq = 0;
  /** How many workers were replaced, by reason (exposed for diagnostics). */
  readonly recycled = { timeout: 0, fatal: 0 };

  constructor(private readonly options: DecodePoolOptions<A, R>) {
    this.slots = Array.from({ length: Math.max(1, options.size) }, () => ({ busy: false }));
  }

  run(args: A, { requestType = 'compute', priority = 0 }: DecodeTaskOptions = {}): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      const rank = REQUEST_ORDER.indexOf(requestType);
      this.queue.push({ args, rank: rank < 0 ? REQUEST_ORDER.length : rank, priority, seq: this.seq++, resolve, reject });
      this.pump();
    });
  }

  /** Tasks waiting for a worker. */
  get pending(): number {
    return this.queue.length;
  }

  private next(): Task<A, R> | undefined {
    let best = -1;
    this.queue.forEach((t, i) => {
      const b = this.queue[best];
      if (!b || t.rank < b.rank || (t.rank === b.rank && (t.priority < b.priority || (t.priority === b.priority && t.seq < b.seq)))) best = i;
    });
    return best < 0 ? undefined : this.queue.splice(best, 1)[0];
  }

  /**
   * Starts the first worker now rather than with the first frame: a worker's script and start-up take a software
   * renderer's machine ~0.2 s, which otherwise falls between the first frame's arrival and its image.
   */
  warm(): void {
    const slot = this.slots[0]!;
    slot.worker ??= this.options.spawn();
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (slot.busy || this.queue.length === 0) continue;
      const task = this.next()!;
      this.start(slot, task);
    }
  }

  private start(slot: Slot<A, R>, task: Task<A, R>): void {
    slot.busy = true;
    const worker = (slot.worker ??= this.options.spawn());
    let settled = false;
    const finish = (recycle?: 'timeout' | 'fatal') => {
      settled = true;
      clearTimeout(timer);
      if (recycle) {
        this.recycled[recycle]++;
        worker.terminate();
        if (slot.worker === worker) slot.worker = undefined;
        this.options.onRecycle?.(recycle);
      }
      slot.busy = false;
      this.pump();
    };
    const timer = setTimeout(() => {
      if (settled) return;
      finish('timeout');
      task.reject(new DecodeTimeoutError(Math.round(this.options.timeoutMs / 100) / 10));
    }, this.options.timeoutMs);
    worker.decode(task.args).then(
      (result) => {
        if (settled) return;
        finish();
        task.resolve(result);
      },
      (error: unknown) => {
        if (settled) return;
        finish(isFatalWorkerError(error) ? 'fatal' : undefined);
        task.reject(error);
      },
    );
  }
}

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DecodePool, DecodeTimeoutError, isFatalWorkerError, type DecodeWorker } from './decodePool';

/** A fake worker: each decode waits for the test to settle it by argument name; 'hang' never settles. */
class FakeWorker implements DecodeWorker<string, string> {
  static spawned: FakeWorker[] = [];
  terminated = false;
  calls: string[] = [];
  pending = new Map<string, { resolve(v: string): void; reject(e: unknown): void }>();
  constructor() {
    FakeWorker.spawned.push(this);
  }
  decode(args: string): Promise<string> {
    this.calls.push(args);
    return new Promise((resolve, reject) => this.pending.set(args, { resolve, reject }));
  }
  terminate(): void {
    this.terminated = true;
  }
}

const settle = () => new Promise<void>((r) => queueMicrotask(r));

describe('DecodePool', () => {
  beforeEach(() => {
    FakeWorker.spawned = [];
    vi.useFakeTimers();
  });
  afterEach(() => vi.useRealTimers());

  it('gives each worker one frame at a time and runs the rest in order of urgency', async () => {
    const pool = new DecodePool<string, string>({ size: 1, spawn: () => new FakeWorker(), timeoutMs: 1000 });
    const results: string[] = [];
    pool.run('a', { requestType: 'prefetch' }).then((r) => results.push(r));
    pool.run('b', { requestType: 'prefetch', priority: 5 }).then((r) => results.push(r));
    pool.run('c', { requestType: 'prefetch', priority: 1 }).then((r) => results.push(r));
    pool.run('d', { requestType: 'interaction' }).then((r) => results.push(r));
    const w = FakeWorker.spawned[0]!;
    expect(w.calls).toEqual(['a']);
    for (const name of ['a', 'd', 'c', 'b']) {
      expect(w.calls.at(-1)).toBe(name);
      w.pending.get(name)!.resolve(name.toUpperCase());
      await settle();
      await settle();
    }
    expect(results).toEqual(['A', 'D', 'C', 'B']);
    expect(FakeWorker.spawned).toHaveLength(1);
  });

  it('fails a decode that runs past the limit, replaces its worker, and goes on with the queue', async () => {
    const recycles: string[] = [];
    const pool = new DecodePool<string, string>({
      size: 1,
      spawn: () => new FakeWorker(),
      timeoutMs: 1000,
      onRecycle: (r) => recycles.push(r),
    });
    const hung = pool.run('hang');
    const after = pool.run('next');
    const hungResult = hung.catch((e: unknown) => e);
    vi.advanceTimersByTime(999);
    await settle();
    expect(FakeWorker.spawned[0]!.terminated).toBe(false);
    vi.advanceTimersByTime(1);
    const error = await hungResult;
    expect(error).toBeInstanceOf(DecodeTimeoutError);
    expect(String((error as Error).message)).toMatch(/within 1 s/);
    expect(FakeWorker.spawned[0]!.terminated).toBe(true);
    expect(recycles).toEqual(['timeout']);
    // The queued frame goes to a fresh worker.
    const fresh = FakeWorker.spawned[1]!;
    expect(fresh.calls).toEqual(['next']);
    fresh.pending.get('next')!.resolve('ok');
    await expect(after).resolves.toBe('ok');
    // A late answer from the terminated worker changes nothing.
    FakeWorker.spawned[0]!.pending.get('hang')!.resolve('late');
    expect(pool.recycled).toEqual({ timeout: 1, fatal: 0 });
  });

  it('replaces a worker whose WebAssembly aborted, but keeps one that reported an ordinary decode error', async () => {
    const pool = new DecodePool<string, string>({ size: 1, spawn: () => new FakeWorker(), timeoutMs: 1000 });
    const bad = pool.run('bad').catch((e: unknown) => e);
    FakeWorker.spawned[0]!.pending.get('bad')!.reject(new Error('invalid JPEG marker'));
    expect(await bad).toBeInstanceOf(Error);
    const aborted = pool.run('abort').catch((e: unknown) => e);
    expect(FakeWorker.spawned).toHaveLength(1);
    FakeWorker.spawned[0]!.pending.get('abort')!.reject({ name: 'RuntimeError', message: 'memory access out of bounds' });
    await aborted;
    expect(FakeWorker.spawned[0]!.terminated).toBe(true);
    void pool.run('again');
    expect(FakeWorker.spawned).toHaveLength(2);
    expect(pool.recycled).toEqual({ timeout: 0, fatal: 1 });
  });

  it('uses all its workers in parallel', () => {
    const pool = new DecodePool<string, string>({ size: 3, spawn: () => new FakeWorker(), timeoutMs: 1000 });
    for (const n of ['a', 'b', 'c', 'd']) void pool.run(n);
    expect(FakeWorker.spawned.map((w) => w.calls)).toEqual([['a'], ['b'], ['c']]);
    expect(pool.pending).toBe(1);
  });

  it('warm() starts the first worker before any frame, and the first frame goes to it', () => {
    const pool = new DecodePool<string, string>({ size: 2, spawn: () => new FakeWorker(), timeoutMs: 1000 });
    expect(FakeWorker.spawned).toHaveLength(0);
    pool.warm();
    pool.warm();
    expect(FakeWorker.spawned).toHaveLength(1);
    void pool.run('a');
    expect(FakeWorker.spawned).toHaveLength(1);
    expect(FakeWorker.spawned[0]!.calls).toEqual(['a']);
  });

  it('knows which worker errors are fatal', () => {
    expect(isFatalWorkerError({ name: 'RuntimeError', message: 'unreachable executed' })).toBe(true);
    expect(isFatalWorkerError(new Error('Aborted(OOM)'))).toBe(true);
    expect(isFatalWorkerError(new Error('JPEG-LS: invalid marker'))).toBe(false);
    expect(isFatalWorkerError('abort')).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_RETRY, isRetryableStatus, retryAfterMs, sleep, withRetry } from './retry';

describe('retry policy', () => {
  it('retries network errors, 408, 429 and 5xx only', () => {
    expect([0, 408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 406, 409, 415].some(isRetryableStatus)).toBe(false);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });

  it('backs off exponentially with full jitter, capped', () => {
    const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4].map((n) => backoffDelay(n, p, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffDelay(3, p, () => 0)).toBe(0);
  });
});

describe('withRetry', () => {
  const policy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 10_000 };

  it('retries until success, waiting the backoff or the server-requested time, whichever is longer', async () => {
    const waits: number[] = [];
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new Error(calls === 1 ? 'busy' : 'down');
        return 'ok';
      },
      (e) => ({ retry: true, afterMs: (e as Error).message === 'busy' ? 2000 : undefined }),
      { policy, random: () => 1, wait: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toEqual([2000, 200]);
  });

  it('gives up on final errors at once, and after the retry count otherwise', async () => {
    let calls = 0;
    await expect(withRetry(async () => { calls++; throw new Error('404'); }, () => ({ retry: false }), { policy })).rejects.toThrow('404');
    expect(calls).toBe(1);
    calls = 0;
    await expect(
      withRetry(async () => { calls++; throw new Error('503'); }, () => ({ retry: true }), { policy, wait: async () => {} }),
    ).rejects.toThrow('503');
    expect(calls).toBe(4);
  });

  it('stops when the time budget would be exceeded', async () => {
    let clock = 0;
    let calls = 0;
    await expect(
      withRetry(async () => { calls++; throw new Error('slow'); }, () => ({ retry: true, afterMs: 6000 }), {
        policy,
        now: () => clock,
        wait: async (ms) => void (clock += ms),
      }),
    ).rejects.toThrow('slow');
    expect(calls).toBe(2); // 0 s, then 6 s; a third try would start at 12 s > 10 s
  });

  it('sleep rejects when aborted', async () => {
    const c = new AbortController();
    const p = sleep(10_000, c.signal);
    c.abort(new Error('moved on'));
    await expect(p).rejects.toThrow('moved on');
  });
});

/** Retrying requests to a PACS: exponential backoff with full jitter, Retry-After honoured, bounded in count and time. */

export interface RetryPolicy {
  /** Retries after the first attempt. */
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** No retry starts later than this after the first attempt. */
  budgetMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { retries: 3, baseDelayMs: 300, maxDelayMs: 5000, budgetMs: 20_000 };

/** Network failures (0), 408, 429 and 5xx are worth another try; other 4xx will answer the same again. */
export function isRetryableStatus(status: number): boolean {
  return status === 0 || status === 408 || status === 429 || status >= 500;
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Delay before retry number `attempt` (0-based): uniformly random up to base × 2^attempt, capped. */
export function backoffDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  return Math.round(random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt));
}

/** Resolves after `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

export interface RetryDecision {
  retry: boolean;
  /** A server-requested wait (Retry-After), used instead of the backoff when longer. */
  afterMs?: number;
}

/**
 * Runs `attempt` until it succeeds, `decide` says an error is final, or the policy's count or time budget is
 * spent; then the last error is thrown.
 */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  decide: (error: unknown) => RetryDecision,
  options: { policy?: RetryPolicy; signal?: AbortSignal; random?: () => number; wait?: typeof sleep; now?: () => number } = {},
): Promise<T> {
  const policy = options.policy ?? DEFAULT_RETRY;
  const wait = options.wait ?? sleep;
  const now = options.now ?? Date.now;
  const started = now();
  for (let n = 0; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (options.signal?.aborted) throw error;
      const decision = decide(error);
      if (!decision.retry || n >= policy.retries) throw error;
      const delay = Math.max(backoffDelay(n, policy, options.random), decision.afterMs ?? 0);
      if (now() + delay - started > policy.budgetMs) throw error;
      await wait(delay, options.signal);
    }
  }
}

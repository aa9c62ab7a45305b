// Retrying with exponential backoff, stated once for every caller (the store
// writer, the campaign webhook, the Salad API, the Golem gateway, the watch
// streams), and the one reader of an HTTP Retry-After header.

/** Exponential backoff: `baseMs · factor^attempt` (attempt 0 first), capped at `maxMs`. */
export interface BackoffOptions {
  baseMs: number;
  /** Default 2. */
  factor?: number;
  /** Default: no cap. */
  maxMs?: number;
}

export function backoffMs(attempt: number, o: BackoffOptions): number {
  return Math.min(o.maxMs ?? Infinity, o.baseMs * (o.factor ?? 2) ** attempt);
}

/** Resolves after `ms`, or at once when `signal` aborts (the caller checks it): a wait never outlives a shutdown. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface RetryOptions extends BackoffOptions {
  /** Tries in all (1 = no retry). */
  attempts: number;
  /** Stops the waits between tries; the last error is thrown. */
  signal?: AbortSignal;
  /** Told of every failed try, before the wait (if another try follows). */
  onFailure?: (err: unknown, attempt: number, willRetry: boolean) => void;
  /** The wait, replaceable in tests. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** Runs `fn` until it resolves or `attempts` tries have failed, waiting `backoffMs(i)` after try i; rejects with the last error. */
export async function retry<T>(fn: (attempt: number) => Promise<T>, o: RetryOptions): Promise<T> {
  const wait = o.wait ?? sleep;
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      const willRetry = attempt + 1 < o.attempts && !o.signal?.aborted;
      o.onFailure?.(err, attempt, willRetry);
      if (!willRetry) throw err;
      await wait(backoffMs(attempt, o), o.signal);
    }
  }
}

/**
 * Seconds to wait from a Retry-After header: delta-seconds or an HTTP date
 * (RFC 9110 §10.2.3), never negative; undefined when absent or unreadable.
 */
export function retryAfterSeconds(header: string | null | undefined, nowMs: number): number | undefined {
  const text = header?.trim();
  if (!text) return undefined;
  if (/^-?\d+(\.\d+)?$/.test(text)) return Math.max(0, Number(text));
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, (at - nowMs) / 1000) : undefined;
}

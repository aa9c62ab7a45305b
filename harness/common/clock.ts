// Time as an injectable dependency: simulations and tests run on a seeded,
// deterministic clock; live runs on the monotonic clock anchored to wall time
// once, so that durations never jump with NTP adjustments.

export interface Clock {
  /** Epoch microseconds, monotonic within a process. */
  nowUs(): number;
  /** Resolves after `ms` milliseconds of this clock's time. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  /** Runs `fn` after `ms`; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
  /**
   * True for the machine's own clock, which another thread can read as well:
   * only then may work move to a worker thread (an injected clock exists in one thread only).
   */
  readonly realTime?: boolean;
}

export function systemClock(): Clock {
  // performance.timeOrigin is the wall time of process start with sub-ms
  // precision, so two processes on one machine agree to microseconds (Date.now
  // would leave up to 1 ms of skew, which a replay speed of 1000 turns into 1 s).
  // performance.now() is the same monotonic clock as process.hrtime, as a double of ms (exact to well under a
  // µs for years of uptime); reading it allocates nothing, where hrtime.bigint() made three BigInts per read,
  // ~7 reads per job and 2.6 % of the replay's CPU in a profile of the replay bench.
  const anchorMs = performance.now();
  const anchorWallUs = Math.round((performance.timeOrigin + anchorMs) * 1000);
  return {
    realTime: true,
    nowUs: () => anchorWallUs + Math.floor((performance.now() - anchorMs) * 1000),
    sleep: (ms, signal) =>
      new Promise((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason);
        const t = setTimeout(() => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        }, Math.max(0, ms));
        const onAbort = () => {
          clearTimeout(t);
          reject(signal?.reason);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
      }),
    setTimer: (ms, fn) => {
      const t = setTimeout(fn, Math.max(0, ms));
      return () => clearTimeout(t);
    },
  };
}

/**
 * A clock that only moves when told to. Timers fire in time order on
 * `advance`, which makes scheduler and simulator tests exact.
 */
export class ManualClock implements Clock {
  private now: number;
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void }[] = [];
  constructor(startUs = 1_700_000_000_000_000) {
    this.now = startUs;
  }
  nowUs(): number {
    return this.now;
  }
  setTimer(ms: number, fn: () => void): () => void {
    const entry = { at: this.now + Math.max(0, ms) * 1000, seq: this.seq++, fn };
    this.timers.push(entry);
    return () => {
      this.timers = this.timers.filter((t) => t !== entry);
    };
  }
  sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const cancel = this.setTimer(ms, resolve);
      signal?.addEventListener('abort', () => {
        cancel();
        reject(signal.reason);
      }, { once: true });
    });
  }
  /** Moves time forward by `ms`, firing due timers in order. */
  advance(ms: number): void {
    const target = this.now + ms * 1000;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers[0];
      if (!next || next.at > target) break;
      this.timers.shift();
      this.now = next.at;
      next.fn();
    }
    this.now = target;
  }
  pendingTimers(): number {
    return this.timers.length;
  }
}

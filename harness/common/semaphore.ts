// A counting semaphore, the one for every cap on work in flight (jobs per
// target in the replay, rentals in the Golem bridge). Waiters are served in
// order, so a queued job's queueing time is measured fairly.
export class Semaphore {
  private waiters: (() => void)[] = [];
  private roomWaiters: (() => void)[] = [];
  private used = 0;
  constructor(private readonly limit: number) {}
  get inUse(): number {
    return this.used;
  }
  get waiting(): number {
    return this.waiters.length;
  }
  tryAcquire(): boolean {
    if (this.used < this.limit) {
      this.used++;
      return true;
    }
    return false;
  }
  /**
   * Resolves true once a slot is taken, or false when `signal` aborts first
   * (then no slot is held and the place in the queue is given up).
   */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    if (this.tryAcquire()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const go = () => {
        signal?.removeEventListener('abort', stop);
        resolve(true);
      };
      const stop = () => {
        this.waiters = this.waiters.filter((w) => w !== go);
        resolve(false);
      };
      this.waiters.push(go);
      signal?.addEventListener('abort', stop, { once: true });
    });
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.used--;
    if (this.roomWaiters.length && this.waiters.length === 0 && this.used < this.limit) {
      for (const w of this.roomWaiters.splice(0)) w();
    }
  }
  /** Resolves once a slot is free and nobody is queued for it. */
  whenRoom(): Promise<void> {
    if (this.used < this.limit && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }
}

// Bounds the jobs in flight to one target; waiters are served in order so a
// queued job's queueing time is measured fairly.
export class Semaphore {
  private waiters: (() => void)[] = [];
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
  acquire(): Promise<void> {
    if (this.tryAcquire()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
  release(): void {
    const next = this.waiters.shift();
    if (next) next();
    else this.used--;
    if (this.roomWaiters.length && this.waiters.length === 0 && this.used < this.limit) {
      for (const w of this.roomWaiters.splice(0)) w();
    }
  }
  private roomWaiters: (() => void)[] = [];
  /** Resolves once a slot is free and nobody is queued for it. */
  whenRoom(): Promise<void> {
    if (this.used < this.limit && this.waiters.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.roomWaiters.push(resolve));
  }
}

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
  }
}

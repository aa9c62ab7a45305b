// The release clock's side of a target whose client runs in a worker thread
// (target-thread-worker.ts). Profiling `npm run bench -- replay` showed the
// release clock late by hundreds of ms once results stream back: in one
// thread it shares the event loop with decoding every job's events. Here the
// clock's thread only hands jobs over (batched per turn of its loop) and takes
// the finished rows into the sink; each target sends and decodes on its own
// thread, so a slow or chatty target no longer delays the clock or another target.
// Only with the machine's clock: an injected clock cannot be read from another thread.
import { Worker } from 'node:worker_threads';
import { TargetError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { RowOf } from '../events/schema.ts';
import type { TargetInfoOut } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';
import type { RecordSink } from './sink.ts';
import type { TargetEndpoint } from './target-client.ts';
import type { Release } from './release.ts';
import type { FromThread, JobItem, ThreadCounters, ThreadErrorOut, ThreadInit, ToThread } from './target-thread-protocol.ts';

/** What the mirror run needs of a target, in this thread or in its own. */
export interface ReplayTarget {
  readonly name: string;
  readonly address: string;
  readonly kind: string;
  readonly unavailable: string | undefined;
  readonly counters: ThreadCounters;
  describe(timeoutMs?: number): Promise<TargetInfoOut>;
  markUnavailable(reason: string): void;
  watch(): void;
  submit(release: Release): void;
  withhold(job: Job, intendedAtUs: number): unknown;
  idle(): Promise<void>;
  halt(): void;
  cancelAll(): void;
  close(): void | Promise<void>;
}

/** Released jobs are posted once per turn of the loop, or at this many. */
const BATCH_JOBS = 256;

function errorIn(e: ThreadErrorOut): Error {
  if (e.name === 'TargetError' && e.target && (e.code === 'TARGET_UNAVAILABLE' || e.code === 'TARGET_PROTOCOL')) {
    const prefix = `${e.target}: `;
    return new TargetError(e.code, e.target, e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message);
  }
  return new Error(e.message);
}

export class ThreadedTargetClient implements ReplayTarget {
  readonly name: string;
  readonly address: string;
  kind = 'unknown';
  unavailable: string | undefined;
  readonly counters: ThreadCounters = { sent: 0, done: 0, completed: 0, failed: 0, inFlight: 0, queued: 0, withheld: 0, unfinished: 0, queuedMax: 0 };
  private readonly worker: Worker;
  private items: JobItem[] = [];
  private flushScheduled = false;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private failure: Error | undefined;
  private closed: Promise<void> | undefined;

  constructor(endpoint: TargetEndpoint, opts: Omit<ThreadInit, 'endpoint' | 'logLevel'> & { sink: RecordSink; logger: Logger }) {
    this.name = endpoint.name;
    this.address = endpoint.address;
    const { sink, logger, ...rest } = opts;
    const init: ThreadInit = { endpoint, ...rest, logLevel: logger.level };
    // A clean execArgv: the entry registers tsx itself, whatever loaded this process.
    this.worker = new Worker(new URL('./target-thread-entry.mjs', import.meta.url), { workerData: init, execArgv: [] });
    this.worker.on('message', (m: FromThread) => {
      switch (m.t) {
        case 'rows':
          for (const [table, row] of m.rows) sink.add(table, row as RowOf<typeof table>);
          Object.assign(this.counters, m.counters);
          this.kind = m.kind;
          return;
        case 'reply': {
          const p = this.pending.get(m.id);
          this.pending.delete(m.id);
          if (m.ok) p?.resolve(m.value);
          else p?.reject(errorIn(m.error));
          return;
        }
        case 'log':
          relayLog(logger, m.line);
          return;
      }
    });
    const fail = (err: Error) => {
      this.failure ??= new TargetError('TARGET_PROTOCOL', this.name, `the target's client thread stopped: ${err.message}`, { cause: err });
      for (const p of this.pending.values()) p.reject(this.failure);
      this.pending.clear();
    };
    this.worker.on('error', fail);
    this.worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
  }

  private post(m: ToThread): void {
    this.flushJobs();
    this.worker.postMessage(m);
  }

  private request<T>(m: (id: number) => ToThread): Promise<T> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post(m(id));
    });
  }

  private flushJobs(): void {
    this.flushScheduled = false;
    if (this.items.length === 0) return;
    this.worker.postMessage({ t: 'jobs', items: this.items } satisfies ToThread);
    this.items = [];
  }

  private push(item: JobItem): void {
    this.items.push(item);
    if (this.items.length >= BATCH_JOBS) return this.flushJobs();
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      if (this.flushScheduled) this.flushJobs();
    });
  }

  async describe(timeoutMs?: number): Promise<TargetInfoOut> {
    const info = await this.request<TargetInfoOut>((id) => ({ t: 'describe', id, timeoutMs }));
    this.kind = info.kind === 'BASELINE' ? 'baseline' : info.kind === 'DECENTRALIZED' ? 'decentralized' : 'unknown';
    return info;
  }

  markUnavailable(reason: string): void {
    this.unavailable = reason;
    this.post({ t: 'unavailable', reason });
  }

  watch(): void {
    this.post({ t: 'watch' });
  }

  /** The release time is taken in the target's thread, when its client gets the job (the release's own is this thread's clock, not sent). */
  submit(release: Release): void {
    this.push([0, release.job, release.intendedAtUs]);
  }

  withhold(job: Job, intendedAtUs: number): void {
    this.push([1, job, intendedAtUs]);
  }

  idle(): Promise<void> {
    return this.request<void>((id) => ({ t: 'idle', id }));
  }

  halt(): void {
    this.post({ t: 'halt' });
  }

  cancelAll(): void {
    this.post({ t: 'cancelAll' });
  }

  /** Closes the target's client, takes its last rows, and ends the thread. */
  close(): Promise<void> {
    this.closed ??= this.request<void>((id) => ({ t: 'close', id }))
      .catch(() => undefined)
      .then(() => this.worker.terminate())
      .then(() => undefined);
    return this.closed;
  }
}

/** A worker's pino line, logged again through the caller's logger at its level. */
function relayLog(logger: Logger, line: string): void {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return;
  }
  const { level, msg, time: _time, pid: _pid, hostname: _host, ...fields } = rec;
  const label = logger.levels.labels[Number(level)] ?? 'info';
  const fn = (logger as unknown as Record<string, (o: object, m?: string) => void>)[label];
  fn?.call(logger, fields, typeof msg === 'string' ? msg : undefined);
}

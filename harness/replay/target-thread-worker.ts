// A target's gRPC client running in a worker thread of its own: it sends the
// jobs the release clock hands it, decodes their event streams, folds them
// into rows and posts the rows back in batches. Decoding thousands of streams
// then never delays the release clock, nor another target's sends.
import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { systemClock } from '../common/clock.ts';
import type { RowOf, TableName } from '../events/schema.ts';
import type { RecordSink } from './sink.ts';
import { TargetClient } from './target-client.ts';
import { Release } from './release.ts';
import type { FromThread, ThreadErrorOut, ThreadInit, ToThread } from './target-thread-protocol.ts';

const port = parentPort!;
const init = workerData as ThreadInit;
const post = (m: FromThread) => port.postMessage(m);
/** Rows leave in batches: one message per turn of this thread's loop, or per 1,000 rows. */
const BATCH_ROWS = 1_000;
let rows: [TableName, unknown][] = [];
let scheduled = false;
function flush(): void {
  scheduled = false;
  post({ t: 'rows', rows, counters: { ...client.counters }, kind: client.kind });
  rows = [];
}
function flushSoon(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(() => {
    if (scheduled) flush();
  });
}
const sink: RecordSink = {
  add<T extends TableName>(table: T, row: RowOf<T>): void {
    rows.push([table, row]);
    if (rows.length >= BATCH_ROWS) flush();
    else flushSoon();
  },
};

const logger = pino({ level: init.logLevel }, { write: (line: string) => post({ t: 'log', line }) });

const clock = systemClock();
const { endpoint, logLevel: _level, ...options } = init;
const client = new TargetClient(endpoint, { ...options, clock, logger, sink });

function errorOut(err: unknown): ThreadErrorOut {
  if (err instanceof Error) {
    const e = err as Error & { code?: unknown; target?: unknown };
    return { name: e.name, message: e.message, code: typeof e.code === 'string' ? e.code : undefined, target: typeof e.target === 'string' ? e.target : undefined };
  }
  return { name: 'Error', message: String(err) };
}

port.on('message', (m: ToThread) => {
  switch (m.t) {
    case 'jobs':
      // Released when handed to this target's client, here: the hop from the
      // release clock's thread is part of the lateness, not of the harness-queue wait.
      for (const [w, job, intendedAtUs] of m.items) {
        if (w) client.withhold(job, intendedAtUs);
        else client.submit(new Release(job, intendedAtUs, clock.nowUs()));
      }
      flushSoon();
      return;
    case 'describe':
      client.describe(m.timeoutMs).then(
        (value) => {
          flush();
          post({ t: 'reply', id: m.id, ok: true, value });
        },
        (err: unknown) => post({ t: 'reply', id: m.id, ok: false, error: errorOut(err) }),
      );
      return;
    case 'unavailable':
      client.markUnavailable(m.reason);
      return;
    case 'watch':
      client.watch();
      return;
    case 'idle':
      // Every row before the answer: the caller reads the sink once all targets are idle.
      void client.idle().then(() => {
        flush();
        post({ t: 'reply', id: m.id, ok: true });
      });
      return;
    case 'halt':
      client.halt();
      flushSoon();
      return;
    case 'cancelAll':
      client.cancelAll();
      return;
    case 'close':
      client.close();
      // Calls cancelled by close() report their status on a later turn; their rows go with the last batch.
      setImmediate(() => {
        flush();
        post({ t: 'reply', id: m.id, ok: true });
      });
      return;
  }
});

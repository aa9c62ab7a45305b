// Warms the Run send/receive path before a run's start instant is fixed.
//
// The first Run calls of a process pay one-off costs: V8 compiles grpc-js's
// call stack, node's HTTP/2 stream code and our result assembly on first use
// and optimises them only after many calls; protobufjs generates its codecs on
// the first encode/decode. Measured on a 2-core machine, the jobs of the first
// second went out tens of ms late behind those costs (README, "Replay engine
// figures"), and a 30-job run's lateness p99 — its maximum — crossed the
// validity gate's 50 ms. Warming through the real targets would send them jobs
// nobody asked for, so the calls go to a loopback ComputeTarget in this process
// that answers at once, through the same TargetClient code path a run uses.
import * as grpc from '@grpc/grpc-js';
import type { Logger } from '../common/logger.ts';
import { computeTargetService } from '../proto/load.ts';
import type { JobEvent } from '../proto/types.ts';
import { JobRecordSchema, type Job } from '../trace/job.ts';
import type { Clock } from '../common/clock.ts';
import { TargetClient } from './target-client.ts';
import { Release } from './release.ts';
import { type TargetHandlers, withRunMany } from '../proto/run-many-server.ts';

/** Calls in flight at once while warming: enough to exercise the interleaved send/receive path a run sees. */
const WARM_CONCURRENCY = 16;

/** A loopback target: Run answers COMPLETED and SETTLED at once; the rest answer empty (the warm-up never watches). */
function warmHandlers(): TargetHandlers {
  return {
    Describe: (_call, cb) => cb(null, { name: 'warm-up', kind: 'BASELINE', currency: 'USD', priceModel: 'flat', gpuClasses: [], parameters: {} }),
    Run: (call) => {
      const req = call.request;
      const ev = (type: JobEvent['type'], extra: Partial<JobEvent>): JobEvent => ({ jobId: req.jobId, type, atUs: req.intendedAtUs, attempt: 1, ...extra });
      call.write(ev('COMPLETED', { providerId: 'p1', amount: 0.001, amountUsd: 0.001, currency: 'USD', billedGpuSeconds: 1 }));
      call.write(ev('SETTLED', { amount: 0.001, amountUsd: 0.001, currency: 'USD', usdRate: 1 }));
      call.end();
    },
    WatchProviders: (call) => call.end(),
    WatchPrices: (call) => call.end(),
    Cancel: (_call, cb) => cb(null, { found: false }),
  };
}

function warmJob(i: number, nowUs: number): Job {
  return JobRecordSchema.parse({
    job_id: `warm-up-${i}`,
    submitted_at: nowUs,
    customer: 'warm-up',
    task_type: 'llm_inference',
    work_seconds: 1,
    labels: { warm: 'up' },
  });
}

/**
 * Makes `calls` Run calls to a loopback target through a TargetClient whose
 * rows are dropped, then stops the loopback server. Resolves early (and
 * quietly) when `signal` aborts; never throws: a failed warm-up costs lateness,
 * not the run.
 */
export async function warmRunPath(opts: {
  calls: number;
  clock: Clock;
  logger: Logger;
  speed: number;
  signal?: AbortSignal;
  /** No call starts after this instant (epoch µs): a sharded worker's warm-up must not make it miss the common start. */
  untilUs?: number;
}): Promise<void> {
  if (opts.calls <= 0 || opts.signal?.aborted) return;
  const t0 = performance.now();
  const server = new grpc.Server();
  server.addService(computeTargetService(), withRunMany(warmHandlers()));
  let client: TargetClient | undefined;
  try {
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    client = new TargetClient(
      { name: 'warm-up', address: `127.0.0.1:${port}` },
      { clock: opts.clock, logger: opts.logger, sink: { add: () => {} }, runId: 'warm-up', speed: opts.speed, maxInFlight: WARM_CONCURRENCY },
    );
    await client.describe(2_000);
    const nowUs = opts.clock.nowUs();
    let made = 0;
    while (made < opts.calls && !opts.signal?.aborted && (opts.untilUs === undefined || opts.clock.nowUs() < opts.untilUs)) {
      client.submit(new Release(warmJob(made, nowUs), nowUs, nowUs));
      made++;
      // Queue at most one round ahead, so the run's own bounded-queue path is not what gets warmed.
      if (made % WARM_CONCURRENCY === 0) await client.idle();
    }
    await client.idle();
    opts.logger.debug({ calls: made, ms: Math.round(performance.now() - t0) }, 'warmed the Run path on a loopback target');
  } catch (err) {
    opts.logger.debug({ err: err instanceof Error ? err.message : String(err) }, 'warm-up failed; the first jobs may go out late');
  } finally {
    client?.close();
    server.forceShutdown();
  }
}

// The replay's jobs travel as RunMany messages (harness/replay/run-stream.ts,
// harness/proto/run-many-server.ts): one stream per target, a Run call per job
// only for a target without RunMany, and each job on the stream keeps what a
// Run call gave it — its deadline, a cancel the target hears, its own outcome.
import * as grpc from '@grpc/grpc-js';
import * as net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { computeTargetService } from '../../../harness/proto/load.ts';
import { runManyFrom, type TargetHandlers } from '../../../harness/proto/run-many-server.ts';
import type { ComputeTargetHandlers, JobEvent, RunManyRequestsOut } from '../../../harness/proto/types.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { TargetClient } from '../../../harness/replay/target-client.ts';
import { Release } from '../../../harness/replay/release.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';

function jobs(n: number): Job[] {
  return Array.from({ length: n }, (_, i) => JobRecordSchema.parse({ job_id: `j${i}`, submitted_at: 1_700_000_000_000_000 + i, customer: 'c', task_type: 'llm_inference', work_seconds: 2 }));
}

/** A target that answers at once, or never (`hang`), counting how its jobs arrived. */
function handlers(opts: { hang?: boolean; cancelled?: string[] } = {}): TargetHandlers {
  return {
    Describe: (_call, cb) => cb(null, { name: 'counted', kind: 'BASELINE', currency: 'USD', priceModel: 'flat', gpuClasses: [], parameters: {} }),
    Run: (call) => {
      const req = call.request;
      call.on('cancelled', () => opts.cancelled?.push(req.jobId));
      if (opts.hang) return;
      const ev = (type: JobEvent['type'], extra: Partial<JobEvent> = {}): JobEvent => ({ jobId: req.jobId, type, atUs: req.intendedAtUs + 2_000_000, attempt: 1, ...extra });
      call.write(ev('COMPLETED', { amount: 0.01, amountUsd: 0.01, currency: 'USD', billedGpuSeconds: 2 }));
      call.write(ev('SETTLED', { amount: 0.01, amountUsd: 0.01, currency: 'USD', usdRate: 1 }));
      call.end();
    },
    WatchProviders: (call) => call.end(),
    WatchPrices: (call) => call.end(),
    Cancel: (_call, cb) => cb(null, { found: false }),
  };
}

const servers: grpc.Server[] = [];
const clients: TargetClient[] = [];
const relays: net.Server[] = [];
afterEach(() => {
  for (const r of relays.splice(0)) r.close();
  for (const c of clients.splice(0)) c.close();
  for (const s of servers.splice(0)) s.forceShutdown();
});

async function serve(impl: Partial<ComputeTargetHandlers>): Promise<string> {
  const server = new grpc.Server();
  // A target that leaves RunMany out gets grpc-js's UNIMPLEMENTED for it, as a third-party target would.
  server.addService(computeTargetService(), impl as ComputeTargetHandlers);
  const port = await new Promise<number>((resolve, reject) => server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))));
  servers.push(server);
  return `127.0.0.1:${port}`;
}

async function runAll(address: string, list: Job[], opts: { runDeadlineSlackMs?: number } = {}): Promise<MemorySink> {
  const sink = new MemorySink();
  const client = new TargetClient({ name: 't', address }, { clock: systemClock(), logger: silentLogger(), sink, runId: 'many', speed: 1e6, ...opts });
  clients.push(client);
  await client.describe();
  const now = Date.now() * 1000;
  for (const job of list) client.submit(new Release(job, now, now));
  await client.idle();
  return sink;
}

describe('jobs on a RunMany stream', () => {
  it('sends every job of a target as a message on one stream, none as a Run call of its own', async () => {
    const base = handlers();
    let streams = 0;
    let calls = 0;
    const many = runManyFrom(base.Run);
    const address = await serve({
      ...base,
      Run: (call) => {
        calls++;
        base.Run(call);
      },
      RunMany: (stream) => {
        streams++;
        many(stream);
      },
    });
    const sink = await runAll(address, jobs(300));
    expect(sink.rows.job_results.filter((r) => r.status === 'completed')).toHaveLength(300);
    expect(sink.rows.job_events).toHaveLength(600);
    expect(streams).toBe(1);
    expect(calls).toBe(0);
  });

  /** `n` jobs on a target that answers them all in one message once all have arrived (and then ends the stream when `end`). */
  async function answeredAtOnce(n: number, end: boolean) {
    const base = handlers();
    const target = await serve({
      ...base,
      RunMany: (stream) => {
        const tags: number[] = [];
        stream.on('data', (m: RunManyRequestsOut) => {
          for (const r of m.requests) if (r.run) tags.push(r.tag);
          if (tags.length < n) return;
          const ev = (tag: number) => ({ tag, event: { jobId: `j${tag - tags[0]!}`, type: 'COMPLETED' as const, atUs: Date.now() * 1000, attempt: 1, amount: 0.01, amountUsd: 0.01, currency: 'USD' } });
          stream.write({ replies: tags.flatMap((tag) => [ev(tag), { tag, end: { code: 0, details: '' } }]) });
          if (end) stream.end();
        });
      },
    });
    // A turn counter: which turn of the event loop each job's row was written in.
    let turn = 0;
    let ticking = true;
    const tick = () => {
      turn++;
      if (ticking) setImmediate(tick);
    };
    const sink = new MemorySink();
    const turns: number[] = [];
    const client = new TargetClient({ name: 't', address: target }, {
      clock: systemClock(), logger: silentLogger(), runId: 'many', speed: 1e6, maxInFlight: n,
      sink: { add: (table, row) => { if (table === 'job_results') turns.push(turn); sink.add(table, row); } },
    });
    clients.push(client);
    await client.describe();
    const now = Date.now() * 1000;
    tick();
    for (const job of jobs(n)) client.submit(new Release(job, now, now));
    await client.idle();
    ticking = false;
    return { results: sink.rows.job_results, turns: new Set(turns).size };
  }

  it('hands a message that ends many jobs to them a slice per turn of the event loop, in order', async () => {
    const { results, turns } = await answeredAtOnce(1000, false);
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(1000);
    expect(results.map((r) => r.job_id)).toEqual(jobs(1000).map((j) => j.job_id));
    // 2,000 replies at 128 a turn: 16 slices, each in a turn of its own, which the release clock's timer can fall between.
    expect(turns).toBeGreaterThanOrEqual(16);
  });

  it('a stream the target ends right after its answers loses none of them: they are handed over before the end is', async () => {
    const { results } = await answeredAtOnce(1000, true);
    expect(results.filter((r) => r.status === 'completed')).toHaveLength(1000);
    expect(results.map((r) => r.job_id)).toEqual(jobs(1000).map((j) => j.job_id));
  });

  it('falls back to a Run call per job on a target without RunMany, with the same rows', async () => {
    let calls = 0;
    const base = handlers();
    const without = await serve({
      ...base,
      Run: (call) => {
        calls++;
        base.Run(call);
      },
    });
    const viaCalls = await runAll(without, jobs(50));
    expect(calls).toBe(50);
    const viaStream = await runAll(await serve({ ...base, RunMany: runManyFrom(base.Run) }), jobs(50));
    const outcome = (s: MemorySink) =>
      s.rows.job_results.map((r) => ({ job: r.job_id, status: r.status, error: r.error_class, cost: r.cost_usd })).sort((a, b) => a.job.localeCompare(b.job));
    expect(outcome(viaCalls)).toEqual(outcome(viaStream));
    expect(outcome(viaCalls).every((o) => o.status === 'completed')).toBe(true);
  });

  it("ends a job past its deadline as deadline_exceeded, and the target's handler hears it cancelled", async () => {
    const cancelled: string[] = [];
    const base = handlers({ hang: true, cancelled });
    const address = await serve({ ...base, RunMany: runManyFrom(base.Run) });
    // speed 1e6: the job's own bound is a few µs of wall time; the slack makes the deadline ~300 ms.
    const sink = await runAll(address, jobs(3), { runDeadlineSlackMs: 300 });
    expect(sink.rows.job_results.map((r) => r.error_class)).toEqual(['deadline_exceeded', 'deadline_exceeded', 'deadline_exceeded']);
    // The cancel message (or the target's own deadline sweep) reaches the handler soon after.
    for (let i = 0; i < 100 && cancelled.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    expect([...cancelled].sort()).toEqual(['j0', 'j1', 'j2']);
  });

  it('fails only the job whose handler throws, as protocol_error; the other jobs of the stream complete', async () => {
    const base = handlers();
    const run: TargetHandlers['Run'] = (call) => {
      if (call.request.jobId === 'j1') throw new Error('boom');
      base.Run(call);
    };
    const sink = await runAll(await serve({ ...base, Run: run, RunMany: runManyFrom(run) }), jobs(3));
    const byId = new Map(sink.rows.job_results.map((r) => [r.job_id, r]));
    expect(byId.get('j0')!.status).toBe('completed');
    expect(byId.get('j1')!.error_class).toBe('protocol_error');
    expect(byId.get('j2')!.status).toBe('completed');
  });

  /** A RunMany target behind a TCP relay that can hold its bytes, counting the messages it receives. */
  async function heldTarget() {
    const base = handlers();
    const many = runManyFrom(base.Run);
    const counted = { messages: 0 };
    const target = await serve({
      ...base,
      RunMany: (stream) => {
        stream.on('data', () => counted.messages++);
        many(stream);
      },
    });
    // While the relay holds, the stream's flow-control window (64 KB) and grpc-js's retry buffer (1 MB a call; a
    // write calls back at once while it has room) fill and the client's writes wait, as behind a slow or distant target.
    let held: Buffer[] | undefined;
    const forward: ((b: Buffer) => void)[] = [];
    const relay = net.createServer((from) => {
      const to = net.connect(Number(target.split(':')[1]), '127.0.0.1');
      forward.push((b) => to.write(b));
      from.on('data', (b: Buffer) => (held ? held.push(b) : to.write(b)));
      to.pipe(from);
      from.on('error', () => to.destroy());
      to.on('error', () => from.destroy());
    });
    relays.push(relay);
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const sink = new MemorySink();
    const address = `127.0.0.1:${(relay.address() as net.AddressInfo).port}`;
    const client = new TargetClient({ name: 't', address }, { clock: systemClock(), logger: silentLogger(), sink, runId: 'many', speed: 1e6, maxInFlight: 100_000 });
    clients.push(client);
    await client.describe();
    return {
      sink,
      client,
      counted,
      hold: () => (held = []),
      // Describe and RunMany share the one connection.
      release: () => {
        for (const b of held ?? []) forward[0]!(b);
        held = undefined;
      },
    };
  }

  async function submitHeld(n: number, perTurn: number) {
    const t = await heldTarget();
    t.hold();
    const list = jobs(n);
    for (let i = 0; i < n; i += perTurn) {
      for (const job of list.slice(i, i + perTurn)) {
        const now = Date.now() * 1000;
        t.client.submit(new Release(job, now, now));
      }
      await new Promise((r) => setImmediate(r));
    }
    t.release();
    await t.client.idle();
    return t;
  }

  it('while a write waits behind HTTP/2 flow control, the jobs released meanwhile go together in the next one; all arrive', async () => {
    // One job per turn of the event loop, as the release clock hands them out: each its own message, unless a write waits.
    const t = await submitHeld(8000, 1);
    expect(t.sink.rows.job_results.filter((r) => r.status === 'completed')).toHaveLength(8000);
    // ~200 B a job: about 5,300 jobs fill the window and the buffer one message each; the rest share a few.
    expect(t.counted.messages).toBeLessThan(6000);
  });

  it("cuts what a long wait gathered into messages under the target's 4 MB limit", async () => {
    // ~6 MB of jobs, 1 MB of them before the writes wait: one message of the other 5 MB would be refused.
    const t = await submitHeld(32_000, 200);
    expect(t.sink.rows.job_results.filter((r) => r.status === 'completed')).toHaveLength(32_000);
  });
});

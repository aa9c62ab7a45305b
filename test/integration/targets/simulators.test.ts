// Both simulators as real gRPC servers on loopback, driven by a plain grpc-js client.
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadComputeProto } from '../../../harness/proto/load.ts';
import type { ComputeTargetClient, JobEventOut, ProviderEventOut, TargetInfoOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { startSimulator, type RunningTarget } from '../../../harness/targets/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const sims: RunningTarget[] = [];
const clients: ComputeTargetClient[] = [];
beforeAll(async () => {
  for (const kind of ['baseline', 'decentralized'] as const) {
    const sim = await startSimulator(kind, { seed: 7, port: 0 });
    sims.push(sim);
    clients.push(new (loadComputeProto().mirrorbench.compute.v1.ComputeTarget)(sim.address, grpc.credentials.createInsecure()));
  }
});
afterAll(async () => {
  for (const c of clients) c.close();
  await Promise.all(sims.map((s) => s.stop()));
});

const jobs = [...generateTrace({ jobs: 12, seed: 2, spanSeconds: 600 })];
const SPEED = 36_000;

function runJob(c: ComputeTargetClient, i: number, runId = 'it'): Promise<JobEventOut[]> {
  const job = jobs[i]!;
  return new Promise((resolve, reject) => {
    const events: JobEventOut[] = [];
    const call = c.run(
      { runId, jobId: job.job_id, idempotencyKey: `${runId}/${job.job_id}`, speed: SPEED, job: toProtoJob(job), intendedAtUs: Date.now() * 1000 },
      { deadline: Date.now() + 30_000 },
    );
    call.on('data', (e: JobEventOut) => events.push(e));
    call.on('end', () => resolve(events));
    call.on('error', reject);
  });
}

describe.each([0, 1])('simulator %i over gRPC', (k) => {
  it('describes itself with prices, currency and parameters', async () => {
    const info = await new Promise<TargetInfoOut>((res, rej) => clients[k]!.describe({}, (e, r) => (e ? rej(e) : res(r!))));
    expect(info.kind).toBe(k === 0 ? 'BASELINE' : 'DECENTRALIZED');
    expect(info.currency).toBe(k === 0 ? 'USD' : 'GLM');
    expect(info.gpuClasses.length).toBeGreaterThan(0);
    expect(Object.keys(info.parameters).length).toBeGreaterThan(10);
  });

  it('streams a job from QUEUED to its outcome and payment, stamped on the compressed timeline', async () => {
    const results = await Promise.all(jobs.slice(0, 6).map((_, i) => runJob(clients[k]!, i)));
    for (const events of results) {
      const types = events.map((e) => e.type);
      expect(types[0]).toBe('QUEUED');
      expect(types).toContain('STARTED');
      expect(types.filter((t) => t === 'COMPLETED' || t === 'FAILED')).toHaveLength(1);
      if (types.includes('COMPLETED')) expect(types.at(-1)).toBe('SETTLED');
      for (let i = 1; i < events.length; i++) expect(events[i]!.atUs).toBeGreaterThanOrEqual(events[i - 1]!.atUs);
    }
  });

  it('replays the same outcome for a resent idempotency key instead of running the job twice', async () => {
    const a = await runJob(clients[k]!, 7, 'idem');
    const b = await runJob(clients[k]!, 7, 'idem');
    expect(b.map((e) => [e.type, e.providerId, e.amount])).toEqual(a.map((e) => [e.type, e.providerId, e.amount]));
  });

  it('streams the provider population', async () => {
    const first = await new Promise<ProviderEventOut>((resolve) => {
      const call = clients[k]!.watchProviders({ runId: 'it', speed: SPEED });
      call.on('data', (e: ProviderEventOut) => {
        resolve(e);
        call.cancel();
      });
      call.on('error', () => undefined);
    });
    expect(first.online).toBe(true);
    expect(first.providerId).not.toBe('');
  });

  it('rejects a malformed request and survives a client that hangs up', async () => {
    await expect(
      new Promise((resolve, reject) => {
        const call = clients[k]!.run({ runId: 'x', jobId: 'nope', speed: 0 });
        call.on('data', () => undefined);
        call.on('error', reject);
        call.on('end', resolve);
      }),
    ).rejects.toMatchObject({ code: grpc.status.INVALID_ARGUMENT });
    const job = jobs[8]!;
    const call = clients[k]!.run({ runId: 'hang', jobId: job.job_id, idempotencyKey: 'hang', speed: 1, job: toProtoJob(job), intendedAtUs: Date.now() * 1000 });
    call.on('error', () => undefined);
    call.cancel();
    expect(await runJob(clients[k]!, 9)).not.toHaveLength(0);
  });
});

describe('idempotency cache', () => {
  it('keeps the most recent planned timelines only, so memory stays bounded on long runs', async () => {
    const { serveModel } = await import('../../../harness/targets/common/sim-server.ts');
    const { baselineModel } = await import('../../../harness/targets/baseline/server.ts');
    const { systemClock } = await import('../../../harness/common/clock.ts');
    const { silentLogger } = await import('../../../harness/common/logger.ts');
    const model = baselineModel(3);
    let plans = 0;
    const plan = model.plan.bind(model);
    model.plan = (j) => {
      plans++;
      return plan(j);
    };
    const sim = await serveModel(model, { clock: systemClock(), logger: silentLogger(), seed: 3, idempotencyCacheJobs: 2 });
    const client = new (loadComputeProto().mirrorbench.compute.v1.ComputeTarget)(sim.address, grpc.credentials.createInsecure());
    try {
      for (const i of [0, 1, 2]) await runJob(client, i, 'cache');
      expect(plans).toBe(3);
      await runJob(client, 2, 'cache'); // recent: replayed from the cache
      expect(plans).toBe(3);
      await runJob(client, 0, 'cache'); // dropped: planned again
      expect(plans).toBe(4);
    } finally {
      client.close();
      await sim.stop();
    }
  });
});

describe('reorder window', () => {
  it('plans jobs in intended order whatever order they arrive in within the window, anchored on the intended time; a job later than that is planned at once and counted', async () => {
    const { serveModel } = await import('../../../harness/targets/common/sim-server.ts');
    const { baselineModel } = await import('../../../harness/targets/baseline/server.ts');
    const { systemClock } = await import('../../../harness/common/clock.ts');
    const { silentLogger } = await import('../../../harness/common/logger.ts');
    const model = baselineModel(3);
    const order: string[] = [];
    const plan = model.plan.bind(model);
    model.plan = (j) => {
      order.push(j.jobId);
      return plan(j);
    };
    const sim = await serveModel(model, { clock: systemClock(), logger: silentLogger(), seed: 3, reorderWindowMs: 300 });
    const client = new (loadComputeProto().mirrorbench.compute.v1.ComputeTarget)(sim.address, grpc.credentials.createInsecure());
    const send = (i: number, intendedAtUs: number) =>
      new Promise<JobEventOut[]>((resolve, reject) => {
        const job = jobs[i]!;
        const events: JobEventOut[] = [];
        const call = client.run({ runId: 'reorder', jobId: job.job_id, idempotencyKey: `reorder/${job.job_id}`, speed: SPEED, job: toProtoJob(job), intendedAtUs }, { deadline: Date.now() + 30_000 });
        call.on('data', (e: JobEventOut) => events.push(e));
        call.on('end', () => resolve(events));
        call.on('error', reject);
      });
    try {
      const now = Date.now() * 1000;
      // Job 1 (intended later) reaches the simulator before job 0: both within the window, so job 0 is planned first.
      const later = send(1, now + 20_000);
      await new Promise((r) => setTimeout(r, 30));
      const earlier = send(0, now + 10_000);
      const [e0, e1] = await Promise.all([earlier, later]);
      expect(order).toEqual([jobs[0]!.job_id, jobs[1]!.job_id]);
      // Anchored on the intended time, not on when the hold let it go.
      expect(Number(e0[0]!.atUs)).toBe(now + 10_000);
      expect(Number(e1[0]!.atUs)).toBe(now + 20_000);
      expect(sim.admissions!()).toMatchObject({ planned: 2, arrivedOutOfOrder: 1, outOfOrder: 0 });
      // Job 2 intended before both but arriving a second late (beyond the window): planned at once, out of order, counted.
      await send(2, now - 1_000_000);
      expect(order).toEqual([jobs[0]!.job_id, jobs[1]!.job_id, jobs[2]!.job_id]);
      expect(sim.admissions!()).toMatchObject({ planned: 3, arrivedOutOfOrder: 2, outOfOrder: 1 });
      expect(sim.admissions!().maxArrivalLatenessUs).toBeGreaterThanOrEqual(1_000_000);
    } finally {
      client.close();
      await sim.stop();
    }
  });
});

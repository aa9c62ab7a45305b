// Per-target admission (issue 13), a dead target (16.9), per-job deadlines
// (16.10) and interrupts in each phase of a mirror run, over real gRPC. Waits
// are event-driven (phases, progress counters); the only time bounds are
// orders of magnitude apart from what they tell apart.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { TargetError } from '../../../harness/common/errors.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun, type MirrorRunOptions } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { startScriptedTarget, type Behaviour, type ScriptedTarget } from '../../helpers/scripted-target.ts';

const started: ScriptedTarget[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

function jobs(n: number, spacingS: number, workS: number): Job[] {
  return Array.from({ length: n }, (_, i) =>
    JobRecordSchema.parse({ job_id: `j${i}`, submitted_at: 1_700_000_000_000_000 + Math.round(i * spacingS * 1e6), customer: 'c1', task_type: 'llm_inference', work_seconds: workS }),
  );
}

async function target(behaviour: Behaviour) {
  const t = await startScriptedTarget({ behaviour });
  started.push(t);
  return t;
}

/** A loopback address nobody listens on: a server bound and shut down. */
async function deadAddress(): Promise<string> {
  const t = await startScriptedTarget({ behaviour: 'ok' });
  t.kill();
  return t.address;
}

async function run(targets: { name: string; address: string }[], list: Job[], extra: Partial<MirrorRunOptions> = {}) {
  const sink = new MemorySink();
  const result = await mirrorRun({
    runId: 'r-adm', scenario: 'adm', seed: 1, speed: 10, targets,
    trace: { path: 'mem', checksum: 'x', jobs: list, planned: list.length },
    sink, clock: systemClock(), logger: silentLogger(), leadMs: 50, ...extra,
  });
  return { sink, result };
}

const heldUs = (r: { sent_at_us: number; intended_at_us: number; lateness_us: number }) => (r.sent_at_us ? r.sent_at_us - r.intended_at_us - r.lateness_us : 0);

describe('per-target admission', () => {
  it('queues a full target\'s jobs in the harness without delaying the other target', async () => {
    const ok = await target('ok');
    const hang = await target('hang');
    // ok: each job lives 3 trace s = 0.3 s real, one released every 0.1 s: about 3 in flight, under the cap of 5.
    // hang answers nothing: each call lasts its deadline (1 s work × 1 at speed 10 = 0.1 s, + 0.9 s slack): it fills its 5 slots.
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'hang', address: hang.address }], jobs(20, 1, 1), {
      maxInFlightPerTarget: 5,
      deadlines: { workFactor: 1, queueAllowanceSeconds: 0, ownDeadlineFactor: 1, capSeconds: 60 },
      runDeadlineSlackMs: 900,
    });
    expect(result.status).toBe('completed');
    const byTarget = Object.fromEntries(result.targets.map((t) => [t.name, t]));
    expect(byTarget.ok!.queuedMax).toBe(0);
    expect(byTarget.hang!.queuedMax).toBeGreaterThan(3);
    const okRows = sink.rows.job_results.filter((r) => r.target === 'ok');
    const hangRows = sink.rows.job_results.filter((r) => r.target === 'hang');
    expect(okRows.every((r) => r.status === 'completed')).toBe(true);
    expect(hangRows).toHaveLength(20);
    expect(new Set(hangRows.map((r) => r.error_class))).toEqual(new Set(['deadline_exceeded']));
    // With one release clock held by the full target, ok's jobs went out seconds late (4 rounds of 1 s);
    // now no ok job waits as long as one hung call (1 s), and none waits in a harness queue.
    expect(Math.max(...okRows.map((r) => r.sent_at_us - r.intended_at_us))).toBeLessThan(1_000_000);
    expect(okRows.every((r) => heldUs(r) <= 0 || heldUs(r) < 50_000)).toBe(true);
    // hang's late jobs waited in its own queue, and their latency counts from the intended time.
    const held = hangRows.filter((r) => heldUs(r) > 500_000);
    expect(held.length).toBeGreaterThan(3);
    for (const r of held) expect(r.total_us).toBeGreaterThanOrEqual((r.sent_at_us - r.intended_at_us) * 10 - 1);
  }, 60_000);

  it('records a dead target\'s jobs as target_unavailable and completes the run on the other', async () => {
    const ok = await target('ok');
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'dead', address: await deadAddress() }], jobs(10, 0.5, 1), { connectDeadlineMs: 500 });
    expect(result.status).toBe('completed');
    expect(result.targets.find((t) => t.name === 'dead')!.unavailable).toMatch(/no answer/);
    const dead = sink.rows.job_results.filter((r) => r.target === 'dead');
    expect(dead).toHaveLength(10);
    expect(dead.every((r) => r.status === 'failed' && r.error_class === 'target_unavailable' && r.sent_at_us === 0)).toBe(true);
    expect(sink.rows.job_results.filter((r) => r.target === 'ok' && r.status === 'completed')).toHaveLength(10);
    const config = JSON.parse(sink.rows.runs.at(-1)!.config_json) as { targets: { name: string; unavailable?: string }[] };
    expect(config.targets.find((t) => t.name === 'dead')!.unavailable).toBeTruthy();
  });

  it('fails the run with TARGET_UNAVAILABLE when no target answers', async () => {
    await expect(run([{ name: 'dead', address: await deadAddress() }], jobs(3, 1, 1), { connectDeadlineMs: 300 })).rejects.toBeInstanceOf(TargetError);
  });

  it('bounds a silent target\'s calls by the job\'s work time, not a week', async () => {
    const hang = await target('hang');
    const ok = await target('ok');
    // Speed 1: the old bound was 604,800 s. Work 2 s × 2 + 1 s allowance = 5 s trace = 5 s real + 0.2 s slack.
    const { sink } = await run([{ name: 'ok', address: ok.address }, { name: 'hang', address: hang.address }], jobs(2, 0.1, 2), {
      speed: 1,
      deadlines: { workFactor: 2, queueAllowanceSeconds: 1, ownDeadlineFactor: 2, capSeconds: 3600 },
      runDeadlineSlackMs: 200,
    });
    const hung = sink.rows.job_results.filter((r) => r.target === 'hang');
    expect(hung.map((r) => r.error_class)).toEqual(['deadline_exceeded', 'deadline_exceeded']);
    for (const r of hung) expect(r.finished_at_us - r.sent_at_us).toBeGreaterThanOrEqual(5_000_000);
  }, 60_000);
});

describe('interrupts in each phase of a mirror run', () => {
  it('before the first send: nothing sent, run interrupted', async () => {
    const ok = await target('ok');
    const stop = new AbortController();
    const { sink, result } = await run([{ name: 'ok', address: ok.address }], jobs(10, 1, 1), {
      signal: stop.signal,
      onPhase: (p) => { if (p === 'connecting') stop.abort(); },
    });
    expect(result.status).toBe('interrupted');
    expect(result.released).toBe(0);
    expect(sink.rows.job_results).toHaveLength(0);
    expect(sink.rows.runs.at(-1)!.status).toBe('interrupted');
  });

  it('while sending: queued jobs and jobs cut after the grace period are unfinished, not failed', async () => {
    const hang = await target('hang');
    const stop = new AbortController();
    const { sink, result } = await run([{ name: 'hang', address: hang.address }], jobs(200, 0.05, 1), {
      speed: 1,
      maxInFlightPerTarget: 2,
      graceMs: 100,
      signal: stop.signal,
      onProgress: (p) => { if ((p.targets.hang?.queued ?? 0) >= 3) stop.abort(); },
    });
    expect(result.status).toBe('interrupted');
    expect(result.released).toBeLessThan(200);
    const rows = sink.rows.job_results;
    expect(rows).toHaveLength(result.released);
    expect(rows.every((r) => r.status === 'unfinished')).toBe(true);
    expect(new Set(rows.map((r) => r.error_class))).toEqual(new Set(['interrupted', 'held']));
    expect(rows.filter((r) => r.error_class === 'held').every((r) => r.sent_at_us === 0)).toBe(true);
    expect(result.targets[0]!.failed).toBe(0);
    expect(result.targets[0]!.unfinished).toBe(result.released);
    expect(sink.rows.runs.at(-1)!.status).toBe('interrupted');
  }, 60_000);

  it('after the last send: the drain stops, in-flight jobs are unfinished, run interrupted', async () => {
    const hang = await target('hang');
    const ok = await target('ok');
    const stop = new AbortController();
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'hang', address: hang.address }], jobs(5, 0.1, 1), {
      graceMs: 100,
      signal: stop.signal,
      onPhase: (p) => { if (p === 'draining') stop.abort(); },
    });
    expect(result.status).toBe('interrupted');
    expect(result.released).toBe(5);
    const hung = sink.rows.job_results.filter((r) => r.target === 'hang');
    expect(hung).toHaveLength(5);
    expect(hung.every((r) => r.status === 'unfinished' && r.error_class === 'interrupted')).toBe(true);
    expect(sink.rows.runs.at(-1)!.status).toBe('interrupted');
  }, 60_000);
});

// Each target's client in its own worker thread (targetThreads): the rows, the
// counters and an interrupt come out as they do with everything in one thread.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun, type MirrorRunOptions } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { startScriptedTarget, type Behaviour, type ScriptedTarget } from '../../helpers/scripted-target.ts';

const started: ScriptedTarget[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

const jobs = (n: number, workS: number): Job[] =>
  Array.from({ length: n }, (_, i) =>
    JobRecordSchema.parse({ job_id: `j${i}`, submitted_at: 1_700_000_000_000_000 + i * 1e6, customer: 'c1', task_type: 'llm_inference', work_seconds: workS }),
  );

async function target(behaviour: Behaviour | ((id: string) => Behaviour)) {
  const t = await startScriptedTarget({ behaviour });
  started.push(t);
  return t;
}

async function run(targets: { name: string; address: string }[], list: Job[], extra: Partial<MirrorRunOptions>) {
  const sink = new MemorySink();
  const result = await mirrorRun({
    runId: 'r-threads', scenario: 'threads', seed: 1, speed: 100, targets,
    trace: { path: 'mem', checksum: 'x', jobs: list, planned: list.length },
    sink, clock: systemClock(), logger: silentLogger(), leadMs: 50, ...extra,
  });
  return { sink, result };
}

/** What a row says about the job, without the wall-clock times that differ between any two runs. */
const outcome = (r: { target: string; job_id: string; status: string; error_class: string; events: number; provider_id: string; cost_usd: number; queue_us: number; exec_us: number; total_us: number }) => ({
  key: `${r.target}/${r.job_id}`, status: r.status, error: r.error_class, events: r.events, provider: r.provider_id, cost: r.cost_usd,
  // The scripted timeline (target timestamps) of a completed job, in trace time.
  ...(r.status === 'completed' ? { queue: r.queue_us, exec: r.exec_us, total: r.total_us } : {}),
});
const event = (e: { target: string; job_id: string; seq: number; type: string; provider_id: string }) => `${e.target}/${e.job_id}/${e.seq}/${e.type}/${e.provider_id}`;

describe('target clients in worker threads', () => {
  it('records the same results, events and counters as the single-thread replay', async () => {
    const ok = await target('ok');
    const odd = await target((id) => (id === 'j1' ? 'garbage' : id === 'j2' ? 'close-without-outcome' : 'ok'));
    const targets = [{ name: 'ok', address: ok.address }, { name: 'odd', address: odd.address }];
    const threaded = await run(targets, jobs(12, 2), { targetThreads: true, withhold: (j, t) => j.job_id === 'j5' && t === 'odd' });
    const single = await run(targets, jobs(12, 2), { targetThreads: false, withhold: (j, t) => j.job_id === 'j5' && t === 'odd' });
    expect(threaded.result.status).toBe('completed');
    expect(threaded.result.targets).toEqual(single.result.targets);
    expect(threaded.sink.rows.job_results).toHaveLength(24);
    const outcomes = (rows: Parameters<typeof outcome>[0][]) => rows.map(outcome).sort((a, b) => a.key.localeCompare(b.key));
    expect(outcomes(threaded.sink.rows.job_results)).toEqual(outcomes(single.sink.rows.job_results));
    expect(threaded.sink.rows.job_events.map(event).sort()).toEqual(single.sink.rows.job_events.map(event).sort());
    const byId = new Map(threaded.sink.rows.job_results.filter((r) => r.target === 'odd').map((r) => [r.job_id, r]));
    expect(byId.get('j1')!.error_class).toBe('protocol_error');
    expect(byId.get('j2')!.error_class).toBe('no_outcome');
    expect(byId.get('j5')!.status).toBe('withheld');
    expect(threaded.sink.rows.provider_events.length).toBeGreaterThan(0);
    // Released when the target's thread took the job: sent at once after it (no cap was reached).
    for (const r of threaded.sink.rows.job_results.filter((x) => x.sent_at_us)) expect(r.sent_at_us).toBeGreaterThanOrEqual(r.intended_at_us + r.lateness_us);
  });

  it('on interrupt stops sending, and jobs cut after the grace period are unfinished, not failed', async () => {
    const hang = await target('hang');
    const ok = await target('ok');
    const controller = new AbortController();
    const onPhase = (p: string) => p === 'sending' && setTimeout(() => controller.abort(), 300);
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'hang', address: hang.address }], jobs(100, 1), {
      targetThreads: true, signal: controller.signal, graceMs: 300, maxInFlightPerTarget: 3, onPhase,
    });
    expect(result.status).toBe('interrupted');
    expect(result.released).toBeGreaterThan(3);
    expect(result.released).toBeLessThan(100);
    const hangRows = sink.rows.job_results.filter((r) => r.target === 'hang');
    // Every released job has its row: in flight and cut (interrupted) or queued and never sent (held).
    expect(hangRows).toHaveLength(result.released);
    expect(hangRows.every((r) => r.status === 'unfinished')).toBe(true);
    expect(new Set(hangRows.map((r) => r.error_class))).toEqual(new Set(['interrupted', 'held']));
    expect(result.targets.find((t) => t.name === 'hang')!.unfinished).toBe(result.released);
    expect(sink.rows.runs.at(-1)!.status).toBe('interrupted');
  });
});

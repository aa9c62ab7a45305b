import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { startScriptedTarget, type Behaviour, type ScriptedTarget } from '../../helpers/scripted-target.ts';

const started: ScriptedTarget[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

function jobs(n: number, spacingS = 1, workS = 10, deadlineS = 0): Job[] {
  return Array.from({ length: n }, (_, i) =>
    JobRecordSchema.parse({
      job_id: `j${i}`,
      submitted_at: 1_700_000_000_000_000 + i * spacingS * 1e6,
      customer: 'c1',
      task_type: 'llm_inference',
      work_seconds: workS,
      deadline_seconds: deadlineS,
    }),
  );
}

async function target(behaviour: Behaviour | ((id: string) => Behaviour)) {
  const t = await startScriptedTarget({ behaviour });
  started.push(t);
  return t;
}

async function run(targets: { name: string; address: string }[], list: Job[], extra: Partial<Parameters<typeof mirrorRun>[0]> = {}) {
  const sink = new MemorySink();
  const result = await mirrorRun({
    runId: 'r-test',
    scenario: 'test',
    seed: 1,
    speed: 100,
    targets,
    trace: { path: 'mem', checksum: 'x', jobs: list, planned: list.length },
    sink,
    clock: systemClock(),
    logger: silentLogger(),
    leadMs: 50,
    ...extra,
  });
  return { sink, result };
}

describe('mirror run over real gRPC', () => {
  it('sends every job to both targets and records one result per job and target', async () => {
    const a = await target('ok');
    const b = await target('ok');
    const { sink, result } = await run([{ name: 'a', address: a.address }, { name: 'b', address: b.address }], jobs(20));
    expect(result.status).toBe('completed');
    expect(sink.rows.job_results).toHaveLength(40);
    expect(a.runs.sort()).toEqual(b.runs.sort());
    const r = sink.rows.job_results.find((x) => x.target === 'a' && x.job_id === 'j3')!;
    expect(r.status).toBe('completed');
    // Scripted timeline: started 2 s, finished 12 s after the intended time (trace seconds).
    expect(r.queue_us).toBe(2_000_000);
    expect(r.exec_us).toBe(10_000_000);
    expect(r.total_us).toBe(12_000_000);
    expect(r.cost_usd).toBeCloseTo((10 / 3600) * 0.3, 9);
    expect(r.provider_id).toBe('p1');
    expect(sink.rows.job_events.filter((e) => e.target === 'a' && e.job_id === 'j3').map((e) => e.type)).toEqual([
      'QUEUED', 'PROVIDER_ASSIGNED', 'STARTED', 'COMPLETED', 'SETTLED',
    ]);
    // The run row is written at start and rewritten at the end.
    expect(sink.rows.runs.map((x) => x.status)).toEqual(['running', 'completed']);
    expect(sink.rows.provider_events.length).toBeGreaterThan(0);
  });

  it('records a target that never answers as deadline failures and finishes the run', async () => {
    const ok = await target('ok');
    const hang = await target('hang');
    const { sink } = await run([{ name: 'ok', address: ok.address }, { name: 'hang', address: hang.address }], jobs(5, 0.1, 1, 10), {
      speed: 1000,
      runDeadlineSlackMs: 500,
    });
    const hung = sink.rows.job_results.filter((r) => r.target === 'hang');
    expect(hung).toHaveLength(5);
    expect(new Set(hung.map((r) => r.error_class))).toEqual(new Set(['deadline_exceeded']));
    expect(sink.rows.job_results.filter((r) => r.target === 'ok' && r.status === 'completed')).toHaveLength(5);
  }, 60_000);

  it('fails only the jobs of a target that sends garbage or closes without an outcome', async () => {
    const ok = await target('ok');
    const bad = await target((id) => (id === 'j1' ? 'garbage' : id === 'j2' ? 'close-without-outcome' : 'ok'));
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'bad', address: bad.address }], jobs(4, 0.5, 1));
    expect(result.status).toBe('completed');
    const byId = new Map(sink.rows.job_results.filter((r) => r.target === 'bad').map((r) => [r.job_id, r]));
    expect(byId.get('j0')!.status).toBe('completed');
    expect(byId.get('j1')!.error_class).toBe('protocol_error');
    expect(byId.get('j2')!.error_class).toBe('no_outcome');
    expect(byId.get('j3')!.status).toBe('completed');
  });

  it('keeps running when a target is killed mid-run, recording its jobs as unavailable', async () => {
    const ok = await target('ok');
    const doomed = await target('ok');
    const list = jobs(30, 2, 1);
    setTimeout(() => doomed.kill(), 250);
    const { sink, result } = await run([{ name: 'ok', address: ok.address }, { name: 'doomed', address: doomed.address }], list, { speed: 100 });
    expect(result.status).toBe('completed');
    const rows = sink.rows.job_results.filter((r) => r.target === 'doomed');
    // Every job has exactly one row on each target, whatever happened to the target.
    expect(rows).toHaveLength(30);
    expect(sink.rows.job_results.filter((r) => r.target === 'ok' && r.status === 'completed')).toHaveLength(30);
    const failed = rows.filter((r) => r.status === 'failed');
    expect(failed.length).toBeGreaterThan(10);
    expect(new Set(failed.map((r) => r.error_class))).toEqual(new Set(['target_unavailable']));
  });

  it('on interrupt stops sending, lets in-flight jobs finish within the grace period, and marks the run interrupted', async () => {
    const a = await target('ok');
    const controller = new AbortController();
    // Timed from the first send: starting each target's client thread takes a while on a loaded machine.
    const onPhase = (p: string) => p === 'sending' && setTimeout(() => controller.abort(), 300);
    const { sink, result } = await run([{ name: 'a', address: a.address }], jobs(100, 1, 5), { speed: 100, signal: controller.signal, graceMs: 2_000, onPhase });
    expect(result.status).toBe('interrupted');
    expect(result.released).toBeGreaterThan(5);
    expect(result.released).toBeLessThan(100);
    expect(sink.rows.job_results).toHaveLength(result.released);
    expect(sink.rows.job_results.every((r) => r.status === 'completed')).toBe(true);
    expect(sink.rows.runs.at(-1)!.status).toBe('interrupted');
  });
});

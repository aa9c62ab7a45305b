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
});

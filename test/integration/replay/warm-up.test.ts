// The warm-up before a run's start (issue 13): it exercises the Run path on a
// loopback target of its own, so the run's targets see only the trace's jobs;
// and an interrupt during it ends it without a run being sent.
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { createLogger, silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { warmRunPath } from '../../../harness/replay/warm-up.ts';
import { JobRecordSchema, type Job } from '../../../harness/trace/job.ts';
import { startScriptedTarget, type ScriptedTarget } from '../../helpers/scripted-target.ts';

const started: ScriptedTarget[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((t) => t.stop()));
});

function jobs(n: number): Job[] {
  return Array.from({ length: n }, (_, i) =>
    JobRecordSchema.parse({ job_id: `j${i}`, submitted_at: 1_700_000_000_000_000 + i * 10_000, customer: 'c1', task_type: 'llm_inference', work_seconds: 0.01 }),
  );
}

/** A debug-level logger whose JSON lines are kept. */
function capturingLogger() {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, cb) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: createLogger({ level: 'debug', pretty: false, destination }), lines };
}

describe('warm-up before the start', () => {
  it('makes its calls on a loopback target: the run\'s targets receive only the trace\'s jobs', async () => {
    const a = await startScriptedTarget({ behaviour: 'instant' });
    const b = await startScriptedTarget({ behaviour: 'instant' });
    started.push(a, b);
    const { logger, lines } = capturingLogger();
    const list = jobs(5);
    const result = await mirrorRun({
      runId: 'r-warm', scenario: 'warm', seed: 1, speed: 1,
      targets: [{ name: 'a', address: a.address }, { name: 'b', address: b.address }],
      trace: { path: 'mem', checksum: 'x', jobs: list },
      sink: new MemorySink(), clock: systemClock(), logger, leadMs: 20, warmUpCalls: 40,
    });
    expect(result.status).toBe('completed');
    expect(lines.find((l) => l.msg === 'warmed the Run path on a loopback target')).toMatchObject({ calls: 40 });
    for (const t of [a, b]) expect([...t.runs].sort()).toEqual(list.map((j) => j.job_id).sort());
  });

  it('makes no call after its instant: a sharded worker is not made late for the common start', async () => {
    const { logger, lines } = capturingLogger();
    const clock = systemClock();
    await warmRunPath({ calls: 1_000, clock, logger, speed: 1, untilUs: clock.nowUs() - 1 });
    expect(lines.find((l) => l.msg === 'warmed the Run path on a loopback target')).toMatchObject({ calls: 0 });
  });

  it('ends early when interrupted, and makes no call once aborted', async () => {
    const { logger, lines } = capturingLogger();
    const ac = new AbortController();
    ac.abort();
    await warmRunPath({ calls: 1_000, clock: systemClock(), logger, speed: 1, signal: ac.signal });
    expect(lines).toEqual([]);
    const late = new AbortController();
    const warming = warmRunPath({ calls: 1_000_000, clock: systemClock(), logger: silentLogger(), speed: 1, signal: late.signal });
    late.abort();
    // Resolves (never hangs, never throws) with a million calls asked for.
    await expect(warming).resolves.toBeUndefined();
  });
});

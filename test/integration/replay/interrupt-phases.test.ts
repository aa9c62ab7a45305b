// Ctrl-C in every phase of a run (issue 13), in process and event-driven: the
// abort fires when the run reaches the phase (onPhase, or progress counters),
// never after a wall-clock delay. In each, what is stored agrees with what is
// returned, jobs cut by the interrupt are unfinished (not failures), and
// `resume` completes them.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InterruptedError } from '../../../harness/common/errors.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { runScenario, type RunScenarioOptions } from '../../../harness/run/run-scenario.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';
import { startScriptedTarget, type ScriptedTarget } from '../../helpers/scripted-target.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-phases-'));
const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
const targets: ScriptedTarget[] = [];
let hanging = true;
afterAll(async () => {
  await store.close();
  await Promise.all(targets.map((t) => t.stop()));
});

const JOBS = 30;
async function setup() {
  if (targets.length) return { ok: targets[0]!, slow: targets[1]! };
  // "slow" hangs while `hanging` is set (its calls end only by deadline or our cancel), then answers like "ok".
  targets.push(await startScriptedTarget({ behaviour: 'ok' }), await startScriptedTarget({ behaviour: () => (hanging ? 'hang' : 'ok'), kind: 'DECENTRALIZED' }));
  return { ok: targets[0]!, slow: targets[1]! };
}

async function scenario(name: string) {
  const { ok, slow } = await setup();
  return ScenarioSchema.parse({
    name,
    seed: 3,
    trace: { generate: { jobs: JOBS, spanSeconds: 3600 } },
    speed: { fitSeconds: 2 },
    targets: [{ name: 'baseline', address: ok.address }, { name: 'network', address: slow.address }],
  });
}

function options(extra: Partial<Omit<RunScenarioOptions, 'shard'>>): Omit<RunScenarioOptions, 'scenario' | 'shard'> {
  return { logger: silentLogger(), dataDir: dir, reportsDir: join(dir, 'reports'), progress: false, storeInstance: store, graceMs: 200, ...extra };
}

async function stored(runId: string) {
  const [run] = await store.query<{ status: string }>('SELECT status FROM {db:Identifier}.runs FINAL WHERE run_id = {run:String}', { db: 'mirrorbench', run: runId });
  const rows = await store.query<{ target: string; status: string; n: number }>(
    'SELECT target, status, count() AS n FROM {db:Identifier}.job_results FINAL WHERE run_id = {run:String} GROUP BY target, status ORDER BY target, status',
    { db: 'mirrorbench', run: runId },
  );
  return { status: run?.status, rows: rows.map((r) => `${r.target}/${r.status}=${r.n}`) };
}

describe('Ctrl-C in each phase of a run', () => {
  it('before the first send: nothing sent, stored and returned as interrupted', async () => {
    hanging = true;
    const stop = new AbortController();
    const r = await runScenario({ scenario: await scenario('phase-connect'), ...options({ signal: stop.signal, onPhase: (p) => p === 'connecting' && stop.abort() }) });
    expect(r.run.status).toBe('interrupted');
    expect(r.run.released).toBe(0);
    expect(await stored(r.run.runId)).toEqual({ status: 'interrupted', rows: [] });
    expect(r.report.summary.run.status).toBe('interrupted');
    expect(r.report.summary.validity.valid).toBe(false);
  }, 60_000);

  it('while sending: in-flight and queued jobs are unfinished, not failed; resume completes them', async () => {
    hanging = true;
    const stop = new AbortController();
    const view = () => ({ update: (p: { released: number }) => { if (p.released >= 5) stop.abort(); }, stop: () => undefined });
    const r = await runScenario({ scenario: await scenario('phase-send'), ...options({ signal: stop.signal, progressView: view, progress: true }) });
    expect(r.run.status).toBe('interrupted');
    expect(r.run.released).toBeGreaterThanOrEqual(5);
    expect(r.run.released).toBeLessThan(JOBS);
    const s = await stored(r.run.runId);
    expect(s.status).toBe('interrupted');
    // Every network job sent was cut by the interrupt: unfinished, and none of them counted as failed.
    expect(s.rows.filter((x) => x.startsWith('network/'))).toEqual([`network/unfinished=${r.run.released}`]);
    expect(r.report.summary.targets.find((t) => t.name === 'network')?.failed ?? 0).toBe(0);
    expect(r.report.summary.harnessQueue.find((q) => q.target === 'network')!.unfinished).toBe(r.run.released);
    expect(r.report.summary.validity.reasons.map((x) => x.code)).toContain('run_not_completed');

    hanging = false;
    const resumed = await runScenario({ scenario: await scenario('phase-send'), ...options({ resumeRunId: r.run.runId }) });
    expect(resumed.run.status).toBe('completed');
    expect(await stored(r.run.runId)).toEqual({ status: 'completed', rows: [`baseline/completed=${JOBS}`, `network/completed=${JOBS}`] });
  }, 120_000);

  it('after the last send: the drain stops, cut jobs are unfinished, stored interrupted', async () => {
    hanging = true;
    const stop = new AbortController();
    const r = await runScenario({ scenario: await scenario('phase-drain'), ...options({ signal: stop.signal, onPhase: (p) => p === 'draining' && stop.abort() }) });
    expect(r.run.status).toBe('interrupted');
    expect(r.run.released).toBe(JOBS);
    const s = await stored(r.run.runId);
    expect(s.status).toBe('interrupted');
    expect(s.rows).toContain(`network/unfinished=${JOBS}`);
    expect(r.report.summary.run.status).toBe('interrupted');
  }, 60_000);

  it('while flushing: every row is stored, the run is stored and reported as interrupted', async () => {
    hanging = false;
    const stop = new AbortController();
    const r = await runScenario({ scenario: await scenario('phase-flush'), ...options({ signal: stop.signal, onPhase: (p) => p === 'flushing' && stop.abort() }) });
    expect(r.run.status).toBe('interrupted');
    expect(await stored(r.run.runId)).toEqual({ status: 'interrupted', rows: [`baseline/completed=${JOBS}`, `network/completed=${JOBS}`] });
    expect(r.report.summary.run.status).toBe('interrupted');
    expect(r.report.summary.validity.valid).toBe(false);
  }, 60_000);

  it('while building the report: stops with InterruptedError and the stored run says interrupted', async () => {
    hanging = false;
    const stop = new AbortController();
    const err = await runScenario({
      scenario: await scenario('phase-report'),
      // Aborted as soon as the report has started (next turn of the event loop), not before it.
      ...options({ signal: stop.signal, runId: 'phase-report-run', onPhase: (p) => { if (p === 'reporting') setImmediate(() => stop.abort()); } }),
    }).catch((e: unknown) => e);
    const runId = 'phase-report-run';
    expect(err).toBeInstanceOf(InterruptedError);
    expect((err as InterruptedError).message).toContain('stored as interrupted');
    expect((await stored(runId)).status).toBe('interrupted');
  }, 60_000);
});

// Issue 20: n replay workers add up to exactly one run. The whole path as an
// operator runs it: worker processes of the real CLI on loopback, the same
// scenario and run id, a common --start-at, shared simulators (one process
// serves both workers: the test's own, reached at address:) and a real
// ClickHouse server.
//
// "Equals" is job for job and per target: the set of (job, target) results,
// each one's status and error class, its intended-time offset and its
// simulated durations (queue, execution, total, in trace time). The
// simulators' models plan jobs in the order they reach them (queues, pools),
// and two workers' jobs reach a shared simulator over two connections, where
// delivery reorders them (a job sent on time arrived 90-195 ms late on this
// loaded machine, behind the next one from the other worker). The simulator
// server therefore holds each job for a reorder window and plans in intended
// order (harness/targets/common/sim-server.ts); each timeline is anchored on
// the intended send time, so neither the hold nor harness lateness moves a
// duration. The test's simulators hold 1 s (not the 50 ms default): a job
// would have to reach them more than 1 s late (a stall on a loaded machine)
// to be planned out of order — which the simulators count and the test checks.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../harness/common/logger.ts';
import { ClickHouseStore } from '../../../harness/store/clickhouse-store.ts';
import { runStatusOf, runWorkers } from '../../../harness/store/runs.ts';
import { startSimulator } from '../../../harness/targets/index.ts';
import { serverUnavailableReason, startClickHouseServer, type TestServer } from '../../helpers/clickhouse-server.ts';
import { onLogMessages } from '../../helpers/log-lines.ts';

const unavailable = serverUnavailableReason();
const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'mb-shard-'));
const JOBS = 120;
const DB = 'mb_shard';
const T0 = Date.UTC(2026, 0, 5, 9) * 1000;
/** The simulators' reorder window: far above the delivery delays of a loaded 2-core machine (up to ~200 ms seen). */
const REORDER_WINDOW_MS = 1000;
/** The comparison's replay speed: 5 s of trace between jobs is 25 ms of wall time. */
const FAST = 200;

function writeTrace(): string {
  const tasks = ['llm_inference', 'image_generation', 'transcription'];
  const lines = Array.from({ length: JOBS }, (_, i) =>
    JSON.stringify({ job_id: `job-${String(i).padStart(4, '0')}`, submitted_at: T0 + i * 5_000_000, customer: `c${i % 3}`, task_type: tasks[i % 3], work_seconds: 2 + (i % 5) }),
  );
  const file = join(dir, 'trace.jsonl');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/**
 * A fresh pair of simulators with the same seeds: every run below starts from the same simulated world.
 * `speed`: the comparison runs fast (jobs 25 ms apart, so arrivals interleave and reorder often: what the window is
 * for); the kill test at 100 (50 ms apart), so that half the results are stored well before the killed worker's last job.
 */
async function simulators(speed: number) {
  const b = await startSimulator('baseline', { seed: 11, reorderWindowMs: REORDER_WINDOW_MS, logger: silentLogger() });
  const n = await startSimulator('decentralized', { seed: 12, reorderWindowMs: REORDER_WINDOW_MS, logger: silentLogger() });
  const scenario = join(dir, `s-${b.port}.scenario.yaml`);
  writeFileSync(
    scenario,
    `name: sharded\nseed: 7\ntrace: { file: ${join(dir, 'trace.jsonl')} }\nspeed: ${speed}\ntargets:\n  - { name: baseline, address: "${b.address}" }\n  - { name: network, address: "${n.address}" }\n`,
  );
  /** How each simulator's jobs reached its model: a job planned out of intended order would void the comparison. */
  const admitted = () => [b, n].map((s) => ({ sim: s.name, ...s.admissions!() }));
  return { scenario, admitted, stop: () => Promise.all([b.stop(), n.stop()]) };
}

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; `onLog` sees each log message of its JSON log on stderr. */
function cli(args: string[], url: string, onLog?: (msg: string, kill: () => void) => void): Promise<Exit> {
  const child = spawn('node', [join(ROOT, 'harness/cli/bin.mjs'), ...args, '--store', 'clickhouse', '--url', url, '--database', DB, '--data-dir', join(dir, 'data'), '--reports-dir', join(dir, 'reports')], {
    cwd: dir,
    env: { ...process.env, CI: 'true', MIRRORBENCH_CLICKHOUSE_PASSWORD: '' },
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  onLogMessages(child.stderr, (msg) => onLog?.(msg, () => child.kill('SIGKILL')));
  return new Promise((done) => child.on('exit', (code) => done({ code, stdout, stderr })));
}

const replayArgs = (scenario: string, runId: string, extra: string[] = []) => ['replay', '--scenario', scenario, '--run-id', runId, '--no-progress', ...extra];
/**
 * A start far enough ahead that both worker processes are up (a node start and a trace read: ~4 s at load 7 on 2
 * cores), even on a loaded machine.
 */
const startAt = () => new Date(Date.now() + 10_000).toISOString();
// Lateness at the start is recorded and checked separately; here a loaded machine must not turn the run into a refusal.
const LENIENT = ['--start-late-max', '20000'];

interface Result {
  job_id: string;
  target: string;
  status: string;
  error_class: string;
  queue_us: number;
  exec_us: number;
  total_us: number;
  intended_at_us: number;
  sent_at_us: number;
}

describe.skipIf(unavailable)('a sharded run on two worker processes', () => {
  let server: TestServer;
  let store: ClickHouseStore;
  const results = (runId: string) =>
    store.query<Result>(
      'SELECT job_id, target, status, error_class, queue_us, exec_us, total_us, intended_at_us, sent_at_us FROM {db:Identifier}.job_results FINAL WHERE run_id = {run:String} ORDER BY target, job_id',
      { db: DB, run: runId },
    ).then((rows) =>
      rows.map((r) => ({ ...r, queue_us: Number(r.queue_us), exec_us: Number(r.exec_us), total_us: Number(r.total_us), intended_at_us: Number(r.intended_at_us), sent_at_us: Number(r.sent_at_us) })),
    );

  beforeAll(async () => {
    writeTrace();
    server = await startClickHouseServer();
    store = new ClickHouseStore({ url: server.url, database: DB });
    await store.init();
  }, 60_000);

  afterAll(async () => {
    await store?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores, job for job and per target, what one worker stores from the same seed; status and lateness per worker', async () => {
    const one = await simulators(FAST);
    const single = await cli(replayArgs(one.scenario, 'single'), server.url);
    const admittedSingle = one.admitted();
    await one.stop();
    expect(single.code, single.stderr.slice(-2000)).not.toBe(2);

    const two = await simulators(FAST);
    const at = startAt();
    const workers = await Promise.all([0, 1].map((i) => cli(replayArgs(two.scenario, 'sharded', ['--shard', `${i}/2`, '--start-at', at, ...LENIENT]), server.url)));
    const admittedSharded = two.admitted();
    await two.stop();
    for (const w of workers) expect(w.code, w.stderr.slice(-2000)).toBe(0);
    expect(workers[1]!.stdout).toMatch(/worker 1\/2: \d+ jobs sent; the run is (completed|running)/);

    const [a, b] = [await results('single'), await results('sharded')];
    expect(a).toHaveLength(2 * JOBS);
    expect(b.map((r) => `${r.target}/${r.job_id}`)).toEqual(a.map((r) => `${r.target}/${r.job_id}`));
    // The common start and trace origin: each job's intended time lies the same distance from the run's first as in one worker's run.
    const offsets = (rows: Result[]) => rows.map((r) => r.intended_at_us - Math.min(...rows.map((x) => x.intended_at_us)));
    expect(offsets(b)).toEqual(offsets(a));
    const startLate = (await runWorkers(store, 'sharded')).map((r) => `${(r.start_lateness_us / 1000).toFixed(1)} ms`);
    const arrivals = (xs: typeof admittedSingle) => xs.map((x) => `${x.sim} ${x.planned} planned, ${x.arrivedOutOfOrder} arrived out of order, ${x.outOfOrder} planned out of order, latest ${(x.maxArrivalLatenessUs / 1000).toFixed(1)} ms after its intended time`).join('; ');
    console.info(`sharded run: workers started ${startLate.join(' and ')} after the common start; single worker: ${arrivals(admittedSingle)}; two workers: ${arrivals(admittedSharded)}`);
    // Every job reached its model in intended order (none arrived more than the window late)...
    for (const x of [...admittedSingle, ...admittedSharded]) expect(x, `a job arrived more than ${REORDER_WINDOW_MS} ms late`).toMatchObject({ planned: JOBS, outOfOrder: 0 });
    // ...so the models went through the same states, and every result is the same, durations included.
    const result = (r: Result) => [r.target, r.job_id, r.status, r.error_class, r.queue_us, r.exec_us, r.total_us];
    expect(b.map(result)).toEqual(a.map(result));

    const rows = await runWorkers(store, 'sharded');
    expect(rows.map((r) => [r.shard_index, r.shard_count, r.status])).toEqual([[0, 2, 'completed'], [1, 2, 'completed']]);
    expect(rows.reduce((n, r) => n + r.jobs_sent, 0)).toBe(JOBS);
    for (const r of rows) {
      expect(r.jobs_sent).toBeGreaterThan(JOBS / 4);
      expect(r.start_at_us).toBe(Date.parse(at) * 1000);
      expect(r.start_lateness_us).toBeGreaterThanOrEqual(0);
      expect(r.lateness_max_us).toBeGreaterThanOrEqual(r.lateness_p99_us);
    }
    expect(runStatusOf(rows, { status: '', jobs_sent: 0 }).status).toBe('completed');
    const [single1] = await runWorkers(store, 'single');
    expect([single1!.shard_count, single1!.status, single1!.jobs_sent]).toEqual([1, 'completed', JOBS]);

    // The report is the whole run's: both shards present, completed, every job counted once.
    const report = await cli(['report', '--run', 'sharded'], server.url);
    expect([0, 4]).toContain(report.code);
    const summary = summaryOf('sharded');
    expect(summary.run).toMatchObject({ status: 'completed', jobsSent: JOBS, workers: { shards: 2, present: [0, 1] } });
    expect(summary.validity.reasons.map((r) => r.code)).not.toContain('run_not_completed');
    expect(readFileSync(join(dir, 'reports/sharded/index.html'), 'utf8')).toMatch(/workers 2 of 2: shard 0\/2 completed: \d+ jobs, started [\d.]+ ms after the common start/);
  }, 300_000);

  it('a killed worker leaves the run incomplete until replay --resume RUN --shard i/n completes it', async () => {
    const sims = await simulators(100);
    try {
      const at = startAt();
      let killed = false;
      const [w0, w1] = await Promise.all([
        cli(replayArgs(sims.scenario, 'killed', ['--shard', '0/2', '--start-at', at, ...LENIENT]), server.url),
        cli(replayArgs(sims.scenario, 'killed', ['--shard', '1/2', '--start-at', at, ...LENIENT]), server.url, (msg, kill) => {
          // Killed (SIGKILL: no drain, no final rows) once its own running row is written, well before its last job.
          if (!killed && msg === 'phase: sending') {
            killed = true;
            void midRun(store, 'killed').then(kill);
          }
        }),
      ]);
      expect(w0.code, w0.stderr.slice(-2000)).toBe(0);
      expect(w1.code).toBeNull(); // killed by signal

      const rows = await runWorkers(store, 'killed');
      expect(rows.map((r) => [r.shard_index, r.status])).toEqual([[0, 'completed'], [1, 'running']]);
      // The last runs row may well say completed (worker 0 wrote it last); the run is not.
      const report = await cli(['report', '--run', 'killed'], server.url);
      expect(report.code).toBe(4);
      expect(report.stdout + report.stderr).toMatch(/INCONCLUSIVE|inconclusive/);
      const summary = summaryOf('killed');
      expect(summary.run.status).toBe('running');
      const notDone = summary.validity.reasons.find((r) => r.code === 'run_not_completed');
      expect(notDone?.message).toMatch(/1 of 2 workers completed \(shard 1\/2 running/);

      // Resuming needs the shard; the completed one has nothing to resume.
      const noShard = await cli(['replay', '--resume', 'killed', '--no-progress'], server.url);
      expect(noShard.code).toBe(2);
      expect(noShard.stderr).toMatch(/2 workers; resume one at a time with --shard i\/2 \(not completed: 1\/2 running\)/);
      const done = await cli(['replay', '--resume', 'killed', '--shard', '0/2', '--no-progress'], server.url);
      expect(done.code).toBe(2);
      expect(done.stderr).toMatch(/that worker is already completed/);

      const resumed = await cli(['replay', '--resume', 'killed', '--shard', '1/2', '--no-progress'], server.url);
      expect(resumed.code, resumed.stderr.slice(-2000)).toBe(0);
      const after = await runWorkers(store, 'killed');
      expect(after.map((r) => [r.shard_index, r.status, r.resumes])).toEqual([[0, 'completed', 0], [1, 'completed', 1]]);
      expect(after.reduce((n, r) => n + r.jobs_sent, 0)).toBe(JOBS);
      const stored = await results('killed');
      expect(stored).toHaveLength(2 * JOBS);
      expect(stored.filter((r) => r.status === 'unfinished')).toEqual([]);
      expect([0, 4]).toContain((await cli(['report', '--run', 'killed'], server.url)).code);
      const whole = summaryOf('killed');
      expect(whole.run).toMatchObject({ status: 'completed', jobsSent: JOBS, workers: { shards: 2, present: [0, 1] } });
      expect(whole.validity.reasons.map((r) => r.code)).not.toContain('run_not_completed');
    } finally {
      await sims.stop();
    }
  }, 300_000);

  it('a worker ready after the common start plus its bound refuses to start (exit 5) and is stored as start_late', async () => {
    const sims = await simulators(FAST);
    try {
      const past = new Date(Date.now() - 60_000).toISOString();
      const late = await cli(replayArgs(sims.scenario, 'late', ['--shard', '1/2', '--start-at', past]), server.url);
      expect(late.code).toBe(5);
      expect(late.stderr).toMatch(/START_LATE: late shard 1\/2: ready \d+\.\d+ s after the common start .* \(bound 50 ms\)/);
      const rows = await runWorkers(store, 'late');
      expect(rows.map((r) => [r.shard_index, r.status, r.jobs_sent])).toEqual([[1, 'start_late', 0]]);
      expect(rows[0]!.start_lateness_us).toBeGreaterThan(59_000_000);
      expect((await results('late')).length).toBe(0);
    } finally {
      await sims.stop();
    }
  }, 120_000);
});

/** Resolves once a quarter of the run's results are stored (both workers sending, neither near its end). */
async function midRun(store: ClickHouseStore, runId: string): Promise<void> {
  for (;;) {
    const [r] = await store.query<{ n: number }>('SELECT count() AS n FROM {db:Identifier}.job_results WHERE run_id = {run:String}', { db: DB, run: runId });
    if (Number(r?.n ?? 0) >= JOBS / 2) return;
    await new Promise((res) => setTimeout(res, 100));
  }
}

interface Summary {
  run: { status: string; jobsSent: number; workers?: { shards: number; present: number[] } };
  validity: { reasons: { code: string; message: string }[] };
}

const summaryOf = (runId: string) => JSON.parse(readFileSync(join(dir, 'reports', runId, 'summary.json'), 'utf8')) as Summary;

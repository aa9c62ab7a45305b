// The Golem bridge (golem-js) as a gRPC ComputeTarget, replayed through by the
// real harness, against a local yagna shaped after its REST API — no internet.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { startGolemBridge, type RunningGolemBridge } from '../../../harness/targets/bridges/golem/server.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';
import { startYagnaMock, type MockProvider, type YagnaMock } from '../../helpers/yagna-mock.ts';

const providers: MockProvider[] = [
  { id: '0xa1', name: 'rig-a', start: 0.01, envPerHour: 0.6, cpuPerHour: 0, debitNoteAcceptTimeoutSec: 30 },
  { id: '0xb2', name: 'rig-b', start: 0.02, envPerHour: 0.4, cpuPerHour: 0, debitNoteAcceptTimeoutSec: 30 },
  { id: '0xc3', name: 'rig-c', start: 0.0, envPerHour: 0.9, cpuPerHour: 0, debitNoteAcceptTimeoutSec: 30, gpuMemGib: 48, gpuModel: 'NVIDIA RTX A6000' },
];
const job = (id: string, i: number, extra: Record<string, unknown> = {}) =>
  JobRecordSchema.parse({ job_id: id, submitted_at: 1_700_000_000_000_000 + i * 100_000, customer: 'acme', task_type: 'image_generation', work_seconds: 0.6, vram_gb: 16, ...extra });

async function replay(address: string, jobs: ReturnType<typeof job>[], signal?: AbortSignal) {
  const sink = new MemorySink();
  const r = await mirrorRun({
    signal,
    graceMs: 200,
    runId: 'golem-it',
    scenario: 'golem-it',
    seed: 1,
    speed: 1,
    targets: [{ name: 'golem', address }],
    trace: { path: 'inline', checksum: 'x', jobs, planned: jobs.length },
    sink,
    clock: systemClock(),
    logger: silentLogger(),
  });
  return { r, sink, by: (id: string) => sink.rows.job_results.find((x) => x.job_id === id)!, events: (id: string) => sink.rows.job_events.filter((e) => e.job_id === id) };
}

const bridgeFor = (mock: YagnaMock, extra: Partial<Parameters<typeof startGolemBridge>[0]> = {}) =>
  startGolemBridge({
    yagnaUrl: mock.url,
    appKey: mock.appKey,
    imageUrl: 'http://127.0.0.1:1/mirror-workload.gvmi',
    imageHash: 'ab'.repeat(28),
    command: 'sleep {work_seconds} # {job_id}',
    maxStartPrice: 0.05,
    maxEnvPerHourPrice: 1,
    maxCpuPerHourPrice: 0,
    agreementTimeoutSeconds: 5,
    // A safety bound only: a job's stream ends at its SETTLED event; on a loaded machine (load 17 seen) finalizing took over 30 s.
    settleTimeoutSeconds: 120,
    gatewayRetries: 4,
    gatewayMaxRetryAfterSec: 2,
    gatewayBaseDelayMs: 50,
    glmUsd: 0.3,
    ...extra,
  });

let cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.reverse()) await c().catch(() => undefined);
  cleanup = [];
});

describe('Golem bridge', () => {
  it('rents a provider per job through golem-js: agreement, debit notes, invoices, a provider terminating mid-job, a missed debit-note deadline, 429 and 503', async () => {
    const mock = await startYagnaMock({
      appKey: 'requestor-key',
      providers,
      debitNoteIntervalMs: 200,
      terminate: { match: /j-x-lost/, afterMs: 200, times: 1 },
      missDebitNote: { match: /j-y-deadline/, times: 1, deadlineMs: 1 },
      rateLimit: { match: /^POST \/market-api\/v1\/demands$/, count: 2, retryAfterSec: 1 },
      serverError: { match: /^GET \/payment-api\/v1\/debitNotes\//, count: 2, status: 503 },
    });
    cleanup.push(() => mock.stop());
    const bridge: RunningGolemBridge = await bridgeFor(mock);
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await bridge.stop();
    });
    const jobs = [job('j-ok-1', 0), job('j-x-lost', 1), job('j-ok-2', 2), job('j-y-deadline', 3), job('j-big', 4, { vram_gb: 40 })];
    const { r, sink, by, events } = await replay(bridge.address, jobs);
    expect(r.status).toBe('completed');
    expect(sink.rows.job_results).toHaveLength(5);
    for (const id of ['j-ok-1', 'j-ok-2']) {
      expect(by(id)).toMatchObject({ status: 'completed', attempts: 1, provider_losses: 0, currency: 'GLM' });
      const types = events(id).map((e) => e.type);
      expect(types).toEqual(expect.arrayContaining(['QUEUED', 'OFFER_RECEIVED', 'PROVIDER_ASSIGNED', 'IMAGE_PULLED', 'STARTED', 'DEBIT_NOTE', 'COMPLETED', 'SETTLED']));
      expect(types.indexOf('SETTLED')).toBeGreaterThan(types.indexOf('COMPLETED'));
    }
    // The cost is what the accepted invoices of the job's agreements say, in GLM, converted at the price tick.
    const invoicedFor = (id: string) => {
      const ids = new Set([...mock.agreements.values()].filter((a) => a.commands.some((c) => c.includes(id))).map((a) => a.agreementId));
      return [...mock.invoices.values()].filter((i) => ids.has(i.agreementId) && i.status === 'ACCEPTED');
    };
    for (const id of ['j-ok-1', 'j-x-lost']) {
      const row = by(id);
      const inv = invoicedFor(id);
      expect(inv).toHaveLength(row.attempts);
      expect(row.cost_native).toBeCloseTo(inv.reduce((s, i) => s + Number(i.amount), 0), 12);
      expect(row.cost_usd).toBeCloseTo(row.cost_native * 0.3, 12);
    }
    // Three providers offered; each is counted once per attempt.
    expect(by('j-ok-1').offers).toBe(3);
    // A provider terminating the agreement mid-job: lost with its reason, retried on another provider, both agreements settled.
    const lost = by('j-x-lost');
    expect(lost).toMatchObject({ status: 'completed', attempts: 2, provider_losses: 1 });
    const lostEv = events('j-x-lost');
    const lossEvent = lostEv.find((e) => e.type === 'PROVIDER_LOST')!;
    expect(lossEvent.reason).toContain('owner reclaimed the GPU');
    const assigned = lostEv.filter((e) => e.type === 'PROVIDER_ASSIGNED').map((e) => e.provider_id);
    expect(assigned).toHaveLength(2);
    expect(assigned[0]).not.toBe(assigned[1]);
    expect(lostEv.filter((e) => e.type === 'SETTLED')).toHaveLength(2);
    // A debit note whose deadline passed: the provider ends the agreement, the job moves on.
    const missed = events('j-y-deadline').find((e) => e.type === 'PROVIDER_LOST');
    expect(missed?.reason).toMatch(/debit note .* not accepted within/);
    expect(by('j-y-deadline')).toMatchObject({ status: 'completed', attempts: 2 });
    // GPU memory from the offers (GAP-35 properties) decides who may take a 40 GB job.
    expect(events('j-big').find((e) => e.type === 'PROVIDER_ASSIGNED')?.provider_id).toBe('0xc3');
    // Every debit note that had a meetable deadline was accepted within it.
    const notes = [...mock.debitNotes.values()].filter((d) => d.deadlineMs !== undefined && d.deadlineMs - d.issuedAtMs > 100);
    expect(notes.length).toBeGreaterThan(5);
    expect(notes.filter((n) => n.status === 'ACCEPTED').length).toBeGreaterThan(5);
    for (const d of notes.filter((n) => n.status === 'ACCEPTED')) expect(d.acceptedAtMs!).toBeLessThanOrEqual(d.deadlineMs!);
    // One not accepted was owed no acceptance: its agreement had ended (and been invoiced) before the deadline.
    for (const d of notes.filter((n) => n.status !== 'ACCEPTED')) expect(mock.agreements.get(d.agreementId)!.endedAtMs!).toBeLessThanOrEqual(d.deadlineMs!);
    // 429 waited out and 503 sent again by the gateway, never seen by golem-js or the run.
    expect(mock.requests.filter((q) => q.status === 429)).toHaveLength(2);
    expect(mock.requests.filter((q) => q.status === 503)).toHaveLength(2);
    expect(bridge.gateway).toMatchObject({ rateLimited: 2, serverErrors: 2, gaveUp: 0 });
    // Providers seen on the market and the one that left are on the provider stream.
    const changes = sink.rows.provider_events.map((e) => `${e.provider_id}:${e.online}`);
    expect(changes).toEqual(expect.arrayContaining(['0xa1:1', '0xb2:1', '0xc3:1']));
    // The provider that ended j-x-lost's agreement left the stream with the reason, and came back with its next offer.
    const sessions = sink.rows.provider_events.filter((e) => e.provider_id === lossEvent.provider_id);
    const left = sessions.findIndex((e) => !e.online && e.reason.includes('terminated by provider: provider shut down'));
    expect(left).toBeGreaterThan(0);
    expect(sessions[left - 1]!.online).toBe(1);
    expect(sessions.slice(left + 1).some((e) => e.online)).toBe(true);
    const run = sink.rows.runs.at(-1)!;
    expect(run.config_json).toContain('erc20-holesky');
    // Shutdown leaves nothing open on the node: every agreement ended and invoiced, the allocation released.
    await bridge.stop();
    stopped = true;
    expect(mock.openDemands()).toBe(0);
    expect([...mock.agreements.values()].filter((a) => a.state === 'Approved')).toHaveLength(0);
    expect([...mock.invoices.values()].every((i) => i.status === 'ACCEPTED')).toBe(true);
    expect([...mock.allocations.values()].every((a) => a.released)).toBe(true);
  }, 240_000);

  it('reports a streaming workload\'s first token and tokens from the stream marks on its stdout, timed after STARTED', async () => {
    const mock = await startYagnaMock({ appKey: 'requestor-key', providers });
    cleanup.push(() => mock.stop());
    // The mock yagna answers a command with "ran: <command>": the marks the workload would print come back in its stdout.
    const bridge = await bridgeFor(mock, { command: `echo '{"mirrorbench":"first_token","ms":30}' '{"mirrorbench":"tokens","n":6,"ms":60}' '{"mirrorbench":"done","output_tokens":12}' # {job_id}` });
    cleanup.push(() => bridge.stop());
    const llm = job('llm-1', 0, { task_type: 'llm_inference', prompt_tokens: 800, output_tokens: 12 });
    const { by, events, sink } = await replay(bridge.address, [llm]);
    expect(by('llm-1').status).toBe('completed');
    const evs = events('llm-1');
    const at = (type: string) => evs.find((e) => e.type === type)!.target_at_us;
    expect(at('FIRST_TOKEN') - at('STARTED')).toBe(30_000);
    expect(at('TOKENS') - at('STARTED')).toBe(60_000);
    const [t] = sink.rows.job_tokens;
    expect(t).toMatchObject({ job_id: 'llm-1', prompt_tokens: 800, output_tokens: 12, tokens_streamed: 12, streams_lost: 0 });
    expect(t!.ttft_us).toBeGreaterThan(30_000);
    expect(t!.tpot_us).toBeGreaterThan(0);
  }, 60_000);

  it('refuses to start on an expired key, and fails jobs as auth_failed when the key expires mid-run', async () => {
    const mock = await startYagnaMock({ appKey: 'requestor-key', providers, debitNoteIntervalMs: 200 });
    cleanup.push(() => mock.stop());
    await expect(startGolemBridge({ yagnaUrl: mock.url, appKey: 'revoked-key', imageUrl: 'http://x/y.gvmi', imageHash: 'ab'.repeat(28) })).rejects.toThrow(/401/);
    const bridge = await bridgeFor(mock);
    cleanup.push(() => bridge.stop());
    mock.expireKey();
    const { r, sink } = await replay(bridge.address, [job('k-1', 0), job('k-2', 1)]);
    expect(r.status).toBe('completed');
    expect(sink.rows.job_results.map((x) => [x.status, x.error_class])).toEqual([
      ['failed', 'auth_failed'],
      ['failed', 'auth_failed'],
    ]);
  }, 60_000);

  it('fails a job with no acceptable offer as no_offers within the agreement timeout', async () => {
    const mock = await startYagnaMock({ appKey: 'requestor-key', providers });
    cleanup.push(() => mock.stop());
    const bridge = await bridgeFor(mock, { agreementTimeoutSeconds: 1.5 });
    cleanup.push(() => bridge.stop());
    const { by } = await replay(bridge.address, [job('huge', 0, { vram_gb: 80 })]);
    expect(by('huge')).toMatchObject({ status: 'failed', error_class: 'no_offers' });
  }, 30_000);

  it('ends the rental of a job the harness interrupts: agreement terminated, invoice accepted', async () => {
    const mock = await startYagnaMock({ appKey: 'requestor-key', providers, debitNoteIntervalMs: 200 });
    cleanup.push(() => mock.stop());
    const bridge = await bridgeFor(mock);
    cleanup.push(() => bridge.stop());
    const ac = new AbortController();
    // Interrupt once the job is running on a provider.
    const started = setInterval(() => {
      if ([...mock.activities.values()].some((a) => a.state === 'Ready')) {
        clearInterval(started);
        ac.abort();
      }
    }, 20);
    // A second job a minute later keeps the schedule open, so the abort interrupts the run.
    const { r, by } = await replay(bridge.address, [job('long', 0, { work_seconds: 30 }), job('later', 600)], ac.signal);
    clearInterval(started);
    expect(r.status).toBe('interrupted');
    // Cut by the harness's own interrupt: unfinished (censored), not a failure; --resume sends it again.
    expect(by('long')).toMatchObject({ status: 'unfinished', error_class: 'interrupted' });
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline && ![...mock.invoices.values()].some((i) => i.status === 'ACCEPTED')) await new Promise((res) => setTimeout(res, 50));
    const [agreement] = [...mock.agreements.values()];
    expect(agreement).toMatchObject({ state: 'Terminated', terminator: 'Requestor' });
    expect([...mock.invoices.values()].map((i) => i.status)).toEqual(['ACCEPTED']);
  }, 30_000);

  it('serves a pooled workload from warm rentals (golem-js rental pool): the minimum signed and deployed once, jobs fed to them, idle ones above it let go after the timeout, idle time billed up to the last outcome', async () => {
    const mock = await startYagnaMock({ appKey: 'requestor-key', providers, debitNoteIntervalMs: 200, deployMs: 300 });
    cleanup.push(() => mock.stop());
    const jobs = [...Array.from({ length: 6 }, (_, i) => job(`p-${i}`, 10 + i, { work_seconds: 0.5 })), job('p-late', 100, { work_seconds: 3 })];
    // The harness says how many jobs come, so the last outcome ends the run and carries the pool's capacity up to then.
    const bridge = await bridgeFor(mock, { poolMinRentals: 2, poolMaxRentals: 3, poolIdleTimeoutSeconds: 1, runJobs: jobs.length });
    let stopped = false;
    cleanup.push(async () => {
      if (!stopped) await bridge.stop();
    });
    // A burst of six overlapping jobs, then one more after the burst's extra rentals went idle past the timeout.
    const { r, sink, by, events } = await replay(bridge.address, jobs);
    expect(r.status).toBe('completed');
    for (const j of jobs) expect(by(j.job_id), j.job_id).toMatchObject({ status: 'completed', currency: 'GLM' });
    const signed = [...mock.agreements.values()].filter((a) => a.approvedDate);
    // Seven jobs on at most three agreements, each deployed once and fed job after job.
    expect(signed.length).toBeGreaterThanOrEqual(2);
    expect(signed.length).toBeLessThanOrEqual(3);
    for (const a of signed) expect(a.activities).toHaveLength(1);
    expect(Math.max(...signed.map((a) => a.commands.length))).toBeGreaterThanOrEqual(2);
    expect(signed.reduce((s, a) => s + a.commands.length, 0)).toBe(jobs.length);
    // While the bridge is still up: the rentals above the minimum are let go once idle past the timeout, the minimum is held.
    const trimmed = Date.now() + 30_000;
    while (Date.now() < trimmed && signed.filter((a) => a.state === 'Approved').length > 2) await new Promise((res) => setTimeout(res, 50));
    await new Promise((res) => setTimeout(res, 1_500));
    expect(signed.filter((a) => a.state === 'Terminated' && a.terminator === 'Requestor').length).toBe(signed.length - 2);
    expect(signed.filter((a) => a.state === 'Approved')).toHaveLength(2);
    // Each job is charged its busy time (useful) and the pool's capacity since the previous job (idle, start prices), as BILLED parts that add up to its cost.
    for (const j of jobs) {
      const parts = events(j.job_id).filter((e) => e.type === 'BILLED');
      expect(parts.every((e) => e.detail === 'all')).toBe(true);
      expect(parts.reduce((s, e) => s + e.amount, 0)).toBeCloseTo(by(j.job_id).cost_native, 12);
    }
    // The last job pays the idle capacity since the previous job, and (the run's end) the other held rental's idle time while it ran: a second idle part of at least its work time.
    const lateIdle = events('p-late').filter((e) => e.type === 'BILLED' && e.reason === 'idle');
    expect(lateIdle).toHaveLength(2);
    expect(lateIdle[0]!.billed_gpu_seconds).toBeGreaterThan(2.5);
    expect(sink.rows.job_events.some((e) => e.type === 'BILLED' && e.reason === 'useful' && e.amount > 0)).toBe(true);
    const run = sink.rows.runs.at(-1)!;
    expect(run.config_json).toMatch(/pool of 2–3 warm/);
    // Stopping drains the pool: every agreement ended and invoiced, the allocation released.
    await bridge.stop();
    stopped = true;
    expect(mock.openDemands()).toBe(0);
    expect([...mock.agreements.values()].filter((a) => a.state === 'Approved')).toHaveLength(0);
    expect([...mock.invoices.values()].every((i) => i.status === 'ACCEPTED')).toBe(true);
    expect([...mock.allocations.values()].every((a) => a.released)).toBe(true);
  }, 180_000);
});

// Deployments that bill like the services: a container group per workload on
// the baseline (one image, one GPU per instance, its priority and price),
// fixed or autoscaled, billed per running second whether busy or idle; and
// every billed second accounted as useful work, idle capacity or work lost.
import { describe, expect, it } from 'vitest';
import type { JobOut } from '../../../harness/proto/types.ts';
import { toProtoJob } from '../../../harness/replay/to-proto.ts';
import { baselineModel } from '../../../harness/targets/baseline/server.ts';
import { splitTotal } from '../../../harness/targets/common/billing.ts';
import type { TimedEvent } from '../../../harness/targets/common/sim-server.ts';
import type { Workload } from '../../../harness/targets/common/workloads.ts';
import { WorkloadSchema } from '../../../harness/targets/common/workloads.ts';
import { generateTrace } from '../../../workloads/generator.ts';

const HOUR = 3600e6;
const outcome = (tl: TimedEvent[]) => tl.find((e) => e.event.type === 'COMPLETED' || e.event.type === 'FAILED')!;
const billed = (tl: TimedEvent[], part: string) => tl.filter((e) => e.event.type === 'BILLED' && e.event.reason === part).reduce((s, e) => s + (e.event.amountUsd as number), 0);

function job(id: string, atUs: number, over: Partial<JobOut> = {}): JobOut {
  return {
    jobId: id, submittedAtUs: atUs, customer: 'c', profile: 'startup-inference', taskType: 'llm_inference', gpuClass: 'rtx4090', gpuCount: 1, vramGb: 24,
    image: 'vllm', imageBytes: 8.5e9, inputBytes: 0, outputBytes: 0, workSeconds: 10, pricePaidUsd: 0, sensitivity: 'public', deadlineSeconds: 0, labels: {}, ...over,
  } as JobOut;
}

const workloads = (ws: unknown[]): Workload[] => ws.map((w) => WorkloadSchema.parse(w));

describe('baseline: a container group per workload, billed per running second', () => {
  it('bills an idle pool of N replicas for H hours exactly N × H × price', () => {
    // Nodes that never leave, so every replica runs the whole time.
    const m = baselineModel(1, { lifetime_scale_h: 1e9 }, {}, workloads([{ name: 'llm', match: { taskTypes: ['llm_inference'] }, baseline: { replicas: 3, gpuClass: 'rtx4090', priority: 'high' } }]));
    m.plan(job('a', 0, { workSeconds: 1 }));
    m.accrueTo(10 * HOUR);
    const ledger = m.ledger().llm!;
    expect(splitTotal(ledger).amount).toBeCloseTo(3 * 10 * 0.3, 9);
    // One second of work on a node near nominal speed; the rest of the replicas' time is idle.
    expect(ledger.useful.gpuSeconds).toBeGreaterThan(0.9);
    expect(ledger.idle.gpuSeconds).toBeCloseTo(3 * 10 * 3600 - ledger.useful.gpuSeconds, 6);
    // At batch priority the same pool costs the published batch price.
    const batch = baselineModel(1, { lifetime_scale_h: 1e9 }, {}, workloads([{ name: 'llm', match: { taskTypes: ['llm_inference'] }, baseline: { replicas: 2, gpuClass: 'rtx4090', priority: 'batch' } }]));
    batch.plan(job('a', 0, { workSeconds: 1 }));
    batch.accrueTo(5 * HOUR);
    expect(splitTotal(batch.ledger().llm!).amount).toBeCloseTo(2 * 5 * 0.16, 6);
  });

  it('charges two 10-s jobs ten hours apart many times the list price per useful GPU-hour, and says the cost is idle', () => {
    const m = baselineModel(2);
    const a = m.plan(job('a', 0));
    const b = m.plan(job('b', 10 * HOUR));
    const total = Number(outcome(a).event.amountUsd) + Number(outcome(b).event.amountUsd);
    const usefulH = (billed(a, 'useful') + billed(b, 'useful')) / 0.3;
    expect(usefulH * 3600).toBeGreaterThan(19);
    const perUsefulGpuHour = total / (20 / 3600);
    expect(perUsefulGpuHour).toBeGreaterThan(100 * 0.3);
    const idle = billed(a, 'idle') + billed(b, 'idle');
    expect(idle / total).toBeGreaterThan(0.99);
    // The BILLED parts add up to what the job is charged.
    for (const tl of [a, b]) expect(billed(tl, 'useful') + billed(tl, 'idle') + billed(tl, 'lost')).toBeCloseTo(Number(outcome(tl).event.amountUsd), 9);
  });

  it('bills the replicas still running after the last arrival until the run ends, and an autoscaled one only until its cool-down stops it', () => {
    // Nodes that never leave. "chat" keeps 3 fixed replicas; "batch" scales from zero with a 10-min cool-down.
    const m = baselineModel(4, { lifetime_scale_h: 1e9 }, {}, workloads([
      { name: 'chat', match: { taskTypes: ['llm_inference'] }, baseline: { replicas: 3, gpuClass: 'rtx4090', priority: 'high' } },
      { name: 'batch', match: { taskTypes: ['transcription'] }, baseline: { autoscale: { min: 0, max: 2, cooldownSeconds: 600 }, gpuClass: 'rtx4090', priority: 'high' } },
    ]));
    m.runJobs = 3;
    const a = m.plan(job('a', 0, { workSeconds: 10 }));
    const b = m.plan(job('b', 60e6, { taskType: 'transcription', workSeconds: 30 }));
    // The last arrival runs two hours: the run ends when it does.
    const c = m.plan(job('c', 0.5 * HOUR, { workSeconds: 7200 }));
    const runEnd = 0.5 * HOUR + outcome(c).offsetUs;
    const charged = [a, b, c].reduce((s, tl) => s + Number(outcome(tl).event.amountUsd), 0);
    // Three replicas from the first arrival to the run's end, plus the batch instance's job and cool-down.
    const ledger = m.ledger();
    expect(splitTotal(ledger.chat!).amount).toBeCloseTo(3 * (runEnd / HOUR) * 0.3, 6);
    const batch = ledger.batch!;
    expect(batch.useful.gpuSeconds).toBeGreaterThan(25);
    expect(batch.idle.gpuSeconds).toBeCloseTo(600, 0);
    expect(charged).toBeCloseTo(splitTotal(ledger.chat!).amount + splitTotal(batch).amount, 6);
    // The tail rides on the last job, tagged with each workload it was billed to; its settlement covers it.
    expect(c.filter((e) => e.event.type === 'BILLED' && e.event.detail === 'batch').length).toBeGreaterThan(0);
    expect(billed(c, 'useful') + billed(c, 'idle') + billed(c, 'lost')).toBeCloseTo(Number(outcome(c).event.amountUsd), 9);
    expect(c.filter((e) => e.event.type === 'SETTLED').reduce((s, e) => s + Number(e.event.amountUsd), 0)).toBeCloseTo(Number(outcome(c).event.amountUsd), 9);
    for (let k = 1; k < c.length; k++) expect(c[k]!.offsetUs).toBeGreaterThanOrEqual(c[k - 1]!.offsetUs);
  });

  it('keeps LLM requests off render instances on the demo trace: no LLM request waits behind a render job', () => {
    const jobs = [...generateTrace({ jobs: 3000, spanSeconds: 2 * 24 * 3600, seed: 42 })].map((j) => toProtoJob(j) as JobOut);
    const m = baselineModel(42);
    const providers: Record<string, Set<string>> = {};
    const llmWaitS: number[] = [];
    for (const j of jobs) {
      const tl = m.plan(j);
      for (const e of tl) if (e.event.type === 'STARTED') (providers[j.taskType] ??= new Set()).add(e.event.providerId!);
      const started = tl.find((e) => e.event.type === 'STARTED');
      if (j.taskType === 'llm_inference' && started) llmWaitS.push(started.offsetUs / 1e6);
    }
    const render = providers.rendering!;
    expect(render.size).toBeGreaterThan(0);
    for (const p of providers.llm_inference!) expect(render.has(p)).toBe(false);
    llmWaitS.sort((x, y) => x - y);
    // Before, LLM requests shared a group with renders and waited up to hours; now they wait for their own replicas only.
    expect(llmWaitS[Math.floor(llmWaitS.length * 0.5)]!).toBeLessThan(1);
    expect(llmWaitS[Math.floor(llmWaitS.length * 0.99)]!).toBeLessThan(60);
    // The deployment of each workload is described for the report.
    expect(m.parameters['deployment.llm_inference']).toMatch(/container group of rtx4090 × 1 GPU, high priority/);
    expect(m.parameters['deployment.rendering']).toMatch(/low priority/);
  });

  it('autoscales on queue length: cold starts when scaling from zero, instances stopped after the cool-down, nothing billed while scaled to zero', () => {
    const m = baselineModel(3, { lifetime_scale_h: 1e9 }, {}, workloads([{ name: 'burst', match: { taskTypes: ['llm_inference'] }, baseline: { gpuClass: 'rtx3090', priority: 'batch', autoscale: { min: 0, max: 4, cooldownSeconds: 300, queuePerReplica: 1 } } }]));
    const burst = Array.from({ length: 20 }, (_, i) => m.plan(job(`b${i}`, i * 1e6, { workSeconds: 60 })));
    const starts = burst.map((tl) => tl.find((e) => e.event.type === 'STARTED')!);
    // Scaled from zero: the first job waits for an instance's cold start (allocating, downloading, creating).
    expect(starts[0]!.offsetUs).toBeGreaterThan(3 * 60e6);
    const used = new Set(starts.map((s) => s.event.providerId!.replace(/-\d+$/, '')));
    expect(used.size).toBeGreaterThan(1);
    expect(used.size).toBeLessThanOrEqual(4);
    // The stream says why an instance went: scaled down after the cool-down.
    m.accrueTo(2 * HOUR);
    const changes = m.providerChanges(0, 2 * HOUR);
    expect(changes.some((c) => !c.event.online && /scaled down/.test(c.event.reason!))).toBe(true);
    const late = m.plan(job('late', 20 * HOUR, { workSeconds: 60 }));
    // Between the burst and the late job the group was at zero: idle is at most a cool-down per replica.
    expect(billed(late, 'idle')).toBeLessThanOrEqual(4 * (300 / 3600) * 0.09 + 1e-9);
    expect(late.find((e) => e.event.type === 'STARTED')!.offsetUs).toBeGreaterThan(3 * 60e6);
  });
});

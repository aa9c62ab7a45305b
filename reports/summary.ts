// Queries → the numbers of a report (ReportSummary), with the paired
// statistics computed on per-job vectors. summary.json is this object.
import { DEFAULTS } from '../harness/common/defaults.ts';
import { ReportError } from '../harness/common/errors.ts';
import { hash32, seededRandom } from '../harness/common/random.ts';
import { meanOf, pairedBootstrapRatio, quantileOf } from '../harness/stats/bootstrap.ts';
import { holm, verdictOf, type Direction, type Verdict } from '../harness/stats/compare.ts';
import { wilson } from '../harness/stats/intervals.ts';
import { signedRankTest } from '../harness/stats/rank-tests.ts';
import { hodgesLehmannPaired } from '../harness/stats/shift.ts';
import { kaplanMeier } from '../harness/stats/survival.ts';
import { firstLoss, providerSessions, type Durations } from './survival-data.ts';
import type { Store } from '../harness/store/store.ts';
import * as Q from './queries.ts';
import { summarizePolicies, type PolicySummary, type RoutingPolicy } from './routing.ts';

export interface TargetSummary {
  name: string;
  kind: string;
  jobs: number;
  completed: number;
  failed: number;
  successRate: number;
  successRateCI: [number, number];
  latency: { p50: number; p90: number; p99: number };
  queueP50: number;
  execP50: number;
  throughputJobsPerHour: number;
  gpuHoursPerHour: number;
  costUsd: { total: number; perJob: number; perUsefulGpuHour: number; perWallGpuHour: number };
  costNative: { total: number; currency: string };
  providerLosses: number;
  lossesPerJobHour: number;
  attemptsMean: number;
  retriedJobs: number;
  lateness: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Jobs the data policy kept from this target: not in any other figure. */
  withheld: number;
}

export interface Comparison {
  metric: string;
  unit: string;
  baseline: number;
  candidate: number;
  ratio: number;
  ci: [number, number];
  pValue: number;
  verdict: Verdict;
  pairs: number;
}

export interface ReportSummary {
  /** Confidence level of every interval in this summary. */
  confidence: number;
  run: {
    id: string;
    scenario: string;
    seed: number;
    speed: number;
    status: string;
    traceChecksum: string;
    tracePath: string;
    startedAt: string;
    endedAt: string;
    jobsSent: number;
  };
  baseline: string;
  candidate: string | null;
  targets: TargetSummary[];
  byTaskType: { target: string; taskType: string; jobs: number; successRate: number; p50: number; p90: number; p99: number; costPerJobUsd: number; providerLosses: number }[];
  breakdown: { profile: string; taskType: string; jobs: number; baselineP50: number; candidateP50: number; ratio: number; pValue: number; pHolm: number; verdict: Verdict }[];
  comparisons: Comparison[];
  errorClasses: { target: string; errorClass: string; count: number }[];
  churn: { target: string; providers: number; onlineEvents: number; offlineEvents: number; offlinePerHour: number }[];
  marketplace: { target: string; offersMean: number; pricePerHourMean: number; providersTriedMean: number; negotiationP50s: number | null; negotiationP90s: number | null; settlementP50s: number | null; settlementP90s: number | null }[];
  prices: { target: string; currency: string; minRate: number; maxRate: number; meanRate: number; ticks: number }[];
  assumptions: { target: string; parameter: string; value: string }[];
  warnings: string[];
  cdf: { target: string; quantiles: number[] }[];
  overTime: { target: string; hour: number; completed: number }[];
  /** Jobs whose life (submission → outcome) overlaps each trace hour. */
  inFlight: { target: string; hour: number; inFlight: number }[];
  /** Hodges–Lehmann estimate of the paired latency shift, candidate − baseline (trace seconds). */
  latencyShift: { seconds: number; pairs: number } | null;
  /** Kaplan–Meier curves in trace hours: provider online sessions and jobs' time to first provider loss. */
  survival: { target: string; kind: 'provider_session' | 'first_loss'; n: number; events: number; medianHours: number | null; curve: { t: number; s: number; lo: number; hi: number }[] }[];
  /** Hybrid routing policies of the scenario, evaluated on the mirrored outcomes, after both pure backends. */
  routing: PolicySummary[];
  /** Cost per job if a native currency's USD rate were this multiple of its run mean. */
  costSensitivity: { target: string; currency: string; multiplier: number; usdRate: number; costPerJobUsd: number; ratioToBaseline: number | null }[];
}

const MAX_PAIRS = 200_000;
const HL_PAIRS = 2_000;
const MAX_SURVIVAL_JOBS = 200_000;
const CURVE_POINTS = 200;
const RATE_MULTIPLIERS = [0.6, 0.8, 1, 1.2, 1.4];
const BOOT_PAIRS = 5_000;

interface RunRecord {
  run_id: string;
  scenario: string;
  seed: number;
  speed: number;
  status: string;
  trace_checksum: string;
  trace_path: string;
  started_at_us: number;
  ended_at_us: number;
  jobs_sent: number;
  config_json: string;
}

/** The scenario's report options over the defaults (harness/common/defaults.ts). */
function reportOptionsOf(configJson: string): { confidence: number; bootstrapResamples: number; minSamples: number } {
  const d = { confidence: DEFAULTS.report.confidence as number, bootstrapResamples: DEFAULTS.report.bootstrapResamples as number, minSamples: DEFAULTS.report.minSamples as number };
  try {
    const r = (JSON.parse(configJson || '{}') as { scenario?: { report?: Partial<typeof d> } }).scenario?.report ?? {};
    return { confidence: r.confidence ?? d.confidence, bootstrapResamples: r.bootstrapResamples ?? d.bootstrapResamples, minSamples: r.minSamples ?? d.minSamples };
  } catch {
    return d;
  }
}

function routingOf(configJson: string): RoutingPolicy[] {
  try {
    const c = JSON.parse(configJson || '{}') as { scenario?: { routing?: RoutingPolicy[] } };
    return Array.isArray(c.scenario?.routing) ? c.scenario.routing : [];
  } catch {
    return [];
  }
}

const iso = (us: number) => (us > 0 ? new Date(us / 1000).toISOString() : '');

export async function summarize(store: Store, runId: string): Promise<ReportSummary> {
  const [run] = await Q.q<RunRecord>(store, Q.runSql(store.database, runId));
  if (!run) throw new ReportError(`no run "${runId}" in ${store.description}; list runs with: SELECT run_id FROM ${store.database}.runs`);
  const reportOpts = reportOptionsOf(run.config_json);
  const rows = await Q.q<Q.TargetRow>(store, Q.targetSummarySql(store.database, runId));
  const withheldBy = new Map((await Q.q<{ target: string; n: number }>(store, Q.withheldSql(store.database, runId))).map((r) => [r.target, Number(r.n)]));
  const targets: TargetSummary[] = rows.map((r) => {
    const spanH = Math.max(r.span_s / 3600, 1e-9);
    return {
      name: r.target,
      kind: r.kind,
      jobs: r.jobs,
      completed: r.completed,
      failed: r.failed,
      successRate: r.jobs ? r.completed / r.jobs : 0,
      successRateCI: wilson(r.completed, r.jobs, reportOpts.confidence),
      latency: { p50: r.p50, p90: r.p90, p99: r.p99 },
      queueP50: r.queue_p50,
      execP50: r.exec_p50,
      throughputJobsPerHour: r.completed / spanH,
      gpuHoursPerHour: r.useful_gpu_s / 3600 / spanH,
      costUsd: {
        total: r.cost_usd,
        perJob: r.jobs ? r.cost_usd / r.jobs : 0,
        perUsefulGpuHour: r.useful_gpu_s ? r.cost_usd / (r.useful_gpu_s / 3600) : 0,
        perWallGpuHour: r.billed_gpu_s ? r.cost_usd / (r.billed_gpu_s / 3600) : 0,
      },
      costNative: { total: r.cost_native, currency: r.currency },
      providerLosses: r.losses,
      lossesPerJobHour: r.job_hours ? r.losses / r.job_hours : 0,
      attemptsMean: r.attempts_mean,
      retriedJobs: r.retried,
      lateness: { p50Ms: r.late_p50_us / 1000, p99Ms: r.late_p99_us / 1000, maxMs: r.late_max_us / 1000 },
      withheld: withheldBy.get(r.target) ?? 0,
    };
  });
  const baseline = targets.find((t) => t.kind === 'baseline')?.name ?? targets[0]?.name ?? '';
  const candidate = targets.find((t) => t.name !== baseline)?.name ?? null;

  const comparisons: Comparison[] = [];
  const breakdown: ReportSummary['breakdown'] = [];
  let latencyShift: ReportSummary['latencyShift'] = null;
  let routing: PolicySummary[] = [];
  const policies = routingOf(run.config_json);
  // Distinct jobs of the run: sets the hash sampling of every per-job pull below.
  const [{ n: jobsN } = { n: 0 }] = await Q.q<{ n: number }>(store, Q.jobCountSql(store.database, runId));
  if (candidate) {
    const n = jobsN;
    const modulo = Math.max(1, Math.ceil(n / MAX_PAIRS));
    const per = await Q.q<{ job_id: string; target: string; status: string; total_us: number; cost_usd: number }>(store, Q.pairsSql(store.database, runId, modulo));
    const byJob = new Map<string, { a?: (typeof per)[number]; b?: (typeof per)[number] }>();
    for (const r of per) {
      const e = byJob.get(r.job_id) ?? {};
      if (r.target === baseline) e.a = r;
      else if (r.target === candidate) e.b = r;
      byJob.set(r.job_id, e);
    }
    const pairs = [...byJob.values()].filter((e) => e.a && e.b) as { a: (typeof per)[number]; b: (typeof per)[number] }[];
    if (policies.length) {
      const outcome = (r: (typeof per)[number]) => ({ ok: r.status === 'completed', latencyS: r.total_us / 1e6, costUsd: r.cost_usd });
      routing = summarizePolicies(pairs.map((p) => ({ base: outcome(p.a), net: outcome(p.b) })), policies);
    }
    // Bootstrap on a fixed, hash-chosen subset: intervals stay stable and cheap on million-job runs.
    const boot = pairs.length > BOOT_PAIRS ? pairs.filter((p) => hash32(p.a.job_id) % Math.ceil(pairs.length / BOOT_PAIRS) === 0) : pairs;
    const both = boot.filter((p) => p.a.status === 'completed' && p.b.status === 'completed');
    const bothAll = pairs.filter((p) => p.a.status === 'completed' && p.b.status === 'completed');
    const opts = { resamples: reportOpts.bootstrapResamples, confidence: reportOpts.confidence };
    const add = (metric: string, unit: string, direction: Direction, a: number[], b: number[], stat: (v: Float64Array) => number, testP?: number) => {
      if (a.length < 2) return;
      const r = pairedBootstrapRatio(a, b, stat, { ...opts, random: seededRandom(hash32(`${runId}/${metric}`)) });
      const p = testP ?? r.p;
      comparisons.push({ metric, unit, baseline: stat(Float64Array.from(a)), candidate: stat(Float64Array.from(b)), ratio: r.estimate, ci: [r.lo, r.hi], pValue: p, verdict: verdictOf(r, p, direction, 1 - reportOpts.confidence), pairs: a.length });
    };
    const la = both.map((p) => p.a.total_us / 1e6);
    const lb = both.map((p) => p.b.total_us / 1e6);
    const rank = signedRankTest(bothAll.map((p) => p.a.total_us), bothAll.map((p) => p.b.total_us));
    add('p50 latency', 's', 'lower-is-better', la, lb, quantileOf(0.5), rank.p);
    // Walsh averages are O(n²): a hash-chosen subset of at most HL_PAIRS jobs.
    const hlSet = bothAll.length > HL_PAIRS ? bothAll.filter((p) => hash32(`hl/${p.a.job_id}`) % Math.ceil(bothAll.length / HL_PAIRS) === 0) : bothAll;
    if (hlSet.length >= 2) latencyShift = { seconds: hodgesLehmannPaired(hlSet.map((p) => p.a.total_us / 1e6), hlSet.map((p) => p.b.total_us / 1e6)), pairs: hlSet.length };
    add('p90 latency', 's', 'lower-is-better', la, lb, quantileOf(0.9));
    add('p99 latency', 's', 'lower-is-better', la, lb, quantileOf(0.99));
    add('cost per job', 'USD', 'lower-is-better', boot.map((p) => p.a.cost_usd), boot.map((p) => p.b.cost_usd), meanOf);
    add('success rate', '', 'higher-is-better', boot.map((p) => (p.a.status === 'completed' ? 1 : 0)), boot.map((p) => (p.b.status === 'completed' ? 1 : 0)), meanOf);

    // Profile × task type: signed-rank per cell, Holm-corrected across cells.
    const cells = new Map<string, { a: number[]; b: number[]; profile: string; taskType: string }>();
    const jobCell = new Map<string, string>();
    const perJob = await Q.q<{ job_id: string; profile: string; task_type: string }>(store, Q.jobCellsSql(store.database, runId, modulo));
    for (const j of perJob) jobCell.set(j.job_id, `${j.profile}\u0000${j.task_type}`);
    for (const p of bothAll) {
      const key = jobCell.get(p.a.job_id);
      if (!key) continue;
      const [profile, taskType] = key.split('\u0000') as [string, string];
      const c = cells.get(key) ?? { a: [], b: [], profile, taskType };
      c.a.push(p.a.total_us / 1e6);
      c.b.push(p.b.total_us / 1e6);
      cells.set(key, c);
    }
    const list = [...cells.values()];
    const ps = list.map((c) => signedRankTest(c.a, c.b).p);
    const adj = holm(ps);
    list.forEach((c, i) => {
      const m = quantileOf(0.5);
      const a50 = m(Float64Array.from(c.a));
      const b50 = m(Float64Array.from(c.b));
      const ratio = b50 / a50;
      const p = adj[i]!;
      breakdown.push({
        profile: c.profile,
        taskType: c.taskType,
        jobs: c.a.length,
        baselineP50: a50,
        candidateP50: b50,
        ratio,
        pValue: ps[i]!,
        pHolm: p,
        verdict: p < 1 - reportOpts.confidence ? (ratio > 1 ? 'worse' : 'better') : '~',
      });
    });
  }

  const errorClasses = (await Q.q<{ target: string; error_class: string; count: number }>(store, Q.errorClassesSql(store.database, runId))).map((r) => ({ target: r.target, errorClass: r.error_class, count: r.count }));
  const byTaskType = (await Q.q<{ target: string; task_type: string; jobs: number; completed: number; p50: number; p90: number; p99: number; cost_per_job_usd: number; losses: number }>(store, Q.byTaskTypeSql(store.database, runId))).map((r) => ({
    target: r.target, taskType: r.task_type, jobs: r.jobs, successRate: r.jobs ? r.completed / r.jobs : 0, p50: r.p50, p90: r.p90, p99: r.p99, costPerJobUsd: r.cost_per_job_usd, providerLosses: r.losses,
  }));
  const churn = (await Q.q<{ target: string; providers: number; online_events: number; offline_events: number; span_s: number }>(store, Q.providerSql(store.database, runId))).map((r) => ({
    target: r.target, providers: r.providers, onlineEvents: r.online_events, offlineEvents: r.offline_events,
    // Provider timestamps are on the target's (compressed) clock: scale back to trace hours.
    offlinePerHour: r.span_s > 0 ? r.offline_events / ((r.span_s * run.speed) / 3600) : 0,
  }));
  const negotiation = new Map((await Q.q<{ target: string; p50_us: number; p90_us: number }>(store, Q.negotiationSql(store.database, runId))).map((r) => [r.target, r]));
  const settle = new Map((await Q.q<{ target: string; p50_us: number; p90_us: number }>(store, Q.settlementSql(store.database, runId))).map((r) => [r.target, r]));
  const marketplace = (await Q.q<{ target: string; offers_mean: number; price_per_hour_mean: number; providers_tried_mean: number }>(store, Q.marketplaceSql(store.database, runId))).map((r) => ({
    target: r.target, offersMean: r.offers_mean, pricePerHourMean: r.price_per_hour_mean, providersTriedMean: r.providers_tried_mean,
    negotiationP50s: negotiation.has(r.target) ? (negotiation.get(r.target)!.p50_us * run.speed) / 1e6 : null,
    negotiationP90s: negotiation.has(r.target) ? (negotiation.get(r.target)!.p90_us * run.speed) / 1e6 : null,
    settlementP50s: settle.has(r.target) ? (settle.get(r.target)!.p50_us * run.speed) / 1e6 : null,
    settlementP90s: settle.has(r.target) ? (settle.get(r.target)!.p90_us * run.speed) / 1e6 : null,
  }));
  const prices = (await Q.q<{ target: string; currency: string; min_rate: number; max_rate: number; mean_rate: number; ticks: number }>(store, Q.priceTicksSql(store.database, runId))).map((r) => ({
    target: r.target, currency: r.currency, minRate: r.min_rate, maxRate: r.max_rate, meanRate: r.mean_rate, ticks: r.ticks,
  }));
  const cdf = (await Q.q<{ target: string; q: number[] }>(store, Q.cdfSql(store.database, runId))).map((r) => ({ target: r.target, quantiles: r.q.map((x) => x / 1e6) }));
  const [{ origin } = { origin: 0 }] = await Q.q<{ origin: number }>(store, Q.originSql(store.database, runId));
  const overTime = (await Q.q<{ target: string; bucket: number; completed: number }>(store, Q.overTimeSql(store.database, runId, 3.6e9, Number(origin)))).map((r) => ({ target: r.target, hour: r.bucket, completed: r.completed }));

  const inFlight = (await Q.q<{ target: string; bucket: number; in_flight: number }>(store, Q.inFlightSql(store.database, runId, 3.6e9, Number(origin)))).map((r) => ({ target: r.target, hour: Number(r.bucket), inFlight: r.in_flight }));

  const survival: ReportSummary['survival'] = [];
  const curveOf = (target: string, kind: 'provider_session' | 'first_loss', d: Durations) => {
    if (d.times.length === 0) return;
    const km = kaplanMeier(d.times, d.observed, reportOpts.confidence);
    // Thin the steps for the page; summary.json keeps the same thinned curve the chart shows.
    const every = Math.max(1, Math.ceil(km.steps.length / CURVE_POINTS));
    const curve = km.steps.filter((_, i) => i % every === 0 || i === km.steps.length - 1).map((st) => ({ t: st.t, s: st.s, lo: st.lo, hi: st.hi }));
    survival.push({ target, kind, n: km.n, events: km.events, medianHours: km.median, curve });
  };
  const ends = new Map((await Q.q<{ target: string; end_us: number }>(store, Q.providerStreamEndSql(store.database, runId))).map((r) => [r.target, Number(r.end_us)]));
  const sessions = new Map<string, Durations>();
  for (const r of await Q.q<{ target: string; online: number[]; at: number[] }>(store, Q.providerTimelinesSql(store.database, runId))) {
    const d = sessions.get(r.target) ?? { times: [], observed: [] };
    providerSessions(r.online.map(Number), r.at.map(Number), ends.get(r.target) ?? 0, run.speed, d);
    sessions.set(r.target, d);
  }
  for (const [target, d] of [...sessions].sort()) curveOf(target, 'provider_session', d);
  const losses = new Map<string, Durations>();
  for (const r of await Q.q<{ target: string; assigned: number; lost: number; ended: number }>(store, Q.firstLossSql(store.database, runId, Math.max(1, Math.ceil(jobsN / MAX_SURVIVAL_JOBS))))) {
    const d = losses.get(r.target) ?? { times: [], observed: [] };
    firstLoss({ assigned: Number(r.assigned), lost: Number(r.lost), ended: Number(r.ended) }, run.speed, d);
    losses.set(r.target, d);
  }
  for (const [target, d] of [...losses].sort()) curveOf(target, 'first_loss', d);

  const costSensitivity: ReportSummary['costSensitivity'] = [];
  const base = targets.find((t) => t.name === baseline);
  for (const t of targets) {
    const rate = prices.find((p) => p.target === t.name && p.currency === t.costNative.currency);
    if (!rate || t.costNative.currency === 'USD' || t.jobs === 0) continue;
    for (const m of RATE_MULTIPLIERS) {
      const perJob = (t.costNative.total * rate.meanRate * m) / t.jobs;
      costSensitivity.push({ target: t.name, currency: rate.currency, multiplier: m, usdRate: rate.meanRate * m, costPerJobUsd: perJob, ratioToBaseline: base && base !== t && base.costUsd.perJob > 0 ? perJob / base.costUsd.perJob : null });
    }
  }

  const assumptions: ReportSummary['assumptions'] = [];
  let skippedLines = 0;
  try {
    const config = JSON.parse(run.config_json || '{}') as { skippedLines?: number; targets?: { name: string; info?: { parameters?: Record<string, string> } }[] };
    skippedLines = Number(config.skippedLines ?? 0);
    for (const t of config.targets ?? []) for (const [k, v] of Object.entries(t.info?.parameters ?? {})) if (v.includes('[A]')) assumptions.push({ target: t.name, parameter: k, value: v });
  } catch {
    // A run without a parseable config simply lists no assumptions.
  }

  const warnings: string[] = [];
  for (const t of targets) {
    if (t.lateness.p99Ms > DEFAULTS.replay.latenessBoundMs) warnings.push(`Harness lateness p99 on ${t.name} is ${t.lateness.p99Ms.toFixed(1)} ms, over the ${DEFAULTS.replay.latenessBoundMs} ms bound: arrivals were not replayed on time.`);
    if (t.completed < reportOpts.minSamples) warnings.push(`Only ${t.completed} completed jobs on ${t.name}: fewer than ${reportOpts.minSamples}, percentiles are not trustworthy.`);
  }
  for (const t of targets) {
    if (t.withheld > 0) warnings.push(`${t.withheld} jobs (${((100 * t.withheld) / (t.withheld + t.jobs)).toFixed(1)}%) were withheld from ${t.name} by the data policy: its figures and the paired comparisons cover the other jobs only.`);
  }
  if (skippedLines > 0) warnings.push(`${skippedLines} malformed trace lines were skipped (policy "skip"): those jobs were not replayed.`);
  if (run.status !== 'completed') warnings.push(`The run is ${run.status}: it did not replay the whole trace.`);
  if (assumptions.length) warnings.push(`${assumptions.length} simulator parameters are assumptions ([A]); see "Assumptions" and test them with sweeps.`);

  return {
    run: {
      id: run.run_id, scenario: run.scenario, seed: run.seed, speed: run.speed, status: run.status, traceChecksum: run.trace_checksum, tracePath: run.trace_path,
      startedAt: iso(run.started_at_us), endedAt: iso(run.ended_at_us), jobsSent: run.jobs_sent,
    },
    confidence: reportOpts.confidence,
    baseline,
    candidate,
    targets,
    byTaskType,
    breakdown,
    comparisons,
    errorClasses,
    churn,
    marketplace,
    prices,
    assumptions,
    warnings,
    cdf,
    overTime,
    inFlight,
    latencyShift,
    routing,
    survival,
    costSensitivity,
  };
}

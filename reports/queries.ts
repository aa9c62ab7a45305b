// The report's reads: its data-access module. Aggregates are computed in
// ClickHouse (JavaScript never loads every row to compute a percentile); every
// read uses FINAL so that a batch the writer retried is counted once. The SQL
// avoids what ClickHouse 18.16 lacks (DateTime64, window functions), so the
// same text runs on chDB and on the server tests; values are bound
// parameters ({name:Type}, harness/store/bind.ts), never spliced in.
import { hasTable, runWorkers, type StoredWorkerRow } from '../harness/store/runs.ts';
import type { QueryParams, Store } from '../harness/store/store.ts';


export interface TargetRow {
  target: string;
  kind: string;
  jobs: number;
  completed: number;
  failed: number;
  p50: number;
  p90: number;
  p99: number;
  queue_p50: number;
  exec_p50: number;
  cost_usd: number;
  cost_native: number;
  currency: string;
  useful_gpu_s: number;
  billed_gpu_s: number;
  losses: number;
  job_hours: number;
  running_hours: number;
  span_s: number;
  late_p50_us: number;
  late_p99_us: number;
  late_max_us: number;
  attempts_mean: number;
  retried: number;
}

const TARGET_SUMMARY = `
SELECT target, any(target_kind) AS kind, count() AS jobs,
  countIf(status = 'completed') AS completed, countIf(status != 'completed') AS failed,
  quantilesExactIf(0.5, 0.9, 0.99)(total_us, status = 'completed') AS lat,
  lat[1] / 1e6 AS p50, lat[2] / 1e6 AS p90, lat[3] / 1e6 AS p99,
  quantileExactIf(0.5)(queue_us, status = 'completed') / 1e6 AS queue_p50,
  quantileExactIf(0.5)(exec_us, status = 'completed') / 1e6 AS exec_p50,
  sum(cost_usd) AS cost_usd, sum(cost_native) AS cost_native, any(currency) AS currency,
  sumIf(work_seconds * gpu_count, status = 'completed') AS useful_gpu_s,
  sum(billed_gpu_seconds) AS billed_gpu_s,
  sum(provider_losses) AS losses,
  sum(total_us) / 3.6e9 AS job_hours,
  sum(exec_us) / 3.6e9 AS running_hours,
  (max(submitted_at_us + total_us) - min(submitted_at_us)) / 1e6 AS span_s,
  quantilesExact(0.5, 0.99)(lateness_us) AS late, late[1] AS late_p50_us, late[2] AS late_p99_us, max(lateness_us) AS late_max_us,
  avg(attempts) AS attempts_mean, countIf(attempts > 1) AS retried
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target ORDER BY target`;

/** The BILLED events of simulated jobs, summed per target and workload (detail) and part (reason). */
const BILLED = `
SELECT target, detail AS workload,
  sumIf(amount_usd, reason = 'useful') AS useful_usd, sumIf(amount_usd, reason = 'idle') AS idle_usd, sumIf(amount_usd, reason = 'lost') AS lost_usd,
  sumIf(billed_gpu_seconds, reason = 'useful') / 3600 AS useful_h, sumIf(billed_gpu_seconds, reason = 'idle') / 3600 AS idle_h, sumIf(billed_gpu_seconds, reason = 'lost') / 3600 AS lost_h
FROM {db:Identifier}.job_events FINAL
WHERE run_id = {run:String} AND type = 'BILLED'
GROUP BY target, workload ORDER BY target, workload`;

export interface BilledRow {
  target: string;
  workload: string;
  useful_usd: number;
  idle_usd: number;
  lost_usd: number;
  useful_h: number;
  idle_h: number;
  lost_h: number;
}

const BY_TASK_TYPE = `
SELECT target, task_type, count() AS jobs, countIf(status = 'completed') AS completed,
  quantilesExactIf(0.5, 0.9, 0.99)(total_us, status = 'completed') AS lat,
  lat[1] / 1e6 AS p50, lat[2] / 1e6 AS p90, lat[3] / 1e6 AS p99,
  sum(cost_usd) / count() AS cost_per_job_usd, sum(provider_losses) AS losses
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target, task_type ORDER BY task_type, target`;

/** Each job's profile × task type cell, for the breakdown's paired tests; sampled by a hash of job_id like the pairs. */
const JOB_CELLS = `
SELECT job_id, any(profile) AS profile, any(task_type) AS task_type
FROM {db:Identifier}.job_results
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished') AND cityHash64(job_id) % {modulo:UInt64} = 0
GROUP BY job_id`;

const ERROR_CLASSES = `
SELECT target, error_class, count() AS count
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished') AND status != 'completed'
GROUP BY target, error_class ORDER BY target, count DESC`;

/** Latency CDF points: 99 quantiles per target (completed jobs); the levels are constants of the query, not values. */
const CDF = `
SELECT target, quantilesExactIf(${Array.from({ length: 99 }, (_, i) => ((i + 1) / 100).toFixed(2)).join(', ')})(total_us, status = 'completed') AS q
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target ORDER BY target`;

/** The run's first submission time; a separate query because a scalar subquery inside a Distributed GROUP BY fails on old servers. */
const ORIGIN = `SELECT min(submitted_at_us) AS origin FROM {db:Identifier}.job_results WHERE run_id = {run:String}`;

/** Completions per trace hour since the origin. */
const OVER_TIME = `
SELECT target, intDiv(submitted_at_us + total_us - {origin:Int64}, {bucket:UInt64}) AS bucket,
  countIf(status = 'completed') AS completed, count() AS finished
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target, bucket ORDER BY target, bucket`;

/** Per-job values of both targets, for the paired tests. Sampled by a hash of job_id above MAX_PAIRS jobs. */
const PAIRS = `
SELECT job_id, target, status, total_us, cost_usd, submitted_at_us
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished') AND cityHash64(job_id) % {modulo:UInt64} = 0
ORDER BY job_id, target`;

/** The job_tokens rows of the run (token-counted LLM requests), sampled by a hash of job_id like the pairs. */
const TOKENS = `
SELECT job_id, target, output_tokens, ttft_us, tpot_us, streams_lost
FROM {db:Identifier}.job_tokens FINAL
WHERE run_id = {run:String} AND cityHash64(job_id) % {modulo:UInt64} = 0
ORDER BY job_id, target`;

/** Jobs the data policy kept from each target. */
const WITHHELD = `SELECT target, count() AS n FROM {db:Identifier}.job_results FINAL WHERE run_id = {run:String} AND status = 'withheld' GROUP BY target ORDER BY target`;

const JOB_COUNT = `SELECT uniqExact(job_id) AS n FROM {db:Identifier}.job_results WHERE run_id = {run:String}`;

const PROVIDERS = `
SELECT target, uniqExact(provider_id) AS providers, countIf(online = 1) AS online_events, countIf(online = 0) AS offline_events,
  (max(at_us) - min(at_us)) / 1e6 AS span_s
FROM {db:Identifier}.provider_events FINAL
WHERE run_id = {run:String}
GROUP BY target ORDER BY target`;

const MARKETPLACE = `
SELECT target, avg(offers) AS offers_mean, avg(price_per_hour) AS price_per_hour_mean, avg(providers_tried) AS providers_tried_mean
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target ORDER BY target`;

/**
 * p50/p90 per target of a per-job span taken from its events (target clock,
 * real µs), over the jobs that have the event the span needs. `span` and
 * `needs` are fixed expressions of this module, not values.
 */
function eventSpanQuantiles(span: string, needs: string): string {
  return `
SELECT target, quantileExact(0.5)(d) AS p50_us, quantileExact(0.9)(d) AS p90_us, count() AS jobs
FROM (
  SELECT target, job_id, ${span} AS d
  FROM {db:Identifier}.job_events FINAL
  WHERE run_id = {run:String}
  GROUP BY target, job_id
  HAVING countIf(type = '${needs}') > 0
)
GROUP BY target ORDER BY target`;
}

/** Settlement delay: last SETTLED after the outcome, per job. */
const SETTLEMENT = eventSpanQuantiles("maxIf(target_at_us, type = 'SETTLED') - maxIf(target_at_us, type IN ('COMPLETED', 'FAILED'))", 'SETTLED');

/** Negotiation: from a job's first event (its request reaching the target) to its first provider assignment. */
const NEGOTIATION = eventSpanQuantiles("minIf(target_at_us, type = 'PROVIDER_ASSIGNED') - min(target_at_us)", 'PROVIDER_ASSIGNED');

const PRICE_TICKS = `
SELECT target, currency, min(usd_rate) AS min_rate, max(usd_rate) AS max_rate, avg(usd_rate) AS mean_rate, count() AS ticks
FROM {db:Identifier}.price_ticks FINAL
WHERE run_id = {run:String}
GROUP BY target, currency ORDER BY target`;

const RUN = `SELECT * FROM {db:Identifier}.runs FINAL WHERE run_id = {run:String}`;

/** Every provider's online/offline changes in time order, per target (for session survival). */
const PROVIDER_TIMELINES = `
SELECT target, provider_id, groupArray(online) AS online, groupArray(at_us) AS at
FROM (SELECT target, provider_id, online, at_us FROM {db:Identifier}.provider_events FINAL WHERE run_id = {run:String} ORDER BY target, provider_id, at_us, online)
GROUP BY target, provider_id`;

/** The end of each target's provider stream: sessions still open then are censored there. */
const PROVIDER_STREAM_END = `SELECT target, max(at_us) AS end_us FROM {db:Identifier}.provider_events WHERE run_id = {run:String} GROUP BY target`;

/**
 * Per job and target: first provider assignment, first provider loss (0 when
 * none) and the outcome time, for time-to-first-loss survival. Sampled by a
 * hash of job_id like the pairs.
 */
const FIRST_LOSS = `
SELECT target, assigned, lost, ended FROM (
  SELECT target, job_id,
    minIf(target_at_us, type = 'PROVIDER_ASSIGNED') AS assigned,
    minIf(target_at_us, type = 'PROVIDER_LOST') AS lost,
    maxIf(target_at_us, type IN ('COMPLETED', 'FAILED', 'CANCELLED')) AS ended,
    countIf(type = 'PROVIDER_ASSIGNED') AS assignments
  FROM {db:Identifier}.job_events FINAL
  WHERE run_id = {run:String} AND cityHash64(job_id) % {modulo:UInt64} = 0
  GROUP BY target, job_id
) WHERE assignments > 0`;

/**
 * Jobs in flight per trace hour: a job counts in every hour its life
 * (submission to outcome, trace time) overlaps. range(n) only, for 18.16.
 */
const IN_FLIGHT = `
SELECT target, bucket, count() AS in_flight FROM (
  SELECT target,
    arrayJoin(arrayMap(x -> x + intDiv(submitted_at_us - {origin:Int64}, {bucket:UInt64}),
      range(toUInt64(intDiv(submitted_at_us + total_us - {origin:Int64}, {bucket:UInt64}) - intDiv(submitted_at_us - {origin:Int64}, {bucket:UInt64}) + 1)))) AS bucket
  FROM {db:Identifier}.job_results FINAL
  WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished') AND total_us >= 0
)
GROUP BY target, bucket ORDER BY target, bucket`;

/**
 * Latency of completed jobs per trace hour of submission: p50 and p99 with a
 * distribution-free interval, the order statistics at ranks n·p ± z·√(n·p·(1−p))
 * (normal approximation to the binomial), taken from each hour's sorted
 * latencies inside ClickHouse.
 */
const LATENCY_OVER_TIME = `
SELECT target, bucket, n,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.5))))] AS p50_us,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.5 - {z:Float64} * sqrt(n * 0.25)))))] AS p50_lo_us,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.5 + {z:Float64} * sqrt(n * 0.25)))))] AS p50_hi_us,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.99))))] AS p99_us,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.99 - {z:Float64} * sqrt(n * 0.0099)))))] AS p99_lo_us,
  s[toUInt64(greatest(1.0, least(toFloat64(n), ceil(n * 0.99 + {z:Float64} * sqrt(n * 0.0099)))))] AS p99_hi_us
FROM (
  SELECT target, intDiv(submitted_at_us - {origin:Int64}, {bucket:UInt64}) AS bucket, count() AS n, arraySort(groupArray(total_us)) AS s
  FROM {db:Identifier}.job_results FINAL
  WHERE run_id = {run:String} AND status = 'completed'
  GROUP BY target, bucket
)
ORDER BY target, bucket`;

/** Failed jobs per trace hour of their outcome and error class (jobs in flight at an interrupt are not failures). */
const FAILURES_OVER_TIME = `
SELECT target, intDiv(submitted_at_us + total_us - {origin:Int64}, {bucket:UInt64}) AS bucket, error_class, count() AS count
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('completed', 'withheld', 'unfinished')
GROUP BY target, bucket, error_class ORDER BY target, bucket, error_class`;

/** Per trace hour of outcome: cost, provider losses and the hours providers spent running the jobs. */
const COST_OVER_TIME = `
SELECT target, intDiv(submitted_at_us + total_us - {origin:Int64}, {bucket:UInt64}) AS bucket,
  sum(cost_usd) AS cost_usd, sum(provider_losses) AS losses, sum(exec_us) / 3.6e9 AS running_hours
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status NOT IN ('withheld', 'unfinished')
GROUP BY target, bucket ORDER BY target, bucket`;

/**
 * Each job's wait in its target's harness queue (real µs): sent − released
 * (lateness_us is the release clock's), or, for a job still queued at an
 * interrupt (error_class 'held'), until then. 0 for jobs never queued.
 */
const HELD_JOBS = `
SELECT target, status, intended_at_us + lateness_us AS released_us,
  if(sent_at_us > 0, sent_at_us - intended_at_us - lateness_us, if(error_class = 'held', finished_at_us - intended_at_us - lateness_us, 0)) AS held_us,
  if(finished_at_us > 0, finished_at_us, intended_at_us + lateness_us) AS last_us
FROM {db:Identifier}.job_results FINAL
WHERE run_id = {run:String} AND status != 'withheld'`;

/** Per target: jobs, jobs that waited in the harness queue (longer than minUs), the waits' quantiles, unfinished jobs, the run's wall span. */
const HARNESS_QUEUE = `
SELECT target, count() AS jobs, countIf(held_us > {minUs:Int64}) AS held_jobs,
  quantilesExactIf(0.5, 0.99)(held_us, held_us > {minUs:Int64}) AS q, q[1] AS held_p50_us, q[2] AS held_p99_us, max(held_us) AS held_max_us,
  quantileExact(0.99)(held_us) AS held_p99_all_us, countIf(status = 'unfinished') AS unfinished,
  min(released_us) AS first_us, max(last_us) AS last_us
FROM (${HELD_JOBS})
GROUP BY target ORDER BY target`;

/** Jobs entering (released) and leaving (sent, or cut at the interrupt) each target's harness queue, per wall-clock bucket. */
const HARNESS_QUEUE_FLOW = `
SELECT target, intDiv(released_us - {origin:Int64}, {bucket:UInt64}) AS bucket, count() AS entered,
  0 AS left_queue
FROM (${HELD_JOBS}) WHERE held_us > {minUs:Int64}
GROUP BY target, bucket
UNION ALL
SELECT target, intDiv(released_us + held_us - {origin:Int64}, {bucket:UInt64}) AS bucket, 0 AS entered, count() AS left_queue
FROM (${HELD_JOBS}) WHERE held_us > {minUs:Int64}
GROUP BY target, bucket`;

export interface HarnessQueueRow {
  target: string;
  jobs: number;
  held_jobs: number;
  held_p50_us: number;
  held_p99_us: number;
  held_max_us: number;
  /** p99 over all the target's jobs, queued or not: above a bound means more than 1 % of its jobs waited longer. */
  held_p99_all_us: number;
  unfinished: number;
  first_us: number;
  last_us: number;
}

export interface RunRecord {
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
  jobs_planned: number;
  config_json: string;
}

export interface TokenRow {
  job_id: string;
  target: string;
  output_tokens: number;
  ttft_us: number;
  tpot_us: number;
  streams_lost: number;
}

export interface PairRow {
  job_id: string;
  target: string;
  status: string;
  /** Time to the outcome: to success when completed, else to the failure (a censoring time). */
  total_us: number;
  cost_usd: number;
  /** Trace time of submission: orders the jobs for the block bootstrap (hand-made rows without it keep job_id order). */
  submitted_at_us?: number;
}

export interface SpanRow {
  target: string;
  p50_us: number;
  p90_us: number;
}

/**
 * The report's reads of one run, with typed rows. Per-job pulls that several
 * sections use (the pairs) are read once per RunQueries. They are read whole,
 * not streamed: the sections keep every row anyway (sampled to at most
 * MAX_PAIRS jobs), and chDB's stream costs about three times as much per row
 * as one result (1M rows: 10 s against 3.6 s in pages, measured).
 */
export class RunQueries {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: Store,
    readonly runId: string,
  ) {}

  private get params(): { db: string; run: string } {
    return { db: this.store.database, run: this.runId };
  }

  private rows<R>(sql: string, extra: QueryParams = {}): Promise<R[]> {
    return this.store.query<R>(sql, { ...this.params, ...extra });
  }


  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = read()));
    return p;
  }

  async run(): Promise<RunRecord | undefined> {
    return (await this.rows<RunRecord>(RUN))[0];
  }

  /** The run's workers (one per shard), as store/runs.ts reads them for resuming too. */
  workers(): Promise<StoredWorkerRow[]> {
    return runWorkers(this.store, this.runId);
  }

  targets(): Promise<TargetRow[]> {
    return this.rows(TARGET_SUMMARY);
  }

  withheld(): Promise<{ target: string; n: number }[]> {
    return this.rows(WITHHELD);
  }

  /** Distinct jobs of the run. */
  async jobCount(): Promise<number> {
    const [r] = await this.rows<{ n: number }>(JOB_COUNT);
    return Number(r?.n ?? 0);
  }

  pairs(modulo: number): Promise<PairRow[]> {
    return this.once(`pairs/${modulo}`, () => this.rows(PAIRS, { modulo }));
  }

  /** Token-counted requests' stream timing (job_tokens); none for a run without LLM requests or stored before the table existed. */
  async tokens(modulo: number): Promise<TokenRow[]> {
    // The report reads without migrating: a database from before job_tokens (migration 4) has no token rows.
    if (!(await hasTable(this.store, 'job_tokens'))) return [];
    return this.rows(TOKENS, { modulo });
  }

  jobCells(modulo: number): Promise<{ job_id: string; profile: string; task_type: string }[]> {
    return this.rows(JOB_CELLS, { modulo });
  }

  errorClasses(): Promise<{ target: string; error_class: string; count: number }[]> {
    return this.rows(ERROR_CLASSES);
  }

  byTaskType(): Promise<{ target: string; task_type: string; jobs: number; completed: number; p50: number; p90: number; p99: number; cost_per_job_usd: number; losses: number }[]> {
    return this.rows(BY_TASK_TYPE);
  }

  providers(): Promise<{ target: string; providers: number; online_events: number; offline_events: number; span_s: number }[]> {
    return this.rows(PROVIDERS);
  }

  billed(): Promise<BilledRow[]> {
    return this.rows(BILLED);
  }

  negotiation(): Promise<SpanRow[]> {
    return this.rows(NEGOTIATION);
  }

  settlement(): Promise<SpanRow[]> {
    return this.rows(SETTLEMENT);
  }

  marketplace(): Promise<{ target: string; offers_mean: number; price_per_hour_mean: number; providers_tried_mean: number }[]> {
    return this.rows(MARKETPLACE);
  }

  priceTicks(): Promise<{ target: string; currency: string; min_rate: number; max_rate: number; mean_rate: number; ticks: number }[]> {
    return this.rows(PRICE_TICKS);
  }

  cdf(): Promise<{ target: string; q: number[] }[]> {
    return this.rows(CDF);
  }

  /** The run's first submission time (µs). */
  origin(): Promise<number> {
    return this.once('origin', async () => Number((await this.rows<{ origin: number }>(ORIGIN))[0]?.origin ?? 0));
  }

  overTime(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; completed: number }[]> {
    return this.rows(OVER_TIME, { bucket: bucketUs, origin: Math.trunc(originUs) });
  }

  inFlight(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; in_flight: number }[]> {
    return this.rows(IN_FLIGHT, { bucket: bucketUs, origin: Math.trunc(originUs) });
  }

  /** `minUs`: a wait shorter than this is the same tick, not a queue. */
  harnessQueue(minUs: number): Promise<HarnessQueueRow[]> {
    return this.rows(HARNESS_QUEUE, { minUs: Math.trunc(minUs) });
  }

  harnessQueueFlow(minUs: number, bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; entered: number; left_queue: number }[]> {
    return this.rows(HARNESS_QUEUE_FLOW, { minUs: Math.trunc(minUs), bucket: Math.max(1, Math.trunc(bucketUs)), origin: Math.trunc(originUs) });
  }

  providerStreamEnds(): Promise<{ target: string; end_us: number }[]> {
    return this.rows(PROVIDER_STREAM_END);
  }

  providerTimelines(): Promise<{ target: string; online: number[]; at: number[] }[]> {
    return this.rows(PROVIDER_TIMELINES);
  }

  latencyOverTime(bucketUs: number, originUs: number, z: number): Promise<{ target: string; bucket: number; n: number; p50_us: number; p50_lo_us: number; p50_hi_us: number; p99_us: number; p99_lo_us: number; p99_hi_us: number }[]> {
    return this.rows(LATENCY_OVER_TIME, { bucket: bucketUs, origin: Math.trunc(originUs), z });
  }

  failuresOverTime(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; error_class: string; count: number }[]> {
    return this.rows(FAILURES_OVER_TIME, { bucket: bucketUs, origin: Math.trunc(originUs) });
  }

  costOverTime(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; cost_usd: number; losses: number; running_hours: number }[]> {
    return this.rows(COST_OVER_TIME, { bucket: bucketUs, origin: Math.trunc(originUs) });
  }

  firstLoss(modulo: number): Promise<{ target: string; assigned: number; lost: number; ended: number }[]> {
    return this.rows(FIRST_LOSS, { modulo });
  }
}

// The report's aggregates, computed in ClickHouse (JavaScript never loads
// every row to compute a percentile). Every read uses FINAL so that a batch
// the writer retried is counted once. The SQL avoids what ClickHouse 18.16
// lacks (DateTime64, window functions), so it runs on the server tests too.
import { sqlString, type Store } from '../harness/store/store.ts';


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
  span_s: number;
  late_p50_us: number;
  late_p99_us: number;
  late_max_us: number;
  attempts_mean: number;
  retried: number;
}

export function targetSummarySql(db: string, runId: string): string {
  return `
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
  (max(submitted_at_us + total_us) - min(submitted_at_us)) / 1e6 AS span_s,
  quantilesExact(0.5, 0.99)(lateness_us) AS late, late[1] AS late_p50_us, late[2] AS late_p99_us, max(lateness_us) AS late_max_us,
  avg(attempts) AS attempts_mean, countIf(attempts > 1) AS retried
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'
GROUP BY target ORDER BY target`;
}

export function byTaskTypeSql(db: string, runId: string): string {
  return `
SELECT target, task_type, count() AS jobs, countIf(status = 'completed') AS completed,
  quantilesExactIf(0.5, 0.9, 0.99)(total_us, status = 'completed') AS lat,
  lat[1] / 1e6 AS p50, lat[2] / 1e6 AS p90, lat[3] / 1e6 AS p99,
  sum(cost_usd) / count() AS cost_per_job_usd, sum(provider_losses) AS losses
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'
GROUP BY target, task_type ORDER BY task_type, target`;
}

/** Each job's profile × task type cell, for the breakdown's paired tests. */
export function jobCellsSql(db: string, runId: string, modulo: number): string {
  return `
SELECT job_id, any(profile) AS profile, any(task_type) AS task_type
FROM ${db}.job_results
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'${modulo > 1 ? ` AND cityHash64(job_id) % ${modulo} = 0` : ''}
GROUP BY job_id`;
}

export function errorClassesSql(db: string, runId: string): string {
  return `
SELECT target, error_class, count() AS count
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld' AND status != 'completed'
GROUP BY target, error_class ORDER BY target, count DESC`;
}

/** Latency CDF points: 99 quantiles per target (completed jobs). */
export function cdfSql(db: string, runId: string): string {
  const ps = Array.from({ length: 99 }, (_, i) => ((i + 1) / 100).toFixed(2)).join(', ');
  return `
SELECT target, quantilesExactIf(${ps})(total_us, status = 'completed') AS q
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'
GROUP BY target ORDER BY target`;
}

/** Completions and jobs in flight per trace hour. */
/** The run's first submission time; a separate query because a scalar subquery inside a Distributed GROUP BY fails on old servers. */
export function originSql(db: string, runId: string): string {
  return `SELECT min(submitted_at_us) AS origin FROM ${db}.job_results WHERE run_id = ${sqlString(runId)}`;
}

export function overTimeSql(db: string, runId: string, bucketUs: number, originUs: number): string {
  return `
SELECT target, intDiv(submitted_at_us + total_us - ${Math.trunc(originUs)}, ${bucketUs}) AS bucket,
  countIf(status = 'completed') AS completed, count() AS finished
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'
GROUP BY target, bucket ORDER BY target, bucket`;
}

/** Per-job values of both targets, for the paired tests. Sampled by a hash of job_id above `cap` jobs. */
export function pairsSql(db: string, runId: string, modulo: number): string {
  return `
SELECT job_id, target, status, total_us, cost_usd
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'${modulo > 1 ? ` AND cityHash64(job_id) % ${modulo} = 0` : ''}
ORDER BY job_id, target`;
}

/** Jobs the data policy kept from each target. */
export function withheldSql(db: string, runId: string): string {
  return `SELECT target, count() AS n FROM ${db}.job_results FINAL WHERE run_id = ${sqlString(runId)} AND status = 'withheld' GROUP BY target ORDER BY target`;
}

export function jobCountSql(db: string, runId: string): string {
  return `SELECT uniqExact(job_id) AS n FROM ${db}.job_results WHERE run_id = ${sqlString(runId)}`;
}

export function providerSql(db: string, runId: string): string {
  return `
SELECT target, uniqExact(provider_id) AS providers, countIf(online = 1) AS online_events, countIf(online = 0) AS offline_events,
  (max(at_us) - min(at_us)) / 1e6 AS span_s
FROM ${db}.provider_events FINAL
WHERE run_id = ${sqlString(runId)}
GROUP BY target ORDER BY target`;
}

export function marketplaceSql(db: string, runId: string): string {
  return `
SELECT target, avg(offers) AS offers_mean, avg(price_per_hour) AS price_per_hour_mean, avg(providers_tried) AS providers_tried_mean
FROM ${db}.job_results FINAL
WHERE run_id = ${sqlString(runId)} AND status != 'withheld'
GROUP BY target ORDER BY target`;
}

/**
 * p50/p90 per target of a per-job span taken from its events (target clock,
 * real µs), over the jobs that have the event the span needs.
 */
function eventSpanQuantilesSql(db: string, runId: string, span: string, needs: string): string {
  return `
SELECT target, quantileExact(0.5)(d) AS p50_us, quantileExact(0.9)(d) AS p90_us, count() AS jobs
FROM (
  SELECT target, job_id, ${span} AS d
  FROM ${db}.job_events FINAL
  WHERE run_id = ${sqlString(runId)}
  GROUP BY target, job_id
  HAVING countIf(type = '${needs}') > 0
)
GROUP BY target ORDER BY target`;
}

/** Settlement delay: last SETTLED after the outcome, per job. */
export function settlementSql(db: string, runId: string): string {
  return eventSpanQuantilesSql(db, runId, "maxIf(target_at_us, type = 'SETTLED') - maxIf(target_at_us, type IN ('COMPLETED', 'FAILED'))", 'SETTLED');
}

/** Negotiation: from a job's first event (its request reaching the target) to its first provider assignment. */
export function negotiationSql(db: string, runId: string): string {
  return eventSpanQuantilesSql(db, runId, "minIf(target_at_us, type = 'PROVIDER_ASSIGNED') - min(target_at_us)", 'PROVIDER_ASSIGNED');
}

export function priceTicksSql(db: string, runId: string): string {
  return `
SELECT target, currency, min(usd_rate) AS min_rate, max(usd_rate) AS max_rate, avg(usd_rate) AS mean_rate, count() AS ticks
FROM ${db}.price_ticks FINAL
WHERE run_id = ${sqlString(runId)}
GROUP BY target, currency ORDER BY target`;
}

export function runSql(db: string, runId: string): string {
  return `SELECT * FROM ${db}.runs FINAL WHERE run_id = ${sqlString(runId)}`;
}

/** Every provider's online/offline changes in time order, per target (for session survival). */
export function providerTimelinesSql(db: string, runId: string): string {
  return `
SELECT target, provider_id, groupArray(online) AS online, groupArray(at_us) AS at
FROM (SELECT target, provider_id, online, at_us FROM ${db}.provider_events FINAL WHERE run_id = ${sqlString(runId)} ORDER BY target, provider_id, at_us, online)
GROUP BY target, provider_id`;
}

/** The end of each target's provider stream: sessions still open then are censored there. */
export function providerStreamEndSql(db: string, runId: string): string {
  return `SELECT target, max(at_us) AS end_us FROM ${db}.provider_events WHERE run_id = ${sqlString(runId)} GROUP BY target`;
}

/**
 * Per job and target: first provider assignment, first provider loss (0 when
 * none) and the outcome time, for time-to-first-loss survival. Sampled by a
 * hash of job_id like the pairs.
 */
export function firstLossSql(db: string, runId: string, modulo: number): string {
  return `
SELECT target, assigned, lost, ended FROM (
  SELECT target, job_id,
    minIf(target_at_us, type = 'PROVIDER_ASSIGNED') AS assigned,
    minIf(target_at_us, type = 'PROVIDER_LOST') AS lost,
    maxIf(target_at_us, type IN ('COMPLETED', 'FAILED', 'CANCELLED')) AS ended,
    countIf(type = 'PROVIDER_ASSIGNED') AS assignments
  FROM ${db}.job_events FINAL
  WHERE run_id = ${sqlString(runId)}${modulo > 1 ? ` AND cityHash64(job_id) % ${modulo} = 0` : ''}
  GROUP BY target, job_id
) WHERE assignments > 0`;
}

/**
 * Jobs in flight per trace hour: a job counts in every hour its life
 * (submission to outcome, trace time) overlaps. range(n) only, for 18.16.
 */
export function inFlightSql(db: string, runId: string, bucketUs: number, originUs: number): string {
  const o = Math.trunc(originUs);
  return `
SELECT target, bucket, count() AS in_flight FROM (
  SELECT target,
    arrayJoin(arrayMap(x -> x + intDiv(submitted_at_us - ${o}, ${bucketUs}),
      range(toUInt64(intDiv(submitted_at_us + total_us - ${o}, ${bucketUs}) - intDiv(submitted_at_us - ${o}, ${bucketUs}) + 1)))) AS bucket
  FROM ${db}.job_results FINAL
  WHERE run_id = ${sqlString(runId)} AND status != 'withheld' AND total_us >= 0
)
GROUP BY target, bucket ORDER BY target, bucket`;
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
  config_json: string;
}

export interface PairRow {
  job_id: string;
  target: string;
  status: string;
  total_us: number;
  cost_usd: number;
}

export interface SpanRow {
  target: string;
  p50_us: number;
  p90_us: number;
}

/**
 * The report's reads of one run, with typed rows. Per-job pulls that several
 * sections use (the pairs) are read once per RunQueries.
 */
export class RunQueries {
  private readonly memo = new Map<string, Promise<unknown>>();

  constructor(
    readonly store: Store,
    readonly runId: string,
  ) {}

  private rows<R>(sql: string): Promise<R[]> {
    return this.store.query<R>(sql);
  }

  private once<T>(key: string, read: () => Promise<T>): Promise<T> {
    let p = this.memo.get(key) as Promise<T> | undefined;
    if (!p) this.memo.set(key, (p = read()));
    return p;
  }

  private get db(): string {
    return this.store.database;
  }

  async run(): Promise<RunRecord | undefined> {
    return (await this.rows<RunRecord>(runSql(this.db, this.runId)))[0];
  }

  targets(): Promise<TargetRow[]> {
    return this.rows(targetSummarySql(this.db, this.runId));
  }

  withheld(): Promise<{ target: string; n: number }[]> {
    return this.rows(withheldSql(this.db, this.runId));
  }

  /** Distinct jobs of the run. */
  async jobCount(): Promise<number> {
    const [r] = await this.rows<{ n: number }>(jobCountSql(this.db, this.runId));
    return Number(r?.n ?? 0);
  }

  pairs(modulo: number): Promise<PairRow[]> {
    return this.once(`pairs/${modulo}`, () => this.rows(pairsSql(this.db, this.runId, modulo)));
  }

  jobCells(modulo: number): Promise<{ job_id: string; profile: string; task_type: string }[]> {
    return this.rows(jobCellsSql(this.db, this.runId, modulo));
  }

  errorClasses(): Promise<{ target: string; error_class: string; count: number }[]> {
    return this.rows(errorClassesSql(this.db, this.runId));
  }

  byTaskType(): Promise<{ target: string; task_type: string; jobs: number; completed: number; p50: number; p90: number; p99: number; cost_per_job_usd: number; losses: number }[]> {
    return this.rows(byTaskTypeSql(this.db, this.runId));
  }

  providers(): Promise<{ target: string; providers: number; online_events: number; offline_events: number; span_s: number }[]> {
    return this.rows(providerSql(this.db, this.runId));
  }

  negotiation(): Promise<SpanRow[]> {
    return this.rows(negotiationSql(this.db, this.runId));
  }

  settlement(): Promise<SpanRow[]> {
    return this.rows(settlementSql(this.db, this.runId));
  }

  marketplace(): Promise<{ target: string; offers_mean: number; price_per_hour_mean: number; providers_tried_mean: number }[]> {
    return this.rows(marketplaceSql(this.db, this.runId));
  }

  priceTicks(): Promise<{ target: string; currency: string; min_rate: number; max_rate: number; mean_rate: number; ticks: number }[]> {
    return this.rows(priceTicksSql(this.db, this.runId));
  }

  cdf(): Promise<{ target: string; q: number[] }[]> {
    return this.rows(cdfSql(this.db, this.runId));
  }

  /** The run's first submission time (µs). */
  origin(): Promise<number> {
    return this.once('origin', async () => Number((await this.rows<{ origin: number }>(originSql(this.db, this.runId)))[0]?.origin ?? 0));
  }

  overTime(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; completed: number }[]> {
    return this.rows(overTimeSql(this.db, this.runId, bucketUs, originUs));
  }

  inFlight(bucketUs: number, originUs: number): Promise<{ target: string; bucket: number; in_flight: number }[]> {
    return this.rows(inFlightSql(this.db, this.runId, bucketUs, originUs));
  }

  providerStreamEnds(): Promise<{ target: string; end_us: number }[]> {
    return this.rows(providerStreamEndSql(this.db, this.runId));
  }

  providerTimelines(): Promise<{ target: string; online: number[]; at: number[] }[]> {
    return this.rows(providerTimelinesSql(this.db, this.runId));
  }

  firstLoss(modulo: number): Promise<{ target: string; assigned: number; lost: number; ended: number }[]> {
    return this.rows(firstLossSql(this.db, this.runId, modulo));
  }
}

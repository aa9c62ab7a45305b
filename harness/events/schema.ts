// The records that flow from the replay to the store, defined once: the store
// derives its DDL from these definitions and every stage its row types, so a
// column is never declared twice.
// Timestamps are Int64 epoch microseconds plus a DateTime column for
// partitioning: the same DDL runs on chDB (current ClickHouse) and on the
// ClickHouse 18.16 server Debian ships, which has no DateTime64.

export type ColumnType =
  | 'String'
  | 'Int64'
  | 'UInt64'
  | 'UInt32'
  | 'UInt8'
  | 'Float64'
  | 'DateTime'
  | 'Array(String)';

type TsOf<T extends ColumnType> = T extends 'String'
  ? string
  : T extends 'Array(String)'
    ? string[]
    : number;

export interface TableDef<C extends Record<string, ColumnType>> {
  name: string;
  columns: C;
  engine: 'MergeTree' | 'ReplacingMergeTree';
  /** ReplacingMergeTree version column: the row with the highest wins. */
  version?: keyof C & string;
  partitionBy: string;
  orderBy: readonly (keyof C & string)[];
  /** Columns with few distinct values, stored as LowCardinality where the server has it. */
  lowCardinality?: readonly (keyof C & string)[];
  /** The DateTime column a retention TTL is measured from. */
  dateColumn: keyof C & string;
  /**
   * Sharding expression on a cluster. Rows that replace each other must land on
   * the same shard, so it uses only columns of the ORDER BY key.
   */
  shardBy: string;
  doc: string;
}

function table<C extends Record<string, ColumnType>>(def: TableDef<C>): TableDef<C> {
  return def;
}

export const runs = table({
  name: 'runs',
  lowCardinality: ['status'],
  dateColumn: 'started_date',
  shardBy: 'cityHash64(run_id)',
  doc: 'One row per run; rewritten (higher updated_at_us wins) as the run progresses.',
  engine: 'ReplacingMergeTree',
  version: 'updated_at_us',
  partitionBy: 'toYYYYMM(started_date)',
  orderBy: ['run_id'],
  columns: {
    run_id: 'String',
    scenario: 'String',
    seed: 'UInt64',
    trace_path: 'String',
    trace_checksum: 'String',
    speed: 'Float64',
    targets: 'Array(String)',
    code_version: 'String',
    started_at_us: 'Int64',
    ended_at_us: 'Int64',
    status: 'String', // running | completed | interrupted | failed
    jobs_planned: 'UInt64',
    jobs_sent: 'UInt64',
    trace_start_us: 'Int64',
    config_json: 'String', // scenario, target descriptions and parameters
    updated_at_us: 'Int64',
    started_date: 'DateTime',
  },
});

/**
 * One row per replay worker of a run. n workers of a sharded run (`--shard
 * i/n`) write the same `runs` row, so its status is the last writer's; the
 * run's status is derived from these rows instead (harness/store/runs.ts
 * runStatusOf): completed only when all n workers are. A single-worker run
 * has one row, shard 0 of 1. Runs stored before this table have none and
 * keep their `runs` status.
 */
export const runWorkers = table({
  name: 'run_workers',
  lowCardinality: ['status'],
  dateColumn: 'started_date',
  shardBy: 'cityHash64(run_id)',
  doc:
    'One row per replay worker (shard i of n) of a run, rewritten as it progresses (higher updated_at_us wins). ' +
    'start_at_us is the common start the workers were given (--start-at; 0 when none), start_lateness_us how late this worker ' +
    'began releasing after it; lateness_p99_us and lateness_max_us the release lateness of its jobs (real time). ' +
    'status running | completed | interrupted | start_late (refused to start past its bound).',
  engine: 'ReplacingMergeTree',
  version: 'updated_at_us',
  partitionBy: 'toYYYYMM(started_date)',
  orderBy: ['run_id', 'shard_index'],
  columns: {
    run_id: 'String',
    shard_index: 'UInt32',
    shard_count: 'UInt32',
    status: 'String',
    host: 'String',
    start_at_us: 'Int64',
    started_at_us: 'Int64',
    ended_at_us: 'Int64',
    start_lateness_us: 'Int64',
    jobs_sent: 'UInt64',
    lateness_p99_us: 'Int64',
    lateness_max_us: 'Int64',
    resumes: 'UInt32',
    updated_at_us: 'Int64',
    started_date: 'DateTime',
  },
});

/**
 * The layout of a table with one row per job per target, rewritten until the
 * job finishes (the row with the latest finished_at_us wins): job_results and
 * the tables beside it share it, so their rows shard, sort and fold alike.
 */
const PER_JOB_AND_TARGET = {
  dateColumn: 'intended_date',
  shardBy: 'cityHash64(job_id)',
  engine: 'ReplacingMergeTree',
  version: 'finished_at_us',
  partitionBy: 'toYYYYMM(intended_date)',
  orderBy: ['run_id', 'target', 'job_id'],
} as const;

export const jobResults = table({
  ...PER_JOB_AND_TARGET,
  name: 'job_results',
  lowCardinality: ['target', 'target_kind', 'profile', 'task_type', 'gpu_class', 'status', 'error_class', 'currency'],
  doc:
    'One row per job per target. *_at_us are harness wall-clock times (epoch µs). ' +
    'queue_us, exec_us and total_us are durations in trace time (real duration × speed); ' +
    'total_us is measured from the intended send time so a late harness cannot hide latency. ' +
    'lateness_us is the release clock lateness (released − intended) in real time; sent − intended − lateness is ' +
    'the wait in the harness queue of a target at its in-flight cap. status unfinished: no outcome at an interrupt ' +
    '(censored, resent by --resume).',
  columns: {
    run_id: 'String',
    target: 'String',
    target_kind: 'String',
    job_id: 'String',
    customer: 'String',
    profile: 'String',
    task_type: 'String',
    gpu_class: 'String',
    gpu_count: 'UInt32',
    work_seconds: 'Float64',
    submitted_at_us: 'Int64',
    intended_at_us: 'Int64',
    sent_at_us: 'Int64',
    first_event_at_us: 'Int64',
    started_at_us: 'Int64',
    finished_at_us: 'Int64',
    lateness_us: 'Int64',
    queue_us: 'Int64',
    exec_us: 'Int64',
    total_us: 'Int64',
    status: 'String', // completed | failed | cancelled | withheld | unfinished
    error_class: 'String',
    attempts: 'UInt32',
    providers_tried: 'UInt32',
    provider_losses: 'UInt32',
    offers: 'UInt32',
    provider_id: 'String',
    price_per_hour: 'Float64',
    billed_gpu_seconds: 'Float64',
    cost_native: 'Float64',
    currency: 'String',
    cost_usd: 'Float64',
    image_bytes: 'UInt64',
    input_bytes: 'UInt64',
    output_bytes: 'UInt64',
    events: 'UInt32',
    intended_date: 'DateTime',
  },
});

export const jobEvents = table({
  name: 'job_events',
  lowCardinality: ['target', 'type', 'currency', 'error_class', 'reason'],
  dateColumn: 'event_date',
  shardBy: 'cityHash64(job_id)',
  doc: 'Every JobEvent as received; target_at_us is the target clock, received_at_us the harness clock.',
  engine: 'ReplacingMergeTree',
  partitionBy: 'toYYYYMM(event_date)',
  orderBy: ['run_id', 'target', 'job_id', 'seq'],
  columns: {
    run_id: 'String',
    target: 'String',
    job_id: 'String',
    seq: 'UInt32',
    type: 'String',
    target_at_us: 'Int64',
    received_at_us: 'Int64',
    attempt: 'UInt32',
    provider_id: 'String',
    price_per_hour: 'Float64',
    amount: 'Float64',
    currency: 'String',
    amount_usd: 'Float64',
    usd_rate: 'Float64',
    error_class: 'String',
    reason: 'String',
    detail: 'String',
    progress: 'Float64',
    bytes: 'UInt64',
    offers: 'UInt32',
    billed_gpu_seconds: 'Float64',
    event_date: 'DateTime',
  },
});

export const jobTokens = table({
  ...PER_JOB_AND_TARGET,
  name: 'job_tokens',
  lowCardinality: ['target'],
  doc:
    'One row per token-counted job (an LLM request with prompt/output tokens) per target, beside its job_results row. ' +
    'ttft_us is the time to the first token of the attempt that completed, from the intended send time, in trace time (0: none); ' +
    'tpot_us the mean time per output token after the first, in trace µs (0: not measurable: fewer than 2 tokens or no outcome); ' +
    'streams_lost counts attempts whose stream had started and was lost with their provider.',
  columns: {
    run_id: 'String',
    target: 'String',
    job_id: 'String',
    prompt_tokens: 'UInt32',
    output_tokens: 'UInt32',
    tokens_streamed: 'UInt32',
    first_token_at_us: 'Int64',
    ttft_us: 'Int64',
    tpot_us: 'Float64',
    streams_lost: 'UInt32',
    finished_at_us: 'Int64',
    intended_date: 'DateTime',
  },
});

export const providerEvents = table({
  name: 'provider_events',
  lowCardinality: ['target', 'gpu_class', 'reason', 'region'],
  dateColumn: 'event_date',
  shardBy: 'cityHash64(provider_id)',
  doc: 'Provider online/offline changes per target, from WatchProviders.',
  engine: 'ReplacingMergeTree',
  partitionBy: 'toYYYYMM(event_date)',
  orderBy: ['run_id', 'target', 'provider_id', 'at_us', 'online'],
  columns: {
    run_id: 'String',
    target: 'String',
    provider_id: 'String',
    online: 'UInt8',
    at_us: 'Int64',
    received_at_us: 'Int64',
    gpu_class: 'String',
    reason: 'String',
    region: 'String',
    event_date: 'DateTime',
  },
});

export const priceTicks = table({
  name: 'price_ticks',
  lowCardinality: ['target', 'currency'],
  dateColumn: 'event_date',
  shardBy: 'cityHash64(currency)',
  doc: 'Exchange rates (native currency → USD) a target reported during the run.',
  engine: 'ReplacingMergeTree',
  partitionBy: 'toYYYYMM(event_date)',
  orderBy: ['run_id', 'target', 'currency', 'at_us'],
  columns: {
    run_id: 'String',
    target: 'String',
    currency: 'String',
    usd_rate: 'Float64',
    at_us: 'Int64',
    event_date: 'DateTime',
  },
});

export const campaignRuns = table({
  name: 'campaign_runs',
  doc: 'One row per scheduled run of a campaign (or a skipped tick), rewritten as it progresses: thresholds, regressions against the previous run of the scenario.',
  engine: 'ReplacingMergeTree',
  version: 'updated_at_us',
  partitionBy: 'toYYYYMM(scheduled_date)',
  orderBy: ['campaign', 'scenario', 'scheduled_at_us', 'run_id'],
  lowCardinality: ['campaign', 'scenario', 'status'],
  dateColumn: 'scheduled_date',
  shardBy: 'cityHash64(campaign)',
  columns: {
    campaign: 'String',
    scenario: 'String',
    run_id: 'String', // empty for a skipped tick
    scheduled_at_us: 'Int64',
    started_at_us: 'Int64',
    ended_at_us: 'Int64',
    status: 'String', // running | completed | interrupted | failed | skipped_overlap
    thresholds_passed: 'UInt8', // 1 only when every gate passed on a valid (conclusive) run
    thresholds_json: 'String',
    previous_run_id: 'String',
    regressions_json: 'String',
    summary_json: 'String', // the run's comparisons and per-target success rates, for the index and its trends
    error: 'String',
    updated_at_us: 'Int64',
    scheduled_date: 'DateTime',
  },
});

export const TABLES = {
  runs,
  run_workers: runWorkers,
  job_results: jobResults,
  job_events: jobEvents,
  provider_events: providerEvents,
  price_ticks: priceTicks,
  campaign_runs: campaignRuns,
  job_tokens: jobTokens,
} as const;
export type TableName = keyof typeof TABLES;

type ColumnsOf<T extends TableName> = (typeof TABLES)[T]['columns'];

export type RowOf<T extends TableName> = {
  [K in keyof ColumnsOf<T>]: ColumnsOf<T>[K] extends infer V extends ColumnType ? TsOf<V> : never;
};

/** Any table definition, for code that walks all tables. */
export interface AnyTableDef {
  name: string;
  columns: Readonly<Record<string, ColumnType>>;
  engine: 'MergeTree' | 'ReplacingMergeTree';
  version?: string;
  partitionBy: string;
  orderBy: readonly string[];
  lowCardinality?: readonly string[];
  dateColumn: string;
  shardBy: string;
  doc: string;
}

export type RunRow = RowOf<'runs'>;
export type RunWorkerRow = RowOf<'run_workers'>;
export type JobResultRow = RowOf<'job_results'>;
export type JobEventRow = RowOf<'job_events'>;
export type ProviderEventRow = RowOf<'provider_events'>;
export type PriceTickRow = RowOf<'price_ticks'>;
export type CampaignRunRow = RowOf<'campaign_runs'>;
export type JobTokensRow = RowOf<'job_tokens'>;

/**
 * A campaign_runs row from the fields a stage knows; the rest take the
 * values of a run that has not started: no run id, gates passed (nothing
 * failed yet), no regressions, no error.
 */
export function campaignRunRow(row: Partial<CampaignRunRow> & Pick<CampaignRunRow, 'campaign' | 'scenario' | 'scheduled_at_us' | 'status' | 'updated_at_us'>): CampaignRunRow {
  return {
    run_id: '',
    started_at_us: 0,
    ended_at_us: 0,
    thresholds_passed: 1,
    thresholds_json: '[]',
    previous_run_id: '',
    regressions_json: '[]',
    summary_json: '',
    error: '',
    scheduled_date: dateOfUs(row.scheduled_at_us),
    ...row,
  };
}

/** DateTime column value (seconds) from epoch microseconds. */
export function dateOfUs(us: number): number {
  return Math.floor(us / 1_000_000);
}

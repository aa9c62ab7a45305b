// The shape of summary.json: every number of a run's report. Section builders
// (reports/sections/) each fill some of these fields; summarize() composes them.
import type { Verdict } from '../harness/stats/paired-compare.ts';
import type { PolicySummary } from './routing.ts';
import type { SequentialStopSummary } from './sequential-stop.ts';

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
  /** Losses per hour of job latency, queue included (kept for campaign series; see lossesPerRunningHour). */
  lossesPerJobHour: number;
  /** Losses per provider-hour spent running jobs: a target that makes jobs wait does not look more reliable. */
  lossesPerRunningHour: number;
  attemptsMean: number;
  retriedJobs: number;
  lateness: { p50Ms: number; p99Ms: number; maxMs: number };
  /** Jobs the data policy kept from this target: not in any other figure. */
  withheld: number;
  /**
   * Set on the noise floor's A/A twin only: the target it is a second instance
   * of. The twin is listed (marked) but is never the baseline or candidate, in
   * no verdict, no bare gate and no over-time chart.
   */
  aaTwinOf?: string;
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
  /** What the line estimates, in words: one estimand per line, its test and interval both about it. */
  estimand: string;
  /** 'ratio': candidate / baseline (null value 1); 'difference': candidate − baseline (null value 0). */
  scale: 'ratio' | 'difference';
  estimate: number;
  /** The interval on the estimand's own scale; null bounds where none could be computed. */
  interval: [number | null, number | null];
  /** p after Holm across the headline lines; null when the line was not tested ("insufficient data"). */
  pHolm: number | null;
  /** How the interval and the p were computed. */
  method: string;
  /** Circular-block length of the paired bootstrap in jobs (1: independent); null where no bootstrap. */
  blockLength: number | null;
  /** Bootstrap replicates used, and dropped as non-finite (a quantile undefined in that resample). */
  replicates: { used: number; dropped: number } | null;
  /** Why there is no verdict, when the verdict is "insufficient data". */
  reason?: string;
}

/** How the comparisons' verdicts were reached, for the report to state. */
export interface VerdictRule {
  adjustment: 'holm';
  /** The headline lines Holm adjusts together. */
  family: string[];
  alpha: number;
  /** Practical-significance margin: a significant ratio within 1 ± margin reads "~ (within margin)" (success differences: significance alone). */
  margin: number;
  /** A quantile q needs (1 − q) × jobs completed on both ≥ this, and at most 1 − q of jobs failed on either target. */
  minTail: number;
  /** The quantile definition of each table (they differ: named here). */
  quantiles: string;
  /** The A/A noise floor, when the scenario asked for one (absent otherwise). */
  noiseFloor?: NoiseFloor;
}

/** Each headline metric's A/A spread: the floor target against its twin, by the same verdict path. */
export interface NoiseFloor {
  target: string;
  twin: string;
  /** In words: when a headline verdict reads "~" because of the floor. */
  rule: string;
  /** Paired jobs of the A/A comparison. */
  pairs: number;
  /** Per metric: the twin-vs-target estimate and interval (scale of the headline line), and the floor: how far that interval reaches from no change. */
  lines: { metric: string; scale: 'ratio' | 'difference'; estimate: number | null; interval: [number | null, number | null]; floor: number | null }[];
}

export type Severity = 'blocking' | 'caution' | 'note';

/** What limits how far the report can be trusted: blocking (do not decide on it), caution, or a note. */
export interface Warning {
  severity: Severity;
  /** Stable identifier, e.g. "harness-lateness". */
  code: string;
  message: string;
}

export interface ThresholdResult {
  expression: string;
  passed: boolean;
  /** The metric's value in this run; null when it cannot be computed here (the detail says why). */
  value: number | null;
  detail: string;
}

/** One metric of a workload's row: its estimate, interval, and verdict against the rule's margin. */
export interface DecisionMetric {
  estimate: number;
  ci: [number, number];
  /** The rule's margin (null: no margin, the verdict is better / worse / ~ against no change). */
  margin: number | null;
  verdict: 'meets' | 'misses' | 'unclear' | Verdict;
  /** Why there is no bounded interval (too few jobs beyond the quantile, failures censoring it). */
  reason?: string;
}

export type Decision = 'could move' | 'could move with conditions' | 'keep';

export interface DecisionRow {
  profile: string;
  taskType: string;
  /** Jobs of this workload paired across both targets (the population of every figure in the row). */
  pairs: number;
  /** Candidate ÷ baseline mean cost per job (all paired jobs). */
  costRatio: DecisionMetric;
  /** Candidate ÷ baseline quantiles of time to success, failures censored (every paired job). */
  p50Ratio: DecisionMetric;
  p99Ratio: DecisionMetric;
  /** Candidate − baseline success rate, percentage points. */
  successChangePts: DecisionMetric;
  decision: Decision;
  /** Why the row is not "could move": the criteria not clearly met. */
  conditions: string[];
}

export interface BottomLine {
  /** The answer in one sentence, with its intervals. */
  sentence: string;
  /** The headline comparisons the sentence is made of. */
  parts: { metric: string; estimate: number; ci: [number, number]; verdict: Verdict; phrase: string }[];
  workloads: { couldMove: number; withConditions: number; keep: number; total: number } | null;
}

/** One target's harness-side queue (jobs held because the target was at its in-flight cap); waits in real time. */
export interface HarnessQueueSummary {
  target: string;
  jobs: number;
  /** Jobs that waited in the harness queue at all (longer than 1 ms). */
  heldJobs: number;
  heldShare: number;
  /** Wait quantiles over the held jobs (ms); 0 when none waited. */
  waitP50Ms: number;
  waitP99Ms: number;
  waitMaxMs: number;
  /** Wait p99 over all of the target's jobs: over the lateness bound means more than 1 % of them waited longer. */
  waitP99AllJobsMs: number;
  /** Jobs with no outcome when the run was interrupted (in flight or queued): censored, in no other figure. */
  unfinished: number;
  /** Wall-clock seconds from the target's first release to its last outcome. */
  spanSeconds: number;
  /** Queue depth at the end of each wall-clock bucket since the run's first release. */
  depthOverTime: { atSeconds: number; depth: number }[];
}

/** A run's workers as the report shows them. */
export interface RunWorkers {
  shards: number;
  present: number[];
  missing: number[];
  rows: { shard: number; status: string; host: string; jobsSent: number; startLatenessMs: number; latenessP99Ms: number; latenessMaxMs: number; resumes: number }[];
}

/** Whether the run measured the targets rather than the harness (reports/sections/validity.ts). */
export interface Validity {
  valid: boolean;
  reasons: { code: 'run_not_completed' | 'lateness_over_bound' | 'held_back' | 'target_unavailable'; message: string }[];
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
    jobsPlanned: number;
    /**
     * The replay workers the run was split into (`--shard i/n`; one for an
     * unsharded run) and which of them are stored: `status` above is derived
     * from all of them (completed only when every shard completed).
     */
    workers?: RunWorkers;
    /** This run is replicate `index` of `count` of a replicate set, whose page is reports/out/<set>/ (absent otherwise). */
    replicate?: { set: string; index: number; count: number };
  };
  baseline: string;
  candidate: string | null;
  targets: TargetSummary[];
  byTaskType: { target: string; taskType: string; jobs: number; successRate: number; p50: number; p90: number; p99: number; costPerJobUsd: number; providerLosses: number }[];
  /** Per cell, the p50 line of the comparisons (same estimand, test and rules), Holm across cells. */
  breakdown: { profile: string; taskType: string; jobs: number; baselineP50: number; candidateP50: number; ratio: number; ci: [number | null, number | null]; pValue: number | null; pHolm: number | null; verdict: Verdict }[];
  comparisons: Comparison[];
  verdictRule: VerdictRule;
  errorClasses: { target: string; errorClass: string; count: number }[];
  churn: { target: string; providers: number; onlineEvents: number; offlineEvents: number; offlinePerHour: number }[];
  marketplace: { target: string; offersMean: number; pricePerHourMean: number; providersTriedMean: number; negotiationP50s: number | null; negotiationP90s: number | null; settlementP50s: number | null; settlementP90s: number | null }[];
  prices: { target: string; currency: string; minRate: number; maxRate: number; meanRate: number; ticks: number }[];
  assumptions: { target: string; parameter: string; value: string }[];
  warnings: Warning[];
  /** Per target and trace hour (latency by submission hour, the rest by outcome hour), and per-job latency ratios. */
  timeline: {
    /** Completed jobs' p50 and p99 latency (s) with distribution-free intervals at the report's confidence. */
    latency: { target: string; hour: number; n: number; p50: number; p50Lo: number; p50Hi: number; p99: number; p99Lo: number; p99Hi: number }[];
    failures: { target: string; hour: number; errorClass: string; count: number }[];
    /** Cost (USD), provider losses and the provider-hours spent running jobs (queue time excluded). */
    cost: { target: string; hour: number; costUsd: number; losses: number; runningHours: number; lossesPerRunningHour: number | null }[];
    /** Providers online at the end of each trace hour since the target's provider stream began. */
    providersOnline: { target: string; hour: number; online: number }[];
    /** Histogram of candidate ÷ baseline latency per job completed on both (log-spaced bins). */
    perJobRatios: { lo: number; hi: number; count: number }[];
  };
  /** false: the comparison is INCONCLUSIVE (reasons in numbers); verdicts are shown greyed and gates do not pass. */
  validity: Validity;
  /** Per target, jobs held in the harness queue and for how long. */
  harnessQueue: HarnessQueueSummary[];
  /** The answer first: one sentence and the parts it is made of. */
  bottomLine: BottomLine;
  /** LLM requests (token-counted jobs): TTFT, TPOT and goodput per target, paired comparisons; null when the run has none. */
  llm: LlmSummary | null;
  /** The scenario's gates (and any given on the command line), evaluated. */
  thresholds: { passed: boolean; results: ThresholdResult[] };
  /** Per workload (profile × task type): could it move to the candidate under the scenario's rule? */
  decision: { rule: { maxCostRatio: number; maxP99Ratio: number; minSuccessChangePts: number; statement: string }; rows: DecisionRow[] } | null;
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
  /** When and why sequential stopping stopped the run, and the GPU-hours saved; null without it. */
  sequentialStop: SequentialStopSummary | null;
  /** Where the money goes per target and workload (reports/sections/money.ts); workload "all" is the target's total. */
  money: MoneyRow[];
  /** Cost per job if a native currency's USD rate were this multiple of its run mean. */
  costSensitivity: { target: string; currency: string; multiplier: number; usdRate: number; costPerJobUsd: number; ratioToBaseline: number | null }[];
}

/** One workload's bill on one target, split by where it went (USD). */
export interface MoneyRow {
  target: string;
  workload: string;
  /** How the workload was deployed on that target, as the target described it. */
  deployment: string;
  usefulUsd: number;
  idleUsd: number;
  lostUsd: number;
  totalUsd: number;
  usefulGpuHours: number;
  idleGpuHours: number;
  lostGpuHours: number;
  idleShare: number;
  costPerUsefulGpuHour: number | null;
}

/** One target's LLM requests: time to first token and per output token (seconds, trace time), goodput under the scenario's SLOs. */
export interface LlmTargetSummary {
  target: string;
  /** Whether the target sent any FIRST_TOKEN: without (an older target, a bridge without stream marks) it has no TTFT, TPOT or goodput, and no comparison. */
  streaming: boolean;
  /** Token-counted requests sent (withheld and unfinished ones excluded). */
  requests: number;
  completed: number;
  /** Completed requests' TTFT quantiles (exact order statistic), seconds; null without any. */
  ttft: { p50: number; p90: number; p99: number; mean: number } | null;
  /** Completed requests' TPOT quantiles over those with at least two output tokens, seconds per token; null without any. */
  tpot: { p50: number; p90: number; p99: number; mean: number } | null;
  /** Attempts whose stream had begun and was lost with its provider. */
  streamsLost: number;
  /** Requests meeting every SLO; null when the scenario gives none. */
  goodput: {
    met: number;
    /** met ÷ requests, with a Wilson interval at the report's confidence over requests ÷ the design effect of the met series in arrival order. */
    share: number;
    shareCi: [number, number];
    /** met per second of the requests' arrival span (trace time), with the share's interval scaled alike. */
    ratePerSecond: number;
    rateCi: [number, number];
    spanSeconds: number;
  } | null;
}

export interface LlmSummary {
  slo: { ttftMs: number | null; tpotMs: number | null } | null;
  targets: LlmTargetSummary[];
  /**
   * Candidate vs baseline through the report's verdict path (harness/stats/paired-compare.ts), Holm across these lines:
   * TTFT quantiles (failed requests censored at their failure time), TPOT quantiles (requests completed on both),
   * goodput share (paired, like the success line).
   */
  comparisons: Comparison[];
}

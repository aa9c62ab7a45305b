// Every default of mirrorbench in one place, each with why it is what it is.
// Modules take these as parameter defaults; flags and scenarios override them.

export const DEFAULTS = {
  /** Where embedded state lives (chDB data, spool), relative to the working directory. */
  dataDir: '.mirrorbench',
  /** chDB data directory under dataDir. */
  chdbDir: 'chdb',
  /** Where reports are written: reports/out/<run_id>/. */
  reportsDir: 'reports/out',
  /** ClickHouse database name for every table. */
  database: 'mirrorbench',

  demo: {
    /** Enough jobs for stable p99 per target and task type, small enough for a one-minute run. */
    jobs: 3000,
    /** Trace span the demo generator draws arrivals over (trace seconds): 2 days shows the diurnal shape. */
    spanSeconds: 2 * 24 * 3600,
    /** Wall-clock length the demo aims for; the speed factor is chosen to fit. */
    targetWallSeconds: 60,
    seed: 42,
  },

  trace: {
    /**
     * Longest trace line (bytes) a reader accepts: a job is a few hundred bytes,
     * so a longer line is a broken file, refused before it is buffered whole.
     */
    maxLineBytes: 1 << 20,
  },

  replay: {
    /** Replay speed factor when none is given (1 = trace time). */
    speed: 1,
    /** Harness lateness (released − intended) above which a report warns on its first screen (ms, real time). */
    latenessBoundMs: 50,
    /**
     * Validity gate (reports/sections/validity.ts): a target's bound is the larger of latenessBoundMs and this
     * share of its median latency in real time — 50 ms is noise beside a 10-minute job, not beside a 1-second one.
     */
    latenessBoundShareOfMedian: 0.01,
    /** Jobs in flight per target; beyond it that target's jobs wait in its own harness queue (memory-bounded). */
    maxInFlightPerTarget: 10_000,
    /**
     * Entries of a target's harness queue kept in memory; the rest spill to a temp file. An entry is the release every
     * target shares (release.ts) and its trace job, ~1 KB: 50,000 is ~50 MB at most. At 10,000 the replay bench's own
     * burst of 20,000 jobs spilled, a JSON line written and read per job and target: 29 → 19 µs of CPU a job without it.
     */
    queueMemoryItems: 50_000,
    /**
     * A worker of a sharded run ready this long after the common start (--start-at) refuses to start: its first
     * jobs would go out later than the validity gate's lateness floor (latenessBoundMs) allows, while the other
     * workers' went out on time. The same 50 ms, so a worker that starts is never the reason the gate fails.
     */
    startLateMaxMs: 50,
    /**
     * Run calls to a loopback target before a run's start instant (harness/replay/warm-up.ts): the first calls
     * of a process pay compile and codec costs that put the first second's jobs tens of ms late (README,
     * "Replay engine figures"). 200 calls took 0.1–0.4 s there but left the first second of a 1,000 jobs/s run
     * behind (the late jobs of a run bunch there); 2,000 calls (~0.7 s in a fresh process) cut the bench's
     * lateness p99 at 1,000/s from a median of 13.3 ms to 4.0 ms over 7 interleaved pairs (README, "Replay
     * speed"). A run of fewer planned jobs makes as many calls as it has jobs, at least 32.
     */
    warmUpCalls: 2000,
  },

  rpc: {
    /** Deadline for unary calls (Describe, Cancel). */
    unaryDeadlineMs: 5_000,
    /**
     * Deadline for a Run stream, in real time: the job's own trace-time bound
     * divided by speed, plus this slack for the network and the target.
     */
    runDeadlineSlackMs: 30_000,
    /**
     * One Run call's bound in trace time (harness/replay/deadlines.ts), then ÷ speed + runDeadlineSlackMs:
     * work × 10 + 1 h of queueing for a job with no deadline (a 4 s inference job: ~1 h, not a week);
     * 2 × its own deadline for one that has it (the target reports the miss first); a week at most (training jobs).
     */
    jobDeadline: { workFactor: 10, queueAllowanceSeconds: 3600, ownDeadlineFactor: 2, capSeconds: 7 * 24 * 3600 },
    /** Waiting for a server to come up (sim start, connect). */
    connectDeadlineMs: 10_000,
  },

  store: {
    /** Rows per insert batch: inserts are cheap per row only in large batches (ClickHouse advises 10,000 to 100,000 rows per insert). */
    batchRows: 10_000,
    /**
     * A writer that is behind puts up to this many waiting batches in one insert (100,000 rows at the default batch):
     * the store bench measured the server's per-insert cost as mostly fixed (README "Stored data").
     */
    maxInsertBatches: 10,
    /** Flush at least this often so a crash loses little and progress is visible (ms). */
    flushIntervalMs: 1_000,
    /** A server insert or query that takes longer is treated as the server being away (spool, retry). */
    requestTimeoutMs: 30_000,
    /** Insert attempts before a batch goes to the spool; backoff doubles from retryBaseMs. */
    insertAttempts: 3,
    retryBaseMs: 200,
  },

  sim: {
    /**
     * Planned job timelines a simulator keeps so that a resent job replays its
     * outcome instead of running twice; older ones are dropped (~1.5 KB each).
     */
    idempotencyCacheJobs: 100_000,
    /**
     * How long (ms, wall time) a simulator holds a job that reached it on time
     * before its model plans it, so that jobs are planned in intended order
     * (intended send time, then job id) whatever order they arrived in: any
     * job that arrives less than this after its intended time is planned in
     * order. The models' state (queues, pools) depends on that order, and n
     * shard workers' jobs reach a shared simulator over n connections, where
     * delivery reorders them (jobs sent on time arrived up to ~320 ms late on a loaded 2-core machine).
     * The validity gate's lateness floor (replay.latenessBoundMs): a job
     * released later than that is already counted as late. Timelines stay
     * anchored on the intended time, so the hold moves no duration; 0 plans
     * each job on arrival.
     */
    reorderWindowMs: 50,
  },

  // The Golem bridge's settings and their defaults are its schema: harness/targets/bridges/golem/options.ts.

  report: {
    /** Confidence level of every interval. */
    confidence: 0.95,
    /** Fewer samples than this in a cell and the report warns that it is not trustworthy. */
    minSamples: 30,
    /** Bootstrap resamples for intervals. */
    bootstrapResamples: 2_000,
    /**
     * The rule that sorts each workload (profile × task type) into "could move",
     * "could move with conditions" or "keep": candidate cost per job at most this
     * multiple of the baseline's, p99 latency at most this multiple, success rate
     * down by at most this many percentage points (negative: a drop).
     */
    decision: { maxCostRatio: 0.8, maxP99Ratio: 1.5, minSuccessChangePts: -1 },
    /** Practical-significance margin: a significant change smaller than ±5 % reads "~ (within margin)". */
    margin: 0.05,
  },

  plan: {
    /** Effects `mirrorbench plan` sizes a run for (issue 19): 10 % on p90 latency, 15 % on cost per job, one point of success rate. */
    effects: { latency: { q: 0.9, ratio: 1.1 }, cost: { ratio: 1.15 }, success: { points: 0.01 } },
    /** Probability of detecting each effect. */
    power: 0.8,
    /** Jobs of the short pilot run when no stored run is given: ~30 blocks of the p90 bootstrap under the simulators' congestion. */
    pilotJobs: 4_000,
    /** The report's practical margin (does not change a sample size; the pilot's lines are computed with it). */
    margin: 0.05,
  },

  sequential: {
    /** Looks at the data per run (issue 19: at least 20): one every planned jobs / looks paired outcomes. */
    looks: 20,
    /** Jobs per block of the confidence sequence: p90 needs ≥ 10/(1 − 0.9) per block (minBlockJobs), cost and success fewer. */
    blockJobs: { p90: 100, cost: 50, success: 50 },
    /** Practical margins: a ratio within ±5 %, a success difference within ±1 point, is "within margin" (decided too). */
    ratioMargin: 0.05,
    successMarginPoints: 0.01,
    /** No decision before this many complete blocks. */
    minBlocks: 2,
    /** The mixture is tightest at this share of the planned run's blocks: large effects stop early. */
    tOptShare: 0.25,
  },
} as const;

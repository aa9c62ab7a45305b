// Sequential stopping for a run whose scenario asks for it (`sequential:`):
// the paired outcomes are watched as the sink receives them, cut into blocks
// of consecutive released jobs, and looked at every `planned / looks` paired
// outcomes through always-valid confidence sequences
// (harness/stats/sequential.ts). When every primary comparison is decided —
// its sequence excludes zero, or lies inside the practical margin — sending
// stops (the replay's `sequential.stopSending`); jobs already sent finish.
// What happened is kept as a StopRecord, stored in the run's config_json and
// shown by the report (reports/sections/sequential-stop.ts).
import type { Clock } from '../common/clock.ts';
import { DEFAULTS } from '../common/defaults.ts';
import type { Logger } from '../common/logger.ts';
import type { RowOf, TableName } from '../events/schema.ts';
import type { RecordSink } from '../replay/sink.ts';
import { blockStatistics, SequentialComparison, type SequentialMetric, type SequentialState } from '../stats/sequential.ts';
import type { Job } from '../trace/job.ts';
import type { Scenario } from '../../scenarios/define.ts';

export type SequentialConfig = NonNullable<Scenario['sequential']>;

export interface StopRecord {
  stopped: boolean;
  /** Why it stopped (or why it ran to the end), in words. */
  reason: string;
  /** Wall-clock time of the deciding look (ISO), null when it never stopped. */
  stoppedAt: string | null;
  /** Jobs released when it stopped (or at the end), against the selection's planned jobs. */
  releasedJobs: number;
  plannedJobs: number;
  looks: number;
  /** Paired outcomes between looks. */
  lookEvery: number;
  blocks: number;
  blockJobs: number;
  /** 1 − confidence, shared by the primary comparisons (Bonferroni). */
  alpha: number;
  baseline: string;
  candidate: string;
  metrics: { name: string; decision: string; scale: 'log ratio' | 'difference'; estimate: number; interval: [number, number] }[];
  /** Recorded GPU-hours (work × GPUs) of the selection, of the released jobs, and saved per target and over all targets. */
  gpuHours: { planned: number; released: number; savedPerTarget: number; saved: number; targets: number };
}

interface Outcome {
  ok: boolean;
  latency: number;
  cost: number;
}

const METRIC_SCALE = { p90: 'log ratio', cost: 'log ratio', success: 'difference' } as const;

export class SequentialStop {
  private readonly controller = new AbortController();
  private readonly seq: SequentialComparison;
  private readonly order: string[] = [];
  private readonly skipped = new Set<string>();
  private readonly outcomes = new Map<string, { a?: Outcome; b?: Outcome }>();
  /** Index into `order` of the first job not yet in a block, and the jobs gathered for the open block. */
  private cursor = 0;
  private open: { a: Outcome; b: Outcome }[] = [];
  private paired = 0;
  private looks = 0;
  private releasedGpuHours = 0;
  private stoppedAtUs: number | null = null;
  private last: SequentialState;
  readonly blockJobs: number;
  readonly lookEvery: number;

  constructor(
    readonly config: SequentialConfig,
    private readonly ctx: {
      baseline: string;
      candidate: string;
      targets: number;
      plannedJobs: number;
      plannedGpuHours: number;
      confidence: number;
      clock: Clock;
      logger: Logger;
      /** Called after every look with the current record (the run stores the latest). */
      onLook?: (r: StopRecord) => void;
    },
  ) {
    const d = DEFAULTS.sequential;
    this.blockJobs = config.blockJobs ?? Math.max(...config.primary.map((m) => d.blockJobs[m]));
    this.lookEvery = Math.max(1, Math.ceil(ctx.plannedJobs / config.looks));
    const ratio = [Math.log(1 - config.ratioMargin), Math.log(1 + config.ratioMargin)] as const;
    const all: Record<SequentialConfig['primary'][number], SequentialMetric> = {
      p90: { name: 'p90', statistic: blockStatistics.logCensoredQuantileRatio(0.9), margin: ratio },
      cost: { name: 'cost', statistic: blockStatistics.logMeanRatio, margin: ratio },
      success: { name: 'success', statistic: blockStatistics.meanDifference, margin: [-config.successMarginPoints, config.successMarginPoints], binary: true },
    };
    this.seq = new SequentialComparison(config.primary.map((m) => all[m]), {
      alpha: 1 - ctx.confidence,
      blockJobs: this.blockJobs,
      tOptBlocks: Math.max(2, Math.round((d.tOptShare * ctx.plannedJobs) / this.blockJobs)),
      minBlocks: d.minBlocks,
    });
    this.last = this.seq.state();
  }

  /** Aborts when the run should stop sending. */
  get stopSending(): AbortSignal {
    return this.controller.signal;
  }

  /** The replay's release hook: the order of jobs is the order blocks are cut in. */
  released(job: Job, _intendedAtUs: number): void {
    this.order.push(job.job_id);
    this.releasedGpuHours += (job.work_seconds * Math.max(1, job.gpu_count)) / 3600;
  }

  /** `inner` with the job outcomes of the two compared targets observed on the way. */
  sink(inner: RecordSink): RecordSink {
    return {
      add: <T extends TableName>(table: T, row: RowOf<T>) => {
        inner.add(table, row);
        if (table === 'job_results') this.observe(row as RowOf<'job_results'>);
      },
      ...(inner.waitForCapacity ? { waitForCapacity: () => inner.waitForCapacity!() } : {}),
      ...(inner.pressure ? { pressure: () => inner.pressure!() } : {}),
    };
  }

  private observe(r: RowOf<'job_results'>): void {
    const side = r.target === this.ctx.baseline ? 'a' : r.target === this.ctx.candidate ? 'b' : undefined;
    if (!side) return;
    // A job withheld from either side has no pair: it is left out of the blocks, as out of the report's comparisons.
    if (r.status === 'withheld') {
      this.skipped.add(r.job_id);
      return;
    }
    if (r.status !== 'completed' && r.status !== 'failed') return;
    const ok = r.status === 'completed';
    const o = this.outcomes.get(r.job_id) ?? {};
    // A failure's latency is its time to failure: the p90 statistic censors it there, as the report does.
    o[side] = { ok, latency: r.total_us / 1e6, cost: r.cost_usd };
    this.outcomes.set(r.job_id, o);
    if (o.a && o.b) {
      this.paired++;
      if (this.paired % this.lookEvery === 0) this.look();
    }
  }

  /** Adds every block whose jobs all have both outcomes, then looks once. */
  look(): SequentialState {
    for (;;) {
      while (this.open.length < this.blockJobs && this.cursor < this.order.length) {
        const id = this.order[this.cursor]!;
        if (this.skipped.has(id)) {
          this.cursor++;
          continue;
        }
        const o = this.outcomes.get(id);
        if (!o?.a || !o.b) break;
        this.open.push({ a: o.a, b: o.b });
        this.outcomes.delete(id);
        this.cursor++;
      }
      if (this.open.length < this.blockJobs) break;
      const col = (f: (x: Outcome) => number) => ({ a: Float64Array.from(this.open, (p) => f(p.a)), b: Float64Array.from(this.open, (p) => f(p.b)) });
      const ok = { a: Uint8Array.from(this.open, (p) => (p.a.ok ? 1 : 0)), b: Uint8Array.from(this.open, (p) => (p.b.ok ? 1 : 0)) };
      this.seq.addBlock(this.config.primary.map((m) => (m === 'p90' ? { ...col((x) => x.latency), ok } : m === 'cost' ? col((x) => x.cost) : col((x) => (x.ok ? 1 : 0)))));
      this.open = [];
    }
    this.looks++;
    this.last = this.seq.state();
    if (this.last.decided && this.stoppedAtUs === null) {
      this.stoppedAtUs = this.ctx.clock.nowUs();
      this.ctx.logger.info({ look: this.looks, released: this.order.length, blocks: this.last.blocks }, 'sequential stop: every primary comparison is decided; no more jobs sent');
      this.controller.abort();
    }
    this.ctx.onLook?.(this.record());
    return this.last;
  }

  record(): StopRecord {
    const s = this.last;
    const words = s.metrics.map((m) => `${m.name} ${m.decision}`).join(', ');
    const stopped = this.stoppedAtUs !== null;
    const planned = this.ctx.plannedGpuHours;
    const savedPerTarget = stopped ? Math.max(0, planned - this.releasedGpuHours) : 0;
    return {
      stopped,
      reason: stopped
        ? `every primary comparison decided at look ${this.looks} (${s.blocks} blocks of ${this.blockJobs} jobs): ${words}`
        : `ran to the end of the selection without deciding every primary comparison: ${words}`,
      stoppedAt: stopped ? new Date(this.stoppedAtUs! / 1000).toISOString() : null,
      releasedJobs: this.order.length,
      plannedJobs: this.ctx.plannedJobs,
      looks: this.looks,
      lookEvery: this.lookEvery,
      blocks: s.blocks,
      blockJobs: this.blockJobs,
      alpha: 1 - this.ctx.confidence,
      baseline: this.ctx.baseline,
      candidate: this.ctx.candidate,
      metrics: s.metrics.map((m) => ({
        name: m.name,
        decision: m.decision,
        scale: METRIC_SCALE[m.name as keyof typeof METRIC_SCALE],
        estimate: m.bound.mean,
        interval: [m.bound.lo, m.bound.hi],
      })),
      gpuHours: { planned, released: this.releasedGpuHours, savedPerTarget, saved: savedPerTarget * this.ctx.targets, targets: this.ctx.targets },
    };
  }
}

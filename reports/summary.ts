// A run's report numbers (ReportSummary; summary.json is this object): the
// run and its per-target figures first, then every section of
// reports/sections/index.ts, each loading its rows and building its fields,
// then the warnings over the whole.
import { InterruptedError, ReportError } from '../harness/common/errors.ts';
import type { Store } from '../harness/store/store.ts';
import { bottomLineOf } from './bottom-line.ts';
import { runStatusOf } from '../harness/store/runs.ts';
import { RunQueries } from './queries.ts';
import { SECTIONS } from './sections/index.ts';
import { parseRunConfig } from './sections/run-config.ts';
import type { SectionInput } from './sections/section.ts';
import { buildTargets, loadTargets } from './sections/targets.ts';
import { validityOf } from './sections/validity.ts';
import { warningsOf } from './sections/warnings.ts';
import type { ReportSummary } from './summary-types.ts';
import { thresholdResults } from './thresholds.ts';

export type { Comparison, ReportSummary, TargetSummary } from './summary-types.ts';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The fields the listed sections fill together. */
type SectionFields = UnionToIntersection<ReturnType<(typeof SECTIONS)[number]['build']>>;

const iso = (us: number) => (us > 0 ? new Date(us / 1000).toISOString() : '');

export interface SummarizeOptions {
  /** Gates beside the scenario's own (e.g. --threshold on the command line). */
  thresholds?: readonly string[];
  /** Ctrl-C: checked between sections, so a report is abandoned within one query. */
  signal?: AbortSignal;
}

export async function summarize(store: Store, runId: string, opts: SummarizeOptions = {}): Promise<ReportSummary> {
  const q = new RunQueries(store, runId);
  const run = await q.run();
  if (!run) throw new ReportError(`no run "${runId}" in ${store.description}; list runs with: SELECT run_id FROM ${store.database}.runs`);
  const config = parseRunConfig(run.config_json);
  const workerRows = await q.workers();
  // n workers write one runs row (the last one wins); the run's status is theirs together.
  const derived = runStatusOf(workerRows, run);
  const head = buildTargets(await loadTargets(q), config.report.confidence, config.noiseFloor?.twin, config.noiseFloor?.target);
  const input: SectionInput = { runId, speed: run.speed, config, jobs: await q.jobCount(), ...head };
  const fields: Partial<SectionFields> = {};
  for (const s of SECTIONS) {
    if (opts.signal?.aborted) throw new InterruptedError(`the report of ${runId} was interrupted before it was written`);
    // Sections run one after another: one query at a time keeps chDB's single session and the server's memory calm.
    const data = await (s.load as (q: RunQueries, i: SectionInput) => Promise<unknown>)(q, input);
    Object.assign(fields, (s.build as (d: unknown, i: SectionInput) => object)(data, input));
  }
  const summary: Omit<ReportSummary, 'warnings' | 'bottomLine' | 'thresholds' | 'validity'> = {
    run: {
      id: run.run_id, scenario: run.scenario, seed: run.seed, speed: run.speed, status: derived.status, traceChecksum: run.trace_checksum, tracePath: run.trace_path,
      startedAt: iso(run.started_at_us), endedAt: iso(run.ended_at_us), jobsSent: derived.jobsSent, jobsPlanned: Number(run.jobs_planned ?? 0),
      ...(config.replicate ? { replicate: config.replicate } : {}),
      ...(workerRows.length
        ? {
            workers: {
              shards: derived.shards, present: derived.present, missing: derived.missing,
              rows: workerRows.map((w) => ({
                shard: w.shard_index, status: w.status, host: w.host, jobsSent: w.jobs_sent, startLatenessMs: w.start_lateness_us / 1000,
                latenessP99Ms: w.lateness_p99_us / 1000, latenessMaxMs: w.lateness_max_us / 1000, resumes: w.resumes,
              })),
            },
          }
        : {}),
    },
    confidence: config.report.confidence,
    ...head,
    ...(fields as SectionFields),
  };
  const withValidity = { ...summary, validity: validityOf(summary, config) };
  return {
    ...withValidity,
    bottomLine: bottomLineOf(withValidity),
    thresholds: thresholdResults(withValidity, [...config.thresholds, ...(opts.thresholds ?? [])]),
    warnings: warningsOf(withValidity, config),
  };
}

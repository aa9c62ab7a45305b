// A report section: `load` reads what it needs through RunQueries (the only
// I/O), `build` turns that into its fields of summary.json (pure, so it is
// tested alone on hand-made rows). summarize() runs the head (run, targets),
// then every section of SECTIONS in order, then the warnings.
import type { RunQueries } from '../queries.ts';
import type { ReportSummary, TargetSummary } from '../summary-types.ts';
import type { RunConfig } from './run-config.ts';

/** What every section may read besides its own data. */
export interface SectionInput {
  runId: string;
  /** Replay speed: target-clock spans × speed = trace time. */
  speed: number;
  config: RunConfig;
  /** Distinct jobs of the run: sets the hash sampling of per-job pulls. */
  jobs: number;
  targets: readonly TargetSummary[];
  baseline: string;
  candidate: string | null;
}

export interface Section<K extends keyof ReportSummary, D> {
  /** The fields of summary.json this section fills (and nothing else). */
  readonly fills: readonly K[];
  load(q: RunQueries, input: SectionInput): Promise<D>;
  build(data: D, input: SectionInput): Pick<ReportSummary, K>;
}

/** Declares a section with its field names inferred as literals. */
export function section<const K extends keyof ReportSummary, D>(s: Section<K, D>): Section<K, D> {
  return s;
}

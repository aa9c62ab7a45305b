// The run's stored configuration (runs.config_json), parsed once into the
// typed fields the report reads. The JSON is what the harness wrote at the
// start of the run (harness/replay/mirror-run.ts) or an importer's stub, so
// every field is optional and a field that does not parse falls back to its
// default rather than failing a report over a run that already happened.
import { z } from 'zod';
import { DEFAULTS } from '../../harness/common/defaults.ts';
import type { RoutingPolicy } from '../routing.ts';
import { parseStopRecord, type SequentialStopSummary } from '../sequential-stop.ts';

export interface DecisionRule {
  maxCostRatio: number;
  maxP99Ratio: number;
  minSuccessChangePts: number;
}

export interface ReportOptions {
  confidence: number;
  bootstrapResamples: number;
  minSamples: number;
  decision: DecisionRule;
  /** Practical-significance margin of the verdicts (relative change). */
  margin: number;
}

export interface RunConfig {
  /** The scenario's report options over the defaults (harness/common/defaults.ts). */
  report: ReportOptions;
  /** Hybrid routing policies of the scenario, evaluated on the mirrored outcomes. */
  routing: RoutingPolicy[];
  /** The scenario's gates ("p99_ratio < 1.5"), evaluated into summary.json. */
  thresholds: string[];
  /** Malformed trace lines skipped under the "skip" policy. */
  skippedLines: number;
  /** Each target's parameters as it described them (value text carries [S]/[A]). */
  targets: { name: string; parameters: Record<string, string> }[];
  /** What sequential stopping did (harness/run/sequential-stop.ts); null when the run had none. */
  sequentialStop: SequentialStopSummary | null;
  /** Targets that never answered Describe, with why: their jobs are target_unavailable. */
  unavailable: { name: string; reason: string }[];
  /** The scenario's LLM service-level objectives (ms); null when it gives none. */
  slo: { ttftMs?: number; tpotMs?: number } | null;
  /** The A/A noise floor's target and its twin (harness/run/run-scenario.ts); null when the scenario asks for none. */
  noiseFloor: { target: string; twin: string } | null;
  /** The replicate set this run belongs to (harness/run/replicates.ts); null for a run on its own. */
  replicate: { set: string; index: number; count: number } | null;
}

const StoredConfigSchema = z
  .object({
    scenario: z
      .object({
        report: z
          .object({
            confidence: z.number().optional(),
            bootstrapResamples: z.number().optional(),
            minSamples: z.number().optional(),
            decision: z.object({ maxCostRatio: z.number().optional(), maxP99Ratio: z.number().optional(), minSuccessChangePts: z.number().optional() }).optional().catch(undefined),
            margin: z.number().optional(),
          })
          .catch({}),
        thresholds: z.array(z.string()).catch([]),
        slo: z.object({ ttftMs: z.number().positive().optional(), tpotMs: z.number().positive().optional() }).nullish().catch(undefined),
        routing: z.array(z.custom<RoutingPolicy>((v) => typeof v === 'object' && v !== null && 'policy' in v)).catch([]),
      })
      .partial()
      .catch({}),
    skippedLines: z.coerce.number().catch(0),
    sequentialStop: z.unknown(),
    noiseFloor: z.object({ target: z.string(), twin: z.string() }).nullish().catch(undefined),
    replicate: z.object({ set: z.string(), index: z.number().int().min(1), count: z.number().int().min(2) }).nullish().catch(undefined),
    targets: z
      .array(
        z.object({
          name: z.string(),
          info: z.object({ parameters: z.record(z.string(), z.string()).catch({}) }).partial().nullish().catch(undefined),
          unavailable: z.string().optional().catch(undefined),
        }),
      )
      .catch([]),
  })
  .partial()
  .catch({});

export function parseRunConfig(configJson: string): RunConfig {
  let raw: unknown = {};
  try {
    raw = JSON.parse(configJson || '{}');
  } catch {
    // A run whose stored config does not parse reports with the defaults.
  }
  const c = StoredConfigSchema.parse(raw);
  const r = c.scenario?.report ?? {};
  return {
    report: {
      confidence: r.confidence ?? DEFAULTS.report.confidence,
      bootstrapResamples: r.bootstrapResamples ?? DEFAULTS.report.bootstrapResamples,
      minSamples: r.minSamples ?? DEFAULTS.report.minSamples,
      decision: { ...DEFAULTS.report.decision, ...Object.fromEntries(Object.entries(r.decision ?? {}).filter(([, v]) => v !== undefined)) },
      margin: r.margin ?? DEFAULTS.report.margin,
    },
    thresholds: c.scenario?.thresholds ?? [],
    routing: c.scenario?.routing ?? [],
    skippedLines: c.skippedLines ?? 0,
    targets: (c.targets ?? []).map((t) => ({ name: t.name, parameters: t.info?.parameters ?? {} })),
    sequentialStop: parseStopRecord(c.sequentialStop),
    unavailable: (c.targets ?? []).flatMap((t) => (t.unavailable !== undefined ? [{ name: t.name, reason: t.unavailable }] : [])),
    noiseFloor: c.noiseFloor ?? null,
    replicate: c.replicate ?? null,
    slo: c.scenario?.slo && (c.scenario.slo.ttftMs !== undefined || c.scenario.slo.tpotMs !== undefined) ? c.scenario.slo : null,
  };
}

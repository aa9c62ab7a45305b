// The scenario API engineers write against: `defineScenario({...})` in a
// *.scenario.ts file (typed, validated at load time), or the same object in
// YAML. A scenario names what to replay, how fast, against which targets, and
// what counts as a pass.
import { z } from 'zod';
import { GolemSettingsSchema } from '../harness/targets/bridges/golem/options.ts';
import { SimFaultsSchema } from '../harness/targets/common/faults.ts';
import { simConfigProblems } from '../harness/targets/index.ts';
import { WorkloadSchema } from '../harness/targets/common/workloads.ts';
import { IMPORT_KINDS } from '../harness/trace/importers/index.ts';
import { GeneratorOptionsSchema, type GeneratorOptions } from '../workloads/generator.ts';
import { DEFAULTS } from '../harness/common/defaults.ts';

/** The SaladCloud bridge started in-process (harness/targets/bridges/salad/), and `mirrorbench bridge salad`'s flags; the key comes from SALAD_API_KEY. */
export const SaladBridgeSchema = z
  .object({
    organization: z.string().min(1).describe('SaladCloud organization'),
    project: z.string().min(1).describe('project'),
    queue: z.string().min(1).describe('job queue the container group serves'),
    containerGroup: z.string().min(1).describe('container group (its instances are the providers)'),
    gpuClass: z.string().default('rtx4090').describe('GPU class whose live price is billed'),
    priority: z.enum(['high', 'medium', 'low', 'batch']).default('high').describe('container group priority: high, medium, low or batch'),
    apiUrl: z.url().default('https://api.salad.com/api/public').describe('API base URL'),
    pollMs: z.number().int().positive().default(2_000).describe('job and instance polling interval, ms'),
  })
  .strict();

const TargetSchema = z
  .object({
    /** Name in stored rows and reports. */
    name: z.string().regex(/^[a-z][a-z0-9_-]*$/, 'lower-case name such as "baseline"'),
    /** Start this simulator in-process for the run. */
    sim: z.enum(['baseline', 'decentralized']).optional(),
    /** Or reach a running ComputeTarget (simulator in another process, bridge) at host:port. */
    address: z.string().regex(/^[^\s:]+:\d+$/, 'host:port').optional(),
    /**
     * TLS to a target at `address` (a bridge on another machine), as ghz's
     * --cacert, --cert, --key and --cname: PEM file paths, relative to the
     * working directory. Without it the connection is plaintext.
     */
    tls: z
      .object({
        /** CA certificates that sign the target's certificate; the system roots when omitted. */
        ca: z.string().min(1).optional(),
        /** Client certificate and key, for a target that asks for one (mutual TLS). */
        cert: z.string().min(1).optional(),
        key: z.string().min(1).optional(),
        /** Name the target's certificate must carry, when the address is an IP or another name. */
        serverName: z.string().min(1).optional(),
      })
      .strict()
      .refine((t) => !t.cert === !t.key, { message: 'a client certificate needs its key: give cert and key together', path: ['key'] })
      .optional(),
    /** Or start a bridge to a real backend in-process for the run (needs speed 1). */
    bridge: z.union([z.object({ golem: GolemSettingsSchema }).strict(), z.object({ salad: SaladBridgeSchema }).strict()]).optional(),
    /** Simulator seed; defaults to the scenario seed plus the target's position. */
    seed: z.number().int().nonnegative().optional(),
    /** Simulator parameter overrides (see harness/targets/<kind>/params.ts). */
    params: z.record(z.string(), z.unknown()).default({}),
    /** This target's own in-flight cap, over the scenario's maxInFlightPerTarget (e.g. a backend's concurrency quota). */
    maxInFlight: z.number().int().positive().optional(),
    /**
     * Anyone can run a node of a permissionless network: jobs above the data
     * policy's level are never sent to it. Defaults to true for the
     * decentralized simulator and the Golem bridge, false otherwise.
     */
    permissionless: z.boolean().optional(),
    /** GLM/USD rates given as input for the decentralized simulator (instead of its seeded random walk). */
    priceSeries: z.array(z.object({ afterSeconds: z.number().nonnegative(), usdRate: z.number().positive() }).strict()).min(1).optional(),
    /** Fault injection on a simulated target (harness/targets/common/faults.ts). */
    faults: SimFaultsSchema.optional(),
  })
  .strict()
  .refine((t) => !t.faults || t.sim, { message: 'faults can only be injected into a simulated target ("sim")', path: ['faults'] })
  .refine((t) => !t.tls || t.address, { message: 'tls is for a target reached at an address (host:port)', path: ['tls'] })
  .refine((t) => !t.priceSeries || t.sim === 'decentralized', { message: 'a price series drives the decentralized simulator only', path: ['priceSeries'] })
  .refine((t) => (t.sim ? 1 : 0) + (t.address ? 1 : 0) + (t.bridge ? 1 : 0) === 1, { message: 'give exactly one of "sim", "address" or "bridge"' })
  // Parameters and faults are checked against the simulator's own tables at load, named as written (`params.gpuz`).
  .superRefine((t, ctx) => {
    if (!t.sim) return;
    for (const p of simConfigProblems(t.sim, t.params, t.faults)) ctx.addIssue({ code: 'custom', path: p.path, message: p.message });
  });

/** Whether a target is a permissionless network when the scenario does not say. */
export const isPermissionless = (t: { sim?: string; bridge?: object; permissionless?: boolean }) => t.permissionless ?? (t.sim === 'decentralized' || (t.bridge !== undefined && 'golem' in t.bridge));

const GeneratorInputSchema = z.looseObject({}).superRefine((v, ctx) => {
  const r = GeneratorOptionsSchema.safeParse(v);
  if (r.success) return;
  for (const i of r.error.issues) {
    // An unknown option is named by its own path (`trace.generate.jobz`), so a YAML error points at its line.
    if (i.code === 'unrecognized_keys') {
      for (const key of i.keys) ctx.addIssue({ code: 'custom', path: [...i.path, key], message: `unknown generator option "${key}"; known: ${Object.keys(GeneratorOptionsSchema.shape).join(', ')}` });
    } else {
      ctx.addIssue({ code: 'custom', message: i.message, path: i.path });
    }
  }
}) as unknown as z.ZodType<GeneratorOptions, GeneratorOptions>;

const TraceSchema = z.union([
  z
    .object({
      /** Path to a canonical trace (.jsonl, .csv, .arrow) or a public trace to import. */
      file: z.string().min(1),
      /** Importer for a public trace format; omit for canonical traces. */
      import: z.enum(IMPORT_KINDS).optional(),
      badLines: z.enum(['fail', 'skip']).default('fail'),
    })
    .strict(),
  z
    .object({
      /**
       * Generator options (workloads/generator.ts); the seed defaults to the
       * scenario seed. Checked by the generator's own schema here, but kept
       * as written (its defaults are not filled in), so the stored scenario
       * says only what its author said.
       */
      generate: GeneratorInputSchema,
    })
    .strict(),
]);

export const ScenarioSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case name such as "nightly-mirror"'),
    description: z.string().default(''),
    seed: z.number().int().nonnegative().default(42),
    trace: TraceSchema,
    /** Replay speed factor, or fit the trace's span into this many wall-clock seconds. */
    speed: z.union([z.number().positive(), z.object({ fitSeconds: z.number().positive() }).strict()]).default(1),
    window: z
      .object({ offsetSeconds: z.number().nonnegative().optional(), durationSeconds: z.number().positive().optional() })
      .strict()
      .default({}),
    sample: z
      .object({
        fraction: z.number().gt(0).lte(1).default(1),
        /** Exact fraction within each profile × task type (see harness/replay/select.ts). */
        stratified: z.boolean().default(false),
        taskTypes: z.array(z.string()).optional(),
        profiles: z.array(z.string()).optional(),
      })
      .strict()
      .default({ fraction: 1, stratified: false }),
    /**
     * Jobs in flight per target. Beyond it that target's jobs wait in a queue of
     * its own in the harness (memory-bounded), never holding the other targets;
     * their latency still counts from the intended time. `--max-in-flight` overrides it.
     */
    maxInFlightPerTarget: z.number().int().positive().optional(),
    /** Per-job Run deadlines in trace time (harness/replay/deadlines.ts); defaults in harness/common/defaults.ts. */
    deadlines: z
      .object({
        workFactor: z.number().positive().optional(),
        queueAllowanceSeconds: z.number().nonnegative().optional(),
        ownDeadlineFactor: z.number().positive().optional(),
        capSeconds: z.number().positive().optional(),
      })
      .strict()
      .default({}),
    /**
     * Workloads (groups of jobs by profile, task type or image) and how each is
     * deployed on the simulators: a container group on the baseline, a pool of
     * warm rentals or a rental per job on the network. Task types no workload
     * matches get a default deployment (harness/targets/common/workloads.ts).
     */
    workloads: z.array(WorkloadSchema).refine((ws) => new Set(ws.map((w) => w.name)).size === ws.length, { message: 'workload names must be unique' }).default([]),
    targets: z.array(TargetSchema).min(1).refine((ts) => new Set(ts.map((t) => t.name)).size === ts.length, {
      message: 'target names must be unique',
    }),
    /**
     * Data policy: the most sensitive jobs a permissionless target may see.
     * Jobs above it are withheld from such targets, counted and reported.
     */
    dataPolicy: z
      .object({ permissionlessMaxSensitivity: z.enum(['public', 'internal', 'confidential']).default('confidential') })
      .strict()
      .default({ permissionlessMaxSensitivity: 'confidential' }),
    /**
     * Hybrid routing policies the report evaluates on the mirrored outcomes
     * (reports/routing.ts), next to each pure backend.
     */
    routing: z
      .array(
        z.discriminatedUnion('policy', [
          z.object({ policy: z.literal('failover'), timeoutSeconds: z.number().positive() }).strict(),
          z.object({ policy: z.literal('cheapest-first'), deadlineSeconds: z.number().positive() }).strict(),
        ]),
      )
      .default([]),
    /** Report options over the defaults of harness/common/defaults.ts. */
    report: z
      .object({
        /** Confidence level of every interval and test in the report. */
        confidence: z.union([z.literal(0.9), z.literal(0.95), z.literal(0.99)]).optional(),
        /** Bootstrap resamples per interval (more: steadier interval ends, slower report). */
        bootstrapResamples: z.number().int().min(200).max(100_000).optional(),
        /** Fewer completed jobs than this on a target and the report warns. */
        minSamples: z.number().int().positive().optional(),
        /** The rule of the report's decision matrix (defaults: harness/common/defaults.ts report.decision). */
        decision: z
          .object({
            maxCostRatio: z.number().positive().optional(),
            maxP99Ratio: z.number().positive().optional(),
            minSuccessChangePts: z.number().max(0).optional(),
          })
          .strict()
          .optional(),
        /** Practical-significance margin (relative, default 0.05): a significant ratio within 1 ± margin reads "~ (within margin)". */
        margin: z.number().min(0).max(1).optional(),
      })
      .strict()
      .default({}),
    /**
     * Sequential stopping (harness/run/sequential-stop.ts): look at the paired
     * outcomes as they arrive (`looks` times over the run) and stop sending once
     * every primary comparison of the second target against the first is
     * decided by an always-valid confidence sequence (harness/stats/sequential.ts);
     * jobs already sent finish. The report says when and why, and the GPU-hours saved.
     */
    sequential: z
      .object({
        primary: z.array(z.enum(['p90', 'cost', 'success'])).min(1).default(['p90', 'cost', 'success']),
        looks: z.number().int().min(20).default(DEFAULTS.sequential.looks),
        /** Jobs per block (default per metric: DEFAULTS.sequential.blockJobs; the largest of the primaries is used). */
        blockJobs: z.number().int().min(2).optional(),
        ratioMargin: z.number().gt(0).lt(1).default(DEFAULTS.sequential.ratioMargin),
        successMarginPoints: z.number().gt(0).lt(1).default(DEFAULTS.sequential.successMarginPoints),
      })
      .strict()
      .optional(),
    /**
     * Service-level objectives of LLM requests (token-counted jobs): a request
     * meets them when it completed, its time to first token is at most ttftMs
     * and its time per output token at most tpotMs (either may be left out).
     * The report's goodput is the share and rate of requests meeting all of them.
     */
    slo: z
      .object({ ttftMs: z.number().positive().optional(), tpotMs: z.number().positive().optional() })
      .strict()
      .refine((o) => o.ttftMs !== undefined || o.tpotMs !== undefined, { message: 'give ttftMs, tpotMs or both' })
      .optional(),
    /**
     * The A/A noise floor: every job also goes to a second instance of one
     * target (`<target>~aa`: the same simulator with another seed, or a second
     * deployment of a real backend at `address`). The report states each
     * headline metric's A/A spread, and a headline difference within it reads "~".
     */
    noiseFloor: z
      .object({
        target: z.string().min(1),
        /** The second deployment of a target reached at an address or run by a bridge (host:port). */
        address: z.string().regex(/^[^\s:]+:\d+$/, 'host:port').optional(),
        /** The twin simulator's seed; defaults to the target's seed plus NOISE_FLOOR_SEED_OFFSET. */
        seed: z.number().int().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /**
     * Replicates: run the same trace this many times (k ≥ 2), one run after
     * another, stored as runs `<id>.r1` … `<id>.rk`: each in-process simulator
     * with new seeds (another draw of the provider population), a bridge or an
     * address simply again. The report combines the replicates' headline
     * estimates with their between-replicate variance (reports/replicates.ts).
     */
    replicates: z.number().int().min(2).max(50).optional(),
    /** Report gates such as "p99_ratio < 1.5", "success_rate > 0.98", "goodput_ratio > 0.9" or "ttft_p99 < 3s". */
    thresholds: z.array(z.string()).default([]),
  })
  .strict()
  .refine((s) => s.speed === 1 || !s.targets.some((t) => t.bridge), { message: 'a real backend runs in real time: a scenario with a bridge target needs speed: 1', path: ['speed'] })
  .superRefine((s, ctx) => {
    const nf = s.noiseFloor;
    if (!nf) return;
    const t = s.targets.find((x) => x.name === nf.target);
    if (!t) ctx.addIssue({ code: 'custom', path: ['noiseFloor', 'target'], message: `noiseFloor.target "${nf.target}" is not a target of this scenario; targets: ${s.targets.map((x) => x.name).join(', ')}` });
    else if (t.sim && nf.address) ctx.addIssue({ code: 'custom', path: ['noiseFloor', 'address'], message: `target "${t.name}" is a simulator: its twin is the same simulator with another seed (give noiseFloor.seed, not an address)` });
    else if (!t.sim && !nf.address) ctx.addIssue({ code: 'custom', path: ['noiseFloor', 'address'], message: `target "${t.name}" is a real deployment: the A/A twin needs the address (host:port) of a second deployment of it in noiseFloor.address` });
    else if (!t.sim && nf.seed !== undefined) ctx.addIssue({ code: 'custom', path: ['noiseFloor', 'seed'], message: 'noiseFloor.seed is for a simulated target' });
  });

/** The twin's simulator seed, when the scenario gives none: far from the positional seeds (scenario seed + index) of the other targets. */
export const NOISE_FLOOR_SEED_OFFSET = 1_000_003;
/**
 * How far apart the simulator seeds of two replicates are: replicate i (1-based)
 * adds (i − 1) × this to every simulator seed, so replicate 1 is the run the
 * scenario gives without replicates, and no replicate meets another's seeds,
 * the positional seeds or the noise-floor twin's offset.
 */
export const REPLICATE_SEED_STRIDE = 10_000_019;
/** The name of a target's A/A twin in stored rows and reports ("~" cannot appear in a scenario's target names). */
export const twinName = (target: string) => `${target}~aa`;

export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioTarget = Scenario['targets'][number];
export type SaladBridgeSpec = z.output<typeof SaladBridgeSchema>;

/** Identity with types: a scenario file's default export. Validation happens at load. */
export function defineScenario(scenario: ScenarioInput): ScenarioInput {
  return scenario;
}

/** The two simulated backends, the usual pair to mirror onto. */
export const SIMULATED_PAIR = [
  { name: 'baseline', sim: 'baseline' },
  { name: 'decentralized', sim: 'decentralized' },
] as const satisfies ScenarioInput['targets'];

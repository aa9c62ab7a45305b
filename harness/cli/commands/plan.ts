// `mirrorbench plan --scenario FILE`: jobs, time and cost a run needs to detect stated effects (harness/run/power-plan.ts).
import type { Command } from 'commander';
import { DEFAULTS } from '../../common/defaults.ts';
import { UsageError } from '../../common/errors.ts';
import type { EffectsToDetect } from '../../stats/power.ts';
import { planScenario, type ScenarioPlan } from '../../run/power-plan.ts';
import { loadScenario } from '../../../scenarios/load.ts';
import { addStoreOptions, withRunContext, type StoreFlags } from '../context.ts';
import { numberWhere } from '../parse.ts';

interface PlanFlags extends StoreFlags {
  scenario: string;
  pilotRun?: string;
  pilotJobs?: number;
  latency?: string;
  cost?: number;
  success?: number;
  only?: string;
  power?: number;
  baseline?: string;
  candidate?: string;
  reportsDir: string;
  json?: boolean;
  verbose?: boolean;
}

/** `--latency 0.9:1.10` (quantile:ratio) or just the ratio for the default quantile. */
function latencyEffect(v: string): { q: number; ratio: number } {
  const [a, b] = v.includes(':') ? v.split(':') : [String(DEFAULTS.plan.effects.latency.q), v];
  const q = Number(a);
  const ratio = Number(b);
  if (!(q > 0 && q < 1) || !(ratio > 0) || ratio === 1) throw new UsageError(`--latency ${v}: expected QUANTILE:RATIO such as 0.9:1.10`);
  return { q, ratio };
}

export function effectsFrom(flags: Pick<PlanFlags, 'latency' | 'cost' | 'success' | 'only'>): EffectsToDetect {
  const d = DEFAULTS.plan.effects;
  const all: EffectsToDetect = {
    latency: flags.latency ? latencyEffect(flags.latency) : { ...d.latency },
    cost: { ratio: flags.cost ?? d.cost.ratio },
    success: { points: flags.success ?? d.success.points },
  };
  if (!flags.only) return all;
  const keys = flags.only.split(',').map((s) => s.trim());
  for (const k of keys) if (!(k in all)) throw new UsageError(`--only ${flags.only}: expected a list of latency, cost, success`);
  return Object.fromEntries(keys.map((k) => [k, all[k as keyof EffectsToDetect]]));
}

const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : s >= 60 ? `${(s / 60).toFixed(1)} min` : `${s.toFixed(0)} s`);

export function formatPlan(p: ScenarioPlan): string {
  const lines = [
    `plan for ${p.scenario}: ${p.candidate} against ${p.baseline}, ${Math.round(p.plan.confidence * 100)} % confidence, ${Math.round(p.plan.power * 100)} % power, α ${p.plan.alphaEach.toPrecision(3)} per comparison`,
    `pilot: ${p.pilot.source} ${p.pilot.runId}, ${p.pilot.pairedJobs} paired jobs`,
  ];
  for (const m of p.plan.metrics) {
    const block = m.blockLength !== null ? `, blocks of ${m.blockLength} jobs` : '';
    lines.push(`  ${m.effect.padEnd(32)} ${m.jobs !== null ? `${m.jobs} jobs` : `cannot plan: ${m.reason}`}${m.jobs !== null ? ` (s.e. at the pilot ${m.sePilot.toPrecision(3)}${block})` : ''}`);
  }
  if (p.plan.jobs === null) return `${lines.join('\n')}\n`;
  lines.push(`run: ${p.plan.jobs} jobs`);
  if (p.traceSeconds !== null && p.wallSeconds !== null) lines.push(`  arrivals over ${hours(p.traceSeconds)} of trace, ${hours(p.wallSeconds)} wall-clock at speed ${p.speed.toFixed(2)} (plus the last jobs' run time)`);
  if (p.gpuHours !== null) lines.push(`  ${p.gpuHours.toFixed(1)} GPU-hours of recorded work per backend`);
  for (const c of p.costs) lines.push(`  ${c.target.padEnd(16)} ${c.usd !== null ? `$${c.usd.toFixed(2)}` : '—'} (pilot: $${c.usdPerJob.toFixed(4)} per job at the scenario's prices)`);
  if (p.plan.jobs > p.available.jobs) lines.push(`note: the scenario's selection holds only ${p.available.jobs} jobs; widen its window or sample, or accept less power`);
  return `${lines.join('\n')}\n`;
}

export function registerPlanCommands(program: Command): void {
  addStoreOptions(
    program
      .command('plan')
      .description('jobs, wall-clock time and cost a run needs to detect stated effects at the scenario\'s confidence, from a pilot')
      .requiredOption('--scenario <file>', 'scenario (*.scenario.ts or .yaml)')
      .option('--pilot-run <id>', 'an earlier stored run of the same targets as the pilot (an A/A works too)')
      .option('--pilot-jobs <n>', `otherwise run the scenario on about this many jobs first (default ${DEFAULTS.plan.pilotJobs})`, numberWhere((n) => Number.isInteger(n) && n >= 20, 'an integer ≥ 20'))
      .option('--latency <q:ratio>', `latency effect (default ${DEFAULTS.plan.effects.latency.q}:${DEFAULTS.plan.effects.latency.ratio})`)
      .option('--cost <ratio>', `cost-per-job ratio (default ${DEFAULTS.plan.effects.cost.ratio})`, numberWhere((n) => n > 0 && n !== 1, 'a positive ratio other than 1'))
      .option('--success <points>', `success-rate difference as a probability (default ${DEFAULTS.plan.effects.success.points})`, numberWhere((n) => n > 0 && n < 1, 'a number in (0, 1)'))
      .option('--only <metrics>', 'plan only these: latency,cost,success')
      .option('--power <p>', `probability of detecting each effect (default ${DEFAULTS.plan.power})`, numberWhere((n) => n > 0 && n < 1, 'a number in (0, 1)'))
      .option('--baseline <target>', 'baseline target (default: the scenario\'s first)')
      .option('--candidate <target>', 'candidate target (default: the scenario\'s second)')
      .option('--reports-dir <dir>', 'where the pilot\'s report is written', 'reports/out')
      .option('--json', 'print the plan as JSON')
      .option('-v, --verbose', 'debug logging'),
  ).action(async (flags: PlanFlags) => {
    const scenario = await loadScenario(flags.scenario);
    const plan = await withRunContext(flags, (ctx) =>
      planScenario({
        ...ctx,
        scenario,
        effects: effectsFrom(flags),
        power: flags.power,
        pilotRunId: flags.pilotRun,
        pilotJobs: flags.pilotJobs,
        baseline: flags.baseline,
        candidate: flags.candidate,
      }),
    );
    process.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : formatPlan(plan));
  });
}

// Workloads: groups of jobs (by profile, task type or image) and how a
// customer deploys each on either service. A customer serving LLM requests
// keeps a container group (baseline) or a pool of warm rentals (network)
// running, idle or not; a render farm runs at batch priority and rents a
// machine per long job. The simulators bill what such a deployment costs,
// idle time included, so the comparison is between what a customer pays.
import { z } from 'zod';

const NAME = /^[a-z][a-z0-9_-]*$/;

export const BaselineDeploymentSchema = z
  .object({
    /** GPU class of the container group's instances (one GPU each). */
    gpuClass: z.string().min(1).optional(),
    priority: z.enum(['high', 'medium', 'low', 'batch']).optional(),
    /** Fixed replicas; or autoscaled on queue length between min and max. */
    replicas: z.number().int().nonnegative().optional(),
    autoscale: z
      .object({
        min: z.number().int().nonnegative(),
        max: z.number().int().positive(),
        /** An instance idle this long is stopped (while above min); scale-ups are this far apart at least. */
        cooldownSeconds: z.number().nonnegative().default(300),
        /** Jobs waiting per running replica before one more is started. */
        queuePerReplica: z.number().positive().default(1),
      })
      .strict()
      .refine((a) => a.min <= a.max, { message: 'autoscale min must not exceed max' })
      .optional(),
  })
  .strict()
  .refine((b) => b.replicas === undefined || b.autoscale === undefined, { message: 'give replicas or autoscale, not both' });

export const NetworkDeploymentSchema = z
  .object({
    /** pool: warm rentals fed job after job; per-job: a fresh agreement for each job (long batch jobs). */
    mode: z.enum(['pool', 'per-job']).optional(),
    gpuClass: z.string().min(1).optional(),
    minRentals: z.number().int().nonnegative().optional(),
    maxRentals: z.number().int().positive().optional(),
    /**
     * A rental idle this long is released (while above minRentals). golem-js's
     * ResourceRentalPool keeps released rentals until it is drained; the
     * timeout stands for a requestor that trims its pool.
     */
    idleTimeoutSeconds: z.number().nonnegative().optional(),
  })
  .strict();

export const WorkloadSchema = z
  .object({
    name: z.string().regex(NAME, 'lower-case name such as "llm"'),
    /** Jobs matching every given list belong to this workload; the first matching workload wins. */
    match: z
      .object({ profiles: z.array(z.string()).optional(), taskTypes: z.array(z.string()).optional(), images: z.array(z.string()).optional() })
      .strict()
      .default({}),
    baseline: BaselineDeploymentSchema.default({}),
    network: NetworkDeploymentSchema.default({}),
  })
  .strict();

export type WorkloadInput = z.input<typeof WorkloadSchema>;
export type Workload = z.output<typeof WorkloadSchema>;

export type Priority = 'high' | 'medium' | 'low' | 'batch';

/** A container group, fully resolved. Fixed replicas are autoscale with min = max. */
export interface GroupSpec {
  gpuClass: string;
  priority: Priority;
  min: number;
  max: number;
  cooldownUs: number;
  queuePerReplica: number;
}

/** A network deployment, fully resolved. */
export interface PoolSpec {
  mode: 'pool' | 'per-job';
  gpuClass: string;
  minRentals: number;
  maxRentals: number;
  idleTimeoutUs: number;
}

export interface ResolvedWorkload {
  name: string;
  match: Workload['match'];
  baseline: GroupSpec;
  network: PoolSpec;
  /** Whether the deployment is the default of its task type ([A]) or the scenario's. */
  declared: boolean;
}

/**
 * How each task type is deployed when the scenario does not say ([A]):
 * requests (LLM, image generation) from an always-on high-priority group and a
 * warm pool; batch work (transcription, rendering, training) at batch or low
 * priority, scaled to zero when idle, one rental per job on the network.
 */
export const DEFAULT_DEPLOYMENTS: Record<string, { baseline: GroupSpec; network: PoolSpec; why: string }> = {
  llm_inference: {
    baseline: { gpuClass: 'rtx4090', priority: 'high', min: 2, max: 12, cooldownUs: 600e6, queuePerReplica: 2 },
    network: { mode: 'pool', gpuClass: 'rtx4090', minRentals: 2, maxRentals: 12, idleTimeoutUs: 600e6 },
    why: 'requests need warm capacity: always-on high priority, 2 replicas kept up',
  },
  image_generation: {
    baseline: { gpuClass: 'rtx4090', priority: 'high', min: 1, max: 8, cooldownUs: 600e6, queuePerReplica: 2 },
    network: { mode: 'pool', gpuClass: 'rtx4090', minRentals: 1, maxRentals: 8, idleTimeoutUs: 600e6 },
    why: 'interactive generation: always-on high priority',
  },
  transcription: {
    baseline: { gpuClass: 'rtx3090', priority: 'batch', min: 0, max: 8, cooldownUs: 600e6, queuePerReplica: 1 },
    network: { mode: 'pool', gpuClass: 'rtx3090', minRentals: 0, maxRentals: 8, idleTimeoutUs: 600e6 },
    why: 'batch work at batch price, scaled to zero when the queue is empty (job-queue autoscaling)',
  },
  rendering: {
    baseline: { gpuClass: 'rtx4090', priority: 'low', min: 0, max: 6, cooldownUs: 600e6, queuePerReplica: 1 },
    network: { mode: 'per-job', gpuClass: 'rtx4090', minRentals: 0, maxRentals: 6, idleTimeoutUs: 0 },
    why: 'long frames: low priority, one rental per job on the network',
  },
  training: {
    baseline: { gpuClass: 'rtx4090', priority: 'batch', min: 0, max: 4, cooldownUs: 600e6, queuePerReplica: 1 },
    network: { mode: 'per-job', gpuClass: 'rtx4090', minRentals: 0, maxRentals: 4, idleTimeoutUs: 0 },
    why: 'hours-long runs: batch priority, one rental per job on the network',
  },
};

const FALLBACK = DEFAULT_DEPLOYMENTS.image_generation!;

/** The scenario's workloads, then one default workload per task type for jobs none of them matches. */
export function resolveWorkloads(declared: readonly Workload[] = []): ResolvedWorkload[] {
  const out: ResolvedWorkload[] = declared.map((w) => {
    const base = DEFAULT_DEPLOYMENTS[w.match.taskTypes?.[0] ?? ''] ?? FALLBACK;
    const b = w.baseline;
    const min = b.replicas ?? b.autoscale?.min ?? base.baseline.min;
    const max = b.replicas ?? b.autoscale?.max ?? Math.max(base.baseline.max, min);
    const n = w.network;
    return {
      name: w.name,
      match: w.match,
      declared: true,
      baseline: {
        gpuClass: b.gpuClass ?? base.baseline.gpuClass,
        priority: b.priority ?? base.baseline.priority,
        min,
        max: Math.max(min, max),
        cooldownUs: (b.autoscale?.cooldownSeconds ?? base.baseline.cooldownUs / 1e6) * 1e6,
        queuePerReplica: b.autoscale?.queuePerReplica ?? base.baseline.queuePerReplica,
      },
      network: {
        mode: n.mode ?? base.network.mode,
        gpuClass: n.gpuClass ?? b.gpuClass ?? base.network.gpuClass,
        minRentals: n.minRentals ?? base.network.minRentals,
        maxRentals: Math.max(n.maxRentals ?? base.network.maxRentals, n.minRentals ?? 0, 1),
        idleTimeoutUs: (n.idleTimeoutSeconds ?? base.network.idleTimeoutUs / 1e6) * 1e6,
      },
    };
  });
  for (const [task, d] of Object.entries(DEFAULT_DEPLOYMENTS)) {
    if (out.some((w) => w.name === task)) continue;
    out.push({ name: task, match: { taskTypes: [task] }, baseline: { ...d.baseline }, network: { ...d.network }, declared: false });
  }
  out.push({ name: 'other', match: {}, baseline: { ...FALLBACK.baseline }, network: { ...FALLBACK.network }, declared: false });
  return out;
}

/** The first workload a job matches (the last, "other", matches every job). */
export function workloadOf(workloads: readonly ResolvedWorkload[], job: { profile: string; taskType: string; image: string }): ResolvedWorkload {
  for (const w of workloads) {
    const m = w.match;
    if (m.profiles && !m.profiles.includes(job.profile)) continue;
    if (m.taskTypes && !m.taskTypes.includes(job.taskType)) continue;
    if (m.images && !m.images.includes(job.image)) continue;
    return w;
  }
  return workloads[workloads.length - 1]!;
}

/** The Describe parameter text of each workload's deployment, so the report can show and list it. */
export function describeDeployments(workloads: readonly ResolvedWorkload[], side: 'baseline' | 'network', price: (w: ResolvedWorkload) => string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of workloads) {
    const match = Object.entries(w.match).map(([k, v]) => `${k} ${(v as string[]).join('|')}`).join('; ') || 'every other job';
    const basis = w.declared ? '[S] declared in the scenario' : `[A] default for the task type: ${DEFAULT_DEPLOYMENTS[w.name]?.why ?? 'jobs no workload matches'}`;
    if (side === 'baseline') {
      const g = w.baseline;
      const replicas = g.min === g.max ? `${g.min} replicas fixed` : `${g.min}–${g.max} replicas autoscaled on queue length (${g.queuePerReplica} waiting per replica, cool-down ${g.cooldownUs / 60e6} min)`;
      out[`deployment.${w.name}`] = `container group of ${g.gpuClass} × 1 GPU, ${g.priority} priority at ${price(w)}, ${replicas}; jobs: ${match} ${basis}`;
    } else {
      const n = w.network;
      const how = n.mode === 'pool' ? `pool of ${n.minRentals}–${n.maxRentals} warm ${n.gpuClass} rentals, idle ones released after ${n.idleTimeoutUs / 60e6} min` : 'one rental per job, on a machine of the job\'s GPU class';
      out[`deployment.${w.name}`] = `${how} at ${price(w)}; jobs: ${match} ${basis}`;
    }
  }
  return out;
}

// The seeded workload generator: a non-homogeneous Poisson arrival process
// (diurnal rate plus bursts) over tenants with Zipf-skewed volumes, each
// tenant of one customer profile (workloads/profiles.ts). Pure: the same
// options give the same trace.
import { z } from 'zod';
import { lognormal as lognormalDraw, weighted, weightedIndex, weightedNumber } from '../harness/common/draw.ts';
import { ConfigError } from '../harness/common/errors.ts';
import { seededRandom, type Random } from '../harness/common/random.ts';
import type { Job, Sensitivity } from '../harness/trace/job.ts';
import { PROFILES, type Lognormal, type Profile } from './profiles.ts';

export const GeneratorOptionsSchema = z
  .object({
    jobs: z.number().int().positive().max(50_000_000),
    seed: z.number().int().nonnegative().default(42),
    spanSeconds: z.number().positive().default(2 * 24 * 3600),
    /** Trace start (epoch µs): a Monday, so the weekly shape starts at its beginning. */
    startUs: z.number().int().nonnegative().default(Date.UTC(2026, 0, 5) * 1000),
    /** Peak-to-mean swing of the daily load, 0 (flat) to 1 [A]; consumer-facing inference peaks in the afternoon of its main market. */
    diurnalAmplitude: z.number().min(0).max(1).default(0.6),
    peakHourUtc: z.number().min(0).max(24).default(15),
    /** Bursts: extra jobs from one tenant within a short window (batch submissions) [A]. */
    burstsPerDay: z.number().nonnegative().default(3),
    burstShare: z.number().min(0).max(0.9).default(0.1),
    burstSeconds: z.number().positive().default(300),
    tenants: z.number().int().positive().default(60),
    /** Zipf exponent of tenant volumes: ~1 gives the "top tenant ≫ median" skew the Alibaba GenAI trace shows (1,207 vs median 2). */
    zipfExponent: z.number().nonnegative().default(1.1),
  })
  .strict();

export type GeneratorOptions = z.input<typeof GeneratorOptionsSchema>;

/** Work in seconds: lognormal, clamped to the profile's range. */
export function lognormal(r: Random, d: Lognormal): number {
  return Math.min(d.max, Math.max(d.min, lognormalDraw(r, d.median, d.sigma)));
}

function logUniform(r: Random, [lo, hi]: [number, number]): number {
  return Math.round(lo * Math.pow(hi / lo, r.next()));
}

/** Relative arrival rate at a time of day (1 on average). */
export function diurnalRate(secondOfDay: number, amplitude: number, peakHourUtc: number): number {
  return 1 + amplitude * Math.cos((2 * Math.PI * (secondOfDay / 3600 - peakHourUtc)) / 24);
}

interface Tenant {
  name: string;
  profile: Profile;
  weight: number;
}

function makeTenants(o: z.output<typeof GeneratorOptionsSchema>): Tenant[] {
  // Tenants are assigned to profiles in proportion to the profile shares, by volume.
  const tenants: Tenant[] = [];
  const perProfile = PROFILES.map((p) => Math.max(1, Math.round(o.tenants * p.share)));
  PROFILES.forEach((profile, pi) => {
    for (let k = 1; k <= perProfile[pi]!; k++) {
      tenants.push({ name: `${profile.name.split('-')[0]}-${String(k).padStart(3, '0')}`, profile, weight: 1 / Math.pow(k, o.zipfExponent) });
    }
  });
  return tenants;
}

function drawTenant(tenants: Tenant[], profile: Profile, r: Random): Tenant {
  const own = tenants.filter((t) => t.profile === profile);
  return own[weightedIndex(r, own.map((t) => t.weight))]!;
}

/** Arrival offsets (seconds from start), sorted: thinning against the diurnal rate, plus bursts. */
function arrivals(o: z.output<typeof GeneratorOptionsSchema>, r: Random): { offsets: number[]; burstOf: (number | undefined)[] } {
  const startSecondOfDay = (o.startUs / 1e6) % 86400;
  const nBurstJobs = o.burstsPerDay > 0 ? Math.round(o.jobs * o.burstShare) : 0;
  const nBursts = nBurstJobs ? Math.max(1, Math.round((o.burstsPerDay * o.spanSeconds) / 86400)) : 0;
  const base: number[] = [];
  const maxRate = 1 + o.diurnalAmplitude;
  while (base.length < o.jobs - nBurstJobs) {
    const t = r.next() * o.spanSeconds;
    if (r.next() * maxRate <= diurnalRate(startSecondOfDay + t, o.diurnalAmplitude, o.peakHourUtc)) base.push(t);
  }
  const tagged: [number, number | undefined][] = base.map((t) => [t, undefined]);
  const burstStarts = Array.from({ length: nBursts }, () => r.next() * Math.max(0, o.spanSeconds - o.burstSeconds));
  for (let i = 0; i < nBurstJobs; i++) {
    const b = i % nBursts;
    tagged.push([burstStarts[b]! + r.next() * o.burstSeconds, b]);
  }
  tagged.sort((a, b) => a[0] - b[0]);
  return { offsets: tagged.map((x) => x[0]), burstOf: tagged.map((x) => x[1]) };
}

export function* generateTrace(options: GeneratorOptions): Generator<Job> {
  const parsed = GeneratorOptionsSchema.safeParse(options);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new ConfigError(`trace generator option "${i.path.join('.') || '(options)'}": ${i.message}`);
  }
  const o = parsed.data;
  const root = seededRandom(o.seed);
  const tenants = makeTenants(o);
  const { offsets, burstOf } = arrivals(o, root.fork('arrivals'));
  const profileShares = Object.fromEntries(PROFILES.map((p) => [p.name, p.share])) as Record<string, number>;
  const mixRandom = root.fork('mix');
  // Each burst is one tenant's batch: decide its tenant once.
  const burstTenant = new Map<number, Tenant>();
  const width = String(o.jobs).length;
  for (let i = 0; i < offsets.length; i++) {
    const r = root.fork(`job:${i}`);
    const b = burstOf[i];
    let tenant: Tenant;
    if (b !== undefined) {
      if (!burstTenant.has(b)) {
        // Batches come from the batch-friendly profiles.
        const name = weighted(mixRandom, { 'genai-studio': 0.5, 'media-transcription': 0.3, 'render-farm': 0.2 });
        const p = PROFILES.find((x) => x.name === name)!;
        burstTenant.set(b, drawTenant(tenants, p, mixRandom));
      }
      tenant = burstTenant.get(b)!;
    } else {
      const name = weighted(r, profileShares);
      const p = PROFILES.find((x) => x.name === name)!;
      tenant = drawTenant(tenants, p, r);
    }
    const p = tenant.profile;
    const gpuCount = weightedNumber(r, p.gpuCount);
    const work = Number(lognormal(r, p.work).toFixed(3));
    const labels: Record<string, string> = { source: 'mirrorbench-generator' };
    if (b !== undefined) labels.burst = String(b);
    yield {
      job_id: `gen-${o.seed}-${String(i + 1).padStart(width, '0')}`,
      submitted_at: o.startUs + Math.round(offsets[i]! * 1e6),
      customer: tenant.name,
      profile: p.name,
      task_type: p.task,
      gpu_class: weighted(r, p.gpuMix),
      gpu_count: gpuCount,
      vram_gb: p.vramGb,
      image: p.image,
      image_bytes: p.imageBytes,
      input_bytes: logUniform(r, p.inputBytes),
      output_bytes: logUniform(r, p.outputBytes),
      work_seconds: work,
      price_paid_usd: Number(((work / 3600) * gpuCount * p.listPriceUsdPerGpuHour).toFixed(6)),
      sensitivity: weighted(r, p.sensitivity),
      deadline_seconds: p.deadlineFactor ? Math.round(work * p.deadlineFactor) : 0,
      labels,
    };
  }
}

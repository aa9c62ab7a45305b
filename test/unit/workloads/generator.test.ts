import { describe, expect, it } from 'vitest';
import { JobRecordSchema } from '../../../harness/trace/job.ts';
import { summarize } from '../../../harness/trace/inspect.ts';
import { generateTrace } from '../../../workloads/generator.ts';
import { PROFILES } from '../../../workloads/profiles.ts';

describe('workload generator', () => {
  const jobs = [...generateTrace({ jobs: 4000, seed: 42 })];

  it('is deterministic for a seed and differs across seeds', () => {
    expect([...generateTrace({ jobs: 4000, seed: 42 })]).toEqual(jobs);
    expect([...generateTrace({ jobs: 4000, seed: 43 })].map((j) => j.work_seconds)).not.toEqual(jobs.map((j) => j.work_seconds));
  });

  it('makes exactly the jobs asked for, sorted in time, all valid', () => {
    expect(jobs).toHaveLength(4000);
    for (let i = 1; i < jobs.length; i++) expect(jobs[i]!.submitted_at).toBeGreaterThanOrEqual(jobs[i - 1]!.submitted_at);
    for (const j of jobs) expect(JobRecordSchema.parse({ ...j })).toEqual(j);
    expect(new Set(jobs.map((j) => j.job_id)).size).toBe(4000);
  });

  it('follows the profile mix within tolerance (bursts shift it a little)', () => {
    const s = summarize(jobs);
    for (const p of PROFILES) expect(Math.abs((s.byProfile[p.name] ?? 0) / 4000 - p.share)).toBeLessThan(0.06);
  });

  it('shows the diurnal shape: the peak hours carry more jobs than the trough hours', () => {
    const byHour = new Array<number>(24).fill(0);
    for (const j of generateTrace({ jobs: 20000, seed: 1, burstsPerDay: 0, spanSeconds: 7 * 86400 })) byHour[new Date(j.submitted_at / 1000).getUTCHours()]!++;
    const peak = byHour[15]! + byHour[14]! + byHour[16]!;
    const trough = byHour[3]! + byHour[2]! + byHour[4]!;
    expect(peak / trough).toBeGreaterThan(2.5);
  });

  it('rejects unknown options with a clear error', () => {
    expect(() => [...generateTrace({ jobs: 10, colour: 'red' } as never)]).toThrow(/trace generator option/);
  });
});

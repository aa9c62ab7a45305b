// Issue 16 item 12: k6 output of a realistic run (hundreds of thousands of
// samples) becomes a run without spreading every sample into one call (which
// overflowed the stack above ~65k jobs).
import { describe, expect, it } from 'vitest';
import { k6Rows, type K6Sample } from '../../../harness/interop/k6-import.ts';

describe('k6 import at size', () => {
  it('builds the run of 260,000 samples, its span from the earliest start to the latest end', () => {
    const jobs = 130_000;
    const samples: K6Sample[] = [];
    const t0 = Date.parse('2026-11-26T10:00:00Z');
    for (let i = 0; i < jobs; i++) {
      for (const target of ['baseline', 'decentralized']) {
        // Ends spread over an hour, not in order: the earliest start is job 77's, the latest end job 5's.
        const end = t0 + ((i * 7919) % 3_600_000) + (i === 5 ? 4_000_000 : 0);
        samples.push({ time: new Date(end).toISOString(), value: i === 77 ? 3_000_000 : 100, tags: { target, job_id: `j${i}`, status: 'completed', scenario_name: 'big', speed: '1' } });
      }
    }
    const { results, run } = k6Rows('k6-big', samples, 1);
    expect(results).toHaveLength(2 * jobs);
    expect(run.jobs_planned).toBe(jobs);
    const end77 = t0 + ((77 * 7919) % 3_600_000);
    expect(run.started_at_us).toBe((end77 - 3_000_000) * 1000);
    expect(run.ended_at_us).toBe((t0 + ((5 * 7919) % 3_600_000) + 4_000_000) * 1000);
  });
});

// Memory figures (issue 6): peak RSS of the replay process over a 100,000-job
// and a 1,000,000-job trace file (streamed from disk), against scripted targets
// in another process that answer at once, so the replay engine's own memory is
// what is measured (results are counted, not stored), with at most 2,000 jobs
// in flight per target (BENCH_MAX_IN_FLIGHT). Goal: the 1M run within
// 1.2× the 100k run. BENCH_MEMORY_JOBS=small,large overrides the sizes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeJsonl } from '../../harness/trace/readers/index.ts';
import { JobRecordSchema, type Job } from '../../harness/trace/job.ts';
import { spawnJsonLine } from './spawn.ts';

function* flatJobs(n: number): Generator<Job> {
  const t0 = 1_700_000_000_000_000;
  for (let i = 0; i < n; i++) {
    yield JobRecordSchema.parse({ job_id: `m${i}`, submitted_at: t0 + i * 1000, customer: `c${i % 100}`, task_type: 'llm_inference', work_seconds: 0.001 });
  }
}

export async function memoryBench() {
  const [small, large] = (process.env.BENCH_MEMORY_JOBS ?? '100000,1000000').split(',').map(Number) as [number, number];
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-mem-'));
  const targets = await spawnJsonLine<string[]>([fileURLToPath(new URL('./target-process.ts', import.meta.url)), 'scripted', '2']);
  try {
    const out: Record<string, unknown> = {};
    const rss: number[] = [];
    for (const n of [small, large]) {
      const path = join(dir, `trace-${n}.jsonl`);
      await writeJsonl(path, flatJobs(n));
      const child = await spawnJsonLine<{ jobs: number; results: number; seconds: number; peakRssMb: number }>([
        fileURLToPath(new URL('./memory-child.ts', import.meta.url)),
        path,
        ...targets.value,
      ]);
      await child.stop();
      out[`${n} jobs`] = child.value;
      rss.push(child.value.peakRssMb);
      rmSync(path);
    }
    out.ratio = Number((rss[1]! / rss[0]!).toFixed(3));
    out.goal = '≤ 1.2';
    return out;
  } finally {
    await targets.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

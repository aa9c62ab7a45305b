// Issue 16 item 5: a trace is written to a temporary file and renamed when
// complete, so a generation or import that fails leaves nothing at the final
// path for the next run to mistake for a finished trace.
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Job } from '../../../harness/trace/job.ts';
import { writeJsonl } from '../../../harness/trace/readers/index.ts';
import { generateTrace } from '../../../workloads/generator.ts';

describe('writing a trace', () => {
  it('leaves no file at the final path when the jobs fail part-way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-write-'));
    const path = join(dir, 'gen.jsonl');
    function* failing(): Generator<Job> {
      let n = 0;
      for (const job of generateTrace({ jobs: 50_000, seed: 1 })) {
        if (++n === 30_000) throw new Error('generator failed');
        yield job;
      }
    }
    await expect(writeJsonl(path, failing())).rejects.toThrow('generator failed');
    expect(existsSync(path)).toBe(false);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('replaces an existing trace only once the new one is complete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-write-'));
    const path = join(dir, 'gen.jsonl');
    writeFileSync(path, 'previous\n');
    async function* failing(): AsyncGenerator<Job> {
      // Enough to be past the first chunk written out.
      yield* generateTrace({ jobs: 5_000, seed: 1 });
      throw new Error('import failed');
    }
    await expect(writeJsonl(path, failing())).rejects.toThrow('import failed');
    expect(readFileSync(path, 'utf8')).toBe('previous\n');
    expect(await writeJsonl(path, generateTrace({ jobs: 10, seed: 1 }))).toBe(10);
    expect(readFileSync(path, 'utf8').split('\n').filter(Boolean)).toHaveLength(10);
    expect(readdirSync(dir)).toEqual(['gen.jsonl']);
  });
});

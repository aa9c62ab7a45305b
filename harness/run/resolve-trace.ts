// Turns a scenario's trace section into a re-readable job stream with its
// checksum, job count and span. Generated traces are written to a file first,
// so every run — generated or not — is reproducible from (checksum, scenario, seed).
import { createHash } from 'node:crypto';
import { mkdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { TraceFormatError } from '../common/errors.ts';
import type { Logger } from '../common/logger.ts';
import type { Job } from '../trace/job.ts';
import { importTrace } from '../trace/importers/index.ts';
import { readTrace, traceChecksum, writeJsonl } from '../trace/readers/index.ts';
import { generateTrace } from '../../workloads/generator.ts';
import type { Scenario } from '../../scenarios/define.ts';

export interface ResolvedTrace {
  path: string;
  checksum: string;
  planned: number;
  /** Malformed lines left out under the "skip" policy. */
  skippedLines: number;
  spanSeconds: number;
  jobs(): AsyncIterable<Job>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

export async function resolveTrace(scenario: Scenario, ctx: { dataDir: string; logger: Logger }): Promise<ResolvedTrace> {
  const t = scenario.trace;
  const skipped: TraceFormatError[] = [];
  let counting = true;
  let path: string;
  let jobs: () => AsyncIterable<Job>;
  if ('generate' in t) {
    const options = { seed: scenario.seed, ...t.generate };
    const key = createHash('sha256').update(JSON.stringify(options)).digest('hex').slice(0, 12);
    const dir = join(ctx.dataDir, 'traces');
    await mkdir(dir, { recursive: true });
    path = join(dir, `${scenario.name}-${key}.jsonl`);
    if (!(await exists(path))) {
      ctx.logger.info({ path, options }, 'generating trace');
      await writeJsonl(path, generateTrace(options));
    }
    const p = path;
    jobs = () => readTrace(p);
  } else if (t.import) {
    path = resolve(t.file);
    const p = path;
    const kind = t.import;
    jobs = () => importTrace(kind, p, {});
  } else {
    path = resolve(t.file);
    const p = path;
    const badLines = t.badLines;
    jobs = () => readTrace(p, { badLines, onSkip: (e) => void (counting && skipped.push(e)) });
  }
  // One streaming pass for the count and span: the progress bar and speed fitting need them.
  // It also counts malformed lines under the "skip" policy (the replay's own pass skips the same lines).
  let planned = 0;
  let first: number | undefined;
  let last = 0;
  for await (const job of jobs()) {
    planned++;
    first ??= job.submitted_at;
    last = job.submitted_at;
  }
  counting = false;
  const skippedLines = skipped.length;
  if (skippedLines) {
    ctx.logger.warn({ trace: path, skippedLines, first: skipped.slice(0, 5).map((e) => e.message) }, 'malformed trace lines skipped (policy "skip")');
  }
  return { path, checksum: await traceChecksum(path), planned, skippedLines, spanSeconds: first === undefined ? 0 : (last - first) / 1e6, jobs };
}

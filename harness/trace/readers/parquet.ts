// Parquet traces through chDB (in a child process, see parquet-child.mjs): the
// rows arrive as JSON objects and are validated like JSONL lines, a row's
// number standing for its line.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TraceFormatError } from '../../common/errors.ts';
import type { Job } from '../job.ts';
import { validateRecord } from '../validate.ts';
import type { BadLinePolicy } from './policy.ts';

const CHILD = fileURLToPath(new URL('./parquet-child.mjs', import.meta.url));

export async function* readParquet(path: string, policy: BadLinePolicy, pageRows = 50_000): AsyncGenerator<Job> {
  const child = spawn(process.execPath, [CHILD, path, String(pageRows)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const exited = new Promise<number>((resolve) => child.once('close', (code) => resolve(code ?? 1)));
  let row = 0;
  try {
    for await (const text of createInterface({ input: child.stdout! })) {
      if (!text) continue;
      row++;
      try {
        yield validateRecord(path, row, JSON.parse(text) as unknown);
      } catch (err) {
        if (err instanceof TraceFormatError && policy.badLines === 'skip') policy.onSkip?.(err);
        else throw err;
      }
    }
    const code = await exited;
    if (code !== 0) throw new TraceFormatError(path, row + 1, '(file)', `chDB could not read it as Parquet: ${stderr.trim().split('\n')[0] ?? `exit ${code}`}`);
  } finally {
    if (child.exitCode === null) child.kill();
  }
}

// Canonical JSONL traces: one job object per line.
import { TraceFormatError } from '../../common/errors.ts';
import type { Job } from '../job.ts';
import { validateRecord } from '../validate.ts';
import { readLines } from './lines.ts';
import type { BadLinePolicy } from './policy.ts';

export async function* readJsonl(path: string, policy: BadLinePolicy): AsyncGenerator<Job> {
  for await (const { line, text } of readLines(path)) {
    if (!text.trim()) continue;
    try {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (err) {
        throw new TraceFormatError(path, line, '(line)', `expected a JSON object, found invalid JSON (${(err as Error).message})`);
      }
      yield validateRecord(path, line, raw);
    } catch (err) {
      if (err instanceof TraceFormatError && policy.badLines === 'skip') policy.onSkip?.(err);
      else throw err;
    }
  }
}

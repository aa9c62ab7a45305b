// Arrow IPC traces (file or stream format): columns named like the job
// fields, read batch by batch so memory stays bounded by one batch.
import { createReadStream } from 'node:fs';
import { RecordBatchReader } from 'apache-arrow';
import { TraceFormatError } from '../../common/errors.ts';
import type { Job } from '../job.ts';
import { validateRecord } from '../validate.ts';
import { parseLabels } from './csv.ts';
import type { BadLinePolicy } from './policy.ts';

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value === null ? undefined : value;
}

export async function* readArrow(path: string, policy: BadLinePolicy): AsyncGenerator<Job> {
  let row = 0;
  let reader: AsyncIterable<{ numRows: number; schema: { fields: { name: string }[] }; getChildAt(i: number): { get(j: number): unknown } | null }>;
  try {
    reader = (await RecordBatchReader.from(createReadStream(path))) as unknown as typeof reader;
  } catch (err) {
    throw new TraceFormatError(path, 0, '(file)', `expected an Arrow IPC file or stream: ${(err as Error).message}`);
  }
  for await (const batch of reader) {
    const names = batch.schema.fields.map((f) => f.name);
    const columns = names.map((_, i) => batch.getChildAt(i));
    for (let j = 0; j < batch.numRows; j++) {
      row++;
      const raw: Record<string, unknown> = {};
      names.forEach((name, i) => {
        const v = plain(columns[i]?.get(j));
        if (v === undefined || v === '') return;
        raw[name] = name === 'labels' && typeof v === 'string' ? parseLabels(v) : v;
      });
      try {
        // Arrow has no lines; the row number (1-based) stands in for one.
        yield validateRecord(path, row, raw);
      } catch (err) {
        if (err instanceof TraceFormatError && policy.badLines === 'skip') policy.onSkip?.(err);
        else throw err;
      }
    }
  }
}

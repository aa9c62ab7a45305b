// Arrow IPC traces (file or stream format, optionally gzipped): columns named
// like the job fields, read batch by batch so memory stays bounded by one
// batch. Arrow has no lines; the row number (1-based) stands in for one.
import { isUtf8 } from 'node:buffer';
import { DataType, RecordBatchReader, type RecordBatch } from 'apache-arrow';
import { TraceFormatError } from '../../common/errors.ts';
import type { RawRecord } from '../records.ts';
import { parseLabels } from './csv.ts';
import { checkReadable, fileProblem, openBytes } from './source.ts';

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  return value === null ? undefined : value;
}

/**
 * Rows (0-based within the batch) of string columns whose bytes are not UTF-8,
 * with the column: Arrow's decoder would turn them into U+FFFD quietly.
 */
function badText(batch: RecordBatch): Map<number, string> {
  const bad = new Map<number, string>();
  batch.schema.fields.forEach((field, i) => {
    if (!DataType.isUtf8(field.type) && !DataType.isLargeUtf8(field.type)) return;
    let base = 0;
    for (const data of batch.getChildAt(i)?.data ?? []) {
      const offsets = data.valueOffsets as ArrayLike<number | bigint>;
      const values = data.values as Uint8Array;
      const start = Number(offsets[0] ?? 0);
      const end = Number(offsets[data.length] ?? 0);
      if (!isUtf8(values.subarray(start, end))) {
        for (let r = 0; r < data.length; r++) {
          if (!isUtf8(values.subarray(Number(offsets[r]), Number(offsets[r + 1])))) bad.set(base + r, bad.get(base + r) ?? field.name);
        }
      }
      base += data.length;
    }
  });
  return bad;
}

export async function* arrowRecords(path: string): AsyncGenerator<RawRecord> {
  await checkReadable(path);
  let row = 0;
  try {
    let reader: AsyncIterable<RecordBatch>;
    try {
      reader = (await RecordBatchReader.from(openBytes(path))) as unknown as AsyncIterable<RecordBatch>;
    } catch (err) {
      throw TraceFormatError.ofFile(path, `not an Arrow IPC file or stream: ${(err as Error).message}`, { cause: err });
    }
    for await (const batch of reader) {
      const names = batch.schema.fields.map((f) => f.name);
      const columns = names.map((_, i) => batch.getChildAt(i));
      const bad = badText(batch);
      for (let j = 0; j < batch.numRows; j++) {
        row++;
        const column = bad.get(j);
        if (column !== undefined) {
          yield { line: row, error: new TraceFormatError(path, row, column, 'not valid UTF-8 text') };
          continue;
        }
        const raw: Record<string, unknown> = {};
        names.forEach((name, i) => {
          const v = plain(columns[i]?.get(j));
          if (v === undefined || v === '') return;
          raw[name] = name === 'labels' && typeof v === 'string' ? parseLabels(v) : v;
        });
        yield { line: row, raw };
      }
    }
  } catch (err) {
    if (err instanceof TraceFormatError) throw err;
    const e = err as NodeJS.ErrnoException;
    // Errors from the file or gunzip keep their meaning; anything else is Arrow failing to decode the bytes.
    if (typeof e?.code === 'string' && /^(E(?!RR_)[A-Z]+|Z_[A-Z_]+)$/.test(e.code)) throw fileProblem(path, err);
    throw TraceFormatError.ofFile(path, `not an Arrow IPC file or stream${row ? ` after row ${row}` : ''}: ${e?.message ?? String(err)}`, { cause: err });
  }
}

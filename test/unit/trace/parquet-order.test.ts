// Issue 16 item 3: a Parquet trace of many row groups comes back whole, each
// row once, in file order (chDB reads row groups in parallel and, paged by
// LIMIT/OFFSET, returned 400,000 rows of which 375,793 distinct).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTrace } from '../../../harness/trace/readers/index.ts';

describe('Parquet trace of many row groups', () => {
  it('reads 400,000 rows in ≥ 50 row groups once each, in file order', async () => {
    const { query } = await import('chdb');
    const path = join(mkdtempSync(join(tmpdir(), 'mb-parquet-')), 'big.parquet');
    const rows = 400_000;
    query(
      `INSERT INTO FUNCTION file('${path}', Parquet) SELECT concat('p', toString(number)) AS job_id, ` +
        `toDateTime64('2024-01-01 00:00:00', 6, 'UTC') + toIntervalMicrosecond(number * 1001) AS submitted_at, 'acme' AS customer, ` +
        `'image_generation' AS task_type, 2.5 AS work_seconds FROM numbers(${rows}) ` +
        `SETTINGS engine_file_truncate_on_insert = 1, output_format_parquet_row_group_size = 5000`,
      'CSV',
    );
    const groups = Number(query(`SELECT num_row_groups FROM file('${path}', ParquetMetadata)`, 'CSV').trim());
    expect(groups).toBeGreaterThanOrEqual(50);
    let n = 0;
    let outOfOrder = 0;
    for await (const job of readTrace(path)) {
      if (job.job_id !== `p${n}`) outOfOrder++;
      n++;
    }
    expect(n).toBe(rows);
    expect(outOfOrder).toBe(0);
  }, 120_000);
});

// Where the replay puts what it records. The store's batch writer implements
// this; the replay never knows which database (if any) is behind it.
import type { RowOf, TableName } from '../events/schema.ts';

export interface RecordSink {
  add<T extends TableName>(table: T, row: RowOf<T>): void;
  /** Resolves when the sink can take more rows (the database keeps up). */
  waitForCapacity?(): Promise<void>;
  pressure?(): boolean;
}

/** Keeps rows in memory: tests and dry runs. */
export class MemorySink implements RecordSink {
  readonly rows: { [T in TableName]: RowOf<T>[] } = {
    runs: [],
    run_workers: [],
    job_results: [],
    job_events: [],
    provider_events: [],
    price_ticks: [],
    campaign_runs: [],
    job_tokens: [],
  };
  add<T extends TableName>(table: T, row: RowOf<T>): void {
    (this.rows[table] as RowOf<T>[]).push(row);
  }
}

// Issue 16 item 1, end to end: a job id leaves the trace, crosses gRPC to a
// simulator and back, goes into chDB and is read out exactly as written; a
// job id that is not text (a lone surrogate, which gRPC's UTF-8 would change
// and chDB refuse) is stopped at the reader, so no job is recorded as a
// protocol error for its id coming back changed and no batch is refused.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceFormatError } from '../../../harness/common/errors.ts';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { BatchWriter } from '../../../harness/store/writer.ts';
import { startSimulator } from '../../../harness/targets/index.ts';
import type { Job } from '../../../harness/trace/job.ts';
import { readTrace } from '../../../harness/trace/readers/index.ts';

const IDS = ['plain-1', 'jöb-ü-2', '🚀-rocket-3', '東京-4', 'e\u0301-combining-5', 'rtl-\u202e-6', 'quote"back\\slash-7', 'tab\there-8', 'nul\u0000-9', `long-${'x'.repeat(190)}`];

describe('job ids round trip', () => {
  it('come back from a target and the store exactly as the trace wrote them; a lone surrogate is stopped at the reader', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mb-ids-'));
    const t0 = Date.UTC(2024, 0, 1);
    const lines = IDS.map((id, i) => JSON.stringify({ job_id: id, submitted_at: new Date(t0 + i * 1000).toISOString(), customer: 'c', task_type: 'llm_inference', work_seconds: 2 }));
    // JSON.stringify writes the lone surrogate as the escape \ud800.
    lines.splice(3, 0, JSON.stringify({ job_id: 'lone-\ud800', submitted_at: new Date(t0 + 2500).toISOString(), customer: 'c', task_type: 'llm_inference', work_seconds: 2 }));
    const path = join(dir, 'ids.jsonl');
    writeFileSync(path, lines.join('\n'));

    const skipped: TraceFormatError[] = [];
    const jobs: Job[] = [];
    for await (const j of readTrace(path, { badLines: 'skip', onSkip: (e) => skipped.push(e) })) jobs.push(j);
    expect(skipped.map((e) => [e.line, e.field])).toEqual([[4, 'job_id']]);
    expect(jobs.map((j) => j.job_id)).toEqual(IDS);

    const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mb' });
    await store.init();
    const writer = new BatchWriter(store, { dataDir: dir, batchRows: 1000, flushIntervalMs: 100 });
    const sim = await startSimulator('baseline', { seed: 3 });
    try {
      const result = await mirrorRun({
        runId: 'ids',
        scenario: 'ids',
        seed: 1,
        speed: 1000,
        targets: [{ name: 'baseline', address: sim.address }],
        trace: { path, checksum: 'x', jobs, planned: jobs.length },
        sink: writer,
        clock: systemClock(),
        logger: silentLogger(),
      });
      await writer.close();
      expect(result.status).toBe('completed');
      expect(writer.stats()).toMatchObject({ rejected: 0, spooled: 0 });
      const rows = await store.query<{ job_id: string; error_class: string }>("SELECT job_id, error_class FROM mb.job_results FINAL WHERE run_id = 'ids'");
      expect(rows.map((r) => r.job_id).sort()).toEqual([...IDS].sort());
      expect(rows.filter((r) => r.error_class === 'protocol_error')).toEqual([]);
      const events = await store.query<{ job_id: string }>("SELECT DISTINCT job_id FROM mb.job_events FINAL WHERE run_id = 'ids'");
      expect(events.map((r) => r.job_id).sort()).toEqual([...IDS].sort());
    } finally {
      await sim.stop();
      await store.close();
    }
  }, 60_000);
});

// Report figures (issue 5): build the full report (every query, the paired
// statistics, the survival curves, the charts) over a run of 1,000,000 job
// results in chDB. The rows are made inside ClickHouse from numbers(), so the
// bench measures the report, not the loading.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TABLES, type TableName } from '../../harness/events/schema.ts';
import { ChdbStore } from '../../harness/store/chdb-store.ts';
import { buildReport } from '../../reports/build.ts';

const RUN = 'bench-report';
const T0 = 1_760_000_000_000_000;

/** INSERT … SELECT from numbers(n): every column gets its override or a typed zero. */
function fill(db: string, table: TableName, n: number, set: Record<string, string>): string {
  const cols = Object.entries(TABLES[table].columns);
  const exprs = cols.map(([name, type]) => set[name] ?? (type === 'String' ? "''" : type === 'Array(String)' ? 'emptyArrayString()' : type === 'DateTime' ? 'toDateTime(0)' : '0'));
  return `INSERT INTO ${db}.${table} (${cols.map((c) => c[0]).join(', ')}) SELECT ${exprs.join(', ')} FROM numbers(${n})`;
}

export async function reportBench() {
  const results = Number(process.env.BENCH_REPORT_ROWS ?? 1_000_000);
  const dir = mkdtempSync(join(tmpdir(), 'mb-bench-report-'));
  const store = new ChdbStore({ path: join(dir, 'chdb'), database: 'mirrorbench' });
  try {
    await store.init();
    const db = store.database;
    const job = 'intDiv(number, 2)';
    const target = "if(number % 2 = 1, 'decentralized', 'baseline')";
    const t0 = `toInt64(${T0} + ${job} * 100000)`;
    // Heavy-tailed latencies; the network is slower and fails 2% of jobs.
    const total = `toInt64((2 + (cityHash64(${job}) % 10000) / 100.0 * if(cityHash64(${job}) % 97 = 0, 50, 1)) * if(number % 2 = 1, 1.3, 1.0) * 1e6)`;
    const load = performance.now();
    await store.exec(fill(db, 'runs', 1, {
      run_id: `'${RUN}'`, scenario: "'bench'", speed: '1', status: "'completed'", targets: "['baseline','decentralized']",
      started_at_us: String(T0), ended_at_us: String(T0 + 60e9), jobs_planned: String(results / 2), jobs_sent: String(results / 2), updated_at_us: '1', started_date: `toDateTime(${Math.floor(T0 / 1e6)})`,
    }));
    await store.exec(fill(db, 'job_results', results, {
      run_id: `'${RUN}'`, target, target_kind: target, job_id: `concat('j', toString(${job}))`, customer: `concat('c', toString(${job} % 50))`,
      profile: `['chat','studio','render','batch'][${job} % 4 + 1]`, task_type: `['llm_inference','image_generation','rendering','transcription','training'][${job} % 5 + 1]`,
      gpu_class: "'rtx4090'", gpu_count: '1', work_seconds: '30', submitted_at_us: t0, intended_at_us: t0, sent_at_us: t0, first_event_at_us: t0, started_at_us: t0,
      finished_at_us: `${t0} + ${total}`, lateness_us: `toInt64(number % 900)`, queue_us: `toInt64(${total} / 10)`, exec_us: `toInt64(${total} * 9 / 10)`, total_us: total,
      status: "if(number % 2 = 1 AND cityHash64(number) % 50 = 0, 'failed', 'completed')", error_class: "if(number % 2 = 1 AND cityHash64(number) % 50 = 0, 'provider_lost', '')",
      attempts: '1', providers_tried: '1', offers: 'if(number % 2 = 1, 8, 0)', provider_id: `concat('p', toString(number % 3000))`, price_per_hour: '0.3',
      billed_gpu_seconds: `${total} / 1e6`, cost_native: `${total} / 1e6 * 0.3 / 3600 * if(number % 2 = 1, 4, 1)`, currency: "if(number % 2 = 1, 'GLM', 'USD')",
      cost_usd: `${total} / 1e6 * 0.3 / 3600`, events: '4', intended_date: `toDateTime(intDiv(${t0}, 1000000))`,
    }));
    // Four events per job and target: assigned, started, (lost for 3%), completed.
    const ev = 'intDiv(number, 4)';
    const evTarget = `if(${ev} % 2 = 1, 'decentralized', 'baseline')`;
    await store.exec(fill(db, 'job_events', results * 4, {
      run_id: `'${RUN}'`, target: evTarget, job_id: `concat('j', toString(intDiv(${ev}, 2)))`, seq: 'toUInt32(number % 4)',
      type: `if(number % 4 = 0, 'PROVIDER_ASSIGNED', if(number % 4 = 1, 'STARTED', if(number % 4 = 2, if(cityHash64(${ev}) % 33 = 0, 'PROVIDER_LOST', 'PROGRESS'), 'COMPLETED')))`,
      target_at_us: `toInt64(${T0} + intDiv(${ev}, 2) * 100000 + (number % 4) * 1000000)`, received_at_us: '0', attempt: '1', event_date: `toDateTime(${Math.floor(T0 / 1e6)})`,
    }));
    await store.exec(fill(db, 'provider_events', 20_000, {
      run_id: `'${RUN}'`, target: "if(number % 2 = 1, 'decentralized', 'baseline')", provider_id: `concat('p', toString(intDiv(number, 4)))`,
      online: 'toUInt8((number % 4) % 2 = 0)', at_us: `toInt64(${T0} + number * 3000000)`, event_date: `toDateTime(${Math.floor(T0 / 1e6)})`,
    }));
    const loadS = (performance.now() - load) / 1000;
    const t = performance.now();
    const report = await buildReport(store, RUN, { outDir: join(dir, 'out') });
    const buildS = (performance.now() - t) / 1000;
    return {
      jobResults: report.summary.targets.reduce((s, x) => s + x.jobs, 0),
      jobEvents: results * 4,
      loadSeconds: Number(loadS.toFixed(1)),
      reportSeconds: Number(buildS.toFixed(2)),
      goalSeconds: 15,
      survivalCurves: report.summary.survival.length,
      comparisons: report.summary.comparisons.map((c) => `${c.metric} ${c.verdict}`),
    };
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

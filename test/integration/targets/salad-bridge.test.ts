// The SaladCloud bridge as a gRPC ComputeTarget, replayed through by the real
// harness, against a local server shaped after SaladCloud's API — no internet.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { mirrorRun } from '../../../harness/replay/mirror-run.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { startSaladBridge } from '../../../harness/targets/bridges/salad/server.ts';
import { JobRecordSchema } from '../../../harness/trace/job.ts';
import { startSaladMock } from '../../helpers/salad-mock.ts';

const api = (url: string, apiKey: string) => ({ baseUrl: url, apiKey, organization: 'acme-corp', project: 'mirror', queue: 'fifo-queue', containerGroup: 'whisper', retries: 3 });
const trace = ['j-ok-1', 'j-ok-2', 'j-x-interrupt', 'j-y-fail', 'j-ok-3'].map((id, i) =>
  JobRecordSchema.parse({ job_id: id, submitted_at: 1_700_000_000_000_000 + i * 100_000, customer: 'acme', task_type: 'transcription', work_seconds: 1 }),
);

async function replay(address: string, sink = new MemorySink(), jobs = trace) {
  const r = await mirrorRun({
    runId: 'salad-it',
    scenario: 'salad-it',
    seed: 1,
    speed: 1,
    targets: [{ name: 'salad', address }],
    trace: { path: 'inline', checksum: 'x', jobs, planned: jobs.length },
    sink,
    clock: systemClock(),
    logger: silentLogger(),
  });
  return { r, sink, by: (id: string) => sink.rows.job_results.find((x) => x.job_id === id)! };
}

describe('SaladCloud bridge', () => {
  it('replays jobs through a job queue: outcomes, interruptions as provider losses, live prices, 429 and 5xx absorbed', async () => {
    const mock = await startSaladMock({ validKey: 'good-key' });
    const bridge = await startSaladBridge({ api: api(mock.url, 'good-key'), gpuClass: 'rtx4090', priority: 'high', pollMs: 25 });
    try {
      mock.inject('429');
      mock.inject('500', 2);
      // An instance goes away and another arrives while the jobs run: once the
      // harness has seen inst-a online (a timer would race the watch stream on a loaded machine).
      const sink = new MemorySink();
      const swap = setInterval(() => {
        if (!sink.rows.provider_events.some((e) => e.provider_id === 'inst-a' && e.online)) return;
        clearInterval(swap);
        mock.instances = ['inst-b', 'inst-c'];
      }, 10);
      const { r, by } = await replay(bridge.address, sink).finally(() => clearInterval(swap));
      expect(r.status).toBe('completed');
      expect(sink.rows.job_results).toHaveLength(5);
      for (const id of ['j-ok-1', 'j-ok-2', 'j-ok-3']) expect(by(id)).toMatchObject({ status: 'completed', attempts: 1, provider_losses: 0, currency: 'USD' });
      expect(by('j-ok-1').cost_usd).toBeGreaterThan(0);
      // Billed per running second at the live 0.30 USD/h read at start.
      expect(by('j-ok-1').cost_usd).toBeCloseTo((by('j-ok-1').billed_gpu_seconds / 3600) * 0.3, 12);
      expect(by('j-x-interrupt')).toMatchObject({ status: 'completed', attempts: 2, provider_losses: 1 });
      expect(by('j-y-fail')).toMatchObject({ status: 'failed', error_class: 'job_failed' });
      // The injected 429 and 500s were answered and retried, not passed on.
      expect(mock.requests.filter((q) => q.status === 429)).toHaveLength(1);
      expect(mock.requests.filter((q) => q.status === 500)).toHaveLength(2);
      const changes = sink.rows.provider_events.map((e) => `${e.provider_id}:${e.online}`);
      expect(changes).toEqual(expect.arrayContaining(['inst-a:1', 'inst-b:1', 'inst-a:0', 'inst-c:1']));
      const run = sink.rows.runs.at(-1)!;
      expect(run.config_json).toContain('0.3 USD [S] /gpu-classes at run start');
    } finally {
      await bridge.stop();
      await mock.close();
    }
  }, 30_000);

  it('reports a streaming workload\'s first token and tokens from the job output (stream marks), timed after the job started', async () => {
    const mock = await startSaladMock({ validKey: 'good-key', runMs: 200 });
    const bridge = await startSaladBridge({ api: api(mock.url, 'good-key'), gpuClass: 'rtx4090', priority: 'high', pollMs: 25 });
    try {
      const llm = JobRecordSchema.parse({ job_id: 'j-llm-stream', submitted_at: 1_700_000_000_000_000, customer: 'acme', task_type: 'llm_inference', work_seconds: 1, prompt_tokens: 500, output_tokens: 40 });
      const { by, sink } = await replay(bridge.address, new MemorySink(), [llm]);
      const row = by('j-llm-stream');
      expect(row.status).toBe('completed');
      const events = sink.rows.job_events.filter((e) => e.job_id === 'j-llm-stream');
      const at = (type: string) => events.find((e) => e.type === type)!.target_at_us;
      // The mock starts the job 40 ms after it is created; the workload's first token is 50 ms after that, 20 tokens at 100 ms.
      expect(at('FIRST_TOKEN') - at('STARTED')).toBe(50_000);
      expect(at('TOKENS') - at('STARTED')).toBe(100_000);
      expect(at('COMPLETED')).toBeGreaterThanOrEqual(at('TOKENS'));
      const [t] = sink.rows.job_tokens;
      expect(t).toMatchObject({ job_id: 'j-llm-stream', prompt_tokens: 500, output_tokens: 40, tokens_streamed: 40, streams_lost: 0 });
      expect(t!.ttft_us).toBeGreaterThan(50_000);
      expect(t!.ttft_us).toBeLessThan(row.total_us);
      expect(t!.tpot_us).toBeCloseTo((at('COMPLETED') - at('FIRST_TOKEN')) / 39, 6);
    } finally {
      await bridge.stop();
      await mock.close();
    }
  }, 30_000);

  it('records an expired key as failed jobs and finishes the run', async () => {
    const mock = await startSaladMock({ validKey: 'good-key' });
    try {
      // A key that no longer works is refused at start, with the API's reason.
      await expect(startSaladBridge({ api: api(mock.url, 'old-key'), gpuClass: 'rtx4090', priority: 'high' })).rejects.toThrow(/401.*expired/);
      // A key that expires after start: prices were read, every job call is refused.
      let expired = false;
      const fetchImpl = ((url: string, init: RequestInit) =>
        fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'Salad-Api-Key': expired ? 'old-key' : 'good-key' } })) as typeof fetch;
      const bridge = await startSaladBridge({ api: { ...api(mock.url, 'good-key'), fetchImpl }, gpuClass: 'rtx4090', priority: 'batch', pollMs: 25 });
      expired = true;
      try {
        const { r, sink } = await replay(bridge.address);
        expect(r.status).toBe('completed');
        expect(sink.rows.job_results.map((x) => [x.status, x.error_class])).toEqual(Array(5).fill(['failed', 'auth_failed']));
      } finally {
        await bridge.stop();
      }
    } finally {
      await mock.close();
    }
  }, 30_000);
});

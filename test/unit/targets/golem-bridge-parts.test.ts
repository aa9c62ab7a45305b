// The Golem bridge's pure parts and its gateway's resend policy.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { resendable, startYagnaGateway } from '../../../harness/targets/bridges/golem/gateway.ts';
import { retryAfterSeconds } from '../../../harness/common/retry.ts';
import { allocationFor, commandFor, resolveGolemConfig } from '../../../harness/targets/bridges/golem/options.ts';
import { bridgeDeployments, httpStatusOf } from '../../../harness/targets/bridges/golem/server.ts';
import { golemSettings } from '../../../harness/targets/bridges/golem/options.ts';
import { resolveWorkloads, workloadOf, WorkloadSchema } from '../../../harness/targets/common/workloads.ts';

const yagna = { yagnaUrl: 'http://127.0.0.1:7465', appKey: 'k' };

describe('golem bridge options', () => {
  it('is on a testnet unless mainnet is confirmed', () => {
    expect(resolveGolemConfig(yagna)).toMatchObject({ network: 'holesky', driver: 'erc20', mainnet: false });
    expect(() => resolveGolemConfig({ ...yagna, network: 'polygon' })).toThrow(/spends real GLM.*--mainnet/);
    expect(resolveGolemConfig({ ...yagna, network: 'polygon', mainnet: true }).network).toBe('polygon');
  });

  it('names what is wrong with a configuration', () => {
    expect(() => resolveGolemConfig({ ...yagna, appKey: '' })).toThrow(/YAGNA_APPKEY/);
    expect(() => resolveGolemConfig({ ...yagna, yagnaUrl: 'ftp://host:7465' })).toThrow(/http\(s\):\/\/host:port/);
    expect(() => resolveGolemConfig({ ...yagna, budgetGlm: 0 })).toThrow(/golem bridge: budgetGlm: .*>0/);
    expect(() => resolveGolemConfig({ ...yagna, imageTag: '' })).toThrow(/imageTag/);
    expect(() => resolveGolemConfig({ ...yagna, maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => resolveGolemConfig({ ...yagna, imageUrl: 'http://h/i.gvmi' })).toThrow(/imageHash: imageUrl and imageHash go together/);
    expect(() => resolveGolemConfig({ ...yagna, maxRentalls: 3 } as never)).toThrow(/maxRentalls/);
  });

  it('uses an image URL with its hash instead of the default registry tag', () => {
    const w = resolveGolemConfig({ ...yagna, imageUrl: 'http://h/i.gvmi', imageHash: 'ab'.repeat(28) });
    expect(w.imageTag).toBeUndefined();
    expect(w.imageUrl).toBe('http://h/i.gvmi');
  });

  it('sizes an allocation for a run: every job at the price limits plus a quarter for retries, lasting the run and its settlement', () => {
    const pricing = { maxStartPrice: 0.5, maxEnvPerHourPrice: 2, maxCpuPerHourPrice: 0 };
    const a = allocationFor({ jobs: 40, gpuHours: 13, maxWorkSeconds: 11_120, spanSeconds: 3_114 }, { ...pricing, maxAttempts: 3, agreementTimeoutSeconds: 600 });
    // (40 × (0.5 + 2 × 0.25) + 13 × 2) × 1.25 = 82.5 GLM; (3114 + 11120) s + 3 × 10 min + 1 h = 5.45 h.
    expect(a).toEqual({ budgetGlm: 82.5, allocationHours: 5.5 });
    expect(allocationFor({ jobs: 0, gpuHours: 0, maxWorkSeconds: 0, spanSeconds: 0 }, { ...pricing, maxAttempts: 1, agreementTimeoutSeconds: 0 })).toEqual({ budgetGlm: 0.1, allocationHours: 1 });
    // Two rentals a warm pool holds for the whole run are paid for the whole run: 2 × (start + 2 GLM/h × 1 h) more, with the quarter margin.
    const none = allocationFor({ jobs: 10, gpuHours: 1, maxWorkSeconds: 0, spanSeconds: 0 }, { ...pricing, maxAttempts: 1, agreementTimeoutSeconds: 0 });
    const held = allocationFor({ jobs: 10, gpuHours: 1, maxWorkSeconds: 0, spanSeconds: 0 }, { ...pricing, maxAttempts: 1, agreementTimeoutSeconds: 0 }, 2);
    expect(held.budgetGlm - none.budgetGlm).toBeCloseTo(2 * (pricing.maxStartPrice + (pricing.maxEnvPerHourPrice + pricing.maxCpuPerHourPrice) * 1) * 1.25, 0);
  });

  it('fills the command template from the job, keeping shell-unsafe characters out', () => {
    const job = { jobId: 'j 1;rm', taskType: 'image_generation', workSeconds: 12.34567, inputBytes: 10, outputBytes: 20 };
    expect(commandFor('sleep {work_seconds} # {job_id} {task_type} {input_bytes}/{output_bytes} {unknown}', job)).toBe('sleep 12.346 # j_1_rm image_generation 10/20 {unknown}');
  });

  it('finds the HTTP status in golem-js error chains', () => {
    expect(httpStatusOf({ message: 'x', previous: { status: 401 } })).toBe(401);
    expect(httpStatusOf(new Error('x', { cause: { status: 429 } }))).toBe(429);
    expect(httpStatusOf(new Error('plain'))).toBeUndefined();
  });
});

describe('golem bridge deployments', () => {
  const job = (taskType: string) => ({ profile: 'p', taskType, image: 'i' });
  it('serves a scenario\'s declared workloads as the decentralized simulator does: the same pools (min, max, idle timeout) and per-job rentals', () => {
    const ws = [
      WorkloadSchema.parse({ name: 'chat', match: { taskTypes: ['llm_inference'] }, network: { mode: 'pool', minRentals: 2, maxRentals: 5, idleTimeoutSeconds: 120 } }),
      WorkloadSchema.parse({ name: 'frames', match: { taskTypes: ['rendering'] }, network: { mode: 'per-job' } }),
    ];
    const d = bridgeDeployments(ws, golemSettings({}))!;
    expect(d).toEqual(resolveWorkloads(ws));
    expect(workloadOf(d, job('llm_inference')).network).toMatchObject({ mode: 'pool', minRentals: 2, maxRentals: 5, idleTimeoutUs: 120e6 });
    expect(workloadOf(d, job('rendering')).network.mode).toBe('per-job');
  });

  it('rents per job without declared workloads, and pools every job when a standing bridge is given --pool-max-rentals', () => {
    expect(bridgeDeployments([], golemSettings({}))).toBeUndefined();
    const d = bridgeDeployments(undefined, golemSettings({ poolMaxRentals: 4, poolMinRentals: 1, poolIdleTimeoutSeconds: 30 }))!;
    for (const t of ['llm_inference', 'rendering', 'anything']) expect(workloadOf(d, job(t))).toMatchObject({ name: 'all', network: { mode: 'pool', minRentals: 1, maxRentals: 4, idleTimeoutUs: 30e6 } });
  });
});

describe('yagna gateway', () => {
  it('reads Retry-After as seconds or a date and resends only what is safe to repeat', () => {
    expect(retryAfterSeconds('3', 0)).toBe(3);
    expect(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(retryAfterSeconds('soon', 0)).toBeUndefined();
    expect(retryAfterSeconds(null, 0)).toBeUndefined();
    expect(resendable('GET', '/market-api/v1/demands/d/events')).toBe(true);
    expect(resendable('POST', '/payment-api/v1/debitNotes/x/accept')).toBe(true);
    expect(resendable('POST', '/market-api/v1/agreements/a/terminate')).toBe(true);
    expect(resendable('POST', '/market-api/v1/agreements')).toBe(false);
    expect(resendable('POST', '/activity-api/v1/activity/a/exec')).toBe(false);
  });

  it('waits out 429 for any request, resends a 503 read, and passes a 503 on a creating POST through once', async () => {
    const hits: string[] = [];
    let busy = 0;
    const upstream = http.createServer((req, res) => {
      hits.push(`${req.method} ${req.url}`);
      if (req.url === '/limited' && hits.filter((h) => h.endsWith('/limited')).length === 1) {
        res.writeHead(429, { 'retry-after': '0' });
        return res.end();
      }
      if (req.url === '/flaky' || req.url === '/create') {
        busy++;
        if (busy % 2 === 1) {
          res.writeHead(503);
          return res.end('busy');
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: req.url }));
    });
    await new Promise<void>((r) => upstream.listen(0, '127.0.0.1', r));
    const gw = await startYagnaGateway({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, retries: 3, maxRetryAfterSec: 1, baseDelayMs: 10 });
    try {
      const limited = await fetch(`${gw.url}/limited`, { method: 'POST', body: '{}' });
      expect(limited.status).toBe(200);
      const flaky = await fetch(`${gw.url}/flaky`);
      expect(await flaky.json()).toEqual({ ok: '/flaky' });
      const create = await fetch(`${gw.url}/create`, { method: 'POST', body: '{}' });
      expect(create.status).toBe(503);
      expect(hits.filter((h) => h === 'POST /create')).toHaveLength(1);
      expect(gw.stats).toMatchObject({ rateLimited: 1, serverErrors: 1, resent: 2 });
    } finally {
      await gw.stop();
      await new Promise<void>((r) => upstream.close(() => r()));
    }
  });

  it('answers 502 naming yagna when nothing listens, after resending reads', async () => {
    const gw = await startYagnaGateway({ target: 'http://127.0.0.1:9', retries: 2, maxRetryAfterSec: 1, baseDelayMs: 5 });
    try {
      const res = await fetch(`${gw.url}/me`);
      expect(res.status).toBe(502);
      expect(((await res.json()) as { message: string }).message).toContain('yagna unreachable at http://127.0.0.1:9');
      expect(gw.stats).toMatchObject({ networkErrors: 2, gaveUp: 1 });
    } finally {
      await gw.stop();
    }
  });
});

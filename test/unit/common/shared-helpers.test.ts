// The shared helpers of harness/common: one retry with backoff, one
// Retry-After reader, one semaphore, one set of basic draws.
import { describe, expect, it } from 'vitest';
import { bernoulli, lognormal, standardNormal, weighted, weightedIndex, weightedNumber } from '../../../harness/common/draw.ts';
import { seededRandom } from '../../../harness/common/random.ts';
import { backoffMs, retry, retryAfterSeconds, sleep } from '../../../harness/common/retry.ts';
import { Semaphore } from '../../../harness/common/semaphore.ts';

describe('retry', () => {
  it('doubles the wait from the base, up to the cap', () => {
    expect([0, 1, 2, 3, 4, 5, 6].map((a) => backoffMs(a, { baseMs: 100, maxMs: 5_000 }))).toEqual([100, 200, 400, 800, 1600, 3200, 5000]);
    expect(backoffMs(2, { baseMs: 10, factor: 3 })).toBe(90);
  });

  it('tries until it succeeds, waiting the backoff between tries, and reports each failure', async () => {
    const waits: number[] = [];
    const failures: [number, boolean][] = [];
    const out = await retry(
      async (attempt) => {
        if (attempt < 2) throw new Error(`try ${attempt}`);
        return 'ok';
      },
      { attempts: 5, baseMs: 50, wait: async (ms) => void waits.push(ms), onFailure: (_e, a, again) => failures.push([a, again]) },
    );
    expect(out).toBe('ok');
    expect(waits).toEqual([50, 100]);
    expect(failures).toEqual([[0, true], [1, true]]);
  });

  it('rejects with the last error after the last try, without waiting after it', async () => {
    const waits: number[] = [];
    let tries = 0;
    await expect(retry(async (a) => { tries++; throw new Error(`no ${a}`); }, { attempts: 3, baseMs: 1, wait: async (ms) => void waits.push(ms) })).rejects.toThrow('no 2');
    expect(tries).toBe(3);
    expect(waits).toEqual([1, 2]);
  });

  it('stops retrying once the signal aborts', async () => {
    const ac = new AbortController();
    let tries = 0;
    await expect(retry(async () => { tries++; ac.abort(); throw new Error('down'); }, { attempts: 10, baseMs: 60_000, signal: ac.signal })).rejects.toThrow('down');
    expect(tries).toBe(1);
  });

  it('sleep ends early when its signal aborts', async () => {
    const ac = new AbortController();
    const slept = sleep(60_000, ac.signal);
    ac.abort();
    await slept; // a timer left running would hold the test until its timeout
    await sleep(0);
  });

  it('reads Retry-After as seconds or as an HTTP date, never negative', () => {
    expect(retryAfterSeconds('3', 0)).toBe(3);
    expect(retryAfterSeconds(' 1.5 ', 0)).toBe(1.5);
    expect(retryAfterSeconds('-4', 0)).toBe(0);
    expect(retryAfterSeconds(new Date(10_000).toUTCString(), 4_000)).toBe(6);
    expect(retryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('2015-10-21T07:29:00Z'))).toBe(0);
    for (const h of ['soon', '', null, undefined]) expect(retryAfterSeconds(h, 0)).toBeUndefined();
  });
});

describe('Semaphore', () => {
  it('serves waiters in order and hands a released slot straight to the next', async () => {
    const s = new Semaphore(1);
    expect(await s.acquire()).toBe(true);
    const order: string[] = [];
    const a = s.acquire().then(() => order.push('a'));
    const b = s.acquire().then(() => order.push('b'));
    expect(s.waiting).toBe(2);
    s.release();
    await a;
    s.release();
    await b;
    expect(order).toEqual(['a', 'b']);
    expect(s.inUse).toBe(1);
  });

  it('gives up a queued place when the signal aborts, holding no slot', async () => {
    const s = new Semaphore(1);
    s.tryAcquire();
    const ac = new AbortController();
    const waiting = s.acquire(ac.signal);
    ac.abort();
    expect(await waiting).toBe(false);
    expect(s.waiting).toBe(0);
    expect(await s.acquire(ac.signal)).toBe(false);
    s.release();
    expect(s.inUse).toBe(0);
    expect(s.tryAcquire()).toBe(true);
  });
});

describe('basic draws', () => {
  it('picks keys in proportion to their weights, numeric keys as numbers', () => {
    const r = seededRandom(5);
    const n = 40_000;
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < n; i++) counts[weighted(r, { a: 1, b: 3, c: 0 })]++;
    expect(counts.c).toBe(0);
    expect(counts.b / n).toBeCloseTo(0.75, 1);
    const gpus = new Set(Array.from({ length: 1000 }, () => weightedNumber(r, { 1: 0.5, 4: 0.5 })));
    expect([...gpus].sort()).toEqual([1, 4]);
    expect(weightedIndex(r, [0, 0, 2])).toBe(2);
  });

  it('draws a standard normal and a lognormal around its median', () => {
    const r = seededRandom(9);
    const z = Array.from({ length: 40_000 }, () => standardNormal(r));
    const mean = z.reduce((s, x) => s + x, 0) / z.length;
    const sd = Math.sqrt(z.reduce((s, x) => s + (x - mean) ** 2, 0) / z.length);
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(sd).toBeCloseTo(1, 1);
    const ln = Array.from({ length: 20_001 }, () => lognormal(r, 7, 0.8)).sort((a, b) => a - b);
    expect(ln[10_000]! / 7).toBeGreaterThan(0.95);
    expect(ln[10_000]! / 7).toBeLessThan(1.05);
    expect(Array.from({ length: 10_000 }, () => bernoulli(r, 0.2)).filter(Boolean).length / 10_000).toBeCloseTo(0.2, 1);
  });
});

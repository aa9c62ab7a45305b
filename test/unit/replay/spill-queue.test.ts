import { describe, expect, it } from 'vitest';
import { jobDeadlineTraceSeconds, deadlinePolicy } from '../../../harness/replay/deadlines.ts';
import { SpillQueue } from '../../../harness/replay/spill-queue.ts';

describe('SpillQueue', () => {
  it('keeps order across memory and disk and holds a bounded number of entries in memory', () => {
    const q = new SpillQueue<{ i: number }>({ memoryItems: 100 });
    let next = 0;
    let expected = 0;
    let maxInMemory = 0;
    let outOfOrder = 0;
    // 200,000 entries pushed in bursts with shifts in between: most of the backlog lives on disk.
    for (let round = 0; round < 20; round++) {
      for (let k = 0; k < 10_000; k++) {
        q.push({ i: next++ });
        maxInMemory = Math.max(maxInMemory, q.inMemory);
      }
      for (let k = 0; k < 3_000; k++) {
        if (q.shift()!.i !== expected++) outOfOrder++;
        maxInMemory = Math.max(maxInMemory, q.inMemory);
      }
    }
    expect(q.length).toBe(next - expected);
    for (const x of q.drain()) if (x.i !== expected++) outOfOrder++;
    expect(outOfOrder).toBe(0);
    expect(expected).toBe(200_000);
    expect(q.length).toBe(0);
    expect(q.shift()).toBeUndefined();
    // The head refills up to one 1 MiB chunk past the bound; the write buffer holds at most memoryItems.
    expect(maxInMemory).toBeLessThan(100 + 100 + 1_000_000 / 8);
    q.close();
  });

  it('works as a plain FIFO when it never spills', () => {
    const q = new SpillQueue<string>({ memoryItems: 10 });
    for (const s of ['a', 'b', 'c']) q.push(s);
    expect([q.shift(), q.shift()]).toEqual(['a', 'b']);
    q.push('d');
    expect([...q.drain()]).toEqual(['c', 'd']);
    q.close();
  });
});

describe('per-job deadlines', () => {
  const policy = deadlinePolicy({});
  it('takes work × factor + queue allowance for a job without its own deadline', () => {
    expect(jobDeadlineTraceSeconds({ deadline_seconds: 0, work_seconds: 4 }, policy)).toBe(4 * policy.workFactor + policy.queueAllowanceSeconds);
  });
  it('takes the job\'s own deadline × factor when it has one', () => {
    expect(jobDeadlineTraceSeconds({ deadline_seconds: 60, work_seconds: 4 }, policy)).toBe(60 * policy.ownDeadlineFactor);
  });
  it('never exceeds the cap, and a scenario overrides single fields', () => {
    const p = deadlinePolicy({ capSeconds: 100, workFactor: undefined });
    expect(p.workFactor).toBe(policy.workFactor);
    expect(jobDeadlineTraceSeconds({ deadline_seconds: 0, work_seconds: 1e6 }, p)).toBe(100);
  });
});

// The page's "Harness queue" section (an ExtraSection, reports/build.ts): per
// target, the jobs that waited in the harness because their target was at its
// in-flight cap, how long, the deepest the queue got, and an interrupted run's
// unfinished jobs. Shown only when any job waited or is unfinished.
import { secs } from './format.ts';
import type { ExtraSection } from './html.ts';
import { table } from './page.ts';

export const harnessQueueSection: ExtraSection = {
  id: 'harness-queue',
  title: 'Harness queue',
  after: 'verdict',
  render(s) {
    const queues = (s as { harnessQueue?: typeof s.harnessQueue }).harnessQueue ?? [];
    if (!queues.some((q) => q.heldJobs > 0 || q.unfinished > 0)) return '';
    const ms = (v: number) => secs(v / 1000);
    return `<section id="harness-queue"><h2>Harness queue</h2>
${table({
  cls: 'harness-queue',
  population: 'All jobs released to each target; waits in real (wall-clock) time, from the release to the send.',
  head: ['target', 'jobs held', 'share', 'wait p50', 'wait p99', 'wait max', 'peak depth', 'unfinished'],
  rows: queues.map((q) => [
    q.target,
    q.heldJobs,
    { text: `${(100 * q.heldShare).toFixed(1)}%`, sort: q.heldShare },
    { text: ms(q.waitP50Ms), sort: q.waitP50Ms },
    { text: ms(q.waitP99Ms), sort: q.waitP99Ms },
    { text: ms(q.waitMaxMs), sort: q.waitMaxMs },
    Math.max(0, ...q.depthOverTime.map((d) => d.depth)),
    q.unfinished,
  ]),
})}
<p class="note">A target at its in-flight cap gets its further jobs queued in the harness; the other targets are not held, and the queued jobs' latency still counts from their intended time. Unfinished jobs had no outcome when the run was interrupted: censored, in no other figure, sent again by <code>replay --resume</code>. The queue depth over time is in summary.json (<code>harnessQueue</code>).</p></section>`;
  },
};

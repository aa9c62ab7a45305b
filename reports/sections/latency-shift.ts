// The Hodges–Lehmann estimate of the paired latency shift (candidate −
// baseline, trace seconds) over jobs completed on both.
import { mixedHash32 } from '../../harness/common/random.ts';
import { hodgesLehmannPaired } from '../../harness/stats/shift.ts';
import type { PairRow } from '../queries.ts';
import { bothCompleted, loadPairRows, pairsOf } from './paired.ts';
import { section } from './section.ts';

/** Walsh averages are O(n²): a hash-chosen subset of at most about this many jobs. */
const HL_PAIRS = 2_000;

export const latencyShiftSection = section({
  fills: ['latencyShift'],
  load: loadPairRows,
  build(rows: PairRow[], input) {
    const bothAll = bothCompleted(pairsOf(rows, input.baseline, input.candidate));
    const hlSet = bothAll.length > HL_PAIRS ? bothAll.filter((p) => mixedHash32(`hl/${p.a.job_id}`) % Math.ceil(bothAll.length / HL_PAIRS) === 0) : bothAll;
    if (!input.candidate || hlSet.length < 2) return { latencyShift: null };
    return { latencyShift: { seconds: hodgesLehmannPaired(hlSet.map((p) => p.a.total_us / 1e6), hlSet.map((p) => p.b.total_us / 1e6)), pairs: hlSet.length } };
  },
});

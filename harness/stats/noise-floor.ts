// The A/A noise floor: a headline difference no larger than what two
// instances of the same target show against each other is not called.
// Two simulator seeds (or two deployments) differ by a run-level draw that
// one run's per-job bootstrap cannot see; the A/A comparison measures it.
import type { PairedLine } from './paired-compare.ts';

export const NOISE_FLOOR_RULE =
  'a headline "better"/"worse" reads "~" when its estimate is no further from no change (ratio 1, difference 0) than the A/A interval (the target against its twin, same verdict path) reaches on either side';
export const WITHIN_FLOOR = 'within the A/A noise floor';

/** How far an A/A line's interval reaches from no change; null when it has no finite interval. */
export function floorOf(aa: Pick<PairedLine, 'scale' | 'interval'>): number | null {
  const nul = aa.scale === 'ratio' ? 1 : 0;
  const [lo, hi] = aa.interval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return null;
  return Math.max(Math.abs(lo - nul), Math.abs(hi - nul));
}

/**
 * The headline lines with every called difference inside the floor of its
 * metric turned into "~" (reason given). A metric with no finite A/A
 * interval keeps its verdict: there is no floor to compare with.
 */
export function applyNoiseFloor(lines: readonly PairedLine[], aa: readonly PairedLine[]): PairedLine[] {
  const floors = new Map(aa.map((l) => [l.metric, floorOf(l)]));
  return lines.map((l) => {
    const floor = floors.get(l.metric);
    if ((l.verdict !== 'better' && l.verdict !== 'worse') || floor === null || floor === undefined) return l;
    const distance = Math.abs(l.estimate - (l.scale === 'ratio' ? 1 : 0));
    if (!(distance <= floor)) return l;
    return { ...l, verdict: '~', reason: `${WITHIN_FLOOR}: ${distance.toPrecision(3)} from no change, the A/A reaches ${floor.toPrecision(3)}` };
  });
}

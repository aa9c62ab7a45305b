// A slot that is filled by one node (instance, provider) after another: each
// session is online from `start` to `end`, then the slot is empty for a gap
// until the next node is ready. Sessions are drawn lazily from the slot's own
// random stream, so the slot's history is a pure function of its seed — the
// same whatever order or moment the simulator asks about it.
import type { Random } from '../../common/random.ts';

export interface Session<M> {
  id: string;
  /** Trace µs when the node is ready (online). */
  start: number;
  /** Trace µs when it goes away. */
  end: number;
  /** Why it went away. */
  reason: string;
  meta: M;
}

export interface SessionDraw<M> {
  /** Session length, trace µs. */
  lengthUs: number;
  /** Gap before the next session is ready (cold start, new provider arriving), trace µs. */
  gapUs: number;
  reason: string;
  meta: M;
}

/**
 * How a slot is found when the run starts.
 * - `stationary`: it has been running for a long time, so the run opens at a
 *   random moment of its renewal process: online with probability
 *   E[L] / (E[L] + E[G]), inside a session drawn length-biased (the inspection
 *   paradox: a random moment falls in long sessions more often) at a uniform
 *   point of it; otherwise inside a length-biased gap. The first hours of a
 *   run then churn like any other hours.
 * - `fresh`: the node is being set up when the run starts (a gap, then the
 *   first session), like an instance the platform has just allocated.
 */
export type SlotStart =
  | {
      kind: 'stationary';
      /** Mean session length and mean gap, trace µs. */
      meanLengthUs: number;
      meanGapUs: number;
      /** Draws from the length-biased session length and gap, trace µs. */
      biasedLengthUs(r: Random): number;
      biasedGapUs(r: Random): number;
    }
  | { kind: 'fresh' };

export class SessionSlot<M> {
  readonly sessions: Session<M>[] = [];
  private n = 0;
  constructor(
    readonly name: string,
    private readonly r: Random,
    epochUs: number,
    private readonly draw: (r: Random, index: number) => SessionDraw<M>,
    start: SlotStart,
  ) {
    if (start.kind === 'fresh') {
      // The gap before the first session is the set-up of a node, drawn like any replacement's.
      const setup = draw(r, -1).gapUs;
      this.push(draw(r, 0), epochUs + Math.max(0, Math.round(setup)));
      return;
    }
    const d = draw(r, 0);
    const online = r.next() * (start.meanLengthUs + start.meanGapUs) < start.meanLengthUs;
    if (online) {
      const length = start.biasedLengthUs(r);
      const age = r.next() * length;
      this.push({ ...d, lengthUs: length }, epochUs - Math.floor(age));
    } else {
      const remaining = r.next() * start.biasedGapUs(r);
      this.push(d, epochUs + Math.round(remaining));
    }
  }

  private push(d: SessionDraw<M>, start: number): void {
    this.sessions.push({ id: `${this.name}-${this.n++}`, start, end: start + Math.max(1, Math.round(d.lengthUs)), reason: d.reason, meta: d.meta });
    this.pendingGap = d.gapUs;
  }
  private pendingGap = 0;

  /** Draws sessions until one ends after t. */
  ensure(t: number): void {
    for (;;) {
      const last = this.sessions[this.sessions.length - 1]!;
      if (last.end > t) return;
      const d = this.draw(this.r, this.n);
      this.push(d, last.end + Math.max(0, Math.round(this.pendingGap)));
    }
  }

  /** The first session online at or after t, and the earliest time ≥ t it is usable. */
  nextOnline(t: number): { session: Session<M>; at: number } {
    this.ensure(t);
    for (let i = this.sessions.length - 1; i >= 0; i--) {
      const s = this.sessions[i]!;
      if (s.start <= t && s.end > t) return { session: s, at: t };
      if (s.end <= t) {
        const next = this.sessions[i + 1];
        if (next) return { session: next, at: next.start };
        break;
      }
    }
    // t falls before every drawn session (rare: before the epoch) or in the last gap.
    const first = this.sessions.find((s) => s.end > t)!;
    return { session: first, at: Math.max(t, first.start) };
  }

  /** Index of the first session ending after t (sessions are in time order). */
  private firstEndingAfter(t: number): number {
    let lo = 0;
    let hi = this.sessions.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.sessions[mid]!.end > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  /** Time online (a node running) within [from, to), trace µs: what a running-time bill counts. */
  onlineUs(from: number, to: number): number {
    if (to <= from) return 0;
    this.ensure(to);
    let sum = 0;
    for (let i = this.firstEndingAfter(from); i < this.sessions.length; i++) {
      const s = this.sessions[i]!;
      if (s.start >= to) break;
      sum += Math.min(s.end, to) - Math.max(s.start, from);
    }
    return Math.max(0, sum);
  }

  /** Session boundaries in (from, to]: for WatchProviders. */
  boundaries(from: number, to: number): { at: number; online: boolean; session: Session<M> }[] {
    this.ensure(to);
    const out: { at: number; online: boolean; session: Session<M> }[] = [];
    // Sessions are in time order (starts and ends increase): skip to the first
    // one ending after `from` instead of scanning the whole history every tick.
    for (let i = this.firstEndingAfter(from); i < this.sessions.length; i++) {
      const s = this.sessions[i]!;
      if (s.start > to) break;
      if (s.start > from && s.start <= to) out.push({ at: s.start, online: true, session: s });
      if (s.end > from && s.end <= to) out.push({ at: s.end, online: false, session: s });
    }
    return out;
  }
}

// Survival inputs from stored events (pure): provider online sessions from
// each provider's stream, and each job's time to its first provider loss.
// Durations come out in trace hours (target clock × speed).

export interface Durations {
  times: number[];
  observed: boolean[];
}

/**
 * Sessions from one provider's time-ordered changes. A session still open at
 * `endUs` is censored there; an offline with no preceding online (the provider
 * was up before the stream began) is skipped, since its start is unknown.
 */
export function providerSessions(online: readonly number[], at: readonly number[], endUs: number, speed: number, into: Durations): void {
  let since: number | undefined;
  for (let i = 0; i < online.length; i++) {
    if (online[i]) {
      since ??= at[i]!;
    } else if (since !== undefined) {
      into.times.push(((at[i]! - since) * speed) / 3.6e9);
      into.observed.push(true);
      since = undefined;
    }
  }
  if (since !== undefined && endUs > since) {
    into.times.push(((endUs - since) * speed) / 3.6e9);
    into.observed.push(false);
  }
}

/** Time from a job's first provider assignment to its first loss (observed) or its outcome (censored). */
export function firstLoss(row: { assigned: number; lost: number; ended: number }, speed: number, into: Durations): void {
  if (row.lost > 0 && row.lost >= row.assigned) {
    into.times.push(((row.lost - row.assigned) * speed) / 3.6e9);
    into.observed.push(true);
  } else if (row.ended > row.assigned) {
    into.times.push(((row.ended - row.assigned) * speed) / 3.6e9);
    into.observed.push(false);
  }
}

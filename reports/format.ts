// Number formatting shared by the HTML page and the terminal table.
export function secs(s: number): string {
  if (!Number.isFinite(s)) return 'n/a';
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

export function usd(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 100 ? `$${x.toFixed(0)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`;
}

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : 'n/a';
}

/** Signed change of a ratio: 1.54 → "+54%". */
export function delta(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  const d = (ratio - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(Math.abs(d) < 10 ? 1 : 0)}%`;
}

export function pValue(p: number): string {
  if (!Number.isFinite(p)) return 'p –';
  return p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`;
}

/** A number to `digits` significant figures, without trailing zeros: 172.2447 → "172", 0.00004312 → "0.0000431". */
export function sig(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  return String(Number(x.toPrecision(digits)));
}

/** An amount with its currency named: "688 GLM", "0.0142 USD". */
export function money(x: number, currency: string): string {
  return Number.isFinite(x) ? `${sig(x)} ${currency}` : 'n/a';
}

/** Change with its interval, or "no change" when every value is identical (the same job outcomes on both). */
export function deltaWithCi(ratio: number, ci: readonly [number, number]): string {
  if (ratio === 1 && ci[0] === 1 && ci[1] === 1) return 'no change';
  if (!Number.isFinite(ratio)) return 'n/a';
  // A bound the data cannot give (a quantile past the censored tail) shows as "~" rather than a number.
  if (!Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return `${delta(ratio)} [${Number.isFinite(ci[0]) ? delta(ci[0]) : '~'}, ${Number.isFinite(ci[1]) ? delta(ci[1]) : '~'}]`;
  return `${delta(ratio)} [${delta(ci[0])}, ${delta(ci[1])}]`;
}

/** A target's latency quantile for a table: "n/a" when nothing completed (the store's quantile of no rows reads 0). */
export function latencyCell(t: { completed: number; latency: { p50: number; p90: number; p99: number } }, q: 'p50' | 'p90' | 'p99'): string {
  return t.completed ? secs(t.latency[q]) : 'n/a';
}

// Number formatting shared by the HTML page and the terminal table.
export function secs(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 1) return `${(s * 1000).toFixed(0)} ms`;
  if (s < 120) return `${s.toFixed(1)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  return `${(s / 3600).toFixed(2)} h`;
}

export function usd(x: number): string {
  if (!Number.isFinite(x)) return '–';
  return x >= 100 ? `$${x.toFixed(0)}` : x >= 1 ? `$${x.toFixed(2)}` : `$${x.toPrecision(3)}`;
}

export function pct(x: number, digits = 1): string {
  return Number.isFinite(x) ? `${(x * 100).toFixed(digits)}%` : '–';
}

/** Signed change of a ratio: 1.54 → "+54%". */
export function delta(ratio: number): string {
  if (!Number.isFinite(ratio)) return '–';
  const d = (ratio - 1) * 100;
  return `${d >= 0 ? '+' : ''}${d.toFixed(Math.abs(d) < 10 ? 1 : 0)}%`;
}

export function pValue(p: number): string {
  return p < 0.001 ? 'p<0.001' : `p=${p.toFixed(3)}`;
}

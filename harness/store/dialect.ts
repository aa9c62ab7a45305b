// What a ClickHouse server can do, from its version string. The DDL and the
// writer ask these questions instead of comparing versions themselves, so the
// one place that knows "LowCardinality arrived in 19.0" is here.
// Sources: ClickHouse changelogs — LowCardinality experimental in 18.12 and
// on by default in 19.0; column codecs in 19.1; table TTL in 19.6.

export interface ServerFeatures {
  /** e.g. "18.16.1" or "25.8.2.29". */
  version: string;
  lowCardinality: boolean;
  codecs: boolean;
  ttl: boolean;
  /** Takes ArrowStream input (Arrow arrived in the 20.x releases; 21.1 is a bound known to have it, not the first release). */
  arrowStream: boolean;
}

export function parseVersion(version: string): number[] {
  const m = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(version.trim());
  if (!m) return [0, 0, 0];
  return [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)];
}

function atLeast(v: number[], major: number, minor: number): boolean {
  return v[0]! > major || (v[0] === major && v[1]! >= minor);
}

export function featuresOf(version: string): ServerFeatures {
  const v = parseVersion(version);
  return { version, lowCardinality: atLeast(v, 19, 0), codecs: atLeast(v, 19, 1), ttl: atLeast(v, 19, 6), arrowStream: atLeast(v, 21, 1) };
}

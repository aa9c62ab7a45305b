// The CLI's parsers of option values, one set for every command. Each throws
// commander's InvalidArgumentError, so the message names the flag and the
// value ("option '--speed <factor>' argument 'x' is invalid. expected …").
import { InvalidArgumentError } from 'commander';

function finite(value: string): number {
  // Number('') is 0: an empty value is a typo, never zero.
  return value.trim() === '' ? NaN : Number(value);
}

/** A number for which `ok` holds; `want` says what is expected ("a number in (0, 1)"). */
export function numberWhere(ok: (n: number) => boolean, want: string): (value: string) => number {
  return (value) => {
    const n = finite(value);
    if (!Number.isFinite(n) || !ok(n)) throw new InvalidArgumentError(`expected ${want}, found "${value}"`);
    return n;
  };
}

/** A number > 0. */
export function positiveNumber(value: string): number {
  const n = finite(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`expected a number > 0, found "${value}"`);
  return n;
}

/** A number >= 0. */
export function nonNegativeNumber(value: string): number {
  const n = finite(value);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number >= 0, found "${value}"`);
  return n;
}

/** A whole number >= 0. */
export function nonNegativeInteger(value: string): number {
  const n = finite(value);
  if (!Number.isSafeInteger(n) || n < 0) throw new InvalidArgumentError(`expected a whole number >= 0, found "${value}"`);
  return n;
}

/** A whole number >= 1. */
export function positiveInteger(value: string): number {
  const n = finite(value);
  if (!Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number >= 1, found "${value}"`);
  return n;
}

/** A TCP port, 0 for any free one. */
export function port(value: string): number {
  const n = finite(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError(`expected a port 0-65535, found "${value}"`);
  return n;
}

/** Comma-separated numbers >= 0. */
export function numberList(value: string): number[] {
  const out = value.split(',').map((x) => finite(x));
  if (out.some((n) => !Number.isFinite(n) || n < 0)) throw new InvalidArgumentError(`expected comma-separated numbers >= 0, found "${value}"`);
  return out;
}

/**
 * An instant in ISO 8601 with its time zone (`2026-12-02T18:00:00Z`, `…+01:00`),
 * as epoch ms. A time without a zone is refused: workers in different pods must
 * not read it in different local times.
 */
export function isoInstant(value: string): number {
  const v = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/i.test(v) ? Date.parse(v) : NaN;
  if (!Number.isFinite(ms)) throw new InvalidArgumentError(`expected an ISO 8601 instant with its zone, e.g. 2026-12-02T18:00:00Z, found "${value}"`);
  return ms;
}

/** A shard `i/n` with 0 <= i < n. */
export function shard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = m ? Number(m[1]) : NaN;
  const count = m ? Number(m[2]) : NaN;
  if (!m || count < 1 || index >= count) throw new InvalidArgumentError(`expected i/n with 0 <= i < n, e.g. 0/4, found "${value}"`);
  return { index, count };
}

/** `name=value` pairs gathered into one record; a value that reads as a number becomes one. */
export function nameValue(value: string, previous: Record<string, unknown> = {}): Record<string, unknown> {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError(`expected name=value, found "${value}"`);
  const raw = value.slice(eq + 1);
  const num = finite(raw);
  return { ...previous, [value.slice(0, eq)]: Number.isFinite(num) ? num : raw };
}

// One error class per failure family, each with a stable code that scripts and
// stored rows can rely on. Messages say what was expected, what was found and
// where.

export type ErrorCode =
  | 'TRACE_FORMAT'
  | 'CONFIG_INVALID'
  | 'SCENARIO_INVALID'
  | 'STORE_UNAVAILABLE'
  | 'STORE_QUERY'
  | 'STORE_REJECTED'
  | 'TARGET_UNAVAILABLE'
  | 'TARGET_PROTOCOL'
  | 'REPORT_FAILED'
  | 'THRESHOLD_FAILED'
  | 'INTERRUPTED'
  | 'START_LATE'
  | 'USAGE';

export class MirrorbenchError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/**
 * A trace that cannot be used: a line that does not fit the job schema (names
 * file, line and field), or, with line 0, the file as a whole (missing, not
 * gzip, not Arrow, empty).
 */
export class TraceFormatError extends MirrorbenchError {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly field: string,
    readonly problem: string,
    options?: { cause?: unknown },
  ) {
    super('TRACE_FORMAT', line === 0 ? `${file}: ${problem}` : `${file}:${line}: field "${field}": ${problem}`, options);
  }

  /** A problem with the whole file rather than one of its lines. */
  static ofFile(file: string, problem: string, options?: { cause?: unknown }): TraceFormatError {
    return new TraceFormatError(file, 0, '(file)', problem, options);
  }
}

export class ConfigError extends MirrorbenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('CONFIG_INVALID', message, options);
  }
}

export class ScenarioError extends MirrorbenchError {
  constructor(
    readonly file: string,
    /** Each problem with its field path as written and, for YAML, its line. */
    readonly issues: readonly { path: string; message: string; line?: number }[],
  ) {
    super('SCENARIO_INVALID', `${file}: ${issues.map((i) => `${i.line ? `line ${i.line}: ` : ''}${i.path || '(root)'}: ${i.message}`).join('; ')}`);
  }
}

export class StoreError extends MirrorbenchError {
  /** STORE_UNAVAILABLE: may come back (retry, spool). STORE_QUERY: statement refused. STORE_REJECTED: rows refused as data (never retried as is). */
  constructor(code: 'STORE_UNAVAILABLE' | 'STORE_QUERY' | 'STORE_REJECTED', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}

export class TargetError extends MirrorbenchError {
  constructor(
    code: 'TARGET_UNAVAILABLE' | 'TARGET_PROTOCOL',
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(code, `${target}: ${message}`, options);
  }
}

export class ReportError extends MirrorbenchError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('REPORT_FAILED', message, options);
  }
}

/** Ctrl-C (or SIGTERM) stopped a command at a point where it has no result to give; the CLI exits 130. */
export class InterruptedError extends MirrorbenchError {
  constructor(message: string) {
    super('INTERRUPTED', message);
  }
}

/**
 * A worker of a sharded run reached the common start instant (--start-at) later
 * than its bound allows: its jobs would go out late by that much while the
 * other workers' went out on time, so it refuses to start (the CLI exits 5).
 */
export class StartLateError extends MirrorbenchError {
  constructor(
    readonly lateMs: number,
    readonly boundMs: number,
    message: string,
  ) {
    super('START_LATE', message);
  }
}

export class UsageError extends MirrorbenchError {
  constructor(message: string) {
    super('USAGE', message);
  }
}

/** The message of anything thrown, for logs and error details. */
export const errorMessage = (err: unknown): string => (err instanceof Error ? err.message : String(err));

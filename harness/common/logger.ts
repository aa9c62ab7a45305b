// pino, JSON when not on a terminal, pretty on one; secrets never printed.
import { pino, type Logger } from 'pino';
import { redactCredentials } from './redact.ts';

export type { Logger };

export const REDACT_PATHS = [
  'password',
  '*.password',
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'appKey',
  '*.appKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'url.password',
];

/** A log call's arguments with URL credentials taken out of its strings (the message and top-level fields such as err). */
function withoutCredentials(args: unknown[]): unknown[] {
  return args.map((a) => {
    if (typeof a === 'string') return redactCredentials(a);
    if (a && typeof a === 'object' && !Array.isArray(a)) {
      const o = a as Record<string, unknown>;
      if (Object.values(o).some((v) => typeof v === 'string' && v.includes('@'))) {
        return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'string' ? redactCredentials(v) : v]));
      }
    }
    return a;
  });
}

export function createLogger(opts: { level?: string; name?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.MIRRORBENCH_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && !process.env.CI);
  const base = {
    level,
    name: opts.name ?? 'mirrorbench',
    redact: { paths: REDACT_PATHS, censor: '[redacted]' },
    hooks: {
      logMethod(this: Logger, args: Parameters<pino.LogFn>, method: pino.LogFn) {
        return method.apply(this, withoutCredentials(args) as Parameters<pino.LogFn>);
      },
    },
  };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino(base, (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}

/** A logger that discards everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

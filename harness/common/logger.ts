// pino, JSON when not on a terminal, pretty on one; secrets never printed.
import { pino, type Logger } from 'pino';

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

export function createLogger(opts: { level?: string; name?: string; pretty?: boolean; destination?: NodeJS.WritableStream } = {}): Logger {
  const level = opts.level ?? process.env.MIRRORBENCH_LOG_LEVEL ?? 'info';
  const pretty = opts.pretty ?? (process.stderr.isTTY === true && !process.env.CI);
  const base = { level, name: opts.name ?? 'mirrorbench', redact: { paths: REDACT_PATHS, censor: '[redacted]' } };
  if (pretty) {
    return pino({ ...base, transport: { target: 'pino-pretty', options: { destination: 2, colorize: true, ignore: 'pid,hostname' } } });
  }
  return pino(base, (opts.destination as pino.DestinationStream | undefined) ?? pino.destination(2));
}

/** A logger that discards everything (tests, library use). */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}

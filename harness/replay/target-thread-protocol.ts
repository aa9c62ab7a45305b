// Messages between the release clock's thread and a target's worker thread
// (target-thread.ts, target-thread-worker.ts). Only structured-cloneable data.
import type { TableName } from '../events/schema.ts';
import type { TargetInfoOut } from '../proto/types.ts';
import type { Job } from '../trace/job.ts';
import type { TargetClientOptions, TargetEndpoint } from './target-client.ts';

/** The target client's options that can cross to its thread (no clock, logger, sink or request encoder: the thread has its own). */
export type ThreadInit = Omit<TargetClientOptions, 'clock' | 'logger' | 'sink' | 'requests'> & {
  endpoint: TargetEndpoint;
  /** The caller's log level; the worker logs through it (as 'log' messages). */
  logLevel: string;
};

/** A released job: submit (w = 0) or withhold (w = 1), with its intended time. */
export type JobItem = [w: 0 | 1, job: Job, intendedAtUs: number];

export type ToThread =
  | { t: 'jobs'; items: JobItem[] }
  | { t: 'describe'; id: number; timeoutMs?: number }
  | { t: 'unavailable'; reason: string }
  | { t: 'watch' }
  | { t: 'idle'; id: number }
  | { t: 'halt' }
  | { t: 'cancelAll' }
  | { t: 'close'; id: number };

export interface ThreadCounters {
  sent: number;
  done: number;
  completed: number;
  failed: number;
  inFlight: number;
  queued: number;
  withheld: number;
  unfinished: number;
  queuedMax: number;
}

export interface ThreadErrorOut {
  name: string;
  code?: string;
  target?: string;
  message: string;
}

export type FromThread =
  | { t: 'rows'; rows: [TableName, unknown][]; counters: ThreadCounters; kind: string }
  | { t: 'reply'; id: number; ok: true; value?: TargetInfoOut }
  | { t: 'reply'; id: number; ok: false; error: ThreadErrorOut }
  | { t: 'log'; line: string };

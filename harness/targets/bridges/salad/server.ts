// The baseline bridge: a ComputeTarget gRPC server in front of a SaladCloud
// job queue. A job becomes a queue job; its events (created, started,
// succeeded, failed, cancelled) become JobEvents — a second `started` means
// the instance running it was interrupted and the queue retried it, so it is a
// provider loss and a retry. Prices come from the GPU class endpoint at start
// and are stored with the run through Describe. Instances come and go on
// WatchProviders. The harness does not change.
import { systemClock, type Clock } from '../../../common/clock.ts';
import { silentLogger, type Logger } from '../../../common/logger.ts';
import type { ProviderEvent } from '../../../proto/types.ts';
import { startTargetServer } from '../../common/server.ts';
import type { RunningTarget } from '../../common/sim-server.ts';
import { cancelHandler, openRun, ProviderBroadcast } from '../common.ts';
import { SaladApi, SaladApiError, type QueueJob, type SaladConfig } from './api.ts';
import { errorMessage } from '../../../common/errors.ts';
import { markEvents, marksFromOutput } from '../stream-marks.ts';
import { type TargetHandlers } from '../../../proto/run-many-server.ts';

export interface SaladBridgeOptions {
  api: SaladConfig;
  gpuClass: string;
  priority: 'high' | 'medium' | 'low' | 'batch';
  pollMs?: number;
  host?: string;
  port?: number;
  clock?: Clock;
  logger?: Logger;
}

const toUs = (iso: string) => Date.parse(iso) * 1000;

export async function startSaladBridge(opts: SaladBridgeOptions): Promise<RunningTarget> {
  const api = new SaladApi(opts.api);
  const clock = opts.clock ?? systemClock();
  const logger = opts.logger ?? silentLogger();
  const pollMs = opts.pollMs ?? 2_000;
  // Live price of the configured class and priority, read once at start.
  const classes = (await api.gpuClasses()).items;
  const cls = classes.find((c) => c.name === opts.gpuClass || c.id === opts.gpuClass);
  const pricePerHour = Number(cls?.prices.find((p) => p.priority === opts.priority)?.price ?? NaN);
  if (!Number.isFinite(pricePerHour)) throw new SaladApiError(404, `no ${opts.priority} price for GPU class "${opts.gpuClass}"`);
  const running = new Map<string, () => void>();
  const providers = new ProviderBroadcast();
  let known = new Set<string>();
  const watchTimer = setInterval(() => {
    if (providers.size === 0) return;
    api.instances().then(
      ({ instances }) => {
        const now = new Set(instances.filter((i) => i.state === 'running').map((i) => i.instance_id));
        const changes: ProviderEvent[] = [];
        for (const id of now) if (!known.has(id)) changes.push({ providerId: id, online: true, gpuClass: opts.gpuClass, region: 'saladcloud', reason: 'running', atUs: clock.nowUs() });
        for (const id of known) if (!now.has(id)) changes.push({ providerId: id, online: false, gpuClass: opts.gpuClass, region: 'saladcloud', reason: 'instance gone (interrupted or reallocated)', atUs: clock.nowUs() });
        known = now;
        for (const c of changes) providers.publish(c);
      },
      (err: unknown) => logger.warn({ err: errorMessage(err) }, 'SaladCloud instances poll failed'),
    );
  }, pollMs);
  watchTimer.unref();

  const handlers: TargetHandlers = {
    Describe: (_call, cb) =>
      cb(null, {
        name: 'saladcloud',
        kind: 'BASELINE',
        gpuClasses: [{ gpuClass: opts.gpuClass, pricePerGpuHour: pricePerHour, priority: opts.priority, capacity: 0 }],
        priceModel: `per GPU-second while running, ${opts.priority} priority (live price at start)`,
        currency: 'USD',
        parameters: { source: 'SaladCloud public API', queue: opts.api.queue, container_group: opts.api.containerGroup, price_per_hour: `${pricePerHour} USD [S] /gpu-classes at run start` },
        version: 'salad-bridge-1',
        seed: 0,
      }),
    Run: (call) => {
      let queueJobId: string | undefined;
      let timer: NodeJS.Timeout | undefined;
      const run = openRun(call, running, () => {
        if (queueJobId) void api.deleteJob(queueJobId).catch(() => undefined);
        write({ type: 'CANCELLED', atUs: clock.nowUs(), attempt: 1 });
        finish();
      });
      if (!run) return;
      const { req, write } = run;
      const finish = (end = true) => {
        if (timer) clearTimeout(timer);
        run.close({ end });
      };
      const fail = (errorClass: string, detail: string) => {
        write({ type: 'FAILED', atUs: clock.nowUs(), attempt: 1, errorClass, detail, currency: 'USD', amount: 0, amountUsd: 0 });
        finish();
      };
      call.on('cancelled', () => {
        if (queueJobId && !run.closed) void api.deleteJob(queueJobId).catch(() => undefined);
        finish(false);
      });
      let seen = 0;
      let attempt = 0;
      let startedUs = 0;
      let billedSeconds = 0;
      const onEvents = (job: QueueJob): boolean => {
        for (const e of job.events.slice(seen)) {
          seen++;
          const at = toUs(e.time);
          if (e.action === 'started') {
            if (attempt > 0) {
              // The queue started it again: the instance running it was lost.
              billedSeconds += Math.max(0, (at - startedUs) / 1e6);
              write({ type: 'PROVIDER_LOST', atUs: at, attempt, reason: 'instance interrupted (job restarted by the queue)' });
              write({ type: 'RETRYING', atUs: at, attempt: attempt + 1, reason: 'instance interrupted' });
            }
            attempt++;
            startedUs = at;
            write({ type: 'PROVIDER_ASSIGNED', atUs: at, attempt, pricePerHour, currency: 'USD', gpuClass: opts.gpuClass });
            write({ type: 'STARTED', atUs: at, attempt });
          } else if (e.action === 'succeeded' || e.action === 'failed') {
            if (startedUs) billedSeconds += Math.max(0, (at - startedUs) / 1e6);
            const amount = (billedSeconds / 3600) * pricePerHour * Math.max(1, req.job.gpuCount);
            // A streaming workload's marks in the job's output: its first token and tokens, after the last start (stream-marks.ts).
            const marks = e.action === 'succeeded' ? marksFromOutput(job.output) : { progress: [] };
            if (startedUs) for (const m of markEvents(marks, { startedUs, attempt: Math.max(1, attempt) })) write(m);
            write({
              type: e.action === 'succeeded' ? 'COMPLETED' : 'FAILED',
              atUs: at,
              attempt: Math.max(1, attempt),
              errorClass: e.action === 'failed' ? 'job_failed' : '',
              amount,
              amountUsd: amount,
              currency: 'USD',
              billedGpuSeconds: billedSeconds * Math.max(1, req.job.gpuCount),
              tokens: marks.outputTokens ?? marks.progress.at(-1)?.n ?? 0,
            });
            finish();
            return true;
          } else if (e.action === 'cancelled') {
            write({ type: 'CANCELLED', atUs: at, attempt: Math.max(1, attempt) });
            finish();
            return true;
          }
        }
        return false;
      };
      const poll = () => {
        if (run.closed || !queueJobId) return;
        api.getJob(queueJobId).then(
          (job) => {
            if (!onEvents(job) && !run.closed) timer = setTimeout(poll, pollMs);
          },
          (err: unknown) => fail(err instanceof SaladApiError && (err.status === 401 || err.status === 403) ? 'auth_failed' : 'api_error', errorMessage(err)),
        );
      };
      api
        .createJob({ job_id: req.jobId, task_type: req.job.taskType, work_seconds: req.job.workSeconds, input_bytes: req.job.inputBytes }, { mirrorbench_run: req.runId, mirrorbench_job: req.jobId })
        .then(
          (job) => {
            queueJobId = job.id;
            write({ type: 'QUEUED', atUs: toUs(job.create_time), attempt: 1 });
            seen = job.events.filter((e) => e.action === 'created').length;
            timer = setTimeout(poll, pollMs);
          },
          (err: unknown) => fail(err instanceof SaladApiError && (err.status === 401 || err.status === 403) ? 'auth_failed' : 'api_error', errorMessage(err)),
        );
    },
    WatchProviders: (call) => providers.add(call, [...known].map((id) => ({ providerId: id, online: true, gpuClass: opts.gpuClass, region: 'saladcloud', reason: 'running', atUs: clock.nowUs() }))),
    WatchPrices: (call) => {
      call.write({ currency: 'USD', usdRate: 1, atUs: clock.nowUs() });
    },
    Cancel: cancelHandler(running),
  };
  const server = await startTargetServer(handlers, { host: opts.host, port: opts.port });
  return {
    name: 'saladcloud',
    kind: 'baseline',
    address: server.address,
    port: server.port,
    stop: async () => {
      clearInterval(watchTimer);
      await server.stop();
    },
  };
}

// A ComputeTarget with scripted behaviour for replay tests: answers well,
// hangs, sends garbage, or fails — over a real gRPC server on loopback.
import * as grpc from '@grpc/grpc-js';
import { computeTargetService } from '../../harness/proto/load.ts';
import type { JobEvent } from '../../harness/proto/types.ts';
import { type TargetHandlers, withRunMany } from '../../harness/proto/run-many-server.ts';

/**
 * 'ok' follows the job's trace timeline (QUEUED … SETTLED, ending 2 s + work after
 * the intended time at speed 1); 'instant' answers at once with COMPLETED and
 * SETTLED only: the trivial target the replay bench measures the harness against.
 */
export type Behaviour = 'ok' | 'instant' | 'hang' | 'garbage' | 'fail' | 'close-without-outcome';

export interface ScriptedTarget {
  address: string;
  port: number;
  runs: string[];
  stop(): Promise<void>;
  /** Kills the server at once, as a crash would. */
  kill(): void;
}

export async function startScriptedTarget(opts: { behaviour: Behaviour | ((jobId: string) => Behaviour); kind?: 'BASELINE' | 'DECENTRALIZED'; port?: number }): Promise<ScriptedTarget> {
  const server = new grpc.Server();
  const runs: string[] = [];
  const behaviourOf = (id: string) => (typeof opts.behaviour === 'function' ? opts.behaviour(id) : opts.behaviour);
  const handlers: TargetHandlers = {
    Describe: (_call, cb) => cb(null, { name: 'scripted', kind: opts.kind ?? 'BASELINE', currency: 'USD', priceModel: 'flat', gpuClasses: [], parameters: {} }),
    Run: (call) => {
      const req = call.request;
      runs.push(req.jobId);
      const b = behaviourOf(req.jobId);
      const base = req.intendedAtUs;
      const ev = (type: JobEvent['type'], offsetTraceS: number, extra: Partial<JobEvent> = {}): JobEvent => ({
        jobId: req.jobId, type, atUs: base + Math.round((offsetTraceS * 1e6) / req.speed), attempt: 1, ...extra,
      });
      if (b === 'hang') return; // never answers; the client's deadline ends it
      if (b === 'garbage') {
        call.write({ jobId: 'someone-else', type: 'STARTED', atUs: base });
        return;
      }
      const work = req.job?.workSeconds ?? 1;
      if (b === 'instant') {
        const cost = (work / 3600) * 0.3;
        call.write(ev('COMPLETED', work, { amount: cost, amountUsd: cost, currency: 'USD', billedGpuSeconds: work }));
        call.write(ev('SETTLED', work, { amount: cost, amountUsd: cost, currency: 'USD', usdRate: 1 }));
        call.end();
        return;
      }
      const timer = setTimeout(() => {
        call.write(ev('QUEUED', 0));
        call.write(ev('PROVIDER_ASSIGNED', 1, { providerId: 'p1', pricePerHour: 0.3 }));
        call.write(ev('STARTED', 2, { providerId: 'p1' }));
        if (b === 'close-without-outcome') return call.end();
        if (b === 'fail') {
          call.write(ev('FAILED', 2 + work / 2, { errorClass: 'scripted_failure' }));
        } else {
          const cost = (work / 3600) * 0.3;
          call.write(ev('COMPLETED', 2 + work, { amount: cost, amountUsd: cost, currency: 'USD', billedGpuSeconds: work }));
          call.write(ev('SETTLED', 2 + work, { amount: cost, amountUsd: cost, currency: 'USD', usdRate: 1 }));
        }
        call.end();
      }, Math.max(0, (base + ((2 + work) * 1e6) / req.speed) / 1000 - Date.now()));
      call.on('cancelled', () => clearTimeout(timer));
    },
    WatchProviders: (call) => {
      call.write({ providerId: 'p1', online: true, atUs: Date.now() * 1000, gpuClass: 'rtx4090' });
    },
    WatchPrices: (call) => {
      call.write({ currency: 'USD', usdRate: 1, atUs: Date.now() * 1000 });
    },
    Cancel: (_call, cb) => cb(null, { found: false }),
  };
  server.addService(computeTargetService(), withRunMany(handlers));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`127.0.0.1:${opts.port ?? 0}`, grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `127.0.0.1:${port}`,
    port,
    runs,
    stop: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())),
    kill: () => server.forceShutdown(),
  };
}

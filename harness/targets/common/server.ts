// gRPC server plumbing every target shares: bind on loopback, stop cleanly.
import * as grpc from '@grpc/grpc-js';
import { computeTargetService } from '../../proto/load.ts';
import { type TargetHandlers, withRunMany } from '../../proto/run-many-server.ts';

export interface RunningServer {
  address: string;
  port: number;
  stop(): Promise<void>;
}

export async function startTargetServer(
  handlers: TargetHandlers,
  /** `credentials`: TLS (grpc.ServerCredentials.createSsl); plaintext by default, as on loopback. */
  opts: { host?: string; port?: number; credentials?: grpc.ServerCredentials } = {},
): Promise<RunningServer> {
  const server = new grpc.Server({ 'grpc.max_concurrent_streams': 100_000 });
  server.addService(computeTargetService(), withRunMany(handlers));
  const host = opts.host ?? '127.0.0.1';
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${opts.port ?? 0}`, opts.credentials ?? grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
  );
  return {
    address: `${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        // Open Watch streams never end by themselves: force after a short grace.
        const force = setTimeout(() => {
          server.forceShutdown();
          resolve();
        }, 1_000);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      }),
  };
}

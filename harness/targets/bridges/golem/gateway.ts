// A retrying gateway between golem-js and yagna, on loopback. golem-js passes
// a 429 or a 503 straight up — and a failed demand publish escapes as an
// unhandled rxjs error that would take the process down — so the bridge
// points golem-js here instead. 429 waits Retry-After and is sent again (the
// node did not act on it); 502/503/504 and refused connections are sent again
// with backoff only when repeating the request is harmless (reads, deletes,
// accepting a debit note or invoice, confirming/waiting/terminating an
// agreement). Everything else — a 500, a 4xx, a POST that creates something —
// reaches golem-js unchanged.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { silentLogger, type Logger } from '../../../common/logger.ts';

export interface GatewayOptions {
  /** yagna's REST base URL, e.g. http://127.0.0.1:7465 */
  target: string;
  /** Resends of one request before its last answer is passed on. */
  retries: number;
  /** A Retry-After longer than this is capped (a stalled job is worse than a second 429). */
  maxRetryAfterSec: number;
  /** First backoff after a 5xx or refused connection; doubles per try. */
  baseDelayMs: number;
  logger?: Logger;
}

export interface GatewayStats {
  rateLimited: number;
  serverErrors: number;
  networkErrors: number;
  resent: number;
  gaveUp: number;
}

export interface RunningGateway {
  url: string;
  stats: GatewayStats;
  /** Called with the status of every answer passed on to golem-js (the bridge watches for 401). */
  onStatus?: (status: number) => void;
  stop(): Promise<void>;
}

const RESENDABLE_POST = /\/(accept|reject|confirm|wait|terminate)$/;
const HOP_HEADERS = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive']);

export function resendable(method: string, path: string): boolean {
  return method === 'GET' || method === 'HEAD' || method === 'DELETE' || (method === 'POST' && RESENDABLE_POST.test(path));
}

/** Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); undefined when absent or unreadable. */
export function retryAfterSeconds(header: string | null, nowMs: number): number | undefined {
  if (!header) return undefined;
  const n = Number(header);
  if (Number.isFinite(n)) return Math.max(0, n);
  const at = Date.parse(header);
  return Number.isFinite(at) ? Math.max(0, (at - nowMs) / 1000) : undefined;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export async function startYagnaGateway(opts: GatewayOptions): Promise<RunningGateway> {
  const logger = opts.logger ?? silentLogger();
  const stats: GatewayStats = { rateLimited: 0, serverErrors: 0, networkErrors: 0, resent: 0, gaveUp: 0 };
  const target = opts.target.replace(/\/+$/, '');
  const sockets = new Set<import('node:net').Socket>();
  const inflight = new Set<AbortController>();
  const running: Partial<RunningGateway> = {};

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ac = new AbortController();
      inflight.add(ac);
      res.on('close', () => {
        ac.abort();
        inflight.delete(ac);
      });
      void forward(req, res, chunks.length ? Buffer.concat(chunks) : undefined, ac.signal);
    });
  });

  async function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | undefined, signal: AbortSignal): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_HEADERS.has(k) && typeof v === 'string') headers[k] = v;
    const canResend = resendable(method, path);
    for (let attempt = 0; ; attempt++) {
      let answer: Response | undefined;
      let failure: unknown;
      try {
        answer = await fetch(`${target}${req.url ?? '/'}`, { method, headers, body, signal });
      } catch (err) {
        failure = err;
      }
      if (signal.aborted) return;
      const last = attempt >= opts.retries;
      if (answer?.status === 429 && !last) {
        stats.rateLimited++;
        stats.resent++;
        const wait = Math.min(opts.maxRetryAfterSec, retryAfterSeconds(answer.headers.get('retry-after'), Date.now()) ?? opts.baseDelayMs / 1000);
        logger.warn({ method, path, waitS: wait }, 'yagna answered 429; waiting Retry-After');
        await answer.body?.cancel();
        await sleep(wait * 1000, signal);
        continue;
      }
      const transient = failure !== undefined || answer?.status === 502 || answer?.status === 503 || answer?.status === 504;
      if (transient && canResend && !last) {
        if (failure) stats.networkErrors++;
        else stats.serverErrors++;
        stats.resent++;
        const wait = opts.baseDelayMs * 2 ** attempt;
        logger.warn({ method, path, status: answer?.status, err: failure instanceof Error ? failure.message : undefined, waitMs: wait }, 'yagna unavailable; sending again');
        await answer?.body?.cancel();
        await sleep(wait, signal);
        continue;
      }
      if (transient || answer?.status === 429) stats.gaveUp++;
      if (!answer) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `yagna unreachable at ${target}: ${failure instanceof Error ? failure.message : String(failure)}` }));
        return;
      }
      running.onStatus?.(answer.status);
      const out: Record<string, string> = {};
      answer.headers.forEach((v, k) => {
        if (!HOP_HEADERS.has(k) && k !== 'content-encoding') out[k] = v;
      });
      res.writeHead(answer.status, out);
      if (!answer.body) {
        res.end();
        return;
      }
      // Streamed, so yagna's server-sent exec events pass through as they come.
      Readable.fromWeb(answer.body as import('node:stream/web').ReadableStream<Uint8Array>)
        .on('error', () => res.destroy())
        .pipe(res);
      return;
    }
  }

  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return Object.assign(running, {
    url: `http://127.0.0.1:${port}`,
    stats,
    stop: async () => {
      for (const ac of inflight) ac.abort();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  });
}

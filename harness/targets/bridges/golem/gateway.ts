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
import https from 'node:https';
import { silentLogger, type Logger } from '../../../common/logger.ts';
import { errorMessage } from '../../../common/errors.ts';
import { backoffMs, retryAfterSeconds, sleep } from '../../../common/retry.ts';

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
      // golem-js gave up on the call (its own timeout): stop waiting on yagna too. A finished answer keeps its socket.
      res.on('close', () => {
        if (!res.writableFinished) ac.abort();
        inflight.delete(ac);
      });
      void forward(req, res, chunks.length ? Buffer.concat(chunks) : undefined, ac.signal);
    });
  });

  // Keep-alive to yagna: golem-js makes tens of calls per rental, most of them short polls.
  const agent = new (target.startsWith('https:') ? https.Agent : http.Agent)({ keepAlive: true, maxSockets: 256 });
  const send = (method: string, url: string, headers: Record<string, string>, body: Buffer | undefined, signal: AbortSignal) =>
    new Promise<http.IncomingMessage>((resolve, reject) => {
      const out = (target.startsWith('https:') ? https : http).request(`${target}${url}`, { method, headers: body ? { ...headers, 'content-length': String(body.length) } : headers, agent, signal }, resolve);
      out.on('error', reject);
      out.end(body);
    });

  async function forward(req: http.IncomingMessage, res: http.ServerResponse, body: Buffer | undefined, signal: AbortSignal): Promise<void> {
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0]!;
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_HEADERS.has(k) && typeof v === 'string') headers[k] = v;
    const canResend = resendable(method, path);
    for (let attempt = 0; ; attempt++) {
      let answer: http.IncomingMessage | undefined;
      let failure: unknown;
      try {
        answer = await send(method, req.url ?? '/', headers, body, signal);
      } catch (err) {
        failure = err;
      }
      if (signal.aborted) {
        answer?.destroy();
        return;
      }
      const status = answer?.statusCode ?? 0;
      const last = attempt >= opts.retries;
      if (status === 429 && !last) {
        stats.rateLimited++;
        stats.resent++;
        const header = answer!.headers['retry-after'];
        const wait = Math.min(opts.maxRetryAfterSec, retryAfterSeconds(typeof header === 'string' ? header : undefined, Date.now()) ?? opts.baseDelayMs / 1000);
        logger.warn({ method, path, waitS: wait }, 'yagna answered 429; waiting Retry-After');
        answer!.resume();
        await sleep(wait * 1000, signal);
        continue;
      }
      const transient = failure !== undefined || status === 502 || status === 503 || status === 504;
      if (transient && canResend && !last) {
        if (failure) stats.networkErrors++;
        else stats.serverErrors++;
        stats.resent++;
        const wait = backoffMs(attempt, { baseMs: opts.baseDelayMs });
        logger.warn({ method, path, status: answer?.statusCode, err: failure instanceof Error ? failure.message : undefined, waitMs: wait }, 'yagna unavailable; sending again');
        answer?.resume();
        await sleep(wait, signal);
        continue;
      }
      if (transient || status === 429) stats.gaveUp++;
      if (!answer) {
        res.writeHead(502, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: `yagna unreachable at ${target}: ${errorMessage(failure)}` }));
        return;
      }
      running.onStatus?.(status);
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined && !HOP_HEADERS.has(k)) out[k] = v;
      res.writeHead(status, out);
      // Streamed, so yagna's server-sent exec events pass through as they come.
      answer.on('error', () => res.destroy()).pipe(res);
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
      agent.destroy();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      });
    },
  });
}

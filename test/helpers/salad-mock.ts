// A local stand-in for the part of SaladCloud's public API the bridge calls,
// shaped after its OpenAPI spec (QueueJob with status and events, ProblemDetails
// errors, Salad-Api-Key auth), with the unhappy paths on demand: an expired
// key, 429 with Retry-After, a 5xx, and an instance interrupted mid-job (the
// queue starts the job again).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

interface MockJob {
  id: string;
  createdMs: number;
  input: { job_id: string };
  cancelled: boolean;
}

export interface SaladMock {
  url: string;
  requests: { method: string; path: string; status: number }[];
  /** Instances the container group reports as running. */
  instances: string[];
  /** The next N requests of this kind answer 429 (Retry-After: 1) or 500. */
  inject(kind: '429' | '500', times?: number): void;
  close(): Promise<void>;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function startSaladMock(opts: { validKey: string; runMs?: number } = { validKey: 'good-key' }): Promise<SaladMock> {
  const jobs = new Map<string, MockJob>();
  const requests: SaladMock['requests'] = [];
  const faults: ('429' | '500')[] = [];
  const runMs = opts.runMs ?? 150;
  const state = { instances: ['inst-a', 'inst-b'] };

  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': status >= 400 ? 'application/problem+json' : 'application/json', ...headers });
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const problem = (status: number, title: string, detail: string) => ({ type: 'about:blank', title, status, detail });

  const view = (j: MockJob) => {
    // Behaviour by job id: "-interrupt" is started twice, "-fail" fails, "-stream" succeeds with stream marks in its output
    // (a streaming LLM workload's first token and tokens, harness/targets/bridges/stream-marks.ts); others succeed.
    const age = Date.now() - j.createdMs;
    const events: { action: string; time: string }[] = [{ action: 'created', time: iso(j.createdMs) }];
    let status = 'pending';
    const interrupt = j.input.job_id.endsWith('-interrupt');
    const startAt = 40;
    const restartAt = startAt + runMs / 2;
    const endAt = startAt + runMs + (interrupt ? runMs / 2 : 0);
    if (j.cancelled) return { status: 'cancelled', events: [...events, { action: 'cancelled', time: iso(Date.now()) }] };
    if (age >= startAt) {
      events.push({ action: 'started', time: iso(j.createdMs + startAt) });
      status = 'running';
    }
    if (interrupt && age >= restartAt) events.push({ action: 'started', time: iso(j.createdMs + restartAt) });
    if (age >= endAt) {
      const failed = j.input.job_id.endsWith('-fail');
      events.push({ action: failed ? 'failed' : 'succeeded', time: iso(j.createdMs + endAt) });
      status = failed ? 'failed' : 'succeeded';
      if (!failed && j.input.job_id.endsWith('-stream')) return { status, events, output: { text: '…', mirrorbench: { first_token_ms: runMs / 4, output_tokens: 40, tokens: [{ ms: runMs / 2, n: 20 }] } } };
    }
    return { status, events };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const path = (req.url ?? '').replace(/\?.*$/, '');
    const record = (status: number) => requests.push({ method: req.method ?? '', path, status });
    if (req.headers['salad-api-key'] !== opts.validKey) {
      record(401);
      return send(res, 401, problem(401, 'Unauthorized', 'The API key is invalid or has expired.'));
    }
    const fault = faults.shift();
    if (fault === '429') {
      record(429);
      return send(res, 429, problem(429, 'Too Many Requests', 'Rate limit exceeded.'), { 'retry-after': '1' });
    }
    if (fault === '500') {
      record(500);
      return send(res, 500, problem(500, 'Internal Server Error', 'Try again.'));
    }
    let m: RegExpExecArray | null;
    if (req.method === 'GET' && /^\/organizations\/[^/]+\/gpu-classes$/.test(path)) {
      record(200);
      return send(res, 200, { items: [{ id: 'ed563892-aacd-40f5-80b7-90c9be6c759b', name: 'rtx4090', prices: [{ priority: 'high', price: '0.300' }, { priority: 'batch', price: '0.160' }], is_high_demand: false }] });
    }
    if (req.method === 'GET' && /^\/organizations\/[^/]+\/projects\/[^/]+\/containers\/[^/]+\/instances$/.test(path)) {
      record(200);
      return send(res, 200, { instances: state.instances.map((id) => ({ instance_id: id, state: 'running', update_time: iso(Date.now()) })) });
    }
    if (req.method === 'POST' && /^\/organizations\/[^/]+\/projects\/[^/]+\/queues\/[^/]+\/jobs$/.test(path)) {
      let body = '';
      for await (const chunk of req) body += chunk;
      const parsed = JSON.parse(body || '{}') as { input?: { job_id: string } };
      if (!parsed.input) {
        record(400);
        return send(res, 400, problem(400, 'Bad Request', 'input is required'));
      }
      const job: MockJob = { id: randomUUID(), createdMs: Date.now(), input: parsed.input, cancelled: false };
      jobs.set(job.id, job);
      record(201);
      return send(res, 201, { id: job.id, input: job.input, ...view(job), create_time: iso(job.createdMs), update_time: iso(job.createdMs) }, { location: `${path}/${job.id}` });
    }
    if ((m = /^\/organizations\/[^/]+\/projects\/[^/]+\/queues\/[^/]+\/jobs\/([^/]+)$/.exec(path))) {
      const job = jobs.get(m[1]!);
      if (!job) {
        record(404);
        return send(res, 404, problem(404, 'Not Found', 'The queue job could not be found.'));
      }
      if (req.method === 'DELETE') {
        job.cancelled = true;
        record(202);
        return send(res, 202);
      }
      record(200);
      return send(res, 200, { id: job.id, input: job.input, ...view(job), create_time: iso(job.createdMs), update_time: iso(Date.now()) });
    }
    record(404);
    send(res, 404, problem(404, 'Not Found', `no route ${req.method} ${path}`));
  };

  const server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    get instances() {
      return state.instances;
    },
    set instances(v: string[]) {
      state.instances = v;
    },
    inject(kind, times = 1) {
      for (let i = 0; i < times; i++) faults.push(kind);
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

// The subset of SaladCloud's public REST API the bridge calls, shaped after
// its OpenAPI spec (api.salad.com/api/public, header Salad-Api-Key): job
// queues (create, get, delete a job), GPU classes (live prices per priority),
// and container group instances. 429 is answered by waiting Retry-After; 5xx
// and network errors are retried with backoff; 401/403 fail at once.
import { errorMessage, TargetError } from '../../../common/errors.ts';
import { backoffMs, retryAfterSeconds, sleep } from '../../../common/retry.ts';

export interface SaladConfig {
  baseUrl: string;
  apiKey: string;
  organization: string;
  project: string;
  queue: string;
  containerGroup: string;
  /** Retries of a 5xx or network error before giving up. */
  retries?: number;
  fetchImpl?: typeof fetch;
}

export type QueueJobStatus = 'pending' | 'running' | 'succeeded' | 'cancelled' | 'failed';

export interface QueueJob {
  id: string;
  status: QueueJobStatus;
  events: { action: 'created' | 'started' | 'succeeded' | 'cancelled' | 'failed'; time: string }[];
  output?: unknown;
  create_time: string;
  update_time: string;
}

export interface GpuClass {
  id: string;
  name: string;
  prices: { priority: string; price: string }[];
}

export interface Instance {
  instance_id: string;
  machine_id?: string;
  state: string;
  update_time: string;
}

export class SaladApiError extends TargetError {
  constructor(
    readonly status: number,
    detail: string,
  ) {
    super(status === 401 || status === 403 ? 'TARGET_UNAVAILABLE' : 'TARGET_PROTOCOL', 'salad', `SaladCloud API ${status}: ${detail}`);
  }
}

export class SaladApi {
  private readonly f: typeof fetch;
  constructor(private readonly cfg: SaladConfig) {
    this.f = cfg.fetchImpl ?? fetch;
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const retries = this.cfg.retries ?? 4;
    for (let attempt = 0; ; attempt++) {
      let res: Response;
      try {
        res = await this.f(`${this.cfg.baseUrl}${path}`, {
          method,
          headers: { 'Salad-Api-Key': this.cfg.apiKey, 'content-type': 'application/json', accept: 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(30_000),
        });
      } catch (err) {
        if (attempt >= retries) throw new SaladApiError(0, `unreachable: ${errorMessage(err)}`);
        await sleep(backoffMs(attempt, { baseMs: 250 }));
        continue;
      }
      if (res.status === 429) {
        // Rate limited: wait what the API asks (seconds or a date), or back off.
        const after = retryAfterSeconds(res.headers.get('retry-after'), Date.now());
        await sleep(after !== undefined && after > 0 ? after * 1000 : backoffMs(attempt, { baseMs: 500 }));
        if (attempt < retries + 10) continue;
      }
      if (res.status >= 500 && attempt < retries) {
        await sleep(backoffMs(attempt, { baseMs: 250 }));
        continue;
      }
      if (!res.ok) {
        const problem = (await res.json().catch(() => ({}))) as { title?: string; detail?: string };
        throw new SaladApiError(res.status, problem.detail ?? problem.title ?? res.statusText);
      }
      return (res.status === 202 || res.status === 204 ? undefined : await res.json()) as T;
    }
  }

  private get project(): string {
    return `/organizations/${encodeURIComponent(this.cfg.organization)}/projects/${encodeURIComponent(this.cfg.project)}`;
  }

  createJob(input: unknown, metadata: Record<string, string>): Promise<QueueJob> {
    return this.call('POST', `${this.project}/queues/${encodeURIComponent(this.cfg.queue)}/jobs`, { input, metadata });
  }

  getJob(id: string): Promise<QueueJob> {
    return this.call('GET', `${this.project}/queues/${encodeURIComponent(this.cfg.queue)}/jobs/${encodeURIComponent(id)}`);
  }

  deleteJob(id: string): Promise<void> {
    return this.call('DELETE', `${this.project}/queues/${encodeURIComponent(this.cfg.queue)}/jobs/${encodeURIComponent(id)}`);
  }

  gpuClasses(): Promise<{ items: GpuClass[] }> {
    return this.call('GET', `/organizations/${encodeURIComponent(this.cfg.organization)}/gpu-classes`);
  }

  instances(): Promise<{ instances: Instance[] }> {
    return this.call('GET', `${this.project}/containers/${encodeURIComponent(this.cfg.containerGroup)}/instances`);
  }
}

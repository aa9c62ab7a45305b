// Announces a failed gate, a regression or a failed run by POSTing JSON to a
// webhook. A webhook that is down never stops a campaign: three tries with
// backoff, then a logged error.
import type { Logger } from '../common/logger.ts';
import { errorMessage } from '../common/errors.ts';
import { retry } from '../common/retry.ts';

/** A webhook's error status, carried from a try to the log line (never thrown out of notify). */
class WebhookStatus extends Error {
  constructor(readonly status: number) {
    super(`webhook answered ${status}`);
  }
}
import { redactCredentials, redactUrl } from '../common/redact.ts';
import type { WebhookSpec } from './config.ts';

export interface Notification {
  campaign: string;
  scenario: string;
  runId: string;
  status: string;
  report: string;
  failedThresholds: { expression: string; detail: string }[];
  regressions: { target: string; metric: string; ratio: number; ci: [number, number]; pHolm: number }[];
  /** Change points across the campaign's runs that this run made appear (reports/campaign-changes.ts). */
  changePoints?: { target: string; metric: string; runId: string; before: number; after: number; change: number; p: number; text: string }[];
  error?: string;
  /** A replicate set's runs (`runId` is then the set's id and `report` its combined page). */
  replicates?: string[];
}

/** The headers to send: values given as `{ env }` are read from the environment now, so they live in memory only while sending. */
function headersOf(spec: WebhookSpec, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'mirrorbench-campaign' };
  for (const [name, value] of Object.entries(spec.headers)) out[name] = typeof value === 'string' ? value : (env[value.env] ?? '');
  return out;
}

export async function notify(
  webhook: WebhookSpec,
  body: Notification,
  logger: Logger,
  opts: { attempts?: number; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<boolean> {
  // Logged without credentials, should a URL still carry some.
  const where = redactUrl(webhook.url);
  try {
    await retry(
      async () => {
        const r = await fetch(webhook.url, {
          method: 'POST',
          headers: headersOf(webhook, opts.env ?? process.env),
          body: JSON.stringify(body),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
        if (!r.ok) throw new WebhookStatus(r.status);
      },
      {
        attempts: opts.attempts ?? 3,
        baseMs: 500,
        onFailure: (err, i) =>
          err instanceof WebhookStatus
            ? logger.warn({ webhook: where, status: err.status, attempt: i + 1 }, 'webhook answered with an error')
            : logger.warn({ webhook: where, err: redactCredentials(errorMessage(err)), attempt: i + 1 }, 'webhook unreachable'),
      },
    );
    return true;
  } catch {
    logger.error({ webhook: where, campaign: body.campaign, runId: body.runId }, 'webhook notification not delivered');
    return false;
  }
}

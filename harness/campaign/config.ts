// campaigns.yaml: which scenarios run on which schedule, with which extra
// gates, and where a failed gate or a regression is announced.
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { Cron } from 'croner';
import { parse } from 'yaml';
import { z } from 'zod';
import { errorMessage, ScenarioError } from '../common/errors.ts';
import { urlHasCredentials } from '../common/redact.ts';

/**
 * Where failures are POSTed: a URL, or a URL with headers. Credentials go in a
 * header whose value is read from the environment when the message is sent
 * (`Authorization: { env: HOOK_AUTH }`), never in the URL: a URL is printed in
 * logs, and fetch refuses user:password@ URLs.
 */
const WebhookSchema = z
  .union([
    z.url(),
    z
      .object({
        url: z.url(),
        headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'an HTTP header name'), z.union([z.string(), z.object({ env: z.string().min(1) }).strict()])).default({}),
      })
      .strict(),
  ])
  .transform((w) => (typeof w === 'string' ? { url: w, headers: {} } : w))
  .refine((w) => !urlHasCredentials(w.url), {
    message: 'a webhook URL must not hold credentials (user:password@): they would be logged, and fetch refuses them. Give them as a header read from the environment: webhook: { url: …, headers: { Authorization: { env: HOOK_AUTH } } }',
  });

export type WebhookSpec = z.output<typeof WebhookSchema>;

const CampaignSchema = z
  .object({
    /** Name in the index page and the campaign_runs table; the scenario's file name by default. */
    name: z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'lower-case name such as "nightly"').optional(),
    /** Scenario file, relative to campaigns.yaml. */
    scenario: z.string().min(1),
    /** Cron pattern (5 fields, or 6 with seconds first), e.g. "0 2 * * *". */
    cron: z.string().min(1),
    timezone: z.string().default('UTC'),
    /** Gates added to the scenario's own. */
    thresholds: z.array(z.string()).default([]),
    /** POSTed JSON when a gate fails, a regression is found or the run fails. */
    webhook: WebhookSchema.optional(),
  })
  .strict();

export const CampaignsFileSchema = z
  .object({
    /** Default webhook for every campaign without its own. */
    webhook: WebhookSchema.optional(),
    campaigns: z.array(CampaignSchema).min(1),
  })
  .strict();

export type Campaign = z.output<typeof CampaignSchema> & { name: string; scenarioPath: string };

export async function loadCampaigns(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Campaign[]> {
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw new ScenarioError(file, [{ path: '', message: `cannot read: ${errorMessage(err)}` }]);
  }
  const parsed = CampaignsFileSchema.safeParse(raw);
  if (!parsed.success) throw new ScenarioError(file, parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })));
  const issues: { path: string; message: string }[] = [];
  const out = parsed.data.campaigns.map((c, i) => {
    try {
      // Croner validates the pattern and the timezone.
      new Cron(c.cron, { timezone: c.timezone, paused: true }).stop();
    } catch (err) {
      issues.push({ path: `campaigns.${i}.cron`, message: errorMessage(err) });
    }
    const scenarioPath = resolve(dirname(file), c.scenario);
    const name = c.name ?? scenarioPath.replace(/^.*\//, '').replace(/\.scenario\.(ts|ya?ml|js)$|\.(ts|ya?ml|js)$/, '').toLowerCase();
    return { ...c, name, scenarioPath, webhook: c.webhook ?? parsed.data.webhook };
  });
  // A header read from the environment must be there now, not at the first failure hours later.
  for (const [i, c] of out.entries()) {
    for (const [name, value] of Object.entries(c.webhook?.headers ?? {})) {
      if (typeof value !== 'string' && !env[value.env]) issues.push({ path: `campaigns.${i}.webhook.headers.${name}`, message: `environment variable ${value.env} is not set` });
    }
  }
  const names = out.map((c) => c.name);
  names.forEach((n, i) => names.indexOf(n) !== i && issues.push({ path: `campaigns.${i}.name`, message: `"${n}" is used twice` }));
  if (issues.length) throw new ScenarioError(file, issues);
  return out;
}

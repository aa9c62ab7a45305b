// Issue 16 item 17: webhook credentials. A user:password@ URL was logged in
// clear on every try and never delivered (fetch refuses such URLs). It is now
// refused when campaigns.yaml loads, without echoing the secret; credentials
// go in a header read from the environment, which reaches the server (a local
// HTTP server here) and never a log line. Logs and CLI errors strip URL
// credentials wherever they appear.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { loadCampaigns } from '../../harness/campaign/config.ts';
import { notify, type Notification } from '../../harness/campaign/webhook.ts';
import { ScenarioError } from '../../harness/common/errors.ts';
import { createLogger } from '../../harness/common/logger.ts';
import { redactCredentials } from '../../harness/common/redact.ts';

const SECRET = 's3cret-Pa55';
const dir = mkdtempSync(join(tmpdir(), 'mb-hook-'));
const campaigns = (webhook: string) => {
  const file = join(dir, `c-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `webhook: ${webhook}\ncampaigns:\n  - { name: n, scenario: x.scenario.yaml, cron: "0 3 * * *" }\n`);
  return file;
};
/** A logger writing JSON lines into a string, to see what would reach the terminal. */
function capturedLogger() {
  const sink = new PassThrough();
  let text = '';
  sink.on('data', (d: Buffer) => (text += d.toString()));
  return { logger: createLogger({ destination: sink, pretty: false, level: 'debug' }), text: () => text };
}
const body: Notification = { campaign: 'n', scenario: 's', runId: 'r', status: 'failed', report: '', failedThresholds: [], regressions: [], error: 'boom' };

describe('webhook credentials', () => {
  it('refuses a URL with user:password@ at load, saying where credentials go, without echoing them', async () => {
    const err = await loadCampaigns(campaigns(`http://alice:${SECRET}@127.0.0.1:9/hook`)).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(ScenarioError);
    const message = (err as Error).message;
    expect(message).toMatch(/webhook: a webhook URL must not hold credentials .*headers: \{ Authorization: \{ env: HOOK_AUTH \} \}/);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain('alice');
  });

  it('refuses a header from an environment variable that is not set', async () => {
    const file = campaigns('{ url: "http://127.0.0.1:9/hook", headers: { Authorization: { env: MB_TEST_HOOK_AUTH } } }');
    await expect(loadCampaigns(file, {})).rejects.toThrow(/campaigns\.0\.webhook\.headers\.Authorization: environment variable MB_TEST_HOOK_AUTH is not set/);
  });

  it('delivers with the Authorization header read from the environment, and logs neither it nor the URL credentials', async () => {
    const seen: IncomingHttpHeaders[] = [];
    const server = createServer((req, res) => {
      seen.push(req.headers);
      req.resume();
      res.statusCode = req.headers.authorization === `Bearer ${SECRET}` ? 200 : 401;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const env = { MB_TEST_HOOK_AUTH: `Bearer ${SECRET}` };
      const [c] = await loadCampaigns(campaigns(`{ url: "http://127.0.0.1:${port}/hook", headers: { Authorization: { env: MB_TEST_HOOK_AUTH } } }`), env);
      const log = capturedLogger();
      expect(await notify(c!.webhook!, body, log.logger, { env, attempts: 1 })).toBe(true);
      expect(seen).toHaveLength(1);
      expect(seen[0]!.authorization).toBe(`Bearer ${SECRET}`);
      expect(seen[0]!['content-type']).toBe('application/json');
      // Refused without the variable: the server says 401, the log names the URL, not any secret.
      expect(await notify(c!.webhook!, body, log.logger, { env: {}, attempts: 1 })).toBe(false);
      expect(log.text()).toContain(`http://127.0.0.1:${port}/hook`);
      expect(log.text()).toContain('"status":401');
      expect(log.text()).not.toContain(SECRET);
    } finally {
      server.close();
    }
  });

  it('strips URL credentials from every log line and message', () => {
    const log = capturedLogger();
    log.logger.warn({ err: `connect ECONNREFUSED for https://bob:${SECRET}@hooks.example/x`, n: 1 }, `posting to http://bob:${SECRET}@hooks.example/x failed`);
    log.logger.info(`plain message with ftp://u:${SECRET}@h/`);
    expect(log.text()).not.toContain(SECRET);
    expect(log.text()).toContain('https://[redacted]@hooks.example/x');
    expect(log.text()).toContain('"n":1');
    expect(redactCredentials(`a http://x:${SECRET}@h:1/p?q=1#f and mailto-like a@b.c and https://h/p@q`)).toBe('a http://[redacted]@h:1/p?q=1#f and mailto-like a@b.c and https://h/p@q');
  });
});

// Issue 16 item 18: TLS from the harness to a target at host:port, as ghz
// offers it (CA, client certificate and key, server name). A self-signed CA
// made here with openssl signs the server's and the client's certificates; the
// target is the baseline simulator served over TLS with client certificates
// required, on loopback. A run through it completes; plaintext, another CA, a
// missing client certificate or the wrong name are refused.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../harness/common/clock.ts';
import { silentLogger } from '../../../harness/common/logger.ts';
import { TargetClient, type TargetTls } from '../../../harness/replay/target-client.ts';
import { MemorySink } from '../../../harness/replay/sink.ts';
import { runScenario } from '../../../harness/run/run-scenario.ts';
import { checkScenario } from '../../../harness/run/scenario-check.ts';
import { startSimulator, type RunningTarget } from '../../../harness/targets/index.ts';
import { ScenarioSchema } from '../../../scenarios/define.ts';

const dir = mkdtempSync(join(tmpdir(), 'mb-tls-'));
const f = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });

/** A CA, and a certificate signed by it for `cn` with the given subjectAltName. */
function makeCa(name: string): void {
  openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.pem`), '-days', '2', '-subj', `/CN=${name}`);
}
function makeCert(name: string, ca: string, san: string, usage: 'serverAuth' | 'clientAuth'): void {
  openssl('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', f(`${name}.key`), '-out', f(`${name}.csr`), '-subj', `/CN=${name}`);
  writeFileSync(f(`${name}.ext`), `subjectAltName=${san}\nextendedKeyUsage=${usage}\n`);
  openssl('x509', '-req', '-in', f(`${name}.csr`), '-CA', f(`${ca}.pem`), '-CAkey', f(`${ca}.key`), '-CAcreateserial', '-out', f(`${name}.pem`), '-days', '2', '-extfile', f(`${name}.ext`));
}

let sim: RunningTarget;

beforeAll(async () => {
  makeCa('ca');
  makeCa('other-ca');
  // The certificate names the target as a host name only: reached at 127.0.0.1, the name is given as serverName.
  makeCert('server', 'ca', 'DNS:target.internal', 'serverAuth');
  makeCert('client', 'ca', 'DNS:harness', 'clientAuth');
  const credentials = grpc.ServerCredentials.createSsl(readFileSync(f('ca.pem')), [{ cert_chain: readFileSync(f('server.pem')), private_key: readFileSync(f('server.key')) }], true);
  sim = await startSimulator('baseline', { seed: 3, credentials });
}, 60_000);

afterAll(async () => {
  await sim?.stop();
});

/** Whether a client with this TLS set-up gets an answer to Describe (a refused handshake never does). */
async function answers(tls: TargetTls | undefined, expectRefusal = true): Promise<boolean> {
  const client = new TargetClient({ name: 'baseline', address: sim.address, tls }, { clock: systemClock(), logger: silentLogger(), sink: new MemorySink(), runId: 'tls', speed: 1 });
  try {
    // A refused handshake is retried until the deadline: a short one when no answer is expected, the default otherwise.
    await client.describe(expectRefusal ? (3_000 as Parameters<TargetClient['describe']>[0]) : undefined);
    return true;
  } catch {
    return false;
  } finally {
    client.close();
  }
}

describe('TLS to a target at host:port', () => {
  const good = () => ({ ca: readFileSync(f('ca.pem')), cert: readFileSync(f('client.pem')), key: readFileSync(f('client.key')), serverName: 'target.internal' });

  it('replays a scenario through it with CA, client certificate and key read from the scenario', async () => {
    const JOBS = 20;
    const scenario = ScenarioSchema.parse({
      name: 'tls',
      seed: 3,
      trace: { generate: { jobs: JOBS, spanSeconds: 86_400 } },
      speed: { fitSeconds: 2 },
      targets: [{ name: 'baseline', address: sim.address, tls: { ca: f('ca.pem'), cert: f('client.pem'), key: f('client.key'), serverName: 'target.internal' } }],
    });
    const result = await runScenario({ scenario, logger: silentLogger(), dataDir: f('data'), reportsDir: f('reports'), progress: false, store: { kind: 'chdb', path: f('chdb') } });
    expect(result.run.status).toBe('completed');
    const t = result.report.summary.targets[0]!;
    expect(t.name).toBe('baseline');
    expect(t.kind).toBe('baseline');
    expect(t.jobs).toBe(JOBS);
    expect(t.completed + t.failed).toBe(JOBS);
    expect(t.completed).toBeGreaterThan(0);
  }, 120_000);

  it('is refused in plaintext, with another CA, without the client certificate, or under the wrong name', async () => {
    expect(await answers(good(), false)).toBe(true);
    expect(await answers(undefined)).toBe(false);
    expect(await answers({ ...good(), ca: readFileSync(f('other-ca.pem')) })).toBe(false);
    expect(await answers({ ...good(), cert: undefined, key: undefined })).toBe(false);
    expect(await answers({ ...good(), serverName: undefined })).toBe(false);
  }, 60_000);

  it('is checked with the scenario: files that are missing, a cert without its key, tls on a simulator', async () => {
    const base = { name: 'x', trace: { generate: { jobs: 1 } } };
    const noKey = ScenarioSchema.safeParse({ ...base, targets: [{ name: 'b', address: '127.0.0.1:1', tls: { cert: 'c.pem' } }] });
    expect(noKey.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([['targets.0.tls.key', 'a client certificate needs its key: give cert and key together']]);
    const onSim = ScenarioSchema.safeParse({ ...base, targets: [{ name: 'b', sim: 'baseline', tls: { ca: 'ca.pem' } }] });
    expect(onSim.error!.issues.map((i) => i.path.join('.'))).toEqual(['targets.0.tls']);
    writeFileSync(f('missing.scenario.yaml'), `name: m\ntrace: { generate: { jobs: 1 } }\ntargets:\n  - { name: b, address: "127.0.0.1:1", tls: { ca: ${f('nope.pem')} } }\n`);
    expect((await checkScenario(f('missing.scenario.yaml'))).problems).toEqual([`targets.0.tls.ca: ${f('nope.pem')} does not exist`]);
  });
});

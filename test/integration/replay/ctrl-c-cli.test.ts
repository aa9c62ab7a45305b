// Ctrl-C on the real CLI process: SIGINT is sent when the process logs that
// it reached a phase (its JSON log on stderr), never after a fixed delay. It
// exits 130, prints "interrupted", and the store says the same; a second
// Ctrl-C exits at once. The phases after the last send (flushing, the report)
// are covered in process by interrupt-phases.test.ts, where the abort can be
// placed inside them exactly.
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChdbStore } from '../../../harness/store/chdb-store.ts';
import { startScriptedTarget, type ScriptedTarget } from '../../helpers/scripted-target.ts';
import { onLogMessages } from '../../helpers/log-lines.ts';

const ROOT = resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(join(tmpdir(), 'mb-ctrlc-'));
let ok: ScriptedTarget;
let hang: ScriptedTarget;
let deadAddress = '';

beforeAll(async () => {
  ok = await startScriptedTarget({ behaviour: 'ok' });
  hang = await startScriptedTarget({ behaviour: 'hang', kind: 'DECENTRALIZED' });
  const dead = await startScriptedTarget({ behaviour: 'ok' });
  dead.kill();
  deadAddress = dead.address;
});
afterAll(async () => {
  await Promise.all([ok.stop(), hang.stop()]);
});

function scenarioFile(name: string, second: string, fitSeconds: number): string {
  const file = join(dir, `${name}.scenario.yaml`);
  writeFileSync(file, `name: ${name}\nseed: 4\ntrace:\n  generate: { jobs: 40, spanSeconds: 3600 }\nspeed: { fitSeconds: ${fitSeconds} }\ntargets:\n  - { name: baseline, address: "${ok.address}" }\n  - { name: network, address: "${second}" }\n`);
  return file;
}

interface Outcome {
  code: number | null;
  stdout: string;
  messages: string[];
}

/** Runs `replay`; `onLog` sees each log message and may send signals. */
function replay(name: string, scenario: string, onLog: (msg: string, kill: () => void) => void): Promise<Outcome> {
  const child = spawn('node', [join(ROOT, 'harness/cli/bin.mjs'), 'replay', '--scenario', scenario, '--run-id', name, '--data-dir', join(dir, 'data'), '--reports-dir', join(dir, 'reports'), '--no-progress'], {
    cwd: dir,
    env: { ...process.env, CI: 'true' },
  });
  let stdout = '';
  const messages: string[] = [];
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  onLogMessages(child.stderr, (msg) => {
    messages.push(msg);
    onLog(msg, () => child.kill('SIGINT'));
  });
  return new Promise((resolveExit) => child.on('exit', (code) => resolveExit({ code, stdout, messages })));
}

async function storedStatus(runId: string): Promise<{ status: string; unfinished: number; failed: number }> {
  const store = new ChdbStore({ path: join(dir, 'data', 'chdb'), database: 'mirrorbench' });
  try {
    const [run] = await store.query<{ status: string }>('SELECT status FROM {db:Identifier}.runs FINAL WHERE run_id = {run:String}', { db: 'mirrorbench', run: runId });
    const [rows] = await store.query<{ unfinished: number; failed: number }>(
      "SELECT countIf(status = 'unfinished') AS unfinished, countIf(status = 'failed') AS failed FROM {db:Identifier}.job_results FINAL WHERE run_id = {run:String} AND target = 'network'",
      { db: 'mirrorbench', run: runId },
    );
    return { status: run?.status ?? '', unfinished: Number(rows?.unfinished ?? 0), failed: Number(rows?.failed ?? 0) };
  } finally {
    await store.close();
  }
}

describe('Ctrl-C on the CLI', () => {
  it('while connecting (before the first send): exit 130, interrupted in the output and in the table', async () => {
    const out = await replay('cli-connect', scenarioFile('cli-connect', deadAddress, 4), (msg, kill) => msg === 'phase: connecting' && kill());
    expect(out.code).toBe(130);
    expect(out.stdout).toContain('run cli-connect: interrupted, 0 jobs sent');
    expect((await storedStatus('cli-connect')).status).toBe('interrupted');
  }, 120_000);

  it('while sending: exit 130, interrupted in the output and in the table, cut jobs unfinished', async () => {
    const out = await replay('cli-send', scenarioFile('cli-send', hang.address, 6), (msg, kill) => msg === 'phase: sending' && kill());
    expect(out.code).toBe(130);
    expect(out.stdout).toContain('run cli-send: interrupted');
    const s = await storedStatus('cli-send');
    expect(s.status).toBe('interrupted');
    expect(s.failed).toBe(0);
  }, 120_000);

  it('after the last send: exit 130; the hung target\'s jobs are unfinished, not failed', async () => {
    const out = await replay('cli-drain', scenarioFile('cli-drain', hang.address, 1), (msg, kill) => msg === 'phase: draining' && kill());
    expect(out.code).toBe(130);
    expect(out.stdout).toContain('run cli-drain: interrupted, 40 jobs sent');
    expect(await storedStatus('cli-drain')).toEqual({ status: 'interrupted', unfinished: 40, failed: 0 });
  }, 120_000);

  it('a second Ctrl-C exits at once, without waiting for the grace period or the flush', async () => {
    let sent = 0;
    const out = await replay('cli-twice', scenarioFile('cli-twice', hang.address, 1), (msg, kill) => {
      if (msg === 'phase: draining' && sent === 0) {
        sent++;
        kill();
      } else if (msg.startsWith('interrupted: no more jobs sent') && sent === 1) {
        sent++;
        kill();
      }
    });
    expect(sent).toBe(2);
    expect(out.code).toBe(130);
    expect(out.messages).not.toContain('phase: flushing');
    expect(out.stdout).not.toContain('report:');
  }, 120_000);
});

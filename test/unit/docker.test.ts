// The deployment files cannot run here (no Docker engine, no Kubernetes), so
// their contracts with the CLI are checked: the Indexed Job's shards add up,
// its scenario validates, and every command it runs is one the CLI accepts.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { buildProgram } from '../../harness/cli/main.ts';
import { ScenarioSchema } from '../../scenarios/define.ts';

const file = (p: string) => readFileSync(fileURLToPath(new URL(`../../${p}`, import.meta.url)), 'utf8');

/** Parses argv with the real CLI without running the action. */
function accepts(argv: string[]): void {
  const program = buildProgram();
  const leaf = (cmd: ReturnType<typeof buildProgram>, names: string[]): ReturnType<typeof buildProgram> => {
    const next = cmd.commands.find((c) => c.name() === names[0]);
    return next && names.length ? leaf(next, names.slice(1)) : cmd;
  };
  const target = leaf(program, argv.filter((a) => !a.startsWith('-')).slice(0, 2));
  target.exitOverride().action(() => {});
  program.parse(['node', 'mirrorbench', ...argv]);
}

describe('docker/k8s Indexed Job', () => {
  const docs = parseAllDocuments(file('docker/k8s/replay-indexed-job.yaml')).map((d) => d.toJS() as Record<string, any>);
  const job = docs.find((d) => d.kind === 'Job')!;
  const container = job.spec.template.spec.containers[0];
  const env = Object.fromEntries(container.env.filter((e: { value?: string }) => e.value !== undefined).map((e: { name: string; value: string }) => [e.name, e.value]));

  it('runs one worker per shard, all on one run id', () => {
    expect(job.spec.completionMode).toBe('Indexed');
    expect(job.spec.completions).toBe(Number(env.SHARDS));
    expect(job.spec.parallelism).toBe(Number(env.SHARDS));
    expect(container.args[0]).toContain('--shard "${JOB_COMPLETION_INDEX}/${SHARDS}"');
    expect(container.args[0]).toContain('--run-id "${RUN_ID}"');
    // One common start for every pod, and a failed or late worker is not retried (it would start later still).
    expect(container.args[0]).toContain('--start-at "${START_AT}"');
    expect(new Date(env.START_AT).toISOString()).toBe(env.START_AT.replace('Z', '.000Z'));
    expect(job.spec.backoffLimitPerIndex).toBe(0);
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
    expect(container.env.find((e: { name: string }) => e.name === 'MIRRORBENCH_CLICKHOUSE_PASSWORD').valueFrom.secretKeyRef).toBeDefined();
  });

  it('mounts a scenario that validates and commands the CLI accepts', () => {
    const cm = docs.find((d) => d.kind === 'ConfigMap')!;
    const scenario = ScenarioSchema.parse(parse(cm.data['nightly.scenario.yaml']));
    expect(scenario.sample).toMatchObject({ fraction: 0.1, stratified: true });
    for (let i = 0; i < Number(env.SHARDS); i++) {
      const argv = container.args[0].replace(/^exec node harness\/cli\/bin\.mjs /, '').replace('${JOB_COMPLETION_INDEX}', String(i)).replace('${SHARDS}', env.SHARDS).replace('${RUN_ID}', env.RUN_ID).replace('${START_AT}', env.START_AT).replace(/"/g, '').split(/\s+/);
      expect(() => accepts(argv)).not.toThrow();
    }
    for (const d of docs.filter((x) => x.kind === 'Deployment')) expect(() => accepts(d.spec.template.spec.containers[0].args)).not.toThrow();
    expect(() => accepts(['replay', '--scenario', 'x.yaml', '--shard', '4/4'])).toThrow(/expected i\/n/);
  });
});

describe('docker compose golem profile', () => {
  const compose = parse(file('docker/compose.yaml')) as { services: Record<string, any> };
  const golem = Object.entries(compose.services).filter(([, s]) => s.profiles?.includes('golem'));

  it('adds a yagna requestor node, the bridge and a harness only under the profile', () => {
    expect(golem.map(([n]) => n).sort()).toEqual(['golem-bridge', 'harness-golem', 'yagna']);
    for (const name of ['clickhouse', 'baseline', 'decentralized', 'harness']) expect(compose.services[name].profiles).toBeUndefined();
    const yagna = compose.services.yagna;
    // The node's API is published on the host's loopback only, and the key comes from the environment.
    expect(yagna.ports).toEqual(['127.0.0.1:7465:7465']);
    expect(yagna.environment.YAGNA_AUTOCONF_APPKEY).toMatch(/^\$\{YAGNA_APPKEY/);
    const dockerfile = file(`docker/${yagna.build.context}/${yagna.build.dockerfile}`);
    expect(dockerfile).toMatch(/golem-requestor-linux-\$\{YAGNA_VERSION\}\.tar\.gz/);
    expect(dockerfile).toContain('COPY entrypoint.sh');
    expect(file('docker/yagna/entrypoint.sh')).toMatch(/polygon\|mainnet\) echo "payment network \$NETWORK: not funding/);
  });

  it('runs a bridge command the CLI accepts, and a scenario whose targets are the compose services', () => {
    const bridge = compose.services['golem-bridge'];
    expect(bridge.depends_on.yagna.condition).toBe('service_healthy');
    const argv = (bridge.command as string[]).map((a) => a.replace(/\$\{[A-Z_]+:-([^}]+)\}/, '$1'));
    expect(argv).not.toContain('--mainnet');
    expect(() => accepts(argv)).not.toThrow();
    const harness = compose.services['harness-golem'];
    expect(() => accepts(harness.command)).not.toThrow();
    const scenario = ScenarioSchema.parse(parse(file(harness.command[harness.command.indexOf('--scenario') + 1])));
    expect(scenario.speed).toBe(1);
    const port = argv[argv.indexOf('--port') + 1];
    expect(scenario.targets.map((t) => t.address)).toEqual(['baseline:50051', `golem-bridge:${port}`]);
  });
});

// Starts a real ClickHouse server process for tests and benches: free
// loopback ports, a temporary data directory, its own minimal config (so the
// machine's /etc config does not matter), stopped and removed afterwards.
// Without a server binary the tests skip with a printed reason, except under
// CI=true, where a missing server is a failure.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

/** argv that runs a server: Debian's clickhouse-server, or the single `clickhouse` binary of newer releases. */
export function serverCommand(): string[] | undefined {
  const s = which('clickhouse-server');
  if (s) return [s];
  const c = which('clickhouse');
  return c ? [c, 'server'] : undefined;
}

/** Why server tests cannot run here, or undefined when they can. Throws under CI=true. */
export function serverUnavailableReason(): string | undefined {
  if (serverCommand()) return undefined;
  const reason = 'no clickhouse-server binary on PATH (install Debian\'s clickhouse-server, as .ci/run does)';
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.warn(`skipping ClickHouse server tests: ${reason}`);
  return reason;
}

/** Ports already handed out in this process. */
const handedOut = new Set<number>();

/**
 * A port for a server to bind. Taken below the kernel's ephemeral range
 * (32768 and up on Linux), where port-0 listeners and outgoing connections
 * of every test worker would otherwise take a port between our check and the
 * server's bind, and from a band of its own per vitest worker, so two workers
 * never pick the same one.
 */
export async function freePort(): Promise<number> {
  const worker = Number(process.env.VITEST_POOL_ID ?? 0) % 8;
  const base = 20_000 + worker * 1_500;
  for (let tries = 0; tries < 200; tries++) {
    const p = base + Math.floor(Math.random() * 1_500);
    if (handedOut.has(p) || !(await canBind(p))) continue;
    handedOut.add(p);
    return p;
  }
  throw new Error(`no free loopback port in ${base}–${base + 1_499} after 200 tries`);
}

function canBind(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createServer();
    s.once('error', () => resolve(false));
    s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
  });
}

/** The last characters of a server's error log, for a failure message. */
export function errLogTail(dir: string, chars = 2000): string {
  const f = join(dir, 'server.err.log');
  return existsSync(f) ? readFileSync(f, 'utf8').slice(-chars) : '(no server.err.log)';
}

export interface TestServer {
  url: string;
  httpPort: number;
  dir: string;
  /** Kills the process (SIGKILL: a crash, not a clean shutdown). */
  kill(): Promise<void>;
  /** Starts the process again on the same ports and data. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

function configXml(dir: string, httpPort: number, tcpPort: number, interPort: number, extra = ''): string {
  // <yandex> is the root every release reads (newer ones also accept <clickhouse>).
  return `<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>${dir}/server.log</log><errorlog>${dir}/server.err.log</errorlog><console>0</console></logger>
  <listen_host>127.0.0.1</listen_host>
  <http_port>${httpPort}</http_port>
  <tcp_port>${tcpPort}</tcp_port>
  <interserver_http_port>${interPort}</interserver_http_port>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${dir}/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <mark_cache_size>268435456</mark_cache_size>
  <max_concurrent_queries>100</max_concurrent_queries>
  <mlock_executable>false</mlock_executable>
  <interserver_http_host>127.0.0.1</interserver_http_host>
${extra}
</yandex>
`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>4000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip><ip>::1</ip></networks><profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors><result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time></interval></default></quotas>
</yandex>
`;

async function waitUp(url: string, proc: ChildProcess, dir: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) {
      throw new Error(`clickhouse-server exited with ${proc.exitCode}; ${dir}/server.err.log ends:\n${errLogTail(dir)}`);
    }
    try {
      // Each attempt bounded: a socket that accepts and never answers must not outlast the deadline.
      const r = await fetch(`${url}/?query=SELECT%201`, { signal: AbortSignal.timeout(2_000) });
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`clickhouse-server did not answer on ${url} within ${timeoutMs} ms; see ${dir}/server.err.log`);
}

interface Ports {
  http: number;
  tcp: number;
  inter: number;
}

async function freePorts(): Promise<Ports> {
  return { http: await freePort(), tcp: await freePort(), inter: await freePort() };
}

export async function startClickHouseServer(opts: { ports?: Ports; extraXml?: string } = {}): Promise<TestServer> {
  const cmd = serverCommand();
  if (!cmd) throw new Error('no clickhouse-server binary');
  const dir = mkdtempSync(join(tmpdir(), 'mb-ch-'));
  for (const d of ['data', 'tmp', 'user_files', 'format_schemas']) mkdirSync(join(dir, d), { recursive: true });
  const { http: httpPort, tcp: tcpPort, inter: interPort } = opts.ports ?? (await freePorts());
  writeFileSync(join(dir, 'config.xml'), configXml(dir, httpPort, tcpPort, interPort, opts.extraXml));
  writeFileSync(join(dir, 'users.xml'), USERS_XML);
  const url = `http://127.0.0.1:${httpPort}`;
  let proc: ChildProcess | undefined;

  const start = async () => {
    proc = spawn(cmd[0]!, [...cmd.slice(1), `--config-file=${join(dir, 'config.xml')}`], { cwd: dir, stdio: 'ignore' });
    await waitUp(url, proc, dir);
  };
  const kill = async () => {
    const p = proc;
    if (!p || p.exitCode !== null) return;
    const exited = new Promise((r) => p.once('exit', r));
    p.kill('SIGKILL');
    await exited;
  };
  await start();
  return {
    url,
    httpPort,
    dir,
    kill,
    start,
    async stop() {
      await kill();
      if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** argv that runs a standalone ZooKeeper (Debian's zookeeper package), for Replicated tables on old servers without Keeper. */
export function zookeeperCommand(): string[] | undefined {
  if (!existsSync('/usr/share/java/zookeeper.jar') || !which('java')) return undefined;
  return ['java', '-cp', '/usr/share/java/zookeeper.jar:/usr/share/java/*', '-Dzookeeper.admin.enableServer=false', '-Dzookeeper.4lw.commands.whitelist=ruok', 'org.apache.zookeeper.server.ZooKeeperServerMain'];
}

/** Why cluster tests cannot run here, or undefined when they can. Throws under CI=true. */
export function clusterUnavailableReason(): string | undefined {
  const missing = [serverCommand() ? '' : 'clickhouse-server', zookeeperCommand() ? '' : "Debian's zookeeper (and java)"].filter(Boolean);
  if (missing.length === 0) return undefined;
  const reason = `missing ${missing.join(' and ')} (.ci/run installs them)`;
  if (process.env.CI === 'true') throw new Error(`CI=true and ${reason}`);
  console.warn(`skipping ClickHouse cluster tests: ${reason}`);
  return reason;
}

async function waitZk(port: number, timeoutMs = 30_000): Promise<void> {
  const { connect } = await import('node:net');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = connect(port, '127.0.0.1');
      sock.setTimeout(2_000, () => sock.destroy());
      let data = '';
      sock.on('connect', () => sock.write('ruok'));
      sock.on('data', (d) => (data += d.toString()));
      sock.on('close', () => resolve(data.includes('imok')));
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`ZooKeeper did not answer on 127.0.0.1:${port}`);
}

export interface TestCluster {
  name: string;
  nodes: TestServer[];
  stop(): Promise<void>;
}

/**
 * A real cluster on loopback: one ZooKeeper and shards × replicas server
 * processes, with the remote_servers, macros and distributed DDL settings that
 * docker/cluster/ gives its containers.
 */
export async function startClickHouseCluster(shards = 2, replicas = 2, name = 'mirrorbench'): Promise<TestCluster> {
  // One more try on fresh ports and directories: a port taken by another process between the check and the bind, or a
  // ZooKeeper slow to start on a loaded machine, is the test machine's trouble, not the cluster's.
  try {
    return await startClusterOnce(shards, replicas, name);
  } catch (err) {
    console.warn(`cluster bring-up failed, trying once more on new ports: ${err instanceof Error ? err.message : String(err)}`);
    return await startClusterOnce(shards, replicas, name);
  }
}

async function startClusterOnce(shards: number, replicas: number, name: string): Promise<TestCluster> {
  const zk = zookeeperCommand();
  if (!zk) throw new Error('no zookeeper');
  const zkDir = mkdtempSync(join(tmpdir(), 'mb-zk-'));
  const zkPort = await freePort();
  const zkProc = spawn(zk[0]!, [...zk.slice(1), String(zkPort), join(zkDir, 'data')], { cwd: zkDir, stdio: 'ignore' });
  const nodes: TestServer[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
    if (zkProc.exitCode === null) {
      const exited = new Promise((r) => zkProc.once('exit', r));
      zkProc.kill('SIGKILL');
      await exited;
    }
    rmSync(zkDir, { recursive: true, force: true });
  };
  try {
    await waitZk(zkPort);
    const layout: { shard: number; replica: string; ports: Ports }[] = [];
    for (let s = 1; s <= shards; s++) for (let r = 1; r <= replicas; r++) layout.push({ shard: s, replica: `ch-s${s}-r${r}`, ports: await freePorts() });
    const remote = Array.from({ length: shards }, (_, i) => {
      const rs = layout.filter((l) => l.shard === i + 1).map((l) => `<replica><host>127.0.0.1</host><port>${l.ports.tcp}</port></replica>`);
      return `<shard><internal_replication>true</internal_replication>${rs.join('')}</shard>`;
    }).join('');
    for (const l of layout) {
      const extra = `  <remote_servers><${name}>${remote}</${name}></remote_servers>
  <zookeeper><node><host>127.0.0.1</host><port>${zkPort}</port></node></zookeeper>
  <distributed_ddl><path>/clickhouse/task_queue/ddl</path></distributed_ddl>
  <macros><shard>${l.shard}</shard><replica>${l.replica}</replica></macros>`;
      nodes.push(await startClickHouseServer({ ports: l.ports, extraXml: extra }));
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { name, nodes, stop };
}

/**
 * Awaits one phase of a test's setup within a deadline; past it, fails with
 * the phase's name and what the servers logged, instead of a bare hook timeout.
 */
export async function withinPhase<T>(phase: string, ms: number, work: Promise<T>, servers: readonly TestServer[] = []): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const logs = servers.map((s) => `--- ${s.url} ${s.dir}/server.err.log:\n${errLogTail(s.dir, 1500)}`).join('\n');
      reject(new Error(`${phase} did not finish within ${ms} ms${logs ? `\n${logs}` : ''}`));
    }, ms);
  });
  try {
    return await Promise.race([work, late]);
  } finally {
    clearTimeout(timer);
  }
}

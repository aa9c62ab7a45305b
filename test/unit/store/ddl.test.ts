// DDL rendering per server version and for a cluster, checked against the
// docker cluster definition it must match; connection settings and redaction.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { TABLES, type AnyTableDef } from '../../../harness/events/schema.ts';
import { createTableSql, schemaSql } from '../../../harness/store/ddl.ts';
import { featuresOf } from '../../../harness/store/dialect.ts';
import { encodeRows } from '../../../harness/store/encode.ts';
import { openStore } from '../../../harness/store/open.ts';

const clusterDir = fileURLToPath(new URL('../../../docker/cluster/', import.meta.url));

describe('DDL per server version', () => {
  it('knows what each release line supports', () => {
    expect(featuresOf('18.16.1')).toMatchObject({ lowCardinality: false, codecs: false, ttl: false });
    expect(featuresOf('19.3.4')).toMatchObject({ lowCardinality: true, codecs: true, ttl: false });
    expect(featuresOf('24.8.4.13')).toMatchObject({ lowCardinality: true, codecs: true, ttl: true });
    expect(featuresOf('26.7.2.1')).toMatchObject({ lowCardinality: true, codecs: true, ttl: true });
  });

  it('renders plain types for 18.16 and LowCardinality, codecs and TTL for current servers', () => {
    const old = createTableSql(TABLES.job_results, { database: 'db', features: featuresOf('18.16.1'), ttlDays: 30 }).join('\n');
    expect(old).not.toMatch(/LowCardinality|CODEC|TTL/);
    expect(old).toContain('ENGINE = ReplacingMergeTree(finished_at_us)');
    const cur = createTableSql(TABLES.job_results, { database: 'db', features: featuresOf('24.8'), ttlDays: 30 }).join('\n');
    expect(cur).toContain('target LowCardinality(String)');
    expect(cur).toContain('job_id String,'); // high-cardinality ids stay plain
    expect(cur).toContain('intended_at_us Int64 CODEC(Delta, ZSTD(1))');
    expect(cur).toContain('TTL intended_date + INTERVAL 30 DAY');
  });

  it('shards every table by columns of its key, so replacing rows meet on one shard', () => {
    for (const def of Object.values(TABLES) as AnyTableDef[]) {
      const cols = /^cityHash64\((.+)\)$/.exec(def.shardBy)![1]!.split(',').map((c) => c.trim());
      for (const c of cols) expect(def.orderBy).toContain(c);
      for (const c of def.lowCardinality ?? []) expect(def.columns[c]).toBe('String');
      expect(def.columns[def.dateColumn]).toBe('DateTime');
    }
  });
});

describe('cluster DDL and the docker cluster', () => {
  const compose = parse(readFileSync(join(clusterDir, 'compose.yaml'), 'utf8')) as { services: Record<string, { volumes?: string[] }> };
  const clusterXml = readFileSync(join(clusterDir, 'config.d', 'cluster.xml'), 'utf8');
  const macros = readdirSync(join(clusterDir, 'macros')).map((f) => readFileSync(join(clusterDir, 'macros', f), 'utf8'));

  it('defines 2 shards × 2 replicas with a keeper, each node with its macros', () => {
    const nodes = Object.keys(compose.services).filter((s) => s.startsWith('ch-'));
    expect(nodes.sort()).toEqual(['ch-s1-r1', 'ch-s1-r2', 'ch-s2-r1', 'ch-s2-r2']);
    expect(compose.services.keeper).toBeDefined();
    for (const n of nodes) expect(compose.services[n]!.volumes!.some((v) => v.includes(`macros/${n}.xml`))).toBe(true);
    const shards = clusterXml.split('<shard>').slice(1);
    expect(shards).toHaveLength(2);
    for (const s of shards) expect(s.match(/<replica>/g)).toHaveLength(2);
    expect(clusterXml).toContain('<mirrorbench>');
    expect(clusterXml).toMatch(/<host>keeper<\/host><port>9181<\/port>/);
    const replicas = macros.map((m) => /<replica>(.+)<\/replica>/.exec(m)![1]);
    expect(new Set(replicas).size).toBe(4);
  });

  it('creates replicated local tables and Distributed tables over them on that cluster', () => {
    const sql = schemaSql({ database: 'mirrorbench', features: featuresOf('24.8'), cluster: 'mirrorbench' });
    expect(sql).toHaveLength(Object.keys(TABLES).length * 2);
    const local = sql.find((s) => s.includes('mirrorbench.job_results_local'))!;
    expect(local).toContain('ON CLUSTER mirrorbench');
    expect(local).toContain("ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/mirrorbench/job_results', '{replica}', finished_at_us)");
    const dist = sql.find((s) => s.startsWith('CREATE TABLE IF NOT EXISTS mirrorbench.job_results ON CLUSTER'))!;
    expect(dist).toContain('ENGINE = Distributed(mirrorbench, mirrorbench, job_results_local, cityHash64(job_id))');
    // The macros the DDL uses exist on every node.
    for (const m of macros) expect(m).toMatch(/<shard>\d<\/shard>[\s\S]*<replica>/);
  });
});

describe('store settings', () => {
  it('never puts a password in the description', () => {
    const s = openStore({ kind: 'clickhouse', url: 'http://alice:s3cret@127.0.0.1:8123' }, {});
    expect(s.description).not.toContain('s3cret');
    const t = openStore({ kind: 'clickhouse', url: 'https://db.example:8443' }, { MIRRORBENCH_CLICKHOUSE_PASSWORD: 'hunter2' });
    expect(t.description).toBe('clickhouse https://db.example:8443 database mirrorbench');
    void s.close();
    void t.close();
  });

  it('explains a missing or bad setting', () => {
    expect(() => openStore({ kind: 'clickhouse' }, {})).toThrow(/needs --url or MIRRORBENCH_CLICKHOUSE_URL/);
    expect(() => openStore({ kind: 'clickhouse', url: 'not a url' }, {})).toThrow(/not a valid URL/);
    expect(() => openStore({ kind: 'chdb', database: 'x; DROP' }, {})).toThrow(/letters, digits and underscores/);
    expect(() => openStore({ kind: 'clickhouse', url: 'http://h:1', caCertPath: '/nonexistent.pem' }, {})).toThrow(/CA certificate/);
  });

  it('encodes TabSeparated with escapes and arrays', () => {
    const row = { run_id: 'r\tx', scenario: "it's\nmine", seed: 1, trace_path: 'a\\b', trace_checksum: '', speed: 2, targets: ["o'k", 'b'], code_version: '', started_at_us: 5, ended_at_us: 0, status: 's', jobs_planned: 1, jobs_sent: 1, trace_start_us: 0, config_json: '{}', updated_at_us: 1, started_date: 0 };
    expect(encodeRows('runs', [row], 'TabSeparated')).toBe("r\\tx\tit's\\nmine\t1\ta\\\\b\t\t2\t['o\\'k','b']\t\t5\t0\ts\t1\t1\t0\t{}\t1\t0\n");
  });
});

import { describe, expect, it } from 'vitest';
import { cruise } from 'dependency-cruiser';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';

const require = createRequire(import.meta.url);
const ROOT = resolve(import.meta.dirname, '../..');

interface Config {
  forbidden: { name: string }[];
  options: Record<string, unknown>;
  LAYERS: [folder: string, allowed: string[], note: string][];
  STORE_WRITE_SIDE: string;
}
const config = require('../../.dependency-cruiser.cjs') as Config;
const folders = config.LAYERS.map(([f]) => f);
const allowedFor = new Map(config.LAYERS.map(([f, allowed]) => [f, allowed]));
const ruleName = (folder: string) => `${folder.replace(/^harness\//, '')}-imports-only-its-layers`;

type Violation = { rule: { name: string }; from: string; to: string };

async function violations(dirs: string[], baseDir?: string): Promise<{ list: Violation[]; cruised: number }> {
  const options = { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } } as Record<string, unknown>;
  if (baseDir) {
    options.baseDir = baseDir;
    delete options.tsConfig;
  }
  const result = await cruise(dirs, options);
  const output = result.output as { summary: { violations: Violation[]; totalCruised: number } };
  return { list: output.summary.violations, cruised: output.summary.totalCruised };
}

/** The README's "who may import whom" table, as it must read. */
function layerTable(): string {
  const short = (f: string) => f.replace(/^harness\//, '');
  const rows = config.LAYERS.map(([folder, allowed, note]) => {
    const may = allowed.map(short).map((a) => (folder === 'reports' && a === 'store' ? 'store (read side: not writer, spool, migrations, admin, ddl)' : a));
    return `| ${short(folder)}/ | ${may.length ? may.join(', ') : '—'} | ${note} |`;
  });
  return ['| folder | may import (besides itself) | why |', '|---|---|---|', ...rows].join('\n');
}

describe('architecture', () => {
  it('has no import cycles and every folder imports only the folders its row allows', async () => {
    const { list, cruised } = await violations(['harness', 'scenarios', 'workloads', 'reports']);
    expect(list.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`)).toEqual([]);
    // Guards against a config that silently cruises nothing.
    expect(cruised).toBeGreaterThan(100);
  });

  it('has a row for every folder of the tree, and a rule for every row', () => {
    const tree = [
      ...readdirSync(join(ROOT, 'harness'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => `harness/${d.name}`),
      'harness/targets/bridges',
      'scenarios',
      'workloads',
      'reports',
    ];
    expect([...folders].sort()).toEqual([...new Set(tree)].sort());
    // Every folder with something forbidden has its rule (cli/ may import every other folder).
    for (const [f, allowed] of config.LAYERS) if (allowed.length < folders.length - 1) expect(config.forbidden.map((r) => r.name)).toContain(ruleName(f));
    expect(allowedFor.get('harness/cli')!.length).toBe(folders.length - 1);
    for (const [f, allowed] of config.LAYERS) for (const a of allowed) expect(a === 'harness/targets/common' || folders.includes(a), `${f} allows unknown ${a}`).toBe(true);
  });

  it('fires each rule on a planted forbidden import, and no rule on an allowed one', async () => {
    // A scratch tree with the same folders: a leaf module in each, and for every
    // ordered pair of folders one module importing the other's leaf.
    const dir = mkdtempSync(join(tmpdir(), 'mb-arch-'));
    try {
      const write = (path: string, text: string) => {
        mkdirSync(dirname(join(dir, path)), { recursive: true });
        writeFileSync(join(dir, path), text);
      };
      const importOf = (from: string, to: string) => `import { leaf } from './${relative(dirname(from), to)}';\nexport const planted = leaf;\n`;
      const slug = (f: string) => f.replace(/\//g, '_');
      const targetsOf = [...folders, 'harness/targets/common'];
      for (const f of targetsOf) write(`${f}/leaf.ts`, 'export const leaf = 1;\n');
      const expected: { from: string; rule: string | undefined }[] = [];
      for (const from of folders) {
        for (const to of targetsOf) {
          if (to === from) continue;
          const file = `${from}/to-${slug(to)}.ts`;
          write(file, importOf(file, `${to}/leaf.ts`));
          const allowed = allowedFor.get(from)!.includes(to) || (to === 'harness/targets/common' && (from === 'harness/targets' || allowedFor.get(from)!.includes('harness/targets')));
          expected.push({ from: file, rule: allowed ? undefined : ruleName(from) });
        }
      }
      // The store's write side, from reports/: allowed folder, forbidden modules.
      for (const m of ['writer', 'spool', 'migrations', 'admin', 'ddl']) {
        write(`harness/store/${m}.ts`, 'export const leaf = 1;\n');
        const file = `reports/to-store-${m}.ts`;
        write(file, importOf(file, `harness/store/${m}.ts`));
        expect(new RegExp(config.STORE_WRITE_SIDE).test(`harness/store/${m}.ts`)).toBe(true);
        expected.push({ from: file, rule: 'reports-read-the-store-only' });
      }
      // A cycle inside one folder.
      write('harness/common/cycle-a.ts', "import { b } from './cycle-b.ts';\nexport const a = () => b;\n");
      write('harness/common/cycle-b.ts', "import { a } from './cycle-a.ts';\nexport const b = () => a;\n");

      const { list } = await violations(['harness', 'scenarios', 'workloads', 'reports'], dir);
      const fired = (file: string) => list.filter((v) => v.from === file).map((v) => v.rule.name);
      const wrong = expected.filter((e) => (e.rule ? !fired(e.from).includes(e.rule) : fired(e.from).length > 0)).map((e) => `${e.from}: expected ${e.rule ?? 'no rule'}, fired [${fired(e.from).join(', ')}]`);
      expect(wrong).toEqual([]);
      // Every rule fired at least once.
      const names = new Set(list.map((v) => v.rule.name));
      for (const r of config.forbidden) expect(names, r.name).toContain(r.name);
      expect(fired('harness/common/cycle-a.ts')).toContain('no-circular');
      // Sanity: the scratch tree has forbidden and allowed pairs both.
      expect(expected.filter((e) => e.rule).length).toBeGreaterThan(100);
      expect(expected.filter((e) => !e.rule).length).toBeGreaterThan(50);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('README states the same table', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(layerTable());
  });
});

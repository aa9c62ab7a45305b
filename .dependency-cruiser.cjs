// Who may import whom, stated once: LAYERS below. Each folder imports only the
// folders listed for it (and itself); the README's dependency table is rendered
// from LAYERS (the test says so when they differ), and test/unit/architecture.test.ts checks the
// real tree, plants one forbidden import per rule in a scratch tree to see each
// rule fire, and compares the README table with this one.
//
// The order is the data flow of the design: leaves first (common, proto,
// events, stats, trace), then what is built on them, up to run/ (which owns a
// run), campaign/ (which schedules runs) and cli/ (which parses and prints).

/** [folder, folders it may import, note]. A folder's own subfolders listed as rows are separate folders. */
const LAYERS = [
  ['harness/common', [], 'clock, random, errors, defaults, logger, retry, semaphore: imports nothing of ours'],
  ['harness/proto', ['harness/common'], 'the gRPC contract'],
  ['harness/events', ['harness/common'], 'the stored records'],
  ['harness/stats', ['harness/common'], 'pure statistics'],
  ['harness/trace', ['harness/common'], 'job schema, readers, importers'],
  ['workloads', ['harness/common', 'harness/trace'], 'trace generator'],
  ['harness/targets', ['harness/common', 'harness/proto', 'harness/stats'], 'simulators and their shared server code; never replay/ (they share only proto/)'],
  ['harness/targets/bridges', ['harness/common', 'harness/proto', 'harness/targets/common'], 'bridges to real backends: the shared server code, never a simulator'],
  ['harness/replay', ['harness/common', 'harness/proto', 'harness/events', 'harness/stats', 'harness/trace'], 'schedule, fan-out, result assembly; knows no target or store implementation'],
  ['harness/store', ['harness/common', 'harness/events', 'harness/stats'], 'Store, backends, writer, spool, migrations'],
  ['harness/interop', ['harness/common', 'harness/events', 'harness/proto', 'harness/replay', 'harness/store', 'harness/trace'], 'k6 export, and k6 import into the store'],
  ['scenarios', ['harness/common', 'harness/trace', 'harness/targets', 'harness/targets/bridges', 'workloads'], 'describe a run (configuration of the trace and targets); never run one'],
  ['reports', ['harness/common', 'harness/events', 'harness/stats', 'harness/store'], 'read the store, never write it'],
  [
    'harness/run',
    ['harness/common', 'harness/proto', 'harness/events', 'harness/stats', 'harness/trace', 'workloads', 'harness/targets', 'harness/targets/bridges', 'harness/replay', 'harness/store', 'harness/interop', 'scenarios', 'reports'],
    'owns a run: every stage, never campaign/ or cli/',
  ],
  ['harness/campaign', ['harness/common', 'harness/events', 'harness/stats', 'harness/store', 'scenarios', 'reports', 'harness/run'], 'schedules runs through run/'],
  [
    'harness/cli',
    ['harness/common', 'harness/proto', 'harness/events', 'harness/stats', 'harness/trace', 'workloads', 'harness/targets', 'harness/targets/bridges', 'harness/replay', 'harness/store', 'harness/interop', 'scenarios', 'reports', 'harness/run', 'harness/campaign'],
    'parses and prints; nothing imports it',
  ],
];

/** Modules of the store that write; reports read through the Store interface only (README: "read side"). */
const STORE_WRITE_SIDE = '^harness/store/(writer|spool|migrations|admin|ddl)\\.ts$';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const folders = LAYERS.map(([f]) => f);
/** A regex for the modules of `folder` that are not in one of its subfolders listed as a row of their own. */
const folderPath = (folder) => {
  const subs = folders.filter((f) => f.startsWith(`${folder}/`)).map((f) => escape(f.slice(folder.length + 1)));
  return `^${escape(folder)}/${subs.length ? `(?!(${subs.join('|')})/)` : ''}`;
};
const ruleName = (folder) => `${folder.replace(/^harness\//, '')}-imports-only-its-layers`;

// A folder allowed every other (cli/) gets no rule: nothing is forbidden to it.
const layerRules = LAYERS.filter(([folder, allowed]) => allowed.length < folders.length - 1).map(([folder, allowed]) => ({
  name: ruleName(folder),
  comment: `${folder} may import ${allowed.length ? allowed.join(', ') : 'nothing of ours'}`,
  severity: 'error',
  from: { path: folderPath(folder) },
  to: { path: `^(${folders.map(escape).join('|')})/`, pathNot: [folder, ...allowed].map(folderPath) },
}));

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    ...layerRules,
    {
      name: 'reports-read-the-store-only',
      comment: 'reports build from stored rows through the Store interface; writing is the run\'s job',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: STORE_WRITE_SIDE },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)generated/|reports/out' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};

// For the architecture test (rule per folder, README table); not enumerable, so
// depcruise's configuration check does not see them.
Object.defineProperty(module.exports, 'LAYERS', { value: LAYERS });
Object.defineProperty(module.exports, 'STORE_WRITE_SIDE', { value: STORE_WRITE_SIDE });

// The data flow of DESIGN.md as rules: a module imports only from stages
// before it (and from the shared leaves common/, proto/, events/, stats/).
// `npm run lint` and test/unit/architecture.test.ts check them.
const stage = (from, allowed) => ({
  name: `${from}-imports-only-earlier-stages`,
  severity: 'error',
  from: { path: `^harness/${from}/` },
  to: {
    path: '^harness/',
    pathNot: [`^harness/${from}/`, ...allowed.map((a) => `^harness/${a}/`)],
  },
});

module.exports = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
    stage('common', []),
    stage('proto', ['common']),
    stage('events', ['common']),
    stage('stats', ['common']),
    stage('trace', ['common']),
    stage('targets', ['common', 'proto', 'stats']),
    stage('replay', ['common', 'proto', 'events', 'trace', 'stats']),
    stage('store', ['common', 'events', 'stats']),
    {
      name: 'reports-read-the-store-only',
      severity: 'error',
      from: { path: '^reports/' },
      to: { path: '^harness/(replay|targets|trace|cli|campaign)/' },
    },
    {
      name: 'workloads-only-use-trace',
      severity: 'error',
      from: { path: '^workloads/' },
      to: { path: '^harness/', pathNot: ['^harness/(common|trace)/'] },
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

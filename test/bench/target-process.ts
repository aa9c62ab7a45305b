// Runs bench targets in their own process (the harness must not share its
// event loop with the servers it measures). Prints one JSON line with the
// addresses. Usage: target-process.ts sims | baseline | decentralized | scripted [count] | instant [count]
import { startSimulator } from '../../harness/targets/index.ts';
import { startScriptedTarget } from '../helpers/scripted-target.ts';

const kind = process.argv[2] ?? 'sims';
const addresses =
  kind === 'sims'
    ? (await Promise.all([startSimulator('baseline', { seed: 1 }), startSimulator('decentralized', { seed: 2 })])).map((s) => s.address)
    : kind === 'baseline' || kind === 'decentralized'
      ? [(await startSimulator(kind, { seed: 1 })).address]
      : (await Promise.all(Array.from({ length: Number(process.argv[3] ?? 2) }, () => startScriptedTarget({ behaviour: kind === 'instant' ? 'instant' : 'ok' })))).map((t) => t.address);
process.stdout.write(`${JSON.stringify(addresses)}\n`);
process.on('SIGTERM', () => process.exit(0));

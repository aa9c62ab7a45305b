// Runs bench targets in their own process (the harness must not share its
// event loop with the servers it measures). Prints one JSON line with the addresses.
import { startScriptedTarget } from '../helpers/scripted-target.ts';

const count = Number(process.argv[2] ?? 2);
const targets = await Promise.all(Array.from({ length: count }, () => startScriptedTarget({ behaviour: 'ok' })));
process.stdout.write(`${JSON.stringify(targets.map((t) => t.address))}\n`);
process.on('SIGTERM', () => process.exit(0));

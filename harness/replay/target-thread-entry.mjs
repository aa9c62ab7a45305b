// Worker-thread entry for a target's client (target-thread-worker.ts): plain
// JS that registers tsx first, as harness/cli/bin.mjs does, so the worker runs
// the TypeScript sources whoever started the process (CLI, tests, benches).
import { register } from 'tsx/esm/api';

register();
await import('./target-thread-worker.ts');

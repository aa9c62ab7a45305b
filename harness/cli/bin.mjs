#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are, then
// hands over to the CLI. Kept in plain JS so `npx mirrorbench` works without a build.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./main.ts');
process.exitCode = await main(process.argv);

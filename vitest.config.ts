import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/bench/**', 'node_modules/**'],
    // Each test file in its own process: chDB allows one data directory per process.
    pool: 'forks',
    // Most files wait on servers, timers and child processes rather than compute
    // (one worker kept a core near idle): two workers on two cores halve the wall time.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});

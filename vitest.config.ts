import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
    environment: 'node',
    // Integration tests start real servers and SQLite files; two cores, so keep it to two workers.
    maxWorkers: 2,
    // Safety nets, not figures: a test that starts the CLI several times takes several times
    // longer on a busy machine, and must still pass there (no test asserts on these).
    testTimeout: 90_000,
    hookTimeout: 60_000,
  },
});

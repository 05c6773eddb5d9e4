import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Safety nets, not figures: a test that starts the CLI several times takes several times
    // longer on a busy machine, and must still pass there (no test asserts on these).
    testTimeout: 90_000,
    hookTimeout: 60_000,
    // Integration tests start real servers and SQLite files; two cores, so keep it to two workers.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'node',
          include: ['test/unit/**/*.test.ts', 'test/integration/**/*.test.ts'],
          exclude: ['test/unit/renderer/**'],
          environment: 'node',
        },
      },
      {
        // The window's models are Svelte 5 runes modules: compiled as the window's build compiles
        // them, for the browser, in a DOM (jsdom), over a fake bridge instead of main.
        extends: true,
        plugins: [svelte({ configFile: resolve('svelte.config.js') })],
        resolve: { conditions: ['browser'] },
        test: { name: 'window', include: ['test/unit/renderer/**/*.test.ts'], environment: 'jsdom' },
      },
    ],
  },
});

import { resolve } from 'node:path';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'electron-vite';

export default defineConfig({
  main: {
    build: {
      // The command-line tool is built beside the app's main process, from the same core, so
      // `node out/main/cli.js` (and the `twelvelabs-uploader` bin) runs without tsx; the media
      // threads' code is an entry of its own, which both start (see `MediaThreads`).
      rollupOptions: {
        input: {
          index: resolve('electron/main/index.ts'),
          cli: resolve('electron/cli/index.ts'),
          'media-worker': resolve('electron/core/media/media-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // A sandboxed preload can only `require('electron')`, so it is one self-contained CommonJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        external: ['electron'],
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [svelte({ configFile: resolve('svelte.config.js') })],
    build: {
      // Every message in every language is in the window's code: minified, it stays small.
      minify: true,
      chunkSizeWarningLimit: 2048,
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});

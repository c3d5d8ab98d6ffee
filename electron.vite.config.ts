import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        // Dev-only: the benchmark drives Chromium through Playwright, loaded from node_modules.
        external: ['@playwright/test'],
        input: {
          index: resolve('src/main/index.ts'),
          cli: resolve('src/main/cli/index.ts'),
          bench: resolve('src/main/bench/index.ts'),
          'bench-writer': resolve('src/main/bench/live-writer.ts'),
          'make-demo-store': resolve('src/main/synthetic/make-demo-store.ts'),
          'hash-worker': resolve('src/main/store/hash-worker.ts'),
          'payload-check-worker': resolve('src/main/store/sqlite/payload-check-worker.ts'),
          'host-worker': resolve('src/main/host/worker-entry.ts'),
          'host-utility': resolve('src/main/host/utility-entry.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false, // a sandboxed preload cannot require node_modules: bundle what it uses
      // Sandboxed preloads must be CommonJS.
      rollupOptions: { input: { index: resolve('src/preload/index.ts') }, output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve('src/renderer'),
    build: { rollupOptions: { input: resolve('src/renderer/index.html') } },
    plugins: [react()],
  },
});

/** The saved page's viewer (src/renderer/offline), built as one script and one stylesheet that usecases/save-page inlines into the page. */
import { resolve } from 'node:path';
import { defineConfig } from 'vite';

export default defineConfig({
  build: {
    outDir: 'out/offline',
    emptyOutDir: true,
    lib: { entry: resolve('src/renderer/offline/page.ts'), formats: ['iife'], name: 'RunPageViewer', fileName: () => 'page.js', cssFileName: 'page' },
  },
});

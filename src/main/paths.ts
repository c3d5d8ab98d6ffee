/** Where the app's own files are, both from sources (tests) and from the build (out/main). */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreFiles } from './store/store-files.js';

function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('cannot find the Run Inspector package root');
    dir = up;
  }
  return dir;
}

export const ROOT = projectRoot();
export const RENDERER_DIR = path.join(ROOT, 'out', 'renderer');
export const DEMO_STORE = path.join(ROOT, 'resources', 'demo.db');
/** The saved page's viewer, built by vite.offline.config.ts. */
export const PAGE_VIEWER = { js: path.join(ROOT, 'out', 'offline', 'page.js'), css: path.join(ROOT, 'out', 'offline', 'page.css') };

let viewer: { js: string; css: string; bytes: number } | null = null;

/** The saved page's viewer, read once from the build (a missing build says how to make it). */
export function pageViewer(): { js: string; css: string; bytes: number } {
  if (viewer) return viewer;
  if (!fs.existsSync(PAGE_VIEWER.js)) throw new Error(`the page viewer is not built (${PAGE_VIEWER.js}): run npm run build`);
  const [js, css] = [fs.readFileSync(PAGE_VIEWER.js, 'utf8'), fs.readFileSync(PAGE_VIEWER.css, 'utf8')];
  return (viewer = { js, css, bytes: Buffer.byteLength(js) + Buffer.byteLength(css) });
}
export const DEMO_STORE_URL = `sqlite:///${DEMO_STORE}`;
/** Where the store layer's workers and Electron's SQLite addon are (each entry hands them to configureStoreFiles). */
export const STORE_FILES: StoreFiles = {
  payloadCheckWorker: path.join(ROOT, 'out', 'main', 'payload-check-worker.js'),
  hashWorker: path.join(ROOT, 'out', 'main', 'hash-worker.js'),
  electronNativeDir: path.join(ROOT, 'native'),
};

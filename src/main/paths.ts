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
export const DEMO_STORE_URL = `sqlite:///${DEMO_STORE}`;
/** Where the store layer's workers and Electron's SQLite addon are (each entry hands them to configureStoreFiles). */
export const STORE_FILES: StoreFiles = {
  payloadCheckWorker: path.join(ROOT, 'out', 'main', 'payload-check-worker.js'),
  hashWorker: path.join(ROOT, 'out', 'main', 'hash-worker.js'),
  electronNativeDir: path.join(ROOT, 'native'),
};

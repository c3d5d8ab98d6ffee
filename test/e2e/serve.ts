/** Starts `run-inspector serve` as a child process (the real browser mode) and returns its URL. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@playwright/test';
import { fixtureCopy } from './helpers';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Served {
  url: string;
  origin: string;
  token: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export async function serve(storeUrl?: string, cwd = ROOT, port = 0): Promise<Served> {
  // Saved connections go to a throwaway config dir, never the user's.
  const env = {
    ...process.env,
    RUN_INSPECTOR_CONFIG_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ri-config-')),
    RUN_INSPECTOR_CACHE_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'ri-cache-')),
  };
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/run-inspector.js'), 'serve', ...(storeUrl ? [storeUrl] : []), '--port', String(port)], {
    cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d) => (err += d));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${out}${err}`)), 20_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
  const u = new URL(url);
  return {
    url,
    origin: u.origin,
    token: u.searchParams.get('token')!,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/**
 * Serves a fresh copy of a fixture store to the spec's tests: started before them, stopped after.
 * The returned object reads through to the running server.
 */
export function serveFixture(name: string): Pick<Served, 'url' | 'origin' | 'token'> {
  let served: Served | undefined;
  test.beforeAll(async () => {
    served = await serve(`sqlite:///${fixtureCopy(name)}`);
  });
  test.afterAll(async () => served?.stop());
  const running = (): Served => {
    if (!served) throw new Error('the fixture server is not started yet (use it inside a test)');
    return served;
  };
  return {
    get url() {
      return running().url;
    },
    get origin() {
      return running().origin;
    },
    get token() {
      return running().token;
    },
  };
}

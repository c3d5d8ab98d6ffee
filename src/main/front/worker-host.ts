/** Starts the data host in a Node worker thread (browser mode; the host's tests). */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { enableSqliteUris } from '../store/sqlite/sqlite-uris.js';
import type { FrontMessage, HostMessage } from '../host/protocol.js';
import { ROOT } from '../paths.js';
import type { ServiceOptions } from '../service/inspector-service.js';
import type { HostProcess, LaunchHost } from './host-client.js';

export const HOST_WORKER_FILE = path.join(ROOT, 'out', 'main', 'host-worker.js');

export function workerHost(options: ServiceOptions, file = HOST_WORKER_FILE): LaunchHost {
  return (): HostProcess => {
    enableSqliteUris(); // before the worker loads the SQLite addon: see sqlite-uris.ts
    const worker = new Worker(file, { workerData: options });
    let failure: string | null = null;
    worker.on('error', (err) => (failure = err.message));
    const exited = new Promise<string>((resolve) => worker.once('exit', (code) => resolve(failure ?? `exit code ${code}`)));
    return {
      port: { post: (m: FrontMessage) => worker.postMessage(m), onMessage: (l) => worker.on('message', (m: HostMessage) => l(m)) },
      exited,
      kill: () => void worker.terminate(),
    };
  };
}

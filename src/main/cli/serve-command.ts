/** `run-inspector serve [store-url] [--port N]`: browser mode on 127.0.0.1 with a per-launch token. */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from './io.js';
import { InspectorError, usageError } from '../base/errors.js';
import { parseStoreUrlLenient } from '../store/store-url.js';
import { Front } from '../front/front.js';
import { HostClient } from '../front/host-client.js';
import { workerHost } from '../front/worker-host.js';
import { DEMO_STORE_URL, RENDERER_DIR } from '../paths.js';
import { SavedConnections } from '../service/saved-connections.js';
import { startServer } from '../server/http-server.js';

/** Why the server could not listen, said so that the user knows what to do. */
function listenError(err: unknown, port: number | undefined): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'EADDRINUSE') return usageError(`port ${port} on 127.0.0.1 is already in use (another server listens there); pick another --port, or omit --port to use a free one`);
  if (code === 'EACCES') return usageError(`port ${port} may not be opened by this user (ports below 1024 need privileges); pick a port above 1024, or omit --port`);
  return err;
}

/** Browser mode without the CLI's argument parsing (also what `npm start` falls back to). */
export async function serveBrowserMode(io: CliIO, storeUrl: string | undefined, port: number | undefined): Promise<void> {
  if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new CommanderError(1, 'build', 'the UI is not built: run `npm run build` first');
  // Browser mode has no OS keyring: connections are saved without their passwords.
  const configDir = process.env.RUN_INSPECTOR_CONFIG_DIR ?? path.join(os.homedir(), '.config', 'run-inspector');
  const cacheDir = process.env.RUN_INSPECTOR_CACHE_DIR ?? path.join(os.homedir(), '.cache', 'run-inspector');
  const host = new HostClient(workerHost({ demoStoreUrl: DEMO_STORE_URL }));
  const front = new Front(host, new SavedConnections(path.join(configDir, 'connections.json'), null));
  const url = parseStoreUrlLenient(storeUrl ?? DEMO_STORE_URL);
  const opened = await front.call('openStore', { url: url.kind === 'sqlite' ? `sqlite:///${path.resolve(io.cwd, url.path)}` : url.raw });
  if (!opened.ok) {
    await host.close();
    throw InspectorError.fromJSON(opened.error);
  }
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({ front, rendererDir: RENDERER_DIR, port, dropDir: path.join(cacheDir, 'dropped') });
  } catch (err) {
    await host.close(); // the data host's thread would keep the process alive
    throw listenError(err, port);
  }
  io.out(`Run Inspector is serving on ${server.url}\n(127.0.0.1 only; the token in the URL is required. Ctrl+C to stop.)\n`);
  await new Promise<void>((resolve) => {
    const stop = () =>
      void server
        .close()
        .then(() => host.close())
        .then(resolve);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

export function registerServe(program: Command, io: CliIO): void {
  program
    .command('serve')
    .description('Serve the inspector UI on 127.0.0.1 (browser mode); default store: the bundled demo')
    .argument('[store_url]')
    .option('--port <n>', 'port (default: a free one)', (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 65535) throw new CommanderError(2, 'usage', `'${v}' is not a valid port.`);
      return n;
    })
    .action((storeUrl: string | undefined, o: { port?: number }) => serveBrowserMode(io, storeUrl, o.port));
}

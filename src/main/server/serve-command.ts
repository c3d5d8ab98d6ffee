/** `run-inspector serve [store-url] [--port N]`: browser mode on 127.0.0.1 with a per-launch token. */
import type { Command } from 'commander';
import { CommanderError } from 'commander';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CliIO } from '../cli/io.js';
import { DEMO_STORE_URL, RENDERER_DIR } from '../paths.js';
import { InspectorService } from '../service/inspector-service.js';
import { SavedConnections } from '../service/saved-connections.js';
import { startServer } from './http-server.js';
import { toStoreUrl } from '../engine/open-store.js';

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
    .action(async (storeUrl: string | undefined, o: { port?: number }) => {
      if (!fs.existsSync(path.join(RENDERER_DIR, 'index.html'))) throw new CommanderError(1, 'build', 'the UI is not built: run `npm run build` first');
      // Browser mode has no OS keyring: connections are saved without their passwords.
      const configDir = process.env.RUN_INSPECTOR_CONFIG_DIR ?? path.join(os.homedir(), '.config', 'run-inspector');
      const service = new InspectorService({ demoStoreUrl: DEMO_STORE_URL, connections: new SavedConnections(path.join(configDir, 'connections.json'), null) });
      let url = storeUrl ? toStoreUrl(storeUrl) : toStoreUrl(DEMO_STORE_URL);
      if (url.kind === 'sqlite') url = { ...url, path: path.resolve(io.cwd, url.path) };
      await service.handlers.openStore({ url: url.kind === 'sqlite' ? `sqlite:///${url.path}` : url.raw });
      const server = await startServer({ service, rendererDir: RENDERER_DIR, port: o.port });
      io.out(`Run Inspector is serving on ${server.url}\n(127.0.0.1 only; the token in the URL is required. Ctrl+C to stop.)\n`);
      await new Promise<void>((resolve) => {
        const stop = () =>
          void server
            .close()
            .then(() => service.close())
            .then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

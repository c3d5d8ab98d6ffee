#!/usr/bin/env node
// The run-inspector CLI (built by `npm run build` into out/main).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write('run-inspector is not built yet: run `npm run build` first.\n');
  process.exit(1);
}
await import(cli);

// Type-checks each world (node, web, preload, test-web) with its own types, two at a time, each
// incremental (its build info in node_modules/.cache): `npm run lint` stays quick on a second run.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const worlds = ['node', 'web', 'preload', 'test-web'];

function check(world) {
  return new Promise((resolve) => {
    const args = [tsc, '--noEmit', '--incremental', '--tsBuildInfoFile', `node_modules/.cache/tsc/${world}.tsbuildinfo`, '-p', `tsconfig.${world}.json`];
    const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ world, code, out }));
  });
}

const queue = [...worlds];
const results = [];
await Promise.all(
  Array.from({ length: 2 }, async () => {
    for (let w = queue.shift(); w; w = queue.shift()) results.push(await check(w));
  }),
);
let failed = false;
for (const r of results) {
  if (r.out) process.stdout.write(`tsconfig.${r.world}.json:\n${r.out}`);
  failed ||= r.code !== 0;
}
process.exit(failed ? 1 : 0);

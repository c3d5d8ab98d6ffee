#!/usr/bin/env node
// `npm start`: the Electron app, or, where Electron's binary is not installed (offline machines,
// headless boxes), browser mode on the same UI, saying so in one line. Arguments are store URLs.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const electronDir = path.join(root, 'node_modules', 'electron');
const pathFile = path.join(electronDir, 'path.txt');
// Not require('electron'): since Electron 42 that starts a download when the binary is missing.
const binary = fs.existsSync(pathFile) ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()) : null;
const args = process.argv.slice(2);

const run = (cmd, argv) => {
  const child = spawn(cmd, argv, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
};

if (binary && fs.existsSync(binary)) {
  run(binary, ['.', ...args]);
} else {
  console.log("Electron's binary is not installed here (npm install could not download it), so Run Inspector opens in browser mode instead:");
  run(process.execPath, [path.join(root, 'bin', 'run-inspector.js'), 'serve', ...args.slice(0, 1)]);
}

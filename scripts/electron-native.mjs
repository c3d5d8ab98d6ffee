#!/usr/bin/env node
// Builds better-sqlite3 a second time, for Electron's ABI, into native/electron-<abi>/ — beside
// (not instead of) the build plain Node uses — so `npm start` and `npm test` never rebuild each
// other's binary. Needs Electron's binary (downloaded by `npm install` on a connected machine) and
// Electron's headers; without the binary it says so and exits 0 (nothing to build for).
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
// Not require('electron'): since Electron 42 that starts a download when the binary is missing.
const electronDir = path.join(root, 'node_modules', 'electron');
const pathFile = path.join(electronDir, 'path.txt');
const electronBinary = fs.existsSync(pathFile) ? path.join(electronDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim()) : null;
if (!electronBinary || !fs.existsSync(electronBinary)) {
  console.log("electron-native: skipped — no Electron binary installed (browser mode and the CLI use Node's own build).");
  process.exit(0);
}
const version = createRequire(import.meta.url)('electron/package.json').version;
const abi = execFileSync(electronBinary, ['-p', 'process.versions.modules'], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8' }).trim();
const target = path.join(root, 'native', `electron-${abi}`, 'better_sqlite3.node');
if (fs.existsSync(target)) process.exit(0);

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'ri-electron-native-'));
fs.cpSync(path.join(root, 'node_modules', 'better-sqlite3'), work, { recursive: true });
fs.rmSync(path.join(work, 'build'), { recursive: true, force: true });
console.log(`electron-native: building better-sqlite3 for Electron ${version} (ABI ${abi})…`);
execFileSync('npx', ['--yes', 'node-gyp', 'rebuild', '--release', `--target=${version}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], {
  cwd: work,
  stdio: 'inherit',
});
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(path.join(work, 'build', 'Release', 'better_sqlite3.node'), target);
fs.rmSync(work, { recursive: true, force: true });
console.log(`electron-native: wrote ${path.relative(root, target)}`);

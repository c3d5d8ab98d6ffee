/**
 * better-sqlite3 under two ABIs without rebuilding back and forth: plain Node (CLI, tests, browser
 * mode) loads the package's own build; inside Electron a second binary, built for Electron's ABI
 * by `npm run electron-native` into native/electron-<abi>/, is passed through `nativeBinding`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from '../paths.js';

function electronBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const binary = path.join(ROOT, 'native', `electron-${process.versions.modules}`, 'better_sqlite3.node');
  if (!fs.existsSync(binary)) {
    throw new Error(
      `better-sqlite3 has no build for Electron ${process.versions.electron} (ABI ${process.versions.modules}): run \`npm run electron-native\` once (npm start does).`,
    );
  }
  return binary;
}

export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = electronBinding();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}

/**
 * better-sqlite3 under two ABIs without rebuilding back and forth: plain Node (CLI, tests, browser
 * mode) loads the package's own build; inside Electron a second binary, built for Electron's ABI
 * by `npm run electron-native` into native/electron-<abi>/, is passed through `nativeBinding`.
 */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { storeFiles } from '../store-files.js';
import { enableSqliteUris } from './sqlite-uris.js';

function electronBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const binary = path.join(storeFiles().electronNativeDir, `electron-${process.versions.modules}`, 'better_sqlite3.node');
  if (!fs.existsSync(binary)) {
    throw new Error(
      `better-sqlite3 has no build for Electron ${process.versions.electron} (ABI ${process.versions.modules}): run \`npm run electron-native\` once (npm start does).`,
    );
  }
  return binary;
}

/**
 * Opens a database file. URI filenames are switched on (read by the addon when it first loads) so
 * that a quiescent store can be opened `immutable`, which creates no `-wal`/`-shm` beside it.
 */
export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  enableSqliteUris();
  const nativeBinding = electronBinding();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}

/** The `file:` URI that opens `file` read-only and immutable (no locks, no side files). */
export function immutableUri(file: string): string {
  return `file:${encodeURI(file).replace(/[?#]/g, encodeURIComponent)}?mode=ro&immutable=1`;
}

/**
 * Opening a user's SQLite store read-only without ever writing beside it: never `immutable` while
 * a writer may be live (its WAL must stay visible); a quiescent store immutably (no -wal/-shm
 * created); a hot rollback journal rolled back on a private copy. And SQLite's "not a database"
 * errors as the store format error.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { immutableUri, openDatabase } from './sqlite-native.js';
import { runNotFound, storeUnreadable } from '../../base/errors.js';
import type { StoreUrl } from '../store-url.js';

export const BUSY_TIMEOUT_MS = 5000;

export type SqliteUrl = Extract<StoreUrl, { kind: 'sqlite' }>;

/** Error codes (and extended codes) SQLite raises for files that are not (intact) SQLite databases. */
const NOT_A_DATABASE = /^SQLITE_(NOTADB|CORRUPT|FORMAT|IOERR_SHORT_READ)/;

/** Rethrows a SQLite error; one that says the file is not an intact database becomes the format error. */
export function sqliteFailure(url: SqliteUrl, err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (typeof e.code === 'string' && NOT_A_DATABASE.test(e.code)) throw storeUnreadable(url.raw, `the file is not a SQLite database or is damaged (${e.message})`);
  throw err;
}

/** A read-only connection, and how it was opened. */
export interface OpenedSqlite {
  db: Database.Database;
  /** Removes a private snapshot copy, when the store is read through one. */
  cleanup?: () => void;
  /** Set when opened `immutable` because no writer was active: the file's stamp at that time. */
  quiescentStamp?: string;
  /** What the user should know about how it was read (a hot journal rolled back on a copy). */
  note?: string;
  /** What wrote what is read, when it is not an Active Graph store file (a JSONL trace loaded into a copy). */
  runtime?: string;
}

/** Read-only opens that may not need to write a side file (no -shm can be created there). */
const SIDE_FILE_REFUSED = new Set([
  'SQLITE_CANTOPEN',
  'SQLITE_READONLY',
  'SQLITE_READONLY_DIRECTORY',
  'SQLITE_READONLY_CANTINIT',
  'SQLITE_READONLY_CANTLOCK',
  'SQLITE_READONLY_RECOVERY',
]);

/** What changes when a writer starts: the main file's size and mtime, and a -wal appearing. */
export function fileStamp(file: string): string {
  const st = fs.statSync(file);
  return `${st.size}:${st.mtimeMs}:${fs.existsSync(file + '-wal')}`;
}

/** The URL with the other number of slashes, when that one names a file (a path meant absolute written relative, or the reverse). */
function otherSlashCount(url: SqliteUrl): string | undefined {
  const written = /^sqlite:\/\/\/([^?]*)/.exec(url.raw)?.[1];
  if (!written) return undefined;
  const other = written.startsWith('/') ? written.replace(/^\/+/, '') : `/${written}`;
  return other && fs.existsSync(other) ? `sqlite:///${other}` : undefined;
}

/**
 * Opens any SQLite file read-only, leaving its folder exactly as it was, whatever lies beside it.
 * The side files decide how:
 * - none: no writer is there, so the file is opened `immutable` (SQLite creates no -wal or -shm);
 *   the store switches to a shared read-only connection once a writer appears;
 * - a -wal with its -shm: a writer is (or was) there, and its -shm index is what makes its commits
 *   visible: read shared, through that index;
 * - a -wal or a -shm alone (a copy that missed one, a crash): SQLite would create the other, so a
 *   private snapshot copy of the files is read instead (one copy of the file, removed on close);
 * - a hot -journal (its writer stopped mid-transaction): SQLite must roll it back before anyone
 *   reads, which needs a write, so the rollback is done on a private copy, as Active Graph's own
 *   open would do it on the file, and the store says so.
 * Damaged or non-SQLite files become the structured format error.
 */
export function openSqliteFileReadOnly(url: SqliteUrl): OpenedSqlite {
  const file = path.resolve(url.path);
  if (!fs.existsSync(file)) throw runNotFound(null, url.raw, 'missing_file', 0, { resolved: file, meant: otherSlashCount(url) });
  if (fs.statSync(file).isDirectory()) throw storeUnreadable(url.raw, 'the path is a directory, not a database file');
  if (fs.statSync(file).size === 0) throw storeUnreadable(url.raw, 'the file is empty (0 bytes)');
  const beside = (suffix: string) => fs.existsSync(file + suffix);
  if (hasHotJournal(file)) return openRecoveredCopy(url, file);
  if (beside('-wal') !== beside('-shm')) return openSnapshotCopy(url, file);
  try {
    if (!beside('-wal')) {
      const quiescentStamp = fileStamp(file);
      const db = openDatabase(immutableUri(file), { readonly: true, timeout: BUSY_TIMEOUT_MS });
      probe(db);
      return { db, quiescentStamp };
    }
    return { db: openShared(file) };
  } catch (err) {
    if (!SIDE_FILE_REFUSED.has((err as { code?: string }).code ?? '')) sqliteFailure(url, err);
    return openSnapshotCopy(url, file);
  }
}

/** A rollback journal with content: its writer stopped mid-transaction (a zero-length or zeroed-header one is not hot). */
function hasHotJournal(file: string): boolean {
  const journal = file + '-journal';
  if (!fs.existsSync(journal)) return false;
  const header = Buffer.alloc(8);
  const fd = fs.openSync(journal, 'r');
  try {
    return fs.readSync(fd, header, 0, 8, 0) === 8 && header.some((b) => b !== 0);
  } finally {
    fs.closeSync(fd);
  }
}

function probe(db: Database.Database): void {
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
  } catch (err) {
    db.close();
    throw err;
  }
}

export function openShared(file: string): Database.Database {
  const db = openDatabase(file, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
  probe(db);
  return db;
}

/** Table name → column names of an open SQLite database. */
export function sqliteSchema(db: Database.Database): Map<string, string[]> {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`).pluck().all() as string[];
  return new Map(tables.map((t) => [t, db.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(t) as string[]]));
}

/** Copies the store and the side files it has into a private temp folder. */
function privateCopy(file: string, sides: string[]): { dir: string; copy: string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'run-inspector-ro-'));
  const copy = path.join(dir, path.basename(file));
  const cleanup = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    fs.copyFileSync(file, copy);
    for (const side of sides) if (fs.existsSync(file + side)) fs.copyFileSync(file + side, copy + side);
  } catch (err) {
    cleanup();
    throw err;
  }
  return { dir, copy, cleanup };
}

function openSnapshotCopy(url: SqliteUrl, file: string): OpenedSqlite {
  const { copy, cleanup } = privateCopy(file, ['-wal']);
  try {
    return { db: openShared(copy), cleanup };
  } catch (err) {
    cleanup();
    sqliteFailure(url, err);
  }
}

/** Rolls a hot journal back on a private copy (the file and its journal stay as they are) and reads the copy. */
function openRecoveredCopy(url: SqliteUrl, file: string): OpenedSqlite {
  const { copy, cleanup } = privateCopy(file, ['-journal']);
  try {
    const recover = openDatabase(copy, { timeout: BUSY_TIMEOUT_MS });
    probe(recover); // the first read rolls the journal back
    recover.close();
    return {
      db: openShared(copy),
      cleanup,
      note:
        `${path.basename(file)} has a hot rollback journal (${path.basename(file)}-journal): the program writing it stopped in the middle of a transaction. ` +
        'Shown as of its last committed transaction, read from a private copy on which the unfinished one was rolled back, as SQLite does on the next write open; ' +
        'the file and its journal were left as they are. To recover the file itself, keep the journal beside it and open it once with a writer (sqlite3 store.db "PRAGMA quick_check;"), or restore a backup.',
    };
  } catch (err) {
    cleanup();
    sqliteFailure(url, err);
  }
}

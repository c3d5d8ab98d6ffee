/**
 * The explicit destination of a fork, promote or migration on SQLite: checked read-only first (a
 * foreign or unwritable file is refused before anything is created), then created with Active
 * Graph's DDL and meta row on the first write, one transaction per command step.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from './sqlite-native.js';
import { InspectorError, destinationWriteFailed, schemaVersionMismatch, storeUnreadable } from '../../base/errors.js';
import { destinationProblem, destinationRefused, STORE_FILE_NAME } from '../destination-check.js';
import { copyText } from '../copy-text.js';
import { statements, writes } from '../event-sql.js';
import { scanEvents, type ArchivedEvent, type RunRow } from '../event-store.js';
import { REQUIRED_COLUMNS, SCHEMA_VERSION, SQLITE_DDL } from '../schema.js';
import type { NewEvent, StoreWriter } from '../store-writer.js';
import { SqliteStore } from './sqlite-store.js';
import { BUSY_TIMEOUT_MS, openSqliteFileReadOnly, sqliteFailure, sqliteSchema, type OpenedSqlite, type SqliteUrl } from './sqlite-open.js';

/**
 * The explicit destination of a fork, promote or migration. Only checked here (read-only): the
 * file is created and written when the first write begins, so a refused or failed command leaves
 * no file and nothing beside one.
 */
export function openSqliteDestination(url: SqliteUrl): SqliteWriter {
  const file = path.resolve(url.path);
  const existed = fs.existsSync(file);
  if (existed) refuseForeignDestination(url, file);
  refuseUnwritable(url, file, existed);
  return new SqliteWriter(url, file, !existed);
}

/** A writable connection to a destination checked by openForWrite, with Active Graph's DDL and meta row. */
function connectWriter(url: SqliteUrl, file: string): SqliteStore {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  let db: Database.Database | undefined;
  try {
    db = openDatabase(file, { timeout: BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const conn = db;
    conn.transaction(() => {
      for (const ddl of SQLITE_DDL) conn.exec(ddl);
      for (const [table, cols] of Object.entries(REQUIRED_COLUMNS)) {
        const have = new Set(conn.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
        const missing = cols.filter((c) => !have.has(c));
        if (missing.length) throw storeUnreadable(url.raw, `its ${table} table lacks the Active Graph columns ${missing.join(', ')}`);
      }
      const store = SqliteStore.fromDatabase(url, conn);
      const row = store.one<{ value: string }>(statements.schemaVersion());
      if (!row) store.execute(writes.setSchemaVersion(SCHEMA_VERSION));
      else if (row.value !== SCHEMA_VERSION) throw schemaVersionMismatch(row.value, 'sqlite');
    })();
    return SqliteStore.fromDatabase(url, conn);
  } catch (err) {
    db?.close();
    writeFailure(url, err);
  }
}

/**
 * An existing file may become a fork or migration destination only if it is an Active Graph store
 * of our schema version or an empty database named as a store file; checked read-only, before
 * any PRAGMA or DDL, so a refused file keeps its bytes and mtime.
 */
function refuseForeignDestination(url: SqliteUrl, file: string): void {
  const st = fs.statSync(file);
  if (st.isDirectory()) throw destinationRefused(url.raw, 'the path is a directory');
  if (st.size === 0) {
    if (!STORE_FILE_NAME.test(file)) throw destinationRefused(url.raw, 'it is an empty file whose name does not say it is a database (give the store a .db name)');
    return;
  }
  let opened: OpenedSqlite;
  try {
    opened = openSqliteFileReadOnly(url);
  } catch (err) {
    if (err instanceof InspectorError) throw destinationRefused(url.raw, 'it is not a SQLite database, or it is damaged');
    throw err;
  }
  try {
    const schema = sqliteSchema(opened.db);
    if (schema.get('meta')?.includes('value')) {
      const row = opened.db.prepare(`SELECT value FROM meta WHERE key = 'schema_version'`).get() as { value: unknown } | undefined;
      if (row && row.value !== SCHEMA_VERSION) throw schemaVersionMismatch(String(row.value), 'sqlite');
    }
    const problem =
      schema.size === 0 && !STORE_FILE_NAME.test(file) ? 'it is an empty database whose name does not say it is a store (give it a .db name)' : destinationProblem(schema, false);
    if (problem) throw destinationRefused(url.raw, problem);
  } finally {
    opened.db.close();
    opened.cleanup?.();
  }
}

/**
 * Fork, promote and migration destinations: Active Graph's insert statements, in explicit
 * transactions. What was committed is in the `.db` itself when the writer closes (checkpointed:
 * people copy the file alone); a file this writer created and committed nothing to is removed.
 */
export class SqliteWriter implements StoreWriter {
  readonly driver = 'sqlite' as const;
  private store: SqliteStore | null = null;
  private committed = false;

  constructor(
    private readonly url: SqliteUrl,
    private readonly file: string,
    private readonly creates: boolean,
  ) {}

  /** The destination's connection, opened (and the file created) on first use. */
  get reader(): SqliteStore {
    return (this.store ??= connectWriter(this.url, this.file));
  }

  private exec(sql: string): void {
    try {
      this.reader.db.exec(sql);
    } catch (err) {
      writeFailure(this.url, err);
    }
  }

  async begin(): Promise<void> {
    this.exec('BEGIN IMMEDIATE');
  }
  async commit(): Promise<void> {
    this.exec('COMMIT');
    this.committed = true;
  }
  async rollback(): Promise<void> {
    if (this.store?.db.inTransaction) this.store.db.exec('ROLLBACK');
  }

  async insertRun(row: RunRow): Promise<void> {
    this.reader.execute(writes.insertRun(row));
  }

  async insertRunIfAbsent(row: RunRow): Promise<boolean> {
    return this.reader.execute(writes.insertRun(row, true)) === 1;
  }

  async insertEvents(runId: string, events: NewEvent[]): Promise<number> {
    let n = 0;
    for (const e of events) n += this.reader.execute(writes.insertEvent(runId, e));
    return n;
  }

  async insertArchived(runId: string, events: ArchivedEvent[]): Promise<number> {
    let n = 0;
    for (const e of events) n += this.reader.execute(writes.insertArchived(runId, e));
    return n;
  }

  async insertSnapshot(stateHash: string, blob: string, createdAt: string): Promise<boolean> {
    return this.reader.execute(writes.insertSnapshot(stateHash, blob, createdAt)) === 1;
  }

  async *runText(runId: string, rows: number): AsyncGenerator<string> {
    for await (const page of scanEvents(this.reader, runId, { chunk: rows })) yield copyText(page, runId);
  }

  async head(runId: string): Promise<number | null> {
    return this.reader.one<{ m: number | null }>(writes.head(runId))!.m;
  }

  async close(): Promise<void> {
    const store = this.store;
    this.store = null;
    if (store?.db.open) {
      if (store.db.inTransaction) store.db.exec('ROLLBACK');
      // Readers of this process hold no read transaction between calls, so this moves every
      // committed page into the main file and empties the -wal.
      if (this.committed) store.db.pragma('wal_checkpoint(TRUNCATE)');
      await store.close();
    }
    if (this.creates && !this.committed) removeStoreFiles(this.file);
  }
}

/** A file this process created, with the side files SQLite keeps beside it. */
function removeStoreFiles(file: string): void {
  for (const f of [file, `${file}-wal`, `${file}-shm`, `${file}-journal`]) fs.rmSync(f, { force: true });
}

/** A destination that cannot be written is refused before a connection could leave a -wal or -shm beside it. */
function refuseUnwritable(url: SqliteUrl, file: string, existed: boolean): void {
  const dir = nearestExistingDir(path.dirname(file));
  try {
    if (existed) fs.accessSync(file, fs.constants.W_OK);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch {
    throw destinationRefused(url.raw, existed ? 'the file, or its folder, is read-only for this user' : `its folder ${dir} is read-only for this user`);
  }
}

function nearestExistingDir(dir: string): string {
  let d = dir;
  while (!fs.existsSync(d) && path.dirname(d) !== d) d = path.dirname(d);
  return d;
}

/** A write error as what happened to the destination, not SQLite's bare words. */
function writeFailure(url: SqliteUrl, err: unknown): never {
  const code = (err as { code?: string }).code ?? '';
  if (code.startsWith('SQLITE_FULL'))
    throw destinationWriteFailed(url.raw, 'the disk is full', 'Free some space on the disk that holds it (or name a destination on another disk) and run the command again.');
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))
    throw destinationWriteFailed(
      url.raw,
      `another process holds a write lock on it (waited ${BUSY_TIMEOUT_MS / 1000} s)`,
      'Let the other writer finish (a running agent, another fork or migration, an open sqlite3 shell in a transaction), then run the command again.',
    );
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code.startsWith('SQLITE_IOERR'))
    throw destinationWriteFailed(
      url.raw,
      `the file system refused the write (${code})`,
      'Check that the file and its folder are writable (not a read-only mount, not another user’s file) and run the command again.',
    );
  sqliteFailure(url, err);
}

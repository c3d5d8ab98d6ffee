/**
 * Active Graph SQLite stores on better-sqlite3. User stores are opened read-only (never
 * `immutable`, so a live WAL writer stays visible); only fork/migration destinations are opened
 * for writing, and only those get Active Graph's DDL and meta row.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { immutableUri, openDatabase } from './sqlite-native.js';
import type { EventFilter, RunInfo } from '../../../shared/model.js';
import { InspectorError, destinationWriteFailed, runNotFound, schemaVersionMismatch, storeUnreadable } from '../../base/errors.js';
import { destinationProblem, destinationRefused, STORE_FILE_NAME } from '../destination-check.js';
import { copyText } from '../copy-text.js';
import { render, SQLITE, statements, writes, type Sql } from '../event-sql.js';
import {
  scanEvents,
  wellTypedEvent,
  wellTypedRun,
  wellTypedTexts,
  wellTypedPartition,
  type ArchivedEvent,
  type PartitionEvent,
  type EventStore,
  type FrameRow,
  type PayloadsCheckedAside,
  type ProjectionRow,
  type RunRow,
  type StoredEvent,
} from '../event-store.js';
import { checkPayloadsAside, runPayloadCheck } from './payload-check.js';
import { REQUIRED_COLUMNS, SCHEMA_VERSION, SQLITE_DDL } from '../schema.js';
import type { StoreUrl } from '../store-url.js';
import type { NewEvent, StoreWriter } from '../store-writer.js';

const BUSY_TIMEOUT_MS = 5000;

type SqliteUrl = Extract<StoreUrl, { kind: 'sqlite' }>;

/** Error codes (and extended codes) SQLite raises for files that are not (intact) SQLite databases. */
const NOT_A_DATABASE = /^SQLITE_(NOTADB|CORRUPT|FORMAT|IOERR_SHORT_READ)/;

/** Rethrows a SQLite error; one that says the file is not an intact database becomes the format error. */
export function sqliteFailure(url: SqliteUrl, err: unknown): never {
  const e = err as { code?: string; message?: string };
  if (typeof e.code === 'string' && NOT_A_DATABASE.test(e.code)) throw storeUnreadable(url.raw, `the file is not a SQLite database or is damaged (${e.message})`);
  throw err;
}

function guardStatement(url: SqliteUrl, stmt: Database.Statement): Database.Statement {
  for (const method of ['all', 'get', 'run', 'iterate'] as const) {
    const original = stmt[method].bind(stmt) as (...args: unknown[]) => unknown;
    (stmt as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      try {
        return original(...args);
      } catch (err) {
        sqliteFailure(url, err);
      }
    };
  }
  return stmt;
}

export class SqliteStore implements EventStore {
  readonly driver = 'sqlite' as const;
  readonly runtime = 'Active Graph';
  private readonly stmts = new Map<string, Database.Statement>();
  private readonly hasArchive: boolean;
  private readonly hasSnapshots: boolean;

  /** While opened immutable (no writer yet): the file's stamp at that time. */
  private quiescentStamp: string | undefined;
  /** How the store was read, when the user should know (see openSqliteFileReadOnly). */
  note?: string;

  private constructor(
    readonly url: SqliteUrl,
    private conn: Database.Database,
    private readonly cleanup?: () => void,
    quiescentStamp?: string,
  ) {
    this.quiescentStamp = quiescentStamp;
    const tables = new Set(this.tableNames());
    this.hasArchive = tables.has('events_archive');
    this.hasSnapshots = tables.has('snapshots');
  }

  /** Opens a user store read-only and verifies it is an Active Graph store of schema version 1. */
  static openReadOnly(url: SqliteUrl, opened = openSqliteFileReadOnly(url)): SqliteStore {
    const { db, cleanup, quiescentStamp, note } = opened;
    const store = new SqliteStore(url, db, cleanup, quiescentStamp);
    store.note = note;
    try {
      store.verifyActiveGraphSchema();
    } catch (err) {
      store.db.close();
      cleanup?.();
      throw err;
    }
    return store;
  }

  /** Wraps a database already in Active Graph's layout (the other runtimes' adapters build one in memory). */
  static fromDatabase(url: SqliteUrl, db: Database.Database): SqliteStore {
    return new SqliteStore(url, db);
  }

  /**
   * The explicit destination of a fork, promote or migration. Only checked here (read-only): the
   * file is created and written when the first write begins, so a refused or failed command leaves
   * no file and nothing beside one.
   */
  static openForWrite(url: SqliteUrl): SqliteWriter {
    const file = path.resolve(url.path);
    const existed = fs.existsSync(file);
    if (existed) refuseForeignDestination(url, file);
    refuseUnwritable(url, file, existed);
    return new SqliteWriter(url, file, !existed);
  }

  /** A writable connection to a destination checked by openForWrite, with Active Graph's DDL and meta row. */
  static connectWriter(url: SqliteUrl, file: string): SqliteStore {
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
        const store = new SqliteStore(url, conn);
        const row = store.one<{ value: string }>(statements.schemaVersion());
        if (!row) store.execute(writes.setSchemaVersion(SCHEMA_VERSION));
        else if (row.value !== SCHEMA_VERSION) throw schemaVersionMismatch(row.value, 'sqlite');
      })();
      return new SqliteStore(url, conn);
    } catch (err) {
      db?.close();
      writeFailure(url, err);
    }
  }

  get db(): Database.Database {
    return this.conn;
  }

  /**
   * An immutable connection cannot see a writer that started after it opened. Before each query
   * (a stat and an exists: microseconds, next to any query) compare the file's stamp; once it
   * moved, switch to a shared read-only connection for good.
   */
  private followWriter(): void {
    if (this.quiescentStamp === undefined) return;
    const file = path.resolve(this.url.path);
    let stamp: string;
    try {
      stamp = fileStamp(file);
    } catch {
      return; // the file went away: keep reading what we have, as an open file descriptor would
    }
    if (stamp === this.quiescentStamp) return;
    let next: Database.Database;
    try {
      next = openShared(file);
    } catch {
      return; // not readable shared (yet): try again on a later call
    }
    this.stmts.clear();
    this.conn.close();
    this.conn = next;
    this.quiescentStamp = undefined;
  }

  private tableNames(): string[] {
    return (this.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  }

  private verifyActiveGraphSchema(): void {
    let tables: string[];
    try {
      tables = this.tableNames();
    } catch (err) {
      sqliteFailure(this.url, err);
    }
    const visible = tables.filter((t) => !t.startsWith('sqlite_'));
    if (!tables.includes('events') || !tables.includes('runs')) {
      throw storeUnreadable(this.url.raw, 'it has no Active Graph events/runs tables', visible);
    }
    if (tables.includes('meta')) {
      const row = this.one<{ value: string }>(statements.schemaVersion());
      if (row && row.value !== SCHEMA_VERSION) throw schemaVersionMismatch(row.value, 'sqlite');
    }
    try {
      this.db.prepare(`SELECT ${SQLITE.eventColumns}, run_id FROM events LIMIT 0`).all();
      this.db.prepare(`SELECT run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id FROM runs LIMIT 0`).all();
    } catch (err) {
      throw storeUnreadable(this.url.raw, `its events/runs tables lack Active Graph columns (${(err as Error).message})`, visible);
    }
  }

  /**
   * Cached prepared statement. Damage SQLite only notices while reading pages (a truncated file)
   * becomes the structured format error.
   */
  private stmt(sql: string): Database.Statement {
    this.followWriter();
    let s = this.stmts.get(sql);
    if (!s) {
      try {
        s = guardStatement(this.url, this.db.prepare(sql));
      } catch (err) {
        sqliteFailure(this.url, err);
      }
      this.stmts.set(sql, s);
    }
    return s;
  }

  /** A statement of the shared SQL layer, prepared once per text. */
  private run(q: Sql): { stmt: Database.Statement; values: unknown[] } {
    const { text, values } = render(q, SQLITE);
    return { stmt: this.stmt(text), values };
  }

  private all<T>(q: Sql): T[] {
    const { stmt, values } = this.run(q);
    return stmt.all(...values) as T[];
  }

  /** The first row of a statement (also the writer's, on the same connection). */
  one<T>(q: Sql): T | undefined {
    const { stmt, values } = this.run(q);
    return stmt.get(...values) as T | undefined;
  }

  /** Runs a writing statement; returns the rows it changed. */
  execute(q: Sql): number {
    const { stmt, values } = this.run(q);
    return stmt.run(...values).changes;
  }

  /** Rows as arrays, not objects (a replay's hot path). */
  private arrays<T>(q: Sql): T[] {
    const { stmt, values } = this.run(q);
    return stmt.raw(true).all(...values) as T[];
  }

  private column(q: Sql): unknown[] {
    const { stmt, values } = this.run(q);
    return stmt.pluck().all(...values);
  }

  async listRuns(opts: { counts?: boolean } = {}): Promise<RunInfo[]> {
    return this.all<RunInfo>(statements.runs(SQLITE, this.hasArchive, undefined, opts.counts ?? true)).map(wellTypedRun);
  }

  async failuresByRun(): Promise<{ run_id: string; failures: number }[]> {
    return this.all<{ run_id: unknown; failures: number }>(statements.failuresByRun(SQLITE)).map((r) => ({ run_id: String(r.run_id), failures: r.failures }));
  }

  async runsCount(): Promise<number> {
    return this.one<{ n: number }>(statements.runsCount(SQLITE))!.n;
  }

  async getRun(runId: string): Promise<RunInfo | null> {
    const row = this.one<RunInfo>(statements.runs(SQLITE, this.hasArchive, runId, false, false));
    return row ? wellTypedRun(row) : null;
  }

  async mostRecentRunId(): Promise<string | null> {
    return this.one<{ run_id: string }>(statements.mostRecentRun())?.run_id ?? null;
  }

  async eventsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return this.all<StoredEvent>(statements.eventsAfter(SQLITE, runId, afterSeq, limit, filter)).map(wellTypedEvent);
  }

  async projectionRows(runId: string, afterSeq: number, limit: number): Promise<ProjectionRow[]> {
    return this.arrays<ProjectionRow>(statements.projectionRows(SQLITE, runId, afterSeq, limit));
  }

  async partitionEvents(runId: string, afterSeq: number, limit: number): Promise<PartitionEvent[]> {
    return this.all<PartitionEvent>(statements.partitionRows(SQLITE, runId, afterSeq, limit)).map(wellTypedPartition);
  }

  async partitionCount(runId: string, afterSeq: number): Promise<number> {
    return this.one<{ n: number }>(statements.partitionCount(SQLITE, runId, afterSeq))!.n;
  }

  projectionRowsCheckedAside(runId: string, afterSeq: number, untilSeq: number | undefined, signal?: AbortSignal): PayloadsCheckedAside | null {
    if (this.db.memory) return null;
    const until = untilSeq ?? Number.MAX_SAFE_INTEGER;
    // Should the worker fail (the file went away, no thread to spare), the check runs here instead.
    const aside = checkPayloadsAside({ file: this.db.name, runId, afterSeq, untilSeq: until }, signal).catch(() => null);
    return {
      projectedRows: async (after, limit) => this.arrays<ProjectionRow>(statements.projectionRows(SQLITE, runId, after, limit, 'projected')),
      settle: async (seen) => {
        const checked = await aside;
        signal?.throwIfAborted();
        const found = checked ?? runPayloadCheck(this.db, { runId, afterSeq, untilSeq: until });
        // Rows a live writer appended after the check looked, up to what the replay saw, are checked here.
        const from = found.through ?? afterSeq;
        const tail = seen !== null && seen > from ? runPayloadCheck(this.db, { runId, afterSeq: from, untilSeq: seen }) : null;
        return {
          invalid: [...found.seqs, ...(tail?.seqs ?? [])],
          count: found.count + (tail?.count ?? 0),
          compared: found.compared + (tail?.compared ?? 0),
          last: tail?.through ?? found.through,
        };
      },
    };
  }

  async eventsBefore(runId: string, beforeSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return this.all<StoredEvent>(statements.eventsBefore(SQLITE, runId, beforeSeq, limit, filter))
      .reverse()
      .map(wellTypedEvent);
  }

  async seqsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter, beforeSeq?: number): Promise<number[]> {
    return this.column(statements.seqsAfter(SQLITE, runId, afterSeq, limit, filter, beforeSeq)) as number[];
  }

  async getEvent(runId: string, eventId: string): Promise<StoredEvent | null> {
    const row = this.one<StoredEvent>(statements.event(SQLITE, runId, eventId));
    return row ? wellTypedEvent(row) : null;
  }

  async eventsCausedBy(runId: string, eventId: string, afterSeq: number, scanLimit: number): Promise<StoredEvent[]> {
    return this.all<StoredEvent>(statements.causedBy(SQLITE, runId, eventId, afterSeq, scanLimit)).map(wellTypedEvent);
  }

  async countEvents(runId: string, filter?: EventFilter): Promise<number> {
    return this.one<{ n: number }>(statements.count(SQLITE, runId, filter))!.n;
  }

  async eventTypes(): Promise<string[]> {
    return wellTypedTexts(this.column(statements.types()));
  }

  async lastEventOfTypes(runId: string, types: string[], afterSeq?: number): Promise<StoredEvent | null> {
    if (types.length === 0) return null;
    const row = this.one<StoredEvent>(statements.lastOfTypes(SQLITE, runId, types, afterSeq));
    return row ? wellTypedEvent(row) : null;
  }

  async actorsOf(runId: string, limit: number): Promise<string[]> {
    return wellTypedTexts(this.column(statements.actors(SQLITE, runId, limit)));
  }

  async frameRows(runId: string, afterSeq: number, limit: number): Promise<FrameRow[]> {
    return this.all<FrameRow>(statements.frameRows(SQLITE, runId, afterSeq, limit)).map((r) => ({
      seq: Number(r.seq),
      type: String(r.type),
      frame_id: r.frame_id === null ? null : String(r.frame_id),
    }));
  }

  async archivedEvents(runId: string, page?: { offset: number; limit: number }): Promise<ArchivedEvent[]> {
    if (!this.hasArchive) return [];
    return this.all<ArchivedEvent>(statements.archived(runId, page)).map(wellTypedArchived);
  }

  async archivedEvent(runId: string, eventId: string): Promise<ArchivedEvent | null> {
    if (!this.hasArchive) return null;
    const row = this.one<ArchivedEvent>(statements.archivedEvent(runId, eventId));
    return row ? wellTypedArchived(row) : null;
  }

  async archivedOffset(runId: string, seq: number): Promise<number> {
    if (!this.hasArchive) return 0;
    return Number(this.one<{ n: number }>(statements.archivedBefore(runId, seq))!.n);
  }

  async isArchived(runId: string, eventId: string): Promise<boolean> {
    if (!this.hasArchive) return false;
    return this.one(statements.isArchived(runId, eventId)) !== undefined;
  }

  async snapshotBlob(stateHash: string): Promise<string | null> {
    if (!this.hasSnapshots) return null;
    return this.one<{ blob: string }>(statements.snapshot(stateHash))?.blob ?? null;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
    this.cleanup?.();
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

/** A read-only connection, and how it was opened. */
export interface OpenedSqlite {
  db: Database.Database;
  /** Removes a private snapshot copy, when the store is read through one. */
  cleanup?: () => void;
  /** Set when opened `immutable` because no writer was active: the file's stamp at that time. */
  quiescentStamp?: string;
  /** What the user should know about how it was read (a hot journal rolled back on a copy). */
  note?: string;
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
function fileStamp(file: string): string {
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

function openShared(file: string): Database.Database {
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
    return (this.store ??= SqliteStore.connectWriter(this.url, this.file));
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

function wellTypedArchived(e: ArchivedEvent): ArchivedEvent {
  return { ...wellTypedEvent(e), archived_at: String(e.archived_at ?? '') };
}

/**
 * Reading an Active Graph SQLite store on better-sqlite3 (the store opened read-only by
 * sqlite-open.ts, or a destination's connection by sqlite-writer.ts): every read of the EventStore
 * interface through the shared SQL layer, prepared once per statement.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { EventFilter, RunInfo } from '../../../shared/model.js';
import { schemaVersionMismatch, storeUnreadable } from '../../base/errors.js';
import { statements } from '../event-sql.js';
import { render, SQLITE, type Sql } from '../sql-dialect.js';
import {
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
  type StoredEvent,
  fleetWindowOf,
  type FleetWindow,
  countsThroughStretches,
} from '../event-store.js';
import { DecimalSum } from '../../base/decimal-sum.js';
import { checkPayloadsAside, runPayloadCheck } from './payload-check.js';
import { SCHEMA_VERSION } from '../schema.js';
import { fileStamp, openShared, openSqliteFileReadOnly, sqliteFailure, type SqliteUrl } from './sqlite-open.js';

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
  readonly runtime: string;
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
    runtime = 'Active Graph',
  ) {
    this.quiescentStamp = quiescentStamp;
    this.runtime = runtime;
    const tables = new Set(this.tableNames());
    this.hasArchive = tables.has('events_archive');
    this.hasSnapshots = tables.has('snapshots');
  }

  /** Opens a user store read-only and verifies it is an Active Graph store of schema version 1. */
  static openReadOnly(url: SqliteUrl, opened = openSqliteFileReadOnly(url)): SqliteStore {
    const { db, cleanup, quiescentStamp, note, runtime } = opened;
    const store = new SqliteStore(url, db, cleanup, quiescentStamp, runtime);
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

  async fleetWindow(runId: string, afterSeq: number, limit: number): Promise<FleetWindow> {
    return fleetWindowOf(this.all(statements.fleetWindow(SQLITE, runId, afterSeq, limit)), (terms) => {
      const sum = new DecimalSum();
      for (const t of terms?.split('\u001f') ?? []) sum.add(t);
      return sum.toString();
    });
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

  async countsThrough(runId: string, seqs: number[]): Promise<number[]> {
    return countsThroughStretches(seqs, async (bounds) => this.all<{ k: number; n: number }>(statements.countsBetween(SQLITE, runId, bounds)));
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

function wellTypedArchived(e: ArchivedEvent): ArchivedEvent {
  return { ...wellTypedEvent(e), archived_at: String(e.archived_at ?? '') };
}

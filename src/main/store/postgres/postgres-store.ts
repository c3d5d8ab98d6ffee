/**
 * Active Graph Postgres stores on `pg`, through a pool. Same results as the SQLite driver; the
 * differences Active Graph itself has (JSONB key order, re-rendered timestamps) are kept.
 */
import pg from 'pg';
import { FairSlots } from './fair-slots.js';
import type { EventFilter, RunInfo } from '../../../shared/model.js';
import { InspectorError, runNotFound, schemaVersionMismatch, storeConnection, storeQueryTimeout, storeUnreadable } from '../../base/errors.js';
import { parsePgUrl, pgTls } from './pg-url.js';
import pgPass from 'pgpass';
import { POSTGRES, render, statements, writes, type Sql } from '../event-sql.js';
import { PAGE_SIZED_READ, type ArchivedEvent, type EventStore, type FrameRow, type PartitionEvent, type ProjectionRow, type RunRow, type StoredEvent } from '../event-store.js';
import { destinationProblem, destinationRefused } from '../destination-check.js';
import { POSTGRES_ARCHIVE_DDL, POSTGRES_DDL, REQUIRED_COLUMNS, SCHEMA_VERSION } from '../schema.js';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { copyText } from '../copy-text.js';
import { redactSecrets, redactUrl, type StoreUrl } from '../store-url.js';
import type { NewEvent, StoreWriter } from '../store-writer.js';

type PgUrl = Extract<StoreUrl, { kind: 'postgres' }>;

/** Python's isoformat() of a TIMESTAMPTZ as Active Graph re-renders it: `2026-05-15T10:32:01+00:00`. */
export function pgTimestampToPython(raw: string): string {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d+))?([+-]\d{2})(?::?(\d{2}))?$/.exec(raw);
  if (!m) return raw;
  const frac = m[3] ? '.' + m[3].padEnd(6, '0') : '';
  return `${m[1]}T${m[2]}${frac}${m[4]}:${m[5] ?? '00'}`;
}

/** Connections a store's reads may hold, and how many of them whole-run reads may take at once. */
const POOL_SIZE = 4;
const BULK_SLOTS = 2;
const TIMESTAMPTZ_OID = 1184;
const INT8_OID = 20;
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ_OID) return (v: string) => pgTimestampToPython(v);
    if (oid === INT8_OID) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/**
 * How long a read may wait for the server. A stalled server (stopped, or a network that drops
 * packets) otherwise holds a call for minutes; the kernel's keepalives are answered even by a
 * stopped process, so only a timeout finds it. Settable for slow links.
 */
export function pgReadTimeoutMs(): number {
  const v = Number(process.env.RUN_INSPECTOR_PG_TIMEOUT_MS);
  return Number.isInteger(v) && v > 0 ? v : 15_000;
}

/** Asks the user for a password (the CLI sets one on a terminal; the app has its own dialog). */
export type PasswordPrompt = (who: { user: string; host: string; port: number; database: string }) => Promise<string | undefined>;
let passwordPrompt: PasswordPrompt | null = null;
export function setPasswordPrompt(prompt: PasswordPrompt | null): void {
  passwordPrompt = prompt;
}

/** A password the URL does not carry, where libpq looks for one: PGPASSWORD, then ~/.pgpass (PGPASSFILE), then a prompt. */
async function passwordFor(who: { user: string; host: string; port: number; database: string }): Promise<string | undefined> {
  if (process.env.PGPASSWORD) return process.env.PGPASSWORD;
  const fromFile = await new Promise<string | undefined>((resolve) => pgPass({ ...who, port: String(who.port) }, resolve));
  if (fromFile !== undefined) return fromFile;
  return passwordPrompt ? passwordPrompt(who) : undefined;
}

/**
 * Connection settings every Postgres connection of ours shares, from our parse of the URL (the
 * driver never parses it). The connect timeout runs until the server is ready for queries, so it
 * covers TLS and authentication too.
 */
export async function pgConnectionConfig(url: PgUrl, reads: boolean): Promise<pg.ClientConfig> {
  const target = parsePgUrl(url.raw);
  const timeout = pgReadTimeoutMs();
  return {
    host: target.host,
    port: target.port,
    user: target.user,
    database: target.database,
    password: target.password ?? ((p: { user: string; host: string; port: number; database: string }) => passwordFor(p)),
    ssl: await pgTls(url.raw, target),
    application_name: target.applicationName ?? 'run-inspector',
    connectionTimeoutMillis: target.connectTimeoutMs ?? Math.min(timeout, 10_000),
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    // Writers stream COPY for as long as a migration takes (their silence is watched instead); only reads get a deadline.
    // The server cancels a slow statement first (a live server says so); the client's own deadline,
    // a little later, is for a server that does not answer at all.
    ...(reads ? { statement_timeout: timeout, query_timeout: Math.round(timeout * 1.2) + 500 } : {}),
  } as pg.ClientConfig;
}

/**
 * A failed connection as the structured error users read. Network-level failures all read the
 * same (refused, timed out, reset, not Postgres): telling them apart would let the app map which
 * ports of a host are open. What a Postgres server itself said (wrong password, no such database)
 * is told as it is, with the URL's secrets scrubbed from it.
 */
export function connectionError(url: PgUrl, err: unknown): Error {
  if (err instanceof InspectorError) return err;
  const e = err as { code?: string; message?: string };
  const message = e?.message ?? String(err);
  const fromServer = typeof e?.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code) && !/^E[A-Z]+$/.test(e.code);
  const detail = /client password must be a string|password authentication is required|no password supplied/i.test(message)
    ? 'the server asks for a password and none was given (put it in the URL, in PGPASSWORD or ~/.pgpass, or save it in the OS keyring)'
    : /Query read timeout|timeout exceeded when trying to connect|timeout expired|Connection terminated due to connection timeout/.test(message)
      ? `the server did not answer within ${Math.round(pgReadTimeoutMs() / 1000)} s (stopped, overloaded, or unreachable); the next call tries again`
      : /Connection terminated unexpectedly|ECONNRESET|terminating connection|server closed the connection/.test(message) || /^57P0/.test(e?.code ?? '')
        ? 'the connection to the server was lost (the server restarted, or the network dropped it); the next call connects again'
        : /does not support SSL/.test(message)
          ? 'the server does not accept TLS connections (sslmode asks for TLS: use sslmode=disable or prefer, or enable ssl on the server)'
          : /self[- ]signed|unable to verify|certificate|Hostname\/IP does not match/i.test(message)
            ? `the server's certificate was not accepted: ${redactSecrets(message, url.raw)}`
            : fromServer
              ? redactSecrets(message, url.raw)
              : 'no Postgres server answered there (down, unreachable, or not a Postgres server)';
  return storeConnection(redactUrl(url.raw), detail);
}

/** Table name → column names in the connection's current schema. */
export async function postgresSchema(client: pg.ClientBase): Promise<Map<string, string[]>> {
  const rows = (
    await client.query<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`,
    )
  ).rows;
  const schema = new Map<string, string[]>();
  for (const r of rows) schema.set(r.table_name, [...(schema.get(r.table_name) ?? []), r.column_name]);
  return schema;
}

/** Foreign tables named like ours are refused before any DDL (see destination-check.ts). */
async function refuseForeignDestination(url: PgUrl, client: pg.PoolClient): Promise<void> {
  const schema = await postgresSchema(client);
  if (schema.get('meta')?.includes('value')) {
    const row = await client.query(`SELECT value FROM meta WHERE key = 'schema_version'`).catch(() => null);
    const found = row?.rows[0]?.value;
    if (found !== undefined && found !== SCHEMA_VERSION) throw schemaVersionMismatch(String(found), 'postgres');
  }
  const problem = destinationProblem(schema, true);
  if (problem) throw destinationRefused(redactUrl(url.raw), problem);
}

export class PostgresStore implements EventStore {
  readonly driver = 'postgres' as const;
  readonly runtime = 'Active Graph';
  /** Whether Run Inspector's archive/snapshot extension tables exist in this database. */
  private hasArchive = false;

  /**
   * Reads whose cost is a whole run (indexing it, replaying it, counting it, a diff's pass) take
   * at most BULK_SLOTS of the pool's connections at once, run by run in turn; the others stay free
   * for the pages, rows and live notices a window is waiting on, however many big runs are opening.
   */
  private readonly bulk = new FairSlots(BULK_SLOTS);

  private constructor(
    readonly url: PgUrl,
    readonly pool: pg.Pool,
  ) {}

  private static async createPool(url: PgUrl, reads: boolean): Promise<pg.Pool> {
    // JIT compiling costs a large statement 0.4-1.7 s and saves our indexed reads nothing.
    const pool = new pg.Pool({ ...(await pgConnectionConfig(url, reads)), types, max: POOL_SIZE, options: '-c TimeZone=UTC -c jit=off' });
    pool.on('error', () => {}); // idle-client errors surface on the next query instead of crashing
    return pool;
  }

  static async open(url: PgUrl): Promise<PostgresStore> {
    const store = new PostgresStore(url, await PostgresStore.createPool(url, true));
    try {
      await store.verify();
    } catch (err) {
      await store.pool.end();
      throw err;
    }
    return store;
  }

  static async openForWrite(url: PgUrl): Promise<PostgresWriter> {
    const pool = await PostgresStore.createPool(url, false);
    let client: pg.PoolClient;
    try {
      client = await pool.connect();
    } catch (err) {
      await pool.end();
      throw connectionError(url, err);
    }
    try {
      if ((await client.query<{ standby: boolean }>('SELECT pg_is_in_recovery() AS standby')).rows[0]!.standby) {
        throw destinationRefused(redactUrl(url.raw), 'it is a read-only hot standby (its data comes from its primary); name the primary as the destination');
      }
      await client.query('BEGIN');
      await client.query(`SELECT pg_advisory_xact_lock(hashtextextended('run-inspector-ddl', 0))`);
      await refuseForeignDestination(url, client);
      for (const ddl of [...POSTGRES_DDL, ...POSTGRES_ARCHIVE_DDL]) await client.query(ddl);
      const store = new PostgresStore(url, pool);
      store.hasArchive = true;
      await store.verifyColumns(client);
      const on = (q: Sql) => render(q, POSTGRES);
      const version = on(statements.schemaVersion());
      const row = await client.query(version.text, version.values);
      const set = on(writes.setSchemaVersion(SCHEMA_VERSION));
      if (row.rowCount === 0) await client.query(set.text, set.values);
      else if (row.rows[0].value !== SCHEMA_VERSION) throw schemaVersionMismatch(row.rows[0].value, 'postgres');
      await client.query('COMMIT');
      return new PostgresWriter(store, client);
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {});
      client.release();
      await pool.end();
      throw err;
    }
  }

  private async query<T extends pg.QueryResultRow>(sql: string, params: unknown[] = [], purpose = 'read the store'): Promise<T[]> {
    try {
      return (await this.pool.query<T>(sql, params)).rows;
    } catch (err) {
      const code = (err as { code?: string }).code;
      // The server's statement timeout: it is there, the query was slow (a silent server meets the client's read timeout, later).
      if (code === '57014') throw storeQueryTimeout(redactUrl(this.url.raw), pgReadTimeoutMs(), purpose);
      // Node socket errors (ECONNREFUSED, ENOTFOUND, ...) and SQLSTATE connection/auth classes.
      if (code === undefined || /^E[A-Z]+$/.test(code) || /^(08|28|3D|57P)/.test(code)) throw connectionError(this.url, err);
      throw err;
    }
  }

  async replication(): Promise<{ standby: boolean; lagSeconds: number | null }> {
    const [row] = await this.query<{ standby: boolean; lag: number | null }>(
      `SELECT pg_is_in_recovery() AS standby,
              CASE WHEN NOT pg_is_in_recovery() THEN NULL
                   WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                   ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp())::float8 END AS lag`,
      [],
      'ask whether the server is a standby',
    );
    return { standby: row!.standby, lagSeconds: row!.lag === null ? null : Math.max(0, Number(row!.lag)) };
  }

  private async tables(client?: pg.PoolClient): Promise<string[]> {
    const sql = `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY table_name`;
    return client ? (await client.query(sql)).rows.map((r) => r.table_name) : (await this.query<{ table_name: string }>(sql)).map((r) => r.table_name);
  }

  private async verify(): Promise<void> {
    const tables = await this.tables();
    if (!tables.includes('events') || !tables.includes('runs')) {
      if (tables.length === 0) throw runNotFound(null, redactUrl(this.url.raw), 'empty_catalog');
      throw storeUnreadable(redactUrl(this.url.raw), 'it has no Active Graph events/runs tables', tables);
    }
    if (tables.includes('meta')) {
      const rows = await this.rows<{ value: string }>(statements.schemaVersion());
      if (rows[0] && rows[0].value !== SCHEMA_VERSION) throw schemaVersionMismatch(rows[0].value, 'postgres');
    }
    this.hasArchive = tables.includes('events_archive') && tables.includes('snapshots');
  }

  private async verifyColumns(client: pg.PoolClient): Promise<void> {
    for (const [table, cols] of Object.entries(REQUIRED_COLUMNS)) {
      const have = new Set(
        (await client.query(`SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`, [table])).rows.map(
          (r) => r.column_name,
        ),
      );
      const missing = cols.filter((c) => !have.has(c));
      if (missing.length) throw storeUnreadable(redactUrl(this.url.raw), `its ${table} table lacks the Active Graph columns ${missing.join(', ')}`);
    }
  }

  /** A statement of the shared SQL layer; `bulkOf` names the run when its cost is a whole run's (see `bulk`). */
  private rows<T extends pg.QueryResultRow>(q: Sql, purpose?: string, bulkOf?: string): Promise<T[]> {
    const { text, values } = render(q, POSTGRES);
    return bulkOf === undefined ? this.query<T>(text, values, purpose) : this.bulk.run(bulkOf, () => this.query<T>(text, values, purpose));
  }

  async listRuns(opts: { counts?: boolean } = {}): Promise<RunInfo[]> {
    return this.rows<RunInfo>(statements.runs(POSTGRES, this.hasArchive, undefined, opts.counts ?? true), 'list the runs');
  }

  async failuresByRun(): Promise<{ run_id: string; failures: number }[]> {
    return this.rows<{ run_id: string; failures: number }>(statements.failuresByRun(POSTGRES), "count the runs' failures", '');
  }

  async runsCount(): Promise<number> {
    return (await this.rows<{ n: number }>(statements.runsCount(POSTGRES), 'count the runs'))[0]!.n;
  }

  async getRun(runId: string): Promise<RunInfo | null> {
    return (await this.rows<RunInfo>(statements.runs(POSTGRES, this.hasArchive, runId, false, false), 'read the run'))[0] ?? null;
  }

  async mostRecentRunId(): Promise<string | null> {
    return (await this.rows<{ run_id: string }>(statements.mostRecentRun(), 'find the most recent run'))[0]?.run_id ?? null;
  }

  async eventsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return this.rows<StoredEvent>(statements.eventsAfter(POSTGRES, runId, afterSeq, limit, filter), 'read a page of the run');
  }

  async partitionEvents(runId: string, afterSeq: number, limit: number): Promise<PartitionEvent[]> {
    return this.rows<PartitionEvent>(statements.partitionRows(POSTGRES, runId, afterSeq, limit), 'read the events a diff compares', runId);
  }

  async partitionCount(runId: string, afterSeq: number): Promise<number> {
    return (await this.rows<{ n: number }>(statements.partitionCount(POSTGRES, runId, afterSeq), 'count the events a diff compares', runId))[0]!.n;
  }

  async projectionRows(runId: string, afterSeq: number, limit: number): Promise<ProjectionRow[]> {
    const rows = await this.rows<{ seq: number; type: string; payload: string | null }>(
      statements.projectionRows(POSTGRES, runId, afterSeq, limit),
      "read the run's events for its graph",
      runId,
    );
    return rows.map((r) => [r.seq, r.type, r.payload, 1]);
  }

  async eventsBefore(runId: string, beforeSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return (await this.rows<StoredEvent>(statements.eventsBefore(POSTGRES, runId, beforeSeq, limit, filter), 'read a page of the run')).reverse();
  }

  async seqsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter, beforeSeq?: number): Promise<number[]> {
    const bulkOf = limit > PAGE_SIZED_READ ? runId : undefined;
    return (await this.rows<{ seq: number }>(statements.seqsAfter(POSTGRES, runId, afterSeq, limit, filter, beforeSeq), "index the run's rows", bulkOf)).map((r) => r.seq);
  }

  async getEvent(runId: string, eventId: string): Promise<StoredEvent | null> {
    return (await this.rows<StoredEvent>(statements.event(POSTGRES, runId, eventId), 'read an event'))[0] ?? null;
  }

  async eventsCausedBy(runId: string, eventId: string, afterSeq: number, scanLimit: number): Promise<StoredEvent[]> {
    return this.rows<StoredEvent>(statements.causedBy(POSTGRES, runId, eventId, afterSeq, scanLimit), "find an event's consequences");
  }

  async countEvents(runId: string, filter?: EventFilter): Promise<number> {
    return (await this.rows<{ n: number }>(statements.count(POSTGRES, runId, filter), "count the run's events", runId))[0]!.n;
  }

  async eventTypes(): Promise<string[]> {
    return (await this.rows<{ type: string }>(statements.types(), "list the store's event types")).map((r) => r.type);
  }

  async lastEventOfTypes(runId: string, types: string[], afterSeq?: number): Promise<StoredEvent | null> {
    if (types.length === 0) return null;
    return (await this.rows<StoredEvent>(statements.lastOfTypes(POSTGRES, runId, types, afterSeq), "find the run's last lifecycle event"))[0] ?? null;
  }

  async actorsOf(runId: string, limit: number): Promise<string[]> {
    return (await this.rows<{ actor: string }>(statements.actors(POSTGRES, runId, limit), "list the run's actors")).map((r) => r.actor);
  }

  async frameRows(runId: string, afterSeq: number, limit: number): Promise<FrameRow[]> {
    return this.rows<FrameRow>(statements.frameRows(POSTGRES, runId, afterSeq, limit), "read the run's frames and failures", limit > PAGE_SIZED_READ ? runId : undefined);
  }

  // Active Graph's Postgres store has no archive tier or snapshots (spec §3); ours may (schema.ts).
  async archivedEvents(runId: string, page?: { offset: number; limit: number }): Promise<ArchivedEvent[]> {
    if (!this.hasArchive) return [];
    return this.rows<ArchivedEvent>(statements.archived(runId, page));
  }
  async archivedEvent(runId: string, eventId: string): Promise<ArchivedEvent | null> {
    if (!this.hasArchive) return null;
    return (await this.rows<ArchivedEvent>(statements.archivedEvent(runId, eventId)))[0] ?? null;
  }
  async archivedOffset(runId: string, seq: number): Promise<number> {
    if (!this.hasArchive) return 0;
    return Number((await this.rows<{ n: string }>(statements.archivedBefore(runId, seq)))[0]!.n);
  }
  async isArchived(runId: string, eventId: string): Promise<boolean> {
    if (!this.hasArchive) return false;
    return (await this.rows(statements.isArchived(runId, eventId))).length > 0;
  }
  async snapshotBlob(stateHash: string): Promise<string | null> {
    if (!this.hasArchive) return null;
    return (await this.rows<{ blob: string }>(statements.snapshot(stateHash)))[0]?.blob ?? null;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** Batches from this size on are bulk-loaded with COPY; smaller ones are one INSERT. */
const COPY_THRESHOLD = 500;

/** A COPY into `events` left open between batches of one run. */
interface OpenCopy {
  runId: string;
  stream: Writable;
  /** Settles when the server has finished the COPY (or refused it). */
  done: Promise<void>;
  /** Sends rows, waiting while the connection is backed up. */
  write(text: string): Promise<void>;
}

/**
 * A destination connection: one client, explicit transactions, Active Graph's insert rules. Bulk
 * appends to a run with no destination rows stream through one COPY; otherwise they go through
 * COPY into a session staging table, then one conflict-skipping INSERT into `events`, inside the
 * caller's transaction. A client lost mid-run (server restart) is replaced on the next begin().
 */
export class PostgresWriter implements StoreWriter {
  readonly driver = 'postgres' as const;
  private readonly locked = new Set<string>();
  private copying: OpenCopy | null = null;
  /** Runs with no destination events when this transaction started writing them (COPY fast path). */
  private readonly emptyRuns = new Set<string>();
  /** Rows bulk-loaded in this transaction and not yet seen by the planner's statistics. */
  private unanalyzed = 0;
  private broken = false;
  private staged = false;
  /** Whether `client` is still ours to release (a lost one is released once, when replaced). */
  private held = true;
  /** Calls now waiting on the server: while there are any, bytes must move (see watchSilence). */
  private waiting = 0;
  /** Why the connection was cut by the watchdog, for the error the waiting call gets. */
  private stalled: string | null = null;
  private readonly watchdog: NodeJS.Timeout;

  constructor(
    readonly reader: PostgresStore,
    private client: pg.PoolClient,
  ) {
    client.on('error', () => (this.broken = true));
    this.watchdog = this.watchSilence();
  }

  /**
   * Writers have no statement timeout (a COPY lasts as long as a run is long), so a server that
   * stops answering mid-COPY (stopped, or a network that drops packets: the kernel's keepalives
   * may still be answered) would hold a migration forever. While a call waits on the server, the
   * bytes it read and the bytes the kernel took must move; after the read timeout without either,
   * the connection is cut and the call fails, leaving the run untouched as a killed one is.
   */
  private watchSilence(): NodeJS.Timeout {
    const limit = pgReadTimeoutMs();
    let last = -1;
    let since = Date.now();
    const timer = setInterval(
      () => {
        // pg keeps its socket as `connection.stream`; bytesWritten counts what is still queued.
        const socket = (this.client as unknown as { connection?: { stream?: import('node:net').Socket } }).connection?.stream;
        if (!socket || this.waiting === 0) {
          last = -1;
          return;
        }
        const moved = socket.bytesRead + socket.bytesWritten - socket.writableLength;
        if (moved !== last) {
          last = moved;
          since = Date.now();
        } else if (Date.now() - since >= limit) {
          this.stalled = `the server stopped answering (nothing moved for ${Math.round(limit / 1000)} s while a write waited on it); the run's transaction was abandoned`;
          this.broken = true;
          socket.destroy(new Error(this.stalled));
        }
      },
      Math.min(1000, Math.max(100, limit / 5)),
    );
    timer.unref();
    return timer;
  }

  /** Waits on the server under the watchdog. */
  private async waitOn<T>(work: Promise<T>): Promise<T> {
    this.waiting++;
    try {
      return await work;
    } catch (err) {
      if (this.stalled) throw storeConnection(redactUrl(this.reader.url.raw), this.stalled);
      throw err;
    } finally {
      this.waiting--;
    }
  }

  /** A statement of the shared SQL layer. */
  private run(q: Sql): Promise<pg.QueryResult> {
    const { text, values } = render(q, POSTGRES);
    return this.q(text, values);
  }

  private async q(sql: string, params?: unknown[]): Promise<pg.QueryResult> {
    await this.endCopy();
    try {
      return await this.waitOn(this.client.query(sql, params));
    } catch (err) {
      if (err instanceof InspectorError) throw err;
      const code = (err as { code?: string }).code;
      if (code === undefined || /^E[A-Z]+$/.test(code) || /^(08|57P)/.test(code)) {
        this.broken = true;
        throw storeConnection(redactUrl(this.reader.url.raw), (err as Error).message);
      }
      throw err;
    }
  }

  async begin(): Promise<void> {
    if (this.broken) {
      if (this.held) this.client.release(true);
      this.held = false;
      try {
        this.client = await this.reader.pool.connect();
      } catch (err) {
        throw connectionError(this.reader.url, err);
      }
      this.held = true;
      this.client.on('error', () => (this.broken = true));
      this.broken = false;
      this.stalled = null;
      this.staged = false;
    }
    this.locked.clear();
    this.emptyRuns.clear();
    this.unanalyzed = 0;
    await this.q('BEGIN');
  }
  async commit(): Promise<void> {
    await this.q('COMMIT');
  }
  async rollback(): Promise<void> {
    if (this.copying) {
      // CopyFail: the server aborts the COPY, then the transaction can roll back.
      this.copying.stream.destroy();
      await this.copying.done.catch(() => {});
      this.copying = null;
    }
    await this.client.query('ROLLBACK').catch(() => (this.broken = true));
  }

  async insertRun(row: RunRow): Promise<void> {
    await this.run(writes.insertRun(row));
  }

  async insertRunIfAbsent(row: RunRow): Promise<boolean> {
    return (await this.run(writes.insertRun(row, true))).rowCount === 1;
  }

  async insertEvents(runId: string, events: NewEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    if (!this.locked.has(runId)) {
      await this.q(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [runId]);
      this.locked.add(runId);
    }
    const n = events.length >= COPY_THRESHOLD ? await this.copyEvents(runId, events) : await this.unnestEvents(runId, events);
    this.unanalyzed += n;
    return n;
  }

  /** Small batches: one statement, rows as arrays, order kept for seq assignment. */
  private async unnestEvents(runId: string, events: NewEvent[]): Promise<number> {
    const col = <K extends keyof NewEvent>(k: K) => events.map((e) => e[k]);
    const r = await this.q(
      `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id)
       SELECT id, type, actor, payload::jsonb, frame_id, caused_by, ts::timestamptz, $8
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS t(id, type, actor, payload, frame_id, caused_by, ts, ord)
       ORDER BY ord
       ON CONFLICT (id, run_id) DO NOTHING`,
      [col('id'), col('type'), col('actor'), col('payload'), col('frame_id'), col('caused_by'), col('timestamp'), runId],
    );
    return r.rowCount ?? 0;
  }

  /**
   * Bulk: COPY into the staging table, then conflict-skipping INSERT in COPY order. While the run
   * has no events at the destination (checked under the run's advisory lock, in this transaction)
   * nothing can conflict, so rows stream straight into `events` through one COPY that stays open
   * across batches (the server never waits for the next statement); any other statement on this
   * writer ends it first.
   */
  private async copyEvents(runId: string, events: NewEvent[]): Promise<number> {
    const text = copyText(events, runId);
    if (this.copying?.runId === runId) {
      await this.copying.write(text);
      return events.length;
    }
    if (this.emptyRuns.has(runId) || (await this.head(runId)) === null) {
      this.emptyRuns.add(runId);
      this.copying = this.openCopy(runId);
      await this.copying.write(text);
      return events.length;
    }
    if (!this.staged) {
      await this.q(
        `CREATE TEMP TABLE IF NOT EXISTS ri_stage (ord BIGINT GENERATED ALWAYS AS IDENTITY, id TEXT, type TEXT, actor TEXT, payload TEXT, frame_id TEXT, caused_by TEXT, ts TEXT, run_id TEXT) ON COMMIT DELETE ROWS`,
      );
      this.staged = true;
    }
    await this.q('TRUNCATE ri_stage');
    await this.copy(`COPY ri_stage (id, type, actor, payload, frame_id, caused_by, ts, run_id) FROM STDIN`, text);
    const r = await this.q(
      `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id)
       SELECT id, type, actor, payload::jsonb, frame_id, caused_by, ts::timestamptz, run_id FROM ri_stage ORDER BY ord
       ON CONFLICT (id, run_id) DO NOTHING`,
    );
    return r.rowCount ?? 0;
  }

  private openCopy(runId: string): OpenCopy {
    const stream = this.client.query(copyFrom(`COPY events (id, type, actor, payload, frame_id, caused_by, timestamp, run_id) FROM STDIN`));
    const done = finished(stream).catch((err: unknown) => {
      if ((err as { code?: string }).code === undefined) this.broken = true;
      throw err;
    });
    done.catch(() => {}); // surfaces through write() or endCopy()
    return {
      runId,
      stream,
      done,
      write: async (text: string): Promise<void> => {
        if (!stream.write(text)) await this.waitOn(Promise.race([once(stream, 'drain'), done]));
      },
    };
  }

  /** Ends the open COPY, if any, and waits for the server to have every row. */
  private async endCopy(): Promise<void> {
    const open = this.copying;
    if (!open) return;
    this.copying = null;
    open.stream.end();
    await this.waitOn(open.done);
  }

  private async copy(sql: string, text: string): Promise<void> {
    try {
      await this.waitOn(pipeline(Readable.from([text]), this.client.query(copyFrom(sql))));
    } catch (err) {
      if ((err as { code?: string }).code === undefined) this.broken = true;
      throw err;
    }
  }

  async insertArchived(runId: string, events: ArchivedEvent[]): Promise<number> {
    let n = 0;
    for (const e of events) n += (await this.run(writes.insertArchived(runId, e))).rowCount ?? 0;
    return n;
  }

  async insertSnapshot(stateHash: string, blob: string, createdAt: string): Promise<boolean> {
    return (await this.run(writes.insertSnapshot(stateHash, blob, createdAt))).rowCount === 1;
  }

  /**
   * One COPY out of the run's hot log, cut into chunks of `rows` rows on line boundaries (COPY
   * escapes newlines inside values). Each chunk is a fresh buffer that can be transferred.
   */
  async *runText(runId: string, rows: number): AsyncGenerator<Uint8Array> {
    // After a bulk load the planner still thinks the table is as small as before and would scan
    // and sort it whole; refresh its statistics first (ANALYZE sees this transaction's rows).
    if (this.unanalyzed > 10_000) {
      await this.q('ANALYZE events');
      this.unanalyzed = 0;
    }
    // COPY takes no parameters: the run id travels as a transaction-local setting. UTC ISO
    // timestamps whatever the session's settings.
    await this.q(`SELECT set_config('run_inspector.run_id', $1, true), set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO', true)`, [runId]);
    const stream = this.client.query(
      copyTo(`COPY (SELECT id, type, actor, payload, frame_id, caused_by, timestamp FROM events WHERE run_id = current_setting('run_inspector.run_id') ORDER BY seq) TO STDOUT`),
    );
    let parts: Uint8Array[] = [];
    let size = 0;
    let lines = 0;
    const cut = (): Uint8Array => {
      const out = new Uint8Array(size); // its own ArrayBuffer: never a slice of Node's shared pool
      let at = 0;
      for (const p of parts) {
        out.set(p, at);
        at += p.length;
      }
      parts = [];
      size = 0;
      lines = 0;
      return out;
    };
    // Iterated by hand: leaving a for-await would destroy the stream mid-COPY.
    const it = (stream as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
    let complete = false;
    try {
      for (let next = await this.waitOn(it.next()); !next.done; next = await this.waitOn(it.next())) {
        const buf = next.value;
        let from = 0;
        for (let nl = buf.indexOf(10); nl >= 0; nl = buf.indexOf(10, nl + 1)) {
          if (++lines < rows) continue;
          parts.push(buf.subarray(from, nl + 1));
          size += nl + 1 - from;
          from = nl + 1;
          yield cut();
        }
        if (from < buf.length) {
          parts.push(buf.subarray(from));
          size += buf.length - from;
        }
      }
      if (size) yield cut();
      complete = true;
    } catch (err) {
      if ((err as { code?: string }).code === undefined) this.broken = true;
      throw err;
    } finally {
      // A consumer that stops early must not leave the connection in the middle of a COPY.
      if (!complete && !this.broken) while (!(await it.next()).done);
    }
  }

  async head(runId: string): Promise<number | null> {
    return (await this.run(writes.head(runId))).rows[0].m;
  }

  async close(): Promise<void> {
    clearInterval(this.watchdog);
    if (this.held) this.client.release(this.broken);
    this.held = false;
    await this.reader.close();
  }
}

/**
 * The explicit destination of a fork or migration on Postgres: one client, explicit transactions,
 * Active Graph's insert rules, bulk appends through COPY (see PostgresWriter).
 */
import pg from 'pg';
import { InspectorError, schemaVersionMismatch, storeConnection } from '../../base/errors.js';
import { statements, writes } from '../event-sql.js';
import { POSTGRES, render, type Sql } from '../sql-dialect.js';
import { type ArchivedEvent, type RunRow } from '../event-store.js';
import { destinationProblem, destinationRefused } from '../destination-check.js';
import { POSTGRES_ARCHIVE_DDL, POSTGRES_DDL, SCHEMA_VERSION } from '../schema.js';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { once } from 'node:events';
import { Readable, type Writable } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { copyText } from '../copy-text.js';
import { redactUrl } from '../store-url.js';
import type { NewEvent, StoreWriter } from '../store-writer.js';
import { PostgresStore } from './postgres-store.js';
import { connectionError, createPool, pgReadTimeoutMs, postgresSchema, type PgUrl } from './pg-connect.js';

/** The explicit destination of a fork or migration: refused on a standby or a foreign database, then Active Graph's DDL in one transaction. */
export async function openPostgresDestination(url: PgUrl): Promise<PostgresWriter> {
  const pool = await createPool(url, false);
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
    const store = await PostgresStore.ofDestination(url, pool, client);
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

/**
 * Active Graph Postgres stores on `pg`, through a pool. Same results as the SQLite driver; the
 * differences Active Graph itself has (JSONB key order, re-rendered timestamps) are kept.
 */
import pg from 'pg';
import { FairSlots } from './fair-slots.js';
import type { EventFilter, RunInfo } from '../../../shared/model.js';
import { runNotFound, schemaVersionMismatch, storeQueryTimeout, storeUnreadable } from '../../base/errors.js';
import { statements } from '../event-sql.js';
import { POSTGRES, render, type Sql } from '../sql-dialect.js';
import {
  PAGE_SIZED_READ,
  type ArchivedEvent,
  type EventStore,
  type FrameRow,
  type PartitionEvent,
  type ProjectionRow,
  type StoredEvent,
  fleetWindowOf,
  type FleetWindow,
  countsThroughStretches,
} from '../event-store.js';
import { REQUIRED_COLUMNS, SCHEMA_VERSION } from '../schema.js';
import { redactUrl } from '../store-url.js';
import { connectionError, createPool, pgReadTimeoutMs, type PgUrl } from './pg-connect.js';

/** Reads whose cost is a whole run share at most this many of the pool's connections (see `bulk`). */
const BULK_SLOTS = 2;

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

  static async open(url: PgUrl): Promise<PostgresStore> {
    const store = new PostgresStore(url, await createPool(url, true));
    try {
      await store.verify();
    } catch (err) {
      await store.pool.end();
      throw err;
    }
    return store;
  }

  /** The reads of a fork's or migration's destination, whose DDL `client` has just run (see postgres-writer). */
  static async ofDestination(url: PgUrl, pool: pg.Pool, client: pg.PoolClient): Promise<PostgresStore> {
    const store = new PostgresStore(url, pool);
    store.hasArchive = true;
    await store.verifyColumns(client);
    return store;
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

  async fleetWindow(runId: string, afterSeq: number, limit: number): Promise<FleetWindow> {
    const rows = await this.rows<Parameters<typeof fleetWindowOf>[0][number]>(statements.fleetWindow(POSTGRES, runId, afterSeq, limit), "roll up the run's costs", runId);
    return fleetWindowOf(rows, (cost) => cost ?? '0');
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

  async countsThrough(runId: string, seqs: number[]): Promise<number[]> {
    return countsThroughStretches(seqs, (bounds) => this.rows<{ k: number; n: number }>(statements.countsBetween(POSTGRES, runId, bounds), "count the run's events", runId));
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

/**
 * A store of another runtime, read once into Active Graph's layout in memory, so every query the
 * app makes (paging by seq, filters, status, diff) works unchanged. Each adapter only maps its
 * rows into runs and events; the rest of the app does not know which runtime wrote the store.
 */
import { openDatabase } from '../sqlite/sqlite-native.js';
import type { EventFilter, RunInfo } from '../../../shared/model.js';
import { BEFORE_FIRST_SEQ, type ArchivedEvent, type EventStore, type FrameRow, type PartitionEvent, type ProjectionRow, type RunRow, type StoredEvent } from '../event-store.js';
import { pyDumps } from '../../base/pyjson.js';
import { storeUnreadable } from '../../base/errors.js';
import { writes } from '../event-sql.js';
import { SQLITE_DDL } from '../schema.js';
import { SqliteStore } from '../sqlite/sqlite-store.js';
import type { StoreUrl } from '../store-url.js';

export interface ForeignEvent {
  id: string;
  type: string;
  actor: string | null;
  payload: unknown;
  frame_id: string | null;
  caused_by: string | null;
  timestamp: string;
  /**
   * What the event means in Active Graph's projection (object.created, relation.created, … with
   * their payloads), when the runtime's log implies a graph of its own (Graphite's components and
   * topics): the graph views then show it as of any event, like a graph Active Graph recorded.
   */
  projects?: { type: string; payload: unknown }[];
}

export interface ForeignRun {
  row: RunRow;
  nativeStatus: string | null;
  attributes: Record<string, unknown>;
  /** In the store's own order. */
  events: ForeignEvent[];
}

/** Lenient UTC timestamps (spec §4 of other-stores): `T` or space, optional fraction, `Z`/`+00:00`/none. */
export function isoUtc(ts: string | null | undefined): string {
  if (!ts) return '';
  const m = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?$/.exec(ts.trim());
  if (!m) return ts;
  if (m[4] && m[4] !== 'Z' && !/^\+00:?00$/.test(m[4])) return new Date(ts).toISOString();
  return `${m[1]}T${m[2]}${m[3] ?? ''}Z`;
}

export class ForeignStore implements EventStore {
  private readonly inner: SqliteStore;
  private readonly native = new Map<string, { status: string | null; attributes: Record<string, unknown> }>();
  /** Per run, the projection rows that stand for an event (by its seq) in place of its own row. */
  private readonly projected = new Map<string, Map<number, ProjectionRow[]>>();

  constructor(
    readonly url: StoreUrl,
    readonly driver: 'sqlite' | 'postgres',
    readonly runtime: string,
    runs: ForeignRun[],
  ) {
    const db = openDatabase(':memory:');
    for (const ddl of SQLITE_DDL) db.exec(ddl);
    this.inner = SqliteStore.fromDatabase({ kind: 'sqlite', raw: url.raw, path: ':memory:' }, db);
    const lastSeq = db.prepare('SELECT last_insert_rowid()').pluck();
    db.transaction(() => {
      for (const r of runs) {
        this.inner.execute(writes.insertRun(r.row));
        const projected = new Map<number, ProjectionRow[]>();
        for (const { projects, ...e } of r.events) {
          const row = { ...e, payload: pyDumps(e.payload, { ensureAscii: false }) };
          if (this.inner.execute(writes.insertEvent(r.row.run_id, row)) === 0)
            throw storeUnreadable(url.raw, `run ${r.row.run_id} has two events with the id ${e.id}, and an event is known by its id`);
          if (projects?.length) {
            const seq = Number(lastSeq.get());
            projected.set(
              seq,
              projects.map((p) => [seq, p.type, pyDumps(p.payload, { ensureAscii: false }), 1]),
            );
          }
        }
        if (projected.size) this.projected.set(r.row.run_id, projected);
        this.native.set(r.row.run_id, { status: r.nativeStatus, attributes: r.attributes });
      }
    })();
  }

  private withNative(r: RunInfo): RunInfo {
    const n = this.native.get(r.run_id);
    return { ...r, native_status: n?.status ?? null, attributes: n?.attributes ?? null };
  }

  async listRuns(): Promise<RunInfo[]> {
    return (await this.inner.listRuns()).map((r) => this.withNative(r));
  }
  async getRun(runId: string): Promise<RunInfo | null> {
    const r = await this.inner.getRun(runId);
    return r && this.withNative(r);
  }
  failuresByRun(): Promise<{ run_id: string; failures: number }[]> {
    return this.inner.failuresByRun();
  }
  mostRecentRunId(): Promise<string | null> {
    return this.inner.mostRecentRunId();
  }
  eventsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return this.inner.eventsAfter(runId, afterSeq, limit, filter);
  }
  eventsBefore(runId: string, beforeSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]> {
    return this.inner.eventsBefore(runId, beforeSeq, limit, filter);
  }
  seqsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter, beforeSeq?: number): Promise<number[]> {
    return this.inner.seqsAfter(runId, afterSeq, limit, filter, beforeSeq);
  }
  getEvent(runId: string, eventId: string): Promise<StoredEvent | null> {
    return this.inner.getEvent(runId, eventId);
  }
  eventsCausedBy(runId: string, eventId: string): Promise<StoredEvent[]> {
    // Foreign logs may record an effect before its cause (Graphite's consume rows), and they are
    // small and in memory: search the whole run.
    return this.inner.eventsCausedBy(runId, eventId, BEFORE_FIRST_SEQ, Number.MAX_SAFE_INTEGER);
  }
  countEvents(runId: string, filter?: EventFilter): Promise<number> {
    return this.inner.countEvents(runId, filter);
  }
  countsThrough(runId: string, seqs: number[]): Promise<number[]> {
    return this.inner.countsThrough(runId, seqs);
  }
  async projectionRows(runId: string, afterSeq: number, limit: number): Promise<ProjectionRow[]> {
    const rows = await this.inner.projectionRows(runId, afterSeq, limit);
    const projected = this.projected.get(runId);
    // An event's rows come whole in one page (a page ends with an event), so none is skipped.
    return projected ? rows.flatMap((row) => projected.get(row[0]) ?? [row]) : rows;
  }
  partitionEvents(runId: string, afterSeq: number, limit: number): Promise<PartitionEvent[]> {
    return this.inner.partitionEvents(runId, afterSeq, limit);
  }
  partitionCount(runId: string, afterSeq: number): Promise<number> {
    return this.inner.partitionCount(runId, afterSeq);
  }
  eventTypes(): Promise<string[]> {
    return this.inner.eventTypes();
  }
  lastEventOfTypes(runId: string, types: string[], afterSeq?: number): Promise<StoredEvent | null> {
    return this.inner.lastEventOfTypes(runId, types, afterSeq);
  }
  actorsOf(runId: string, limit: number): Promise<string[]> {
    return this.inner.actorsOf(runId, limit);
  }

  frameRows(runId: string, afterSeq: number, limit: number): Promise<FrameRow[]> {
    return this.inner.frameRows(runId, afterSeq, limit);
  }
  async archivedEvents(): Promise<ArchivedEvent[]> {
    return [];
  }
  async archivedEvent(): Promise<ArchivedEvent | null> {
    return null;
  }
  async archivedOffset(): Promise<number> {
    return 0;
  }
  async isArchived(): Promise<boolean> {
    return false;
  }
  async snapshotBlob(): Promise<string | null> {
    return null;
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}

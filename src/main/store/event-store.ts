/**
 * The one store interface the rest of the app reads through. The Active Graph SQLite and Postgres
 * drivers implement it; nothing above this file knows which database it talks to.
 */
import type { EventFilter, EventRow, RunInfo } from '../../shared/model.js';
import type { StoreUrl } from './store-url.js';

/** An event row with its payload exactly as stored (text). */
export interface StoredEvent extends EventRow {
  payload: string;
}

/** The row fields of a stored event, without its payload. */
export function eventRow(e: StoredEvent): EventRow {
  return { seq: e.seq, id: e.id, type: e.type, actor: e.actor, frame_id: e.frame_id, caused_by: e.caused_by, timestamp: e.timestamp };
}

/** [seq, type, payload (projected types only, else null), payload is plain JSON (1) or must be decoded to know]. */
export type ProjectionRow = [seq: number, type: string, payload: string | null, valid: number | null];

export interface PayloadsCheckedAside {
  /** A page of only the rows the projection applies (the check counts the others). */
  projectedRows(afterSeq: number, limit: number): Promise<ProjectionRow[]>;
  /**
   * What the check found from its start through `seen` (or as far as it looked, if further): the seqs
   * whose payload SQLite's JSON parser rejected (Python's may still read them), in order; how many
   * events there are, and how many of them a diff compares (all but lifecycle events); and the last seq.
   */
  settle(seen: number | null): Promise<{ invalid: number[]; count: number; compared: number; last: number | null }>;
}

export interface ArchivedEvent extends StoredEvent {
  archived_at: string;
}

/** A `runs` row as stored (the run without what its events tell). */
export interface FrameRow {
  seq: number;
  type: string;
  frame_id: string | null;
}

export type RunRow = Pick<RunInfo, 'run_id' | 'parent_run_id' | 'forked_at_event_id' | 'label' | 'created_at' | 'goal' | 'frame_id'>;

export interface EventStore {
  readonly url: StoreUrl;
  readonly driver: 'sqlite' | 'postgres';
  /** Which runtime wrote the store ('Active Graph', 'Graphite', …). Only writes depend on it. */
  readonly runtime: string;
  /** What the user should know about how the store is read (a hot journal rolled back on a private copy), if anything. */
  readonly note?: string;
  /** How many runs the runs table lists (one cheap statement), for noticing a run another process started. */
  runsCount?(): Promise<number>;
  /** Whether the store is a read-only standby, and how far its replay is behind its primary (seconds; 0 when caught up). */
  replication?(): Promise<{ standby: boolean; lagSeconds: number | null }>;
  /** The runs; without `counts`, a store that can leaves event_count null (counted apart, run by run: see runCounts). */
  listRuns(opts?: { counts?: boolean }): Promise<RunInfo[]>;
  /** The run's row, cheaply: no count (event_count null) and no state, which cost the whole run (see run-figures). */
  getRun(runId: string): Promise<RunInfo | null>;
  /**
   * Failed behavior executions per run, for the runs that have any: one grouped statement on the
   * type index, whose cost is the store's failures (not its events).
   */
  failuresByRun(): Promise<{ run_id: string; failures: number }[]>;
  /** A window of a run's rows after `afterSeq` rolled up by day and behavior (event-sql `fleetWindow`); Active Graph's stores only. */
  fleetWindow?(runId: string, afterSeq: number, limit: number): Promise<FleetWindow>;
  /** "Most recently appended to" (spec §7.3). */
  mostRecentRunId(): Promise<string | null>;
  /** Events with seq > afterSeq in ascending order. */
  eventsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]>;
  /** Events with seq < beforeSeq, returned in ascending order (the `limit` closest to beforeSeq). */
  eventsBefore(runId: string, beforeSeq: number, limit: number, filter?: EventFilter): Promise<StoredEvent[]>;
  /** Only the seqs (cheap), ascending, for building page anchors; below `beforeSeq` when given. */
  seqsAfter(runId: string, afterSeq: number, limit: number, filter?: EventFilter, beforeSeq?: number): Promise<number[]>;
  getEvent(runId: string, eventId: string): Promise<StoredEvent | null>;
  /**
   * Events whose caused_by is the given id (its consequences), among the `scanLimit` events after
   * `afterSeq`: a cause always precedes its effects, and the log has no index on caused_by.
   */
  eventsCausedBy(runId: string, eventId: string, afterSeq: number, scanLimit: number): Promise<StoredEvent[]>;
  countEvents(runId: string, filter?: EventFilter): Promise<number>;
  /** How many events the run has through each of `seqs` (one read along its index, up to the largest). */
  countsThrough(runId: string, seqs: number[]): Promise<number[]>;
  /** Every event type in the store's hot log, sorted (for the UI's type filters). */
  eventTypes(): Promise<string[]>;
  /** The last hot-log event of one of the given types (after `afterSeq`, when given), if any. */
  lastEventOfTypes(runId: string, types: string[], afterSeq?: number): Promise<StoredEvent | null>;
  /** The seq, type and frame of the run's events after `afterSeq` (a narrow read: no payload), ascending. */
  frameRows(runId: string, afterSeq: number, limit: number): Promise<FrameRow[]>;
  /** The run's actors, most frequent first (the actor filter suggests them). */
  actorsOf(runId: string, limit: number): Promise<string[]>;
  /** The run's archive tier (compaction), in seq order; a page of it when asked. */
  archivedEvents(runId: string, page?: { offset: number; limit: number }): Promise<ArchivedEvent[]>;
  archivedEvent(runId: string, eventId: string): Promise<ArchivedEvent | null>;
  /** An archived event's place in the run's archive tier (how many archived events come before its seq). */
  archivedOffset(runId: string, seq: number): Promise<number>;
  /**
   * What a replay reads, and no more: per event its seq, type, the payload only for the types the
   * projection uses (null for the others), and whether the payload is RFC 8259 JSON, which Python's
   * json reads the same way (SQLite's json_valid; a JSONB payload always is). A million-event
   * replay then never materializes the prompts and responses it does not use.
   */
  projectionRows(runId: string, afterSeq: number, limit: number): Promise<ProjectionRow[]>;
  /** The run's events after `afterSeq` a diff compares (lifecycle events aside, spec §8), only the columns it compares. */
  partitionEvents(runId: string, afterSeq: number, limit: number): Promise<PartitionEvent[]>;
  /** How many of those there are. */
  partitionCount(runId: string, afterSeq: number): Promise<number>;
  /**
   * The same rows from `afterSeq` on (through `untilSeq`), with the JSON check of the unprojected
   * payloads run aside, on another core; `settle` then says what it found. Absent (null) where the
   * store cannot be read twice at once.
   */
  projectionRowsCheckedAside?(runId: string, afterSeq: number, untilSeq: number | undefined, signal?: AbortSignal): PayloadsCheckedAside | null;
  isArchived(runId: string, eventId: string): Promise<boolean>;
  snapshotBlob(stateHash: string): Promise<string | null>;
  close(): Promise<void>;
}

/**
 * SQLite keeps any value in any column: a damaged or hand-edited store can hold NULL, a number or
 * a blob where Active Graph writes text. Rows are brought to their declared shape here, at the
 * driver boundary, so no code above it meets a non-string id, type or payload. A NULL payload
 * becomes '' and then fails to decode as the structured corruption error, as it should.
 */
const text = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : Buffer.isBuffer(v) ? v.toString('utf8') : String(v));
const textOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : text(v));
const isTextOrNull = (v: unknown): boolean => v === null || typeof v === 'string';

export function wellTypedEvent<T extends StoredEvent>(r: T): T {
  if (
    typeof r.seq === 'number' &&
    typeof r.id === 'string' &&
    typeof r.type === 'string' &&
    typeof r.payload === 'string' &&
    typeof r.timestamp === 'string' &&
    isTextOrNull(r.actor) &&
    isTextOrNull(r.frame_id) &&
    isTextOrNull(r.caused_by)
  ) {
    return r;
  }
  return {
    ...r,
    seq: Number(r.seq),
    id: text(r.id),
    type: text(r.type),
    payload: text(r.payload),
    timestamp: text(r.timestamp),
    actor: textOrNull(r.actor),
    frame_id: textOrNull(r.frame_id),
    caused_by: textOrNull(r.caused_by),
  };
}

/** An event as a diff compares it. */
export type PartitionEvent = Pick<StoredEvent, 'seq' | 'id' | 'type' | 'payload'>;

export function wellTypedPartition(r: PartitionEvent): PartitionEvent {
  return typeof r.id === 'string' && typeof r.type === 'string' && typeof r.payload === 'string'
    ? r
    : { seq: Number(r.seq), id: text(r.id), type: text(r.type), payload: text(r.payload) };
}

export function wellTypedRun(r: RunInfo): RunInfo {
  return {
    ...r,
    run_id: text(r.run_id),
    parent_run_id: textOrNull(r.parent_run_id),
    forked_at_event_id: textOrNull(r.forked_at_event_id),
    label: textOrNull(r.label),
    created_at: text(r.created_at),
    goal: textOrNull(r.goal),
    frame_id: textOrNull(r.frame_id),
  };
}

/** Distinct text values of a column (types, frames), NULLs dropped, others as text. */
export function wellTypedTexts(values: unknown[]): string[] {
  return values.every((v) => typeof v === 'string') ? (values as string[]) : [...new Set(values.filter((v) => v !== null && v !== undefined).map(text))];
}

/** The event types whose payloads change the graph (spec §6.2), and the snapshot that seeds it. */
export const PROJECTED_EVENT_TYPES = [
  'object.created',
  'object.removed',
  'relation.created',
  'relation.removed',
  'patch.proposed',
  'patch.applied',
  'patch.rejected',
  'runtime.snapshot',
];

/**
 * Reads of at most this many rows are pages, answered at once; larger ones are whole-run reads,
 * which a shared store queues run by run (PostgresStore's bulk slots).
 */
export const PAGE_SIZED_READ = 5_000;

/**
 * A seq below every seq a store can hold: seqs are the writer's integers and nothing forbids a
 * negative one (an edited or imported store), so "from the start" is never `seq > -1`.
 */
export const BEFORE_FIRST_SEQ = Number.MIN_SAFE_INTEGER;

/** `countsThrough` from a driver's counts of the stretches between the asked seqs (statements.countsBetween). */
export async function countsThroughStretches(seqs: number[], countStretches: (bounds: number[]) => Promise<{ k: number | string; n: number | string }[]>): Promise<number[]> {
  if (seqs.length === 0) return [];
  const bounds = [...new Set(seqs)].sort((a, b) => a - b);
  const per = new Array<number>(bounds.length).fill(0);
  for (const { k, n } of await countStretches(bounds)) per[Number(k)] = Number(n);
  let total = 0;
  const through = new Map(bounds.map((b, i) => [b, (total += per[i]!)]));
  return seqs.map((s) => through.get(s)!);
}

/**
 * Lets the event loop run: better-sqlite3 answers synchronously, so without this a long scan would
 * keep every other request of the data host (a cancel, a page of another run) waiting until it ends.
 */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** The run's events in seq order, a chunk at a time, yielding to the event loop between chunks. */
export async function* scanEvents(
  store: EventStore,
  runId: string,
  opts: { afterSeq?: number; untilSeq?: number; chunk?: number; filter?: EventFilter; signal?: AbortSignal } = {},
): AsyncGenerator<StoredEvent[]> {
  const chunk = opts.chunk ?? 5000;
  let after = opts.afterSeq ?? BEFORE_FIRST_SEQ;
  for (;;) {
    await yieldToEventLoop();
    opts.signal?.throwIfAborted();
    let rows = await store.eventsAfter(runId, after, chunk, opts.filter);
    if (opts.untilSeq !== undefined) rows = rows.filter((r) => r.seq <= opts.untilSeq!);
    if (rows.length === 0) return;
    yield rows;
    if (rows.length < chunk) return;
    after = rows[rows.length - 1]!.seq;
  }
}

/** What a run's roll-up counts (spans.ts): its events, executions, failures, first-turn LLM calls, tokens and dollars. */
export interface RollupFigures {
  events: number;
  executions: number;
  failures: number;
  llm_calls: number;
  tokens_in: number;
  tokens_out: number;
  /** Exact decimal sum of the cost terms. */
  cost_usd: string;
}

/** What a fleet roll-up reads of a window of a run (see EventStore.fleetWindow). */
export interface FleetGroup extends RollupFigures {
  day: string | null;
  behavior: string | null;
}

export interface FleetWindow {
  /** The window's last seq (null: no rows after `afterSeq`), and how many rows it held. */
  lastSeq: number | null;
  rows: number;
  /** Rows whose payload the roll-up could not read (SQLite's JSON functions refuse some that Python reads). */
  unreadable: number;
  groups: FleetGroup[];
}

type FleetRow = Omit<FleetGroup, 'cost_usd'> & { last_seq: number | null; window_rows: number; cost: string | null; unreadable: number };

/** A fleet window from its rows; `sumCost` turns a group's cost column into its exact sum. */
export function fleetWindowOf(rows: FleetRow[], sumCost: (cost: string | null) => string): FleetWindow {
  return {
    lastSeq: rows[0]?.last_seq === undefined || rows[0].last_seq === null ? null : Number(rows[0].last_seq),
    rows: Number(rows[0]?.window_rows ?? 0),
    unreadable: rows.reduce((n, r) => n + Number(r.unreadable), 0),
    groups: rows.map((r) => ({
      day: r.day,
      behavior: r.behavior,
      events: Number(r.events),
      executions: Number(r.executions),
      failures: Number(r.failures),
      llm_calls: Number(r.llm_calls),
      tokens_in: Number(r.tokens_in),
      tokens_out: Number(r.tokens_out),
      cost_usd: sumCost(r.cost),
    })),
  };
}

/** The events that end a span (see spans.ts): the compact timeline shows them on the row of their start. */
export const SPAN_END_TYPES = ['behavior.completed', 'behavior.failed', 'llm.responded', 'tool.responded', 'embedding.responded'];

/**
 * Every statement of the Active Graph store, written once for both drivers in `sql` templates
 * (sql-dialect.ts: their interpolations are parameters; a dialect spells what differs).
 */
import { eventQueryOf, eventQuerySql } from './event-query.js';
import type { EventFilter } from '../../shared/model.js';
import { PROJECTED_EVENT_TYPES, SPAN_END_TYPES, type ArchivedEvent, type RunRow } from './event-store.js';
import type { NewEvent } from './store-writer.js';
import { type Dialect, join, POSTGRES, SEQ_CEILING, SEQ_FLOOR, type Sql, sql, trusted } from './sql-dialect.js';

/** The events a fleet roll-up reads the payload of (spans.ts: behaviors and requests). */
const FLEET_TYPES = [
  'behavior.started',
  'relation_behavior.started',
  'behavior.completed',
  'behavior.failed',
  'llm.requested',
  'llm.responded',
  'tool.requested',
  'tool.responded',
  'embedding.requested',
  'embedding.responded',
]
  .map((t) => `'${t}'`)
  .join(', ');

const escapeLike = (s: string): string => s.replace(/[\\%_]/g, (c) => '\\' + c);

/** The WHERE fragment of an EventFilter (empty without one), starting with ` AND`. */
export function filterClause(filter: EventFilter | undefined, d: Dialect, runId: string): Sql {
  if (!filter) return trusted('');
  const parts: Sql[] = [];
  const types = filter.types?.filter((t) => t !== '') ?? [];
  if (types.length)
    parts.push(
      sql`(${join(
        types.map((t) => (t.endsWith('.') ? sql`type LIKE ${escapeLike(t) + '%'} ESCAPE '\\'` : sql`type = ${t}`)),
        ' OR ',
      )})`,
    );
  // The actor matches by prefix, case-sensitively and the same on both drivers (substr counts characters).
  if (filter.actor) parts.push(sql`substr(actor, 1, ${trusted(String([...filter.actor].length))}) = ${filter.actor}`);
  // No stored text holds a NUL (Postgres text cannot; SQLite's LIKE would stop the pattern at it and
  // match everything), so a NUL in the asked text matches nothing, on both drivers.
  const like = (col: string, text: string) => (text.includes('\u0000') ? trusted('1 = 0') : sql`${trusted(`${col} ${d.ilike} `)}${'%' + escapeLike(text) + '%'} ESCAPE '\\'`);
  if (filter.text) parts.push(like(d.payloadText, filter.text));
  if (filter.compact)
    parts.push(
      sql`type NOT IN (${join(
        SPAN_END_TYPES.map((t) => sql`${t}`),
        ', ',
      )})`,
    );
  if (filter.search)
    parts.push(
      sql`(${join(
        ['id', 'type', 'actor', d.payloadText].map((col) => like(col, filter.search!)),
        ' OR ',
      )})`,
    );
  if (filter.where) parts.push(eventQuerySql(eventQueryOf(filter.where), d, runId));
  return parts.length ? sql` AND ${join(parts, ' AND ')}` : trusted('');
}

/** The event types a projection applies, as an SQL list. */
const PROJECTED = PROJECTED_EVENT_TYPES.map((t) => `'${t}'`).join(', ');

/** Not a lifecycle event (spec §8: behavior.*, relation_behavior.*, runtime.*); a damaged NULL type is none. */
const NOT_LIFECYCLE = ['behavior.', 'relation_behavior.', 'runtime.'].map((p) => `substr(coalesce(type, ''), 1, ${p.length}) <> '${p}'`).join(' AND ');

/** `inRun` for a correlated subquery over the runs table (`col` is a column, not a parameter). */
function inRunOf(d: Dialect, col: string): string {
  return d === POSTGRES ? `(e.run_id, e.seq) >= (${col}, ${SEQ_FLOOR}::bigint) AND (e.run_id, e.seq) <= (${col}, ${SEQ_CEILING}::bigint)` : `e.run_id = ${col}`;
}

/** The statements, by what they read. */
export const statements = {
  schemaVersion: (): Sql => trusted(`SELECT value FROM meta WHERE key = 'schema_version'`),
  /** The runs with their last seq and state; with `counts`, their hot-log counts too (the part that costs what the store holds). */
  /** The runs (or one), with each one's count and state unless told not to: both cost what the run holds. */
  runs(d: Dialect, hasArchive: boolean, runId?: string, counts = true, states = true): Sql {
    const archived = hasArchive ? `(SELECT ${d.count('*')} FROM events_archive a WHERE a.run_id = r.run_id)` : '0';
    const head = trusted(`SELECT r.run_id, r.parent_run_id, r.forked_at_event_id, r.label, r.created_at, r.goal, r.frame_id,
              ${counts ? `(SELECT ${d.count('*')} FROM events e WHERE ${inRunOf(d, 'r.run_id')})` : 'NULL'} AS event_count,
              ${archived} AS archived_count,
              (SELECT seq FROM events e WHERE ${inRunOf(d, 'r.run_id')} ORDER BY ${d.runSeqOrder()} LIMIT 1) AS first_seq,
              (SELECT seq FROM events e WHERE ${inRunOf(d, 'r.run_id')} ORDER BY ${d.runSeqOrder(true)} LIMIT 1) AS last_seq,
              (SELECT timestamp FROM events e WHERE ${inRunOf(d, 'r.run_id')} ORDER BY ${d.runSeqOrder()} LIMIT 1) AS first_at,
              (SELECT timestamp FROM events e WHERE ${inRunOf(d, 'r.run_id')} ORDER BY ${d.runSeqOrder(true)} LIMIT 1) AS last_at,
              ${
                states
                  ? `CASE (SELECT type FROM events e WHERE ${inRunOf(d, 'r.run_id')} AND e.type IN ('runtime.idle', 'runtime.budget_exhausted') ORDER BY ${d.runSeqOrder(true)} LIMIT 1)
                WHEN 'runtime.idle' THEN 'idle' WHEN 'runtime.budget_exhausted' THEN 'exhausted' ELSE 'stopped' END`
                  : 'NULL'
              } AS state,
              NULL AS native_status, NULL AS attributes
            FROM runs r`);
    return runId === undefined ? sql`${head} ORDER BY ${trusted(d.runOrder)}` : sql`${head} WHERE r.run_id = ${runId}`;
  },
  /**
   * A window of a run's rows after `afterSeq` (at most `limit`, by its own index) rolled up by day
   * and behavior as spans.ts rolls up costs: executions, failures, first-turn LLM calls, tokens and
   * cost terms. Rows whose payload the roll-up cannot read are counted (`unreadable`), for the
   * caller to read them as Python does.
   */
  fleetWindow: (d: Dialect, runId: string, afterSeq: number, limit: number): Sql => {
    const f = d.fleet;
    const relevant = `type IN (${FLEET_TYPES})`;
    const behavior = `CASE WHEN ${relevant} THEN CASE WHEN ${f.isText('behavior')} THEN ${f.text('behavior')} ELSE COALESCE(actor, '') END END`;
    return sql`WITH w AS (SELECT seq, type, actor, timestamp, CASE WHEN ${trusted(relevant)} THEN ${trusted(f.payload)} END AS p, CASE WHEN ${trusted(relevant)} THEN ${trusted(d.payloadValid)} ELSE 1 END AS readable
       FROM events WHERE ${d.inRun(runId, afterSeq)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit})
SELECT (SELECT max(seq) FROM w) AS last_seq, (SELECT ${trusted(d.count('*'))} FROM w) AS window_rows, ${trusted(f.day)} AS day, ${trusted(behavior)} AS behavior,
  ${trusted(d.count('*'))} AS events,
  ${trusted(f.countIf(`type IN ('behavior.started', 'relation_behavior.started') AND p IS NOT NULL`))} AS executions,
  ${trusted(f.countIf(`type = 'behavior.failed' AND p IS NOT NULL`))} AS failures,
  ${trusted(f.countIf(`type = 'llm.requested' AND p IS NOT NULL AND ${f.falsy('turn_index')} AND ${f.falsy('attempt_index')} AND COALESCE(p -> ${d === POSTGRES ? "'retry_of' = 'null'::jsonb" : "'$.retry_of' = 'null'"}, ${d === POSTGRES ? 'true' : '1'})`))} AS llm_calls,
  ${trusted(`COALESCE(sum(CASE WHEN type = 'llm.responded' AND ${f.isNumber('input_tokens')} THEN (${f.text('input_tokens')})${d === POSTGRES ? '::float8' : ''} END), 0)`)} AS tokens_in,
  ${trusted(`COALESCE(sum(CASE WHEN type = 'llm.responded' AND ${f.isNumber('output_tokens')} THEN (${f.text('output_tokens')})${d === POSTGRES ? '::float8' : ''} END), 0)`)} AS tokens_out,
  ${trusted(f.costSum(`CASE WHEN type IN ('llm.responded', 'tool.responded') AND ${f.decimal('cost_usd')} THEN ${f.text('cost_usd')} END`))} AS cost,
  ${trusted(f.countIf('readable = 0'))} AS unreadable
FROM w GROUP BY 3, 4`;
  },
  failuresByRun: (d: Dialect): Sql => trusted(`SELECT run_id, ${d.count('*')} AS failures FROM events WHERE type = 'behavior.failed' GROUP BY run_id`),
  runsCount: (d: Dialect): Sql => trusted(`SELECT ${d.count('*')} AS n FROM runs`),
  /** The run appended to most recently (runs without events last, then the newest). */
  mostRecentRun: (): Sql =>
    trusted(`SELECT r.run_id FROM runs r LEFT JOIN (SELECT run_id, max(seq) AS m FROM events GROUP BY run_id) e ON e.run_id = r.run_id
       ORDER BY (e.m IS NULL) ASC, e.m DESC, r.created_at DESC LIMIT 1`),
  eventsAfter: (d: Dialect, runId: string, afterSeq: number, limit: number, filter?: EventFilter): Sql =>
    sql`SELECT ${trusted(d.eventColumns)} FROM events WHERE ${d.inRun(runId, afterSeq)}${filterClause(filter, d, runId)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`,
  /** Newest first: the caller reverses. */
  eventsBefore: (d: Dialect, runId: string, beforeSeq: number, limit: number, filter?: EventFilter): Sql =>
    sql`SELECT ${trusted(d.eventColumns)} FROM events WHERE ${d.inRun(runId, undefined, beforeSeq)}${filterClause(filter, d, runId)} ORDER BY ${trusted(d.runSeqOrder(true))} LIMIT ${limit}`,
  seqsAfter: (d: Dialect, runId: string, afterSeq: number, limit: number, filter?: EventFilter, beforeSeq?: number): Sql =>
    sql`SELECT seq FROM events WHERE ${d.inRun(runId, afterSeq, beforeSeq)}${filterClause(filter, d, runId)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`,
  event: (d: Dialect, runId: string, eventId: string): Sql => sql`SELECT ${trusted(d.eventColumns)} FROM events WHERE run_id = ${runId} AND id = ${eventId}`,
  /** Events naming `eventId` as their cause among the `scanLimit` after `afterSeq` (caused_by has no index). */
  causedBy: (d: Dialect, runId: string, eventId: string, afterSeq: number, scanLimit: number): Sql =>
    sql`SELECT ${trusted(d.eventColumns)} FROM (SELECT * FROM events WHERE ${d.inRun(runId, afterSeq)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${scanLimit}) e WHERE caused_by = ${eventId} ORDER BY seq`,
  /**
   * How many rows of the run lie in each stretch between `bounds` (ascending): one count per
   * stretch, each a walk of the run's (run_id, seq) index over that stretch alone. A plain
   * `run_id = AND seq` range serves here on both drivers (an aggregate without an order: no
   * planner walks the store-wide seq key for it), where Postgres 15 checks a row comparison's
   * bound tuple by tuple, several times slower.
   */
  countsBetween: (d: Dialect, runId: string, bounds: number[]): Sql =>
    join(
      bounds.map(
        (s, i) =>
          sql`SELECT ${trusted(String(i))} AS k, ${trusted(d.count('*'))} AS n FROM events WHERE run_id = ${runId} AND seq > ${i === 0 ? SEQ_FLOOR : bounds[i - 1]!} AND seq <= ${s}`,
      ),
      ' UNION ALL ',
    ),
  count: (d: Dialect, runId: string, filter?: EventFilter): Sql => sql`SELECT ${trusted(d.count('*'))} AS n FROM events WHERE ${d.inRun(runId)}${filterClause(filter, d, runId)}`,
  lastOfTypes: (d: Dialect, runId: string, types: string[], afterSeq?: number): Sql =>
    sql`SELECT ${trusted(d.eventColumns)} FROM events WHERE ${d.inRun(runId, afterSeq)} AND type IN (${join(
      types.map((t) => sql`${t}`),
      ', ',
    )}) ORDER BY ${trusted(d.runSeqOrder(true))} LIMIT 1`,
  frameRows: (d: Dialect, runId: string, afterSeq: number, limit: number): Sql =>
    sql`SELECT seq, type, frame_id FROM events WHERE ${d.inRun(runId, afterSeq)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`,
  actors: (d: Dialect, runId: string, limit: number): Sql =>
    sql`SELECT actor FROM events WHERE ${d.inRun(runId)} AND actor IS NOT NULL GROUP BY actor ORDER BY count(*) DESC, actor LIMIT ${limit}`,
  /** The store's distinct event types by a loose index scan: one seek on the `type` index per type. */
  types: (): Sql =>
    trusted(`WITH RECURSIVE t(type) AS (
  SELECT min(type) FROM events
  UNION ALL
  SELECT (SELECT min(type) FROM events WHERE type > t.type) FROM t WHERE t.type IS NOT NULL
) SELECT type FROM t WHERE type IS NOT NULL`),
  /**
   * What a replay reads: four narrow columns (each column a row materializes costs, measured: 4
   * columns read a million rows in 1.7 s where the 8 of a full row take 3.2 s).
   */
  projectionRows: (d: Dialect, runId: string, afterSeq: number, limit: number, rows: 'checked' | 'projected' = 'checked'): Sql => {
    // Projected only: the check runs aside (payload-check) and counts the others.
    if (rows === 'projected')
      return sql`SELECT seq, type, ${trusted(d.payloadText)} AS payload, 1 AS valid FROM events WHERE ${d.inRun(runId, afterSeq)} AND type IN (${trusted(PROJECTED)}) ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`;
    return sql`SELECT seq, type, CASE WHEN type IN (${trusted(PROJECTED)}) THEN ${trusted(d.payloadText)} END AS payload, ${trusted(d.payloadValid)} AS valid FROM events WHERE ${d.inRun(runId, afterSeq)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`;
  },
  /** What a diff compares (spec §8): the run's events, lifecycle ones (behavior, relation_behavior, runtime) aside. */
  partitionRows: (d: Dialect, runId: string, afterSeq: number, limit: number): Sql =>
    sql`SELECT seq, id, type, ${trusted(d.payloadText)} AS payload FROM events WHERE ${d.inRun(runId, afterSeq)} AND ${trusted(NOT_LIFECYCLE)} ORDER BY ${trusted(d.runSeqOrder())} LIMIT ${limit}`,
  /**
   * The payload check (SQLite, one pass over the rows): the unprojected payloads SQLite's JSON parser
   * rejects, how many events there are and how many of them a diff compares, and the last seq.
   */
  payloadCheck: (runId: string, afterSeq: number, untilSeq: number): Sql =>
    sql`SELECT count(*) AS count, max(seq) AS through, coalesce(sum(${trusted(NOT_LIFECYCLE)}), 0) AS compared,
                 json_group_array(seq) FILTER (WHERE type NOT IN (${trusted(PROJECTED)}) AND NOT json_valid(payload)) AS invalid
               FROM events WHERE run_id = ${runId} AND seq > ${afterSeq} AND seq <= ${untilSeq}`,
  partitionCount: (d: Dialect, runId: string, afterSeq: number): Sql =>
    sql`SELECT ${trusted(d.count('*'))} AS n FROM events WHERE ${d.inRun(runId, afterSeq)} AND ${trusted(NOT_LIFECYCLE)}`,
  archived: (runId: string, page?: { offset: number; limit: number }): Sql => {
    const q = sql`SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp, archived_at FROM events_archive WHERE run_id = ${runId} ORDER BY seq`;
    return page ? sql`${q} LIMIT ${page.limit} OFFSET ${page.offset}` : q;
  },
  archivedEvent: (runId: string, eventId: string): Sql =>
    sql`SELECT seq, id, type, actor, payload, frame_id, caused_by, timestamp, archived_at FROM events_archive WHERE run_id = ${runId} AND id = ${eventId}`,
  isArchived: (runId: string, eventId: string): Sql => sql`SELECT 1 AS hit FROM events_archive WHERE run_id = ${runId} AND id = ${eventId}`,
  archivedBefore: (runId: string, seq: number): Sql => sql`SELECT count(*) AS n FROM events_archive WHERE run_id = ${runId} AND seq < ${seq}`,
  snapshot: (stateHash: string): Sql => sql`SELECT blob FROM snapshots WHERE state_hash = ${stateHash}`,
};

/**
 * What fork and migration destinations write, row by row (the same text on both drivers: Postgres
 * casts the text parameters to JSONB and TIMESTAMPTZ by the column). Bulk event loading is the
 * driver's own business (Postgres streams COPY); these are the rows' shapes.
 */
export const writes = {
  setSchemaVersion: (version: string): Sql => sql`INSERT INTO meta(key, value) VALUES ('schema_version', ${version})`,
  /** A duplicate run id is an error unless `ifAbsent`, when it is skipped. */
  insertRun: (row: RunRow, ifAbsent = false): Sql =>
    sql`INSERT INTO runs(run_id, parent_run_id, forked_at_event_id, label, created_at, goal, frame_id) VALUES (${row.run_id}, ${row.parent_run_id}, ${row.forked_at_event_id}, ${row.label}, ${row.created_at}, ${row.goal}, ${row.frame_id})${trusted(ifAbsent ? ' ON CONFLICT (run_id) DO NOTHING' : '')}`,
  /** Appended with the next seq; an (id, run_id) already there is skipped. */
  insertEvent: (runId: string, e: NewEvent): Sql =>
    sql`INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (${e.id}, ${e.type}, ${e.actor}, ${e.payload}, ${e.frame_id}, ${e.caused_by}, ${e.timestamp}, ${runId}) ON CONFLICT (id, run_id) DO NOTHING`,
  insertArchived: (runId: string, e: ArchivedEvent): Sql =>
    sql`INSERT INTO events_archive(seq, id, type, actor, payload, frame_id, caused_by, timestamp, run_id, archived_at) VALUES (${e.seq}, ${e.id}, ${e.type}, ${e.actor}, ${e.payload}, ${e.frame_id}, ${e.caused_by}, ${e.timestamp}, ${runId}, ${e.archived_at}) ON CONFLICT (id, run_id) DO NOTHING`,
  insertSnapshot: (stateHash: string, blob: string, createdAt: string): Sql =>
    sql`INSERT INTO snapshots(state_hash, blob, created_at) VALUES (${stateHash}, ${blob}, ${createdAt}) ON CONFLICT (state_hash) DO NOTHING`,
  /** The run's last seq over the hot log and the archive (the single-writer head, spec §2.3). */
  head: (runId: string): Sql =>
    sql`SELECT max(m) AS m FROM (SELECT max(seq) AS m FROM events WHERE run_id = ${runId} UNION ALL SELECT max(seq) AS m FROM events_archive WHERE run_id = ${runId}) h`,
};

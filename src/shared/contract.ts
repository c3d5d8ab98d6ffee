/**
 * The one contract between the renderer and the main process (Electron IPC or browser mode).
 * Every operation the renderer may call is listed here with zod schemas for its input and
 * output; main validates every input before it reaches the engine. Nothing else crosses.
 */
import { z } from 'zod';

const id = z.string().min(1).max(512);
const storeId = z.string().regex(/^s\d{1,9}$/, 'a store id from openStore');
/** A store-wide seq: the writer's integer (a damaged or imported store may hold negative ones). */
const seq = z.number().int().min(Number.MIN_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER);

/** What a run's roll-up counts (engine/fleet, engine/run-matrix). */
const fleetFigures = {
  events: z.number(),
  executions: z.number(),
  failures: z.number(),
  llm_calls: z.number(),
  tokens_in: z.number(),
  tokens_out: z.number(),
  cost_usd: z.string(),
};

export const eventFilterSchema = z
  .object({
    /** Exact types or family prefixes ending in '.' (e.g. 'llm.'). Empty or absent: all. */
    types: z.array(z.string().min(1).max(200)).max(64).optional(),
    /** A prefix of the actor, case-sensitively. */
    actor: z.string().min(1).max(512).optional(),
    /** Payload text, case-insensitively. */
    text: z.string().min(1).max(1000).optional(),
    /** The run search: the event's id, type, actor or payload text, case-insensitively. */
    search: z.string().min(1).max(1000).optional(),
    /** Compact: the events that end a span (completions, failures, responses) folded into the row that starts it. */
    compact: z.literal(true).optional(),
    /** An event query (store/event-query): payload fields, columns, caused_by chains, and/or/not. */
    where: z.string().min(1).max(4000).optional(),
  })
  .strict();

const json = z.unknown();

export const storeInfoSchema = z.object({
  storeId,
  /** The URL with any password hidden. */
  url: z.string(),
  displayName: z.string(),
  driver: z.enum(['sqlite', 'postgres']),
  runtime: z.string(),
  writable: z.boolean(),
  /** What the user should know about how the store is read (a hot journal rolled back on a private copy). */
  note: z.string().optional(),
  /** The store as a link names it: its URL without password or secret parameters (stable across restarts, unlike storeId). */
  linkUrl: z.string(),
});

export const runInfoSchema = z.object({
  run_id: z.string(),
  parent_run_id: z.string().nullable(),
  forked_at_event_id: z.string().nullable(),
  label: z.string().nullable(),
  created_at: z.string(),
  goal: z.string().nullable(),
  frame_id: z.string().nullable(),
  /** Hot-log events; null in the run list of a big store until counted (runCounts). */
  event_count: z.number().nullable(),
  archived_count: z.number(),
  /** Min and max hot-log seq, or null for a run with no hot events (a run's rows lie between them, among other runs'). */
  first_seq: z.number().nullable(),
  last_seq: z.number().nullable(),
  /** The timestamps of the run's first and last hot events (wall clocks, advisory: for its duration). */
  first_at: z.string().nullable(),
  last_at: z.string().nullable(),
  state: z.enum(['idle', 'running', 'stopped', 'exhausted']),
  /** Stores of other runtimes: the run's own status word (e.g. `failed`, `suspended`), else null. */
  native_status: z.string().nullable(),
  /** Stores of other runtimes: what the store records about the run beyond its events. */
  attributes: z.record(z.string(), json).nullable(),
});

/** The row fields of an event, shared by timeline rows and event detail. */
const eventRowShape = {
  seq: z.number(),
  id: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  frame_id: z.string().nullable(),
  caused_by: z.string().nullable(),
  timestamp: z.string(),
};

export const timelineRowSchema = z.object({
  /** The row's place in this (filtered) view, from 0. */
  offset: z.number(),
  /** The event's place in its run, from 1 (seq is store-wide: a fork's first event may be seq 353). */
  index: z.number(),
  ...eventRowShape,
  summary: z.string(),
  failed: z.boolean(),
  corrupted: z.boolean(),
  /** Set on a row of the archive tier: when it was archived. */
  archivedAt: z.string().optional(),
});
export type TimelineRow = z.output<typeof timelineRowSchema>;

const eventSummary = z.object({
  seq: z.number(),
  id: z.string(),
  type: z.string(),
  actor: z.string().nullable(),
  /** An event of the archive tier (a cause a compaction archived): its place there. */
  archivedOffset: z.number().optional(),
});

export const eventDetailSchema = z.object({
  ...eventRowShape,
  payload: json,
  payloadText: z.string(),
  payloadError: z.string().optional(),
  cause: eventSummary.nullable(),
  consequences: z.array(eventSummary),
  /** When a compaction moved the event to the archive tier (absent for the hot log). */
  archivedAt: z.string().optional(),
  /** How far after the event consequences were searched (null: to the end of the run). */
  consequencesSearched: z.number().nullable(),
});

export const eventRowSchema = z.object(eventRowShape);

export const graphObjectSchema = z.object({ id: z.string(), type: z.string(), data: z.record(z.string(), json), version: z.number(), provenance: json });
export const graphRelationSchema = z.object({ id: z.string(), source: z.string(), target: z.string(), type: z.string(), data: z.record(z.string(), json), provenance: json });

export const neighborhoodSchema = z.object({
  asOfSeq: z.number().nullable(),
  objects: z.array(graphObjectSchema),
  relations: z.array(graphRelationSchema),
  /** Size of the neighborhood before capping. */
  totalObjects: z.number(),
  totalRelations: z.number(),
  truncated: z.boolean(),
});

export const graphOverviewSchema = z.object({
  asOfSeq: z.number().nullable(),
  objects: z.number(),
  relations: z.number(),
  patches: z.number(),
  /** Object ids with their types, most connected first, for picking a start. */
  hubs: z.array(z.object({ id: z.string(), type: z.string(), degree: z.number() })),
});

const budget = z.object({
  used: z.record(z.string(), z.number()),
  limits: z.record(z.string(), z.number().nullable()),
  cost_used_usd: z.string(),
  cost_limit_usd: z.string().nullable(),
  exhausted_by: z.string().nullable(),
});

const costTotals = z.object({
  invocations: z.number(),
  failures: z.number(),
  llmCalls: z.number(),
  llmRequests: z.number(),
  llmFailures: z.number(),
  tokensIn: z.number(),
  tokensOut: z.number(),
  costUsd: z.string(),
  toolCalls: z.number(),
  toolFailures: z.number(),
  embeddingCalls: z.number(),
  durationP50Ms: z.number().nullable(),
  durationP95Ms: z.number().nullable(),
  llmLatencyP50Ms: z.number().nullable(),
  llmLatencyP95Ms: z.number().nullable(),
});

/** What a run and each behavior cost, rolled up from the log (a fork counts from its fork point). */
export const runCostsSchema = z.object({
  run: costTotals,
  behaviors: z.array(costTotals.extend({ behavior: z.string() })),
  unreadableEvents: z.number(),
  countedFrom: z.string().nullable(),
});

const spanKind = z.enum(['behavior', 'llm', 'tool', 'embedding']);
const spanStatus = z.enum(['ok', 'failed', 'open']);

export const spanWindowSchema = z.object({
  runStart: z.number().nullable(),
  runEnd: z.number().nullable(),
  from: z.number(),
  to: z.number(),
  lanes: z.array(z.object({ behavior: z.string(), depth: z.number() })),
  bars: z.array(
    z.object({ id: z.string(), seq: z.number(), kind: spanKind, name: z.string(), start: z.number(), end: z.number(), status: spanStatus, depth: z.number(), lane: z.number() }),
  ),
  /** [lane, pixel column, spans, failed] for spans narrower than a pixel. */
  dense: z.array(z.tuple([z.number(), z.number(), z.number(), z.number()])),
  totalSpans: z.number(),
});

/** What the log records beyond status(): the last budget snapshot, frames, failures. */
export const statusExtrasSchema = z.object({ last_budget_snapshot: json, last_budget_event_id: z.string().nullable(), frames_seen: z.array(z.string()), failures: z.number() });

export const statusSchema = z.object({
  status: z.object({
    run_id: z.string(),
    state: z.enum(['idle', 'running', 'stopped', 'exhausted']),
    queue_depth: z.number(),
    events_processed: z.number(),
    budget,
    frame: z.object({ id: z.string(), name: z.string().nullable() }).nullable(),
    registered_behaviors: z.array(json),
    recent_events: z.array(z.object({ id: z.string(), type: z.string(), actor: z.string().nullable(), timestamp: z.string() })),
  }),
  /** What the log records beyond status() (see statusExtras), when already read; null until then. */
  extras: statusExtrasSchema.nullable(),
});

export const rateStripSchema = z.object({
  total: z.number(),
  /** Equal slices of the log by position; `seconds` is the wall-clock span the slice covers. */
  buckets: z.array(z.object({ fromOffset: z.number(), count: z.number(), failures: z.number(), seconds: z.number() })),
});

const divergent = <T extends z.ZodTypeAny>(t: T) => z.object({ id: z.string(), in_parent: t.nullable(), in_fork: t.nullable() });

export const diffSchema = z.object({
  run_a: z.string(),
  run_b: z.string(),
  shared_events: z.number(),
  parent_only_events: z.number(),
  fork_only_events: z.number(),
  divergent_objects: z.number(),
  divergent_relations: z.number(),
  objects: z.array(divergent(graphObjectSchema.omit({ provenance: true }))),
  relations: z.array(divergent(graphRelationSchema.omit({ provenance: true }))),
  divergence: z.object({ a_seq: z.number().nullable(), b_seq: z.number().nullable(), a_event_id: z.string().nullable(), b_event_id: z.string().nullable() }),
});

export const cacheStatsSchema = z.object({
  limitBytes: z.number(),
  usedBytes: z.number(),
  entries: z.array(z.object({ kind: z.enum(['timeline', 'graph', 'spans', 'fork']), storeId, runId: z.string(), bytes: z.number() })),
});

/** Where a paged export goes on: after this seq, with this many events written. */
const traceCursorSchema = z.object({ seq, events: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER) }).strict();

/** The run re-projected without some events (A = the real run, B = the projection without them). */
export const whatIfSchema = z.object({
  asOfSeq: z.number().nullable(),
  /** How many events were left out; `excluded` names the first of them (at most 200). */
  excludedCount: z.number(),
  excluded: z.array(z.object({ seq: z.number(), id: z.string(), type: z.string(), asked: z.boolean() })),
  real: z.object({ objects: z.number(), relations: z.number() }),
  projected: z.object({ objects: z.number(), relations: z.number() }),
  /** How many objects and relations differ; `objects` and `relations` are the most connected of them (at most 300 objects). */
  divergentObjects: z.number(),
  divergentRelations: z.number(),
  /** Relations kept whose source or target the what-if removed: how many, and the first ids. */
  dangling: z.object({ count: z.number(), ids: z.array(z.string()).max(20) }),
  objects: z.array(divergent(graphObjectSchema.omit({ provenance: true }))),
  relations: z.array(divergent(graphRelationSchema.omit({ provenance: true }))),
});

export const forkResultSchema = z.object({
  parent_run_id: z.string(),
  new_run_id: z.string(),
  at_event: z.string(),
  label: z.string().nullable(),
  events_copied: z.number(),
  recording: z.boolean().optional(),
  destStoreId: storeId,
});

export const errorSchema = z.object({
  className: z.string(),
  summary: z.string(),
  whatFailed: z.string().optional(),
  why: z.string().optional(),
  howToFix: z.string().optional(),
  context: z.record(z.string(), json),
  docUrl: z.string().optional(),
  exitCode: z.number(),
});

export const migrationRunReportSchema = z.object({
  run_id: z.string(),
  status: z.enum(['ok', 'failed']),
  events_migrated: z.number(),
  error: z.string().optional(),
  skipped_events: z.array(z.string()).optional(),
  archived_migrated: z.number(),
  snapshots_migrated: z.number(),
  verification: z.object({ ok: z.boolean(), source_events: z.number(), dest_events: z.number(), source_hash: z.string(), dest_hash: z.string() }).optional(),
});

export const migrationStateSchema = z.object({
  migrationId: z.string(),
  /** interrupted: the data host stopped while it ran (each run complete or untouched). */
  state: z.enum(['running', 'finished', 'cancelled', 'failed', 'interrupted']),
  runCount: z.number(),
  current: z.object({ runId: z.string(), runIndex: z.number(), eventsDone: z.number(), eventsTotal: z.number() }).nullable(),
  reports: z.array(migrationRunReportSchema),
  /** Set when the migration could not start (bad destination, schema mismatch, …). */
  error: errorSchema.nullable(),
});

/** A promotion plan (spec §7.7), and for the app each changed entity as parent-now → fork-now. */
export const promotePlanSchema = z.object({
  from_run: z.string(),
  into_run: z.string(),
  forked_at_event: z.string(),
  computed_against: z.string().nullable(),
  dry_run: z.boolean(),
  objects_created: z.array(z.string()),
  objects_patched: z.array(z.string()),
  objects_removed: z.array(z.string()),
  relations_created: z.array(z.string()),
  relations_removed: z.array(z.string()),
  conflicts: z.array(
    z.object({ kind: z.enum(['both_changed', 'dangling_relation', 'orphaning_removal']), entity: z.enum(['object', 'relation']), id: z.string(), detail: z.string() }),
  ),
  warnings: z.array(z.string()),
  marker_event_id: z.string().optional(),
  applied_event_ids: z.array(z.string()).optional(),
  changes: z.array(
    z.object({
      entity: z.enum(['object', 'relation']),
      id: z.string(),
      change: z.enum(['created', 'patched', 'removed', 'conflict']),
      /** In the base (the parent at the fork point), the parent now and the fork now; null where absent. */
      base: json,
      parent: json,
      fork: json,
    }),
  ),
});

/** A saved Postgres connection as the renderer sees it: never with a password. */
export const savedConnectionSchema = z.object({ name: z.string(), url: z.string(), passwordSaved: z.boolean() });

/** Every operation: name → input and output schema. */
export const operations = {
  openStore: { input: z.object({ url: z.string().min(1).max(4096) }).strict(), output: storeInfoSchema },
  openDemoStore: { input: z.object({}).strict(), output: storeInfoSchema },
  /** A folder of the machine the data host runs on (browser mode's file picker); without `dir`, the user's home. */
  browseFiles: {
    input: z.object({ dir: z.string().min(1).max(4096).optional() }).strict(),
    output: z.object({
      dir: z.string(),
      parent: z.string().nullable(),
      entries: z.array(z.object({ name: z.string(), path: z.string(), folder: z.boolean(), size: z.number().nullable(), sqlite: z.boolean(), trace: z.boolean() })),
      /** More entries than a listing shows (the first ones by name are listed). */
      truncated: z.boolean(),
    }),
  },
  closeStore: { input: z.object({ storeId }).strict(), output: z.object({ closed: z.boolean() }) },
  listStores: { input: z.object({}).strict(), output: z.array(storeInfoSchema) },
  listRuns: { input: z.object({ storeId }).strict(), output: z.array(runInfoSchema) },
  /** The hot-log counts of some runs (the list of a big store leaves them null and asks for the visible ones first). */
  runCounts: {
    input: z.object({ storeId, runIds: z.array(id).min(1).max(200) }).strict(),
    output: z.array(z.object({ run_id: z.string(), event_count: z.number() })),
  },
  /** One run of the list, read again (a run that grew updates its own row, not the whole list). */
  /** Failed behavior executions per run (runs without any left out): the store's failures, counted once. */
  runFailures: { input: z.object({ storeId }).strict(), output: z.array(z.object({ run_id: z.string(), failures: z.number() })) },
  runInfo: { input: z.object({ storeId, runId: id }).strict(), output: runInfoSchema },
  /** Every event type in the store, sorted: the type filters offer the families that exist. */
  eventTypes: { input: z.object({ storeId }).strict(), output: z.array(z.string()) },
  /** The run's actors, most frequent first (at most 200), for the actor filter's suggestions. */
  actors: { input: z.object({ storeId, runId: id }).strict(), output: z.array(z.string()) },
  timelineWindow: {
    input: z.object({ storeId, runId: id, filter: eventFilterSchema.optional(), offset: z.number().int().min(0), limit: z.number().int().min(1).max(1000) }).strict(),
    output: z.object({ total: z.number(), rows: z.array(timelineRowSchema) }),
  },
  locateEvent: {
    input: z
      .object({
        storeId,
        runId: id,
        filter: eventFilterSchema.optional(),
        eventId: id.optional(),
        seq: seq.optional(),
        /** The event's place in its run, from 1 (the index column). */
        index: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
        position: z.enum(['first', 'last']).optional(),
      })
      .strict(),
    output: z.object({ offset: z.number().nullable(), seq: z.number().nullable(), total: z.number() }),
  },
  /** The first event matching `filter` after `afterSeq` (from the start without it), or the last before `beforeSeq`; nulls when none. */
  findEvent: {
    input: z.object({ storeId, runId: id, filter: eventFilterSchema, afterSeq: seq.optional(), beforeSeq: seq.optional() }).strict(),
    output: z.object({ seq: z.number().nullable(), id: z.string().nullable() }),
  },
  getEvent: { input: z.object({ storeId, runId: id, eventId: id }).strict(), output: eventDetailSchema },
  /** The run's archive tier (events a compaction moved out of the hot log), paged. */
  archivedWindow: {
    input: z.object({ storeId, runId: id, offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER), limit: z.number().int().min(1).max(1000) }).strict(),
    output: z.object({ total: z.number(), rows: z.array(timelineRowSchema) }),
  },
  rateStrip: { input: z.object({ storeId, runId: id, buckets: z.number().int().min(1).max(2000), filter: eventFilterSchema.optional() }).strict(), output: rateStripSchema },
  graphOverview: { input: z.object({ storeId, runId: id, asOfSeq: seq.optional() }).strict(), output: graphOverviewSchema },
  neighborhood: {
    input: z
      .object({ storeId, runId: id, objectId: id, depth: z.number().int().min(1).max(3), asOfSeq: seq.optional(), limit: z.number().int().min(1).max(5000).optional() })
      .strict(),
    output: neighborhoodSchema,
  },
  /** Objects of the run's graph (at its end) by id, type or label: the command palette's "go to an object". */
  findObjects: {
    input: z.object({ storeId, runId: id, query: z.string().min(1).max(200), limit: z.number().int().min(1).max(100).optional() }).strict(),
    output: z.array(z.object({ id: z.string(), type: z.string(), label: z.string().nullable() })),
  },
  /** A query of the graph as of an event (engine/graph-query): a page of its bindings, and how many there are. */
  graphQuery: {
    input: z
      .object({
        storeId,
        runId: id,
        query: z.string().min(1).max(4000),
        /** The query's own `as of` wins over this. */
        asOfSeq: seq.optional(),
        offset: z.number().int().min(0).max(1_000_000),
        limit: z.number().int().min(1).max(500),
      })
      .strict(),
    output: z.object({
      asOfSeq: z.number().nullable(),
      columns: z.array(z.object({ name: z.string(), kind: z.enum(['object', 'relation']) })),
      rows: z.array(z.array(z.object({ id: z.string(), type: z.string(), label: z.string().nullable() }))),
      total: z.number(),
      /** False when the count stopped at its cap (there are more). */
      complete: z.boolean(),
    }),
  },
  objectHistory: {
    input: z.object({ storeId, runId: id, objectId: id, limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.array(eventSummary),
  },
  /** status() of a run (fast: its count comes from the run's row index); `extras` only when already read. */
  status: { input: z.object({ storeId, runId: id, tail: z.number().int().min(0).max(200) }).strict(), output: statusSchema },
  /** What the log records beyond status() (frames and failures read from the whole run the first time, then only what is appended). */
  statusExtras: { input: z.object({ storeId, runId: id }).strict(), output: statusExtrasSchema },
  fork: {
    input: z
      .object({ storeId, runId: id, atEventId: id, label: z.string().max(200).optional(), record: z.boolean().optional(), destUrl: z.string().min(1).max(4096).optional() })
      .strict(),
    output: forkResultSchema,
  },
  /**
   * Compares two runs. The counts are always complete; the divergent objects and relations are the
   * `limit` most connected (default 300), so that a reply stays small whatever the runs' size.
   */
  diff: { input: z.object({ storeId, runA: id, runB: id, storeIdB: storeId.optional(), limit: z.number().int().min(1).max(5000).optional() }).strict(), output: diffSchema },
  /** The run's graph without some events (and what they caused), as of an event, against the real one. Writes nothing. */
  runCosts: { input: z.object({ storeId, runId: id }).strict(), output: runCostsSchema },
  /** What differs among many runs' ends (engine/run-differences): a page of it, most connected first. */
  runDifferences: {
    input: z.object({ storeId, runIds: z.array(id).min(2).max(20), offset: z.number().int().min(0), limit: z.number().int().min(1).max(200) }).strict(),
    output: z.object({
      total: z.number(),
      entities: z.array(
        z.object({
          kind: z.enum(['object', 'relation']),
          id: z.string(),
          degree: z.number(),
          values: z.array(z.record(z.string(), json).nullable()),
          groups: z.array(z.object({ runs: z.array(z.number()), state: z.record(z.string(), json).nullable() })),
          changed: z.array(z.string()),
        }),
      ),
    }),
  },
  /** A store's runs at once (engine/fleet): per run, day and behavior, counted in steps (ask again while not complete). */
  fleet: {
    input: z.object({ storeId }).strict(),
    output: z.object({
      total_runs: z.number(),
      counted_runs: z.number(),
      complete: z.boolean(),
      runs: z.array(
        z.object({
          run_id: z.string(),
          label: z.string().nullable(),
          parent_run_id: z.string().nullable(),
          started_at: z.string().nullable(),
          duration_ms: z.number().nullable(),
          unreadable: z.number(),
          ...fleetFigures,
        }),
      ),
      days: z.array(z.object({ day: z.string(), runs_started: z.number(), ...fleetFigures })),
      behaviors: z.array(z.object({ behavior: z.string(), ...fleetFigures })),
    }),
  },
  /** What each run did after its fork point, aligned by behavior (engine/aligned-steps), a page of rows. */
  alignedSteps: {
    input: z.object({ storeId, runIds: z.array(id).min(2).max(20), offset: z.number().int().min(0), limit: z.number().int().min(1).max(200) }).strict(),
    output: z.object({
      /** Each run's own part starts after this seq (its fork point; for a parent, its forks' earliest), null: the whole run. */
      after: z.array(z.number().nullable()),
      total: z.number(),
      rows: z.array(
        z.object({
          behavior: z.string(),
          nth: z.number(),
          steps: z.array(
            z
              .object({
                event_id: z.string(),
                seq: z.number(),
                end_event_id: z.string().nullable(),
                status: z.enum(['ok', 'failed', 'open']),
                duration_ms: z.number().nullable(),
                requests: z.number(),
                failed_requests: z.number(),
              })
              .nullable(),
          ),
        }),
      ),
    }),
  },
  /** Many runs side by side (engine/run-matrix): one row of figures per run. */
  compareRuns: {
    input: z.object({ storeId, runIds: z.array(id).min(2).max(20) }).strict(),
    output: z.array(
      z.object({
        run_id: z.string(),
        label: z.string().nullable(),
        parent_run_id: z.string().nullable(),
        forked_at_event_id: z.string().nullable(),
        ...fleetFigures,
        events_after_fork: z.number().nullable(),
        duration_ms: z.number().nullable(),
        objects: z.number(),
        relations: z.number(),
        objects_by_type: z.record(z.string(), z.number()),
        relations_by_type: z.record(z.string(), z.number()),
        vs_parent: z.object({ created: z.number(), patched: z.number(), removed: z.number() }).nullable(),
      }),
    ),
  },
  /** The waterfall: spans of a time window (ms since the epoch) drawn `width` pixels wide. */
  spans: {
    input: z.object({ storeId, runId: id, width: z.number().int().min(1).max(8000), from: z.number().finite().optional(), to: z.number().finite().optional() }).strict(),
    output: spanWindowSchema,
  },
  /** The spans that events start or end (the timeline's durations). */
  spanTimes: {
    input: z.object({ storeId, runId: id, eventIds: z.array(id).max(500) }).strict(),
    output: z.array(z.object({ eventId: z.string(), spanId: z.string(), endId: z.string().nullable(), kind: spanKind, durationMs: z.number().nullable(), status: spanStatus })),
  },
  whatIf: {
    input: z.object({ storeId, runId: id, exclude: z.array(id).min(1).max(1000), withConsequences: z.boolean(), asOfSeq: seq.optional() }).strict(),
    output: whatIfSchema,
  },
  /** Plans promoting a fork into its parent; with dryRun false, applies it (conflicts: PromoteConflictError, nothing written). */
  promote: { input: z.object({ storeId, parentRunId: id, forkRunId: id, dryRun: z.boolean() }).strict(), output: promotePlanSchema },
  /** One page of the run's export-trace (lines without newlines); `next` asks for the page after it, null after the last. */
  exportTrace: {
    input: z
      .object({
        storeId,
        runId: id,
        format: z.enum(['text', 'jsonl']),
        after: traceCursorSchema.optional(),
        maxLines: z.number().int().min(1).max(5000),
      })
      .strict(),
    output: z.object({ lines: z.array(z.string()), next: traceCursorSchema.nullable() }),
  },
  /**
   * The run as OpenTelemetry traces (usecases/export-otlp), one OTLP JSON request (a batch of spans)
   * per call: the first call starts an export, the next ones name it, until `done`.
   */
  exportOtlp: {
    input: z.object({ storeId, runId: id, exportId: z.string().max(64).optional() }).strict(),
    output: z.object({ exportId: z.string(), line: z.string().nullable(), done: z.boolean(), spans: z.number(), spanEvents: z.number() }),
  },
  /** What an offline page of the run keeps (all its events, or a window around an event) and about how big it is. */
  pagePlan: {
    input: z.object({ storeId, runId: id, maxEvents: z.number().int().min(1).max(200_000).optional(), around: id.optional() }).strict(),
    output: z.object({
      runId: z.string(),
      eventsTotal: z.number(),
      fromSeq: z.number().nullable(),
      toSeq: z.number().nullable(),
      kept: z.number(),
      whole: z.boolean(),
      approxBytes: z.number(),
    }),
  },
  /** The run as one offline HTML page (usecases/save-page), part by part: the first call starts it, the next ones name it, until `done`. */
  savePage: {
    input: z.object({ storeId, runId: id, maxEvents: z.number().int().min(1).max(200_000).optional(), around: id.optional(), exportId: z.string().max(64).optional() }).strict(),
    output: z.object({ exportId: z.string(), part: z.string().nullable(), done: z.boolean() }),
  },
  /** The run's governance record: authority decisions, ceiling changes and developer overrides, the first `limit` (default 200) and how many. */
  governance: {
    input: z.object({ storeId, runId: id, limit: z.number().int().min(1).max(1000).optional() }).strict(),
    output: z.object({
      total: z.number(),
      rows: z.array(z.object({ seq: z.number(), id: z.string(), type: z.string(), actor: z.string().nullable(), timestamp: z.string(), payload: json })),
    }),
  },
  /** Whether the store is a read-only standby and how far behind its primary it is (seconds; null: not a standby). */
  storeHealth: { input: z.object({ storeId }).strict(), output: z.object({ standby: z.boolean(), lagSeconds: z.number().nullable() }) },
  /** What the data host's caches (row indexes, graph histories, span indexes) hold, and their memory budget. */
  cacheStats: { input: z.object({}).strict(), output: cacheStatsSchema },
  /** Sets the caches' memory budget; the least recently used are dropped at once while over it. */
  setCacheBudget: {
    input: z
      .object({
        limitMb: z
          .number()
          .int()
          .min(64)
          .max(1024 * 1024),
      })
      .strict(),
    output: cacheStatsSchema,
  },
  watchRun: { input: z.object({ storeId, runId: id, watch: z.boolean() }).strict(), output: z.object({ watching: z.boolean() }) },
  listConnections: { input: z.object({}).strict(), output: z.array(savedConnectionSchema) },
  saveConnection: {
    input: z.object({ name: z.string().min(1).max(200), url: z.string().min(1).max(4096), savePassword: z.boolean() }).strict(),
    output: z.object({ saved: savedConnectionSchema, note: z.string().nullable() }),
  },
  deleteConnection: { input: z.object({ name: z.string().min(1).max(200) }).strict(), output: z.object({ deleted: z.boolean() }) },
  openConnection: { input: z.object({ name: z.string().min(1).max(200), password: z.string().max(1000).optional() }).strict(), output: storeInfoSchema },
  startMigration: {
    input: z.object({ storeId, destUrl: z.string().min(1).max(4096), runIds: z.array(id).max(10_000).optional(), skipCorrupted: z.boolean() }).strict(),
    output: z.object({ migrationId: z.string() }),
  },
  migrationStatus: { input: z.object({ migrationId: z.string().regex(/^m\d{1,9}$/) }).strict(), output: migrationStateSchema },
  cancelMigration: { input: z.object({ migrationId: z.string().regex(/^m\d{1,9}$/) }).strict(), output: z.object({ cancelling: z.boolean() }) },
} as const;

export type OperationName = keyof typeof operations;
export type OpInput<K extends OperationName> = z.input<(typeof operations)[K]['input']>;
export type OpOutput<K extends OperationName> = z.output<(typeof operations)[K]['output']>;
export const operationNames = Object.keys(operations) as OperationName[];

/**
 * Operations the front (Electron's main process, browser mode's HTTP server) answers itself,
 * because they need what only it holds: saved connections and the OS keyring. Every other
 * operation is the data host's; a secret reaches the host only inside the one call that needs it.
 */
export const frontOperationNames = ['listConnections', 'saveConnection', 'deleteConnection', 'openConnection'] as const satisfies readonly OperationName[];
export type FrontOperationName = (typeof frontOperationNames)[number];
export type HostOperationName = Exclude<OperationName, FrontOperationName>;
export const isFrontOperation = (op: OperationName): op is FrontOperationName => (frontOperationNames as readonly string[]).includes(op);

/** Push channels: main → renderer notifications. */
export const pushChannels = {
  /** A watched run grew (another process is writing it). */
  runGrew: z.object({ storeId, runId: z.string(), total: z.number(), lastSeq: z.number().nullable() }),
  /** The set of open stores or their runs changed (fork written, store opened). */
  storeChanged: z.object({ storeId }),
  /** Progress of a long operation. */
  progress: z.object({ operation: z.string(), done: z.number(), total: z.number().nullable(), label: z.string() }),
  /** A migration moved on (per chunk within a run, and at the end of each run). */
  migration: migrationStateSchema,
  /** The data host stopped and was restarted; calls in flight failed, open stores were reopened. */
  hostRestarted: z.object({ reason: z.string() }),
} as const;
export type PushChannel = keyof typeof pushChannels;
export type PushPayload<K extends PushChannel> = z.output<(typeof pushChannels)[K]>;

/** The result envelope every transport returns. */
export type OpResult<K extends OperationName> = { ok: true; value: OpOutput<K> } | { ok: false; error: z.output<typeof errorSchema> };

/**
 * The typed API the renderer sees (window.inspector in Electron, an HTTP client in the browser).
 * `requestId` names a call so that `cancel(requestId)` can drop it: the host stops working on it
 * and its answer, if any, is never delivered.
 */
export type InspectorApi = {
  [K in OperationName]: (input: OpInput<K>, requestId?: number) => Promise<OpResult<K>>;
} & {
  cancel(requestId: number): void;
  subscribe<C extends PushChannel>(channel: C, listener: (payload: PushPayload<C>) => void): () => void;
};

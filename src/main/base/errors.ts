import { cancelledError, type SerializedError } from '../../shared/errors.js';
import { pyStrRepr } from './pyjson.js';

/**
 * Errors in Active Graph's structured shape (summary, what failed, why, how to fix, context, doc
 * link), each carrying the CLI exit code of the documented contract (spec §13).
 */

export const ExitCode = { ok: 0, generic: 1, usage: 2, notFound: 3, corruption: 4, divergence: 5 } as const;
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

export interface StructuredErrorInit {
  summary: string;
  whatFailed?: string;
  why?: string;
  howToFix?: string;
  context?: Record<string, unknown>;
  slug?: string;
  exitCode: ExitCodeValue;
}

/** The one error type the engine throws on purpose; everything else is a bug or a driver error. */
export class InspectorError extends Error {
  readonly whatFailed?: string;
  readonly why?: string;
  readonly howToFix?: string;
  readonly context: Record<string, unknown>;
  readonly slug?: string;
  readonly exitCode: ExitCodeValue;

  constructor(
    readonly className: string,
    init: StructuredErrorInit,
  ) {
    super(init.summary);
    this.name = className;
    this.whatFailed = init.whatFailed;
    this.why = init.why;
    this.howToFix = init.howToFix;
    this.context = init.context ?? {};
    this.slug = init.slug;
    this.exitCode = init.exitCode;
  }

  /** The error again, from its serialized shape (an answer of the data host). */
  static fromJSON(e: SerializedError): InspectorError {
    const slug = e.docUrl?.split('/').pop();
    return new InspectorError(e.className, {
      summary: e.summary,
      whatFailed: e.whatFailed,
      why: e.why,
      howToFix: e.howToFix,
      context: e.context,
      slug,
      exitCode: e.exitCode as ExitCodeValue,
    });
  }

  /** Active Graph's rendered layout (spec §13.2). */
  render(): string {
    if (this.whatFailed === undefined) return `${this.className}: ${this.message}`;
    const block = (t: string): string =>
      t
        .split('\n')
        .map((l) => (l ? `  ${l}` : ''))
        .join('\n');
    const parts = [
      `${this.className}: ${this.message}`,
      '',
      'What failed:',
      block(this.whatFailed),
      '',
      'Why:',
      block(this.why ?? ''),
      '',
      'How to fix:',
      block(this.howToFix ?? ''),
    ];
    if (this.slug) parts.push('', 'More:', `  https://docs.activegraph.ai/errors/${this.slug}`);
    return parts.join('\n');
  }

  toJSON(): SerializedError {
    return {
      className: this.className,
      summary: this.message,
      whatFailed: this.whatFailed,
      why: this.why,
      howToFix: this.howToFix,
      context: this.context,
      docUrl: this.slug ? `https://docs.activegraph.ai/errors/${this.slug}` : undefined,
      exitCode: this.exitCode,
    };
  }
}

/** The one way an error becomes the structured shape that crosses to a window. */
export function toSerializedError(err: unknown): SerializedError {
  if (err instanceof InspectorError) return err.toJSON();
  const e = err as Error;
  if (e?.name === 'AbortError') return cancelledError();
  return {
    className: 'InternalError',
    summary: e?.message ?? String(err),
    whatFailed: e?.message ?? String(err),
    why: 'An unexpected error occurred in the engine.',
    howToFix: 'Retry; if it persists, report it with this message.',
    context: {},
    exitCode: 1,
  };
}

const URL_WHY =
  'The framework addresses stores by URL everywhere — runtime, CLI, library — so the same string can be passed around without ambiguity about which driver opens it. A malformed URL is refused at parse time rather than silently coerced to a default scheme; guessing wrong would either corrupt the audit trail or open an unintended store.';

export function invalidStoreUrl(summary: string, whatFailed: string, howToFix: string, url: string): InspectorError {
  return new InspectorError('InvalidStoreURL', {
    summary,
    whatFailed,
    why: URL_WHY,
    howToFix,
    context: { url },
    slug: 'invalid-store-url-error',
    exitCode: ExitCode.usage,
  });
}

export function schemaVersionMismatch(found: string, driver: 'sqlite' | 'postgres'): InspectorError {
  const label = driver === 'sqlite' ? 'SQLite' : 'Postgres';
  return new InspectorError('SchemaVersionMismatch', {
    summary: `${driver} store schema_version '${found}' does not match this build's expected '1'`,
    whatFailed: `The ${label} store records schema_version='${found}' in its meta table, but Run Inspector (reading Active Graph stores) expects schema_version='1'.`,
    why: "The store file format evolves with the framework. The runtime refuses to read a store with a different schema_version rather than risk silent data loss — a newer framework might interpret columns differently than the writer did, and an older framework might drop fields it doesn't recognize. Either direction would corrupt the audit trail.",
    howToFix: `One of three actions:\n  1. Install the activegraph version that wrote this store\n     (whichever shipped schema_version='${found}').\n  2. Migrate the run to a store written by this build:\n     activegraph migrate <src-url> <new-dst-url>\n     The destination is written with the current schema.\n  3. If the store is empty or expendable, delete and re-run.\n\nSchema version history is documented in CHANGELOG.md.`,
    context: { found_version: found, expected_version: '1', driver },
    slug: 'schema-version-mismatch',
    exitCode: ExitCode.corruption,
  });
}

export function corruptedPayload(opts: { line: number; column: number; preview: string; underlying: string; eventId?: string; runId?: string }): InspectorError {
  const where = opts.eventId ? ` (event ${opts.eventId} of run ${opts.runId})` : '';
  return new InspectorError('CorruptedEventPayloadError', {
    summary: `event payload could not be decoded as JSON (at column ${opts.column})`,
    whatFailed: `While reading a stored event payload${where}, the JSON parser failed at line ${opts.line}, column ${opts.column}:\n  ${opts.underlying}\n  payload preview: ${pyStrRepr(opts.preview)}`,
    why: "The store persists every event payload as JSON. A row that doesn't parse as JSON means the bytes on disk are corrupted, the store schema is mismatched (someone wrote a non-JSON format here), or an out-of-band edit damaged the file. The framework refuses to silently skip the row — that would make the replay contract unverifiable, and the next fork or diff would lie about what happened.",
    howToFix:
      'Recover the readable subset of the run by migrating with\n--skip-corrupted (this skips only the unreadable events and\nkeeps everything else; the destination run is partial but\nload-bearing events around the corruption are preserved):\n    activegraph migrate --from <src> --to <new-dst> --skip-corrupted\nThe skipped event ids appear in the per-run report.\n\nIf you need to inspect the corruption first:\n    activegraph inspect <store> --tail 50\n\nIf you have the original payload elsewhere (a previous run,\na backup, a log), open the store directly with sqlite3 / psql\nand repair the row in place — preferable to skip-and-lose.\n\nIf the corruption is intrinsic and the run is not worth\nrecovering, re-run from the original goal in a fresh store.\nThe store is append-only; partial corruption does not\npropagate backward in time.',
    context: { line: opts.line, column: opts.column, preview: opts.preview, underlying_msg: opts.underlying, event_id: opts.eventId, run_id: opts.runId },
    slug: 'corrupted-event-payload-error',
    exitCode: ExitCode.corruption,
  });
}

export function runNotFound(
  runId: string | null,
  storeUrl: string,
  reason: 'missing' | 'missing_file' | 'orphan_events' | 'empty_catalog',
  eventCount = 0,
  /** missing_file: where the path led, and a file the URL probably meant (the other slash count), if there is one. */
  file?: { resolved: string; meant?: string },
): InspectorError {
  const summary =
    reason === 'empty_catalog'
      ? `no runs found in ${storeUrl}`
      : reason === 'missing_file'
        ? `store file for ${storeUrl} does not exist`
        : reason === 'orphan_events'
          ? `run '${runId}' has ${eventCount} events but no row in the runs table`
          : `run '${runId}' not found in ${storeUrl}`;
  return new InspectorError('RunNotFoundError', {
    summary,
    whatFailed: summary + '.',
    why:
      reason === 'missing_file'
        ? `There is no file at ${file?.resolved ?? storeUrl}, and reading a store never creates one (an empty new store would hide a typo in the path).`
        : 'Reading a run never creates it: loading an unknown id would otherwise write an empty run row into the store and hide a typo.',
    howToFix:
      reason === 'orphan_events'
        ? 'Give the run a catalog row explicitly (upsert_run with created_at=...) with Active Graph, then open it again.'
        : reason === 'missing_file'
          ? file?.meant
            ? `Did you mean ${file.meant}? That file exists. sqlite:/// (three slashes) is followed by a relative path, sqlite://// (four) by an absolute one.`
            : `Check the path: sqlite:/// (three slashes) is followed by a path relative to the folder the inspector runs in (${process.cwd()}), sqlite://// (four) by an absolute one.`
          : 'List the runs of the store and pick an existing id:\n    run-inspector inspect <store-url> --json\nor check that the URL points at the store you meant (three slashes = relative path, four = absolute).',
    context: { path: storeUrl, run_id: runId, reason, event_count: eventCount },
    slug: 'run-not-found-error',
    exitCode: ExitCode.notFound,
  });
}

export function eventNotFound(eventId: string, runId: string, operation: string, archived = false): InspectorError {
  return new InspectorError('EventNotFoundError', {
    summary: archived ? `event '${eventId}' of run ${runId} is archived below the compaction horizon` : `event '${eventId}' not found in run ${runId}`,
    whatFailed: archived
      ? `The ${operation} point '${eventId}' exists only in the archive tier of run ${runId}; its hot log starts at the compaction snapshot.`
      : `No event with id '${eventId}' exists in the hot log of run ${runId}.`,
    why: 'Event ids are scoped to one run, and forks/lookups only address events of its hot log.',
    howToFix: archived
      ? 'Fork at the snapshot event or any later event of the run.'
      : "List the run's events (run-inspector export-trace <store> --run-id <run> --format text) and use one of their ids.",
    context: { event_id: eventId, run_id: runId, operation, archived },
    slug: 'event-not-found-error',
    exitCode: ExitCode.notFound,
  });
}

export function snapshotIntegrity(runId: string, expectedHash: string, problem: 'missing' | 'mismatch'): InspectorError {
  return new InspectorError('SnapshotIntegrityError', {
    summary: `snapshot ${expectedHash} for run ${runId} is ${problem === 'missing' ? 'missing' : 'corrupted (hash mismatch)'}`,
    whatFailed: `Run ${runId} starts with a runtime.snapshot event naming state ${expectedHash}, and the snapshots table ${problem === 'missing' ? 'has no such blob' : 'holds a blob whose SHA-256 differs'}.`,
    why: 'A compacted run is seeded from its snapshot blob; projecting it without a verified blob would show a graph that never existed.',
    howToFix: "Restore the snapshots table from the store the run was compacted in (Run Inspector's migrate copies snapshot blobs), or open the original store.",
    context: { run_id: runId, expected_hash: expectedHash },
    slug: 'snapshot-integrity-error',
    exitCode: ExitCode.corruption,
  });
}

export const SUPPORTED_STORES = [
  'Active Graph (SQLite or Postgres): tables events, runs, meta',
  'Graphite / grafi (Postgres): table events with event_id, assistant_request_id and event_context/data or event_data',
  'DIR / dir-core 0.2 (SQLite): tables decision_audit_events, flow_transitions',
  'NeuroCore (SQLite): tables runs (blueprint_name, …) and steps (step_index, …)',
];

/**
 * `found`: the tables the file has. Only their number is told: naming them would list the schema
 * of any file the process can read (another application's database) to whoever asked.
 */
export function storeUnreadable(url: string, detail: string, found?: string[]): InspectorError {
  const counted =
    found === undefined ? '' : found.length === 0 ? '\nIt has no tables.' : `\nIt has ${found.length} table${found.length === 1 ? '' : 's'}, none of them a supported event log.`;
  return new InspectorError('StoreFormatError', {
    summary: `${url} is not a run store Run Inspector can read`,
    whatFailed: `Opening ${url} failed: ${detail}.` + counted,
    why: 'Run Inspector recognises a store by its schema. Without a known event log there is nothing to read, and guessing would show something that is not there.',
    howToFix: `Check that the URL names the run store your runtime writes (persist_to=... / store=...). Supported stores:\n${SUPPORTED_STORES.map((s) => `  - ${s}`).join('\n')}\nIf the file is damaged, restore it from a backup; the inspector never modifies it.`,
    context: { url, detail, table_count: found?.length },
    slug: 'store-format-error',
    exitCode: ExitCode.corruption,
  });
}

export function storeConnection(url: string, detail: string): InspectorError {
  return new InspectorError('StoreConnectionError', {
    summary: `could not connect to ${url}`,
    whatFailed: `Connecting to the Postgres store ${url} failed: ${detail}`,
    why: 'The store lives on a database server that did not accept the connection (server down, wrong host/port, wrong credentials or database name).',
    howToFix: 'Check that the server is running and reachable (psql "<url>"), that the user and password are right, and that the database exists.',
    context: { url, detail },
    slug: 'store-connection-error',
    exitCode: ExitCode.generic,
  });
}

/** An OTLP receiver that did not take a batch (refused the connection, or answered with an error status). */
export function otlpSendFailed(url: string, detail: string, sent: number): InspectorError {
  return new InspectorError('OtlpExportError', {
    summary: `could not send the trace to ${url}`,
    whatFailed: `Sending a batch of spans to the OTLP receiver at ${url} failed: ${detail}`,
    why: `The receiver (a collector, Jaeger, Tempo, Langfuse, Phoenix) did not accept the request; ${sent} span${sent === 1 ? ' was' : 's were'} sent before it.`,
    howToFix:
      'Check that the receiver listens for OTLP over HTTP at that address (the traces path is /v1/traces; port 4318 by default), or write the trace to a file with -o and load it there.',
    context: { url, detail, sent },
    slug: 'otlp-export-error',
    exitCode: ExitCode.generic,
  });
}

/** A read that reached its deadline: the server is there, the query was slow. */
export function storeQueryTimeout(url: string, timeoutMs: number, purpose: string): InspectorError {
  const seconds = Math.round(timeoutMs / 1000);
  return new InspectorError('StoreQueryTimeout', {
    summary: `the query to ${purpose} took longer than ${seconds} s on ${url}`,
    whatFailed: `The query to ${purpose} was stopped after ${seconds} s (the read timeout); the server is reachable.`,
    why: 'Reads on a shared store have a deadline, so that one slow query never holds the window; this one reached it: the store is large or busy, or the server is overloaded.',
    howToFix: 'Retry; if it keeps happening, raise the deadline with RUN_INSPECTOR_PG_TIMEOUT_MS (milliseconds), or read from a replica of the store.',
    context: { url, timeout_ms: timeoutMs, purpose },
    slug: 'store-query-timeout',
    exitCode: ExitCode.generic,
  });
}

/** A destination that was accepted but could not be written; nothing of this command is in it. */
export function destinationWriteFailed(url: string, reason: string, howToFix: string): InspectorError {
  return new InspectorError('DestinationWriteError', {
    summary: `could not write to ${url}: ${reason}`,
    whatFailed: `Writing to ${url} failed: ${reason}.`,
    why: 'Every fork, promote and migrated run is written in one transaction, so the failed one left nothing behind; a destination this command created was removed again.',
    howToFix,
    context: { url, reason },
    exitCode: ExitCode.generic,
  });
}

/** Fork and migrate write Active Graph's format; other runtimes' stores are only read. */
/** Refuses a write use case (fork, migrate, promote) on a store another runtime wrote, before anything is touched. */
export function requireActiveGraph(store: { runtime: string }, operation: 'fork' | 'migrate' | 'promote'): void {
  if (store.runtime !== 'Active Graph') throw activeGraphOnly(store.runtime, operation);
}

function activeGraphOnly(runtime: string, operation: 'fork' | 'migrate' | 'promote'): InspectorError {
  return new InspectorError('UnsupportedOperation', {
    summary: `${operation} works on Active Graph stores; this is a ${runtime} store`,
    whatFailed: `A ${operation} was asked of a store written by ${runtime}.`,
    why: `Run Inspector reads ${runtime} stores to show their runs; it writes only Active Graph's format, and a ${operation} from another runtime's events would produce a run no runtime can load.`,
    howToFix: 'Open the run in the timeline, compare it, or export it with export-trace instead.',
    context: { runtime, operation },
    exitCode: ExitCode.usage,
  });
}

/** A storeId the window holds that the host does not (closed, or not reopened after a restart). */
export function storeNotOpen(storeId: string): InspectorError {
  return new InspectorError('StoreNotOpenError', {
    summary: `store ${storeId} is not open`,
    whatFailed: `The request named store ${storeId}, which is not open in the data host.`,
    why: 'Stores are opened per session; a store closed here, or one that could not be reopened after the data host restarted, has no open connection.',
    howToFix: 'Open the store again (Open…, or File › Open Recent).',
    context: { store_id: storeId },
    exitCode: ExitCode.notFound,
  });
}

/** What a migration in flight reports when the data host died under it. */
export function hostInterrupted(): SerializedError {
  return new InspectorError('HostInterruptedError', {
    summary: 'the migration was interrupted: the data host stopped',
    whatFailed: 'The process that runs store work stopped (it crashed or was killed) while this migration was running.',
    why: 'Each run is migrated in one transaction and verified before it commits, so every run of this migration is either complete at the destination or not there at all.',
    howToFix: 'Start the migration again: runs already complete at the destination are recognised and skipped.',
    exitCode: ExitCode.generic,
  }).toJSON();
}

export function usageError(message: string): InspectorError {
  return new InspectorError('UsageError', { summary: message, exitCode: ExitCode.usage });
}

/** A query that does not parse: where (line and column), and what was expected there. */
export function querySyntaxError(
  query: string,
  err: { message: string; location?: { start: { line: number; column: number; offset: number } } },
  /** What a query of this kind looks like. */
  examples = 'Graph queries are patterns such as (c:claim)<-[:supports]-(s:source) where c.data.confidence < 0.5 as of evt_123.',
): InspectorError {
  const at = err.location?.start;
  const line = at ? (query.split('\n')[at.line - 1] ?? '') : '';
  return new InspectorError('QuerySyntaxError', {
    summary: at ? `the query does not parse at column ${at.column}${at.line > 1 ? ` of line ${at.line}` : ''}: ${err.message}` : `the query does not parse: ${err.message}`,
    whatFailed: at ? `${line}\n${' '.repeat(at.column - 1)}^` : query,
    why: examples,
    howToFix: 'Fix the query at the caret (the message says what may come there).',
    context: { query, column: at?.column ?? null, line: at?.line ?? null },
    exitCode: ExitCode.usage,
  });
}

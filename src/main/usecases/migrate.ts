/**
 * Migration between stores (spec §11), compatible with Active Graph's `migrate` and going beyond
 * it where it loses data: each run in one destination transaction, idempotent through the
 * (id, run_id) key, runs independent; the archive tier and snapshot blobs travel too; every run is
 * verified (count + content hash on both sides) before it commits; progress per run and within a
 * run; cancellation leaves every run fully migrated or untouched. Source stores are only read.
 */
import { HashPool, RunHasher, type ChunkHash } from '../store/content-hash.js';
import { copyText } from '../store/copy-text.js';
import { InspectorError, requireActiveGraph, usageError } from '../base/errors.js';
import { openDestination } from '../store/open-store.js';
import { sameStore, type StoreUrl } from '../store/store-url.js';
import type { z } from 'zod';
import type { migrationRunReportSchema } from '../../shared/contract.js';
import type { RunInfo } from '../../shared/model.js';
import { scanEvents, type EventStore } from '../store/event-store.js';
import { decodePayload } from '../engine/projection.js';
import { pythonizeJsonbText } from '../base/pyjson.js';
import type { NewEvent, StoreWriter } from '../store/store-writer.js';

/** One run's migration report (the contract's schema is its one definition). */
export type MigrateRunReport = z.infer<typeof migrationRunReportSchema>;
export type RunVerification = NonNullable<MigrateRunReport['verification']>;

export interface MigrateProgress {
  runId: string;
  runIndex: number;
  runCount: number;
  eventsDone: number;
  eventsTotal: number;
  /** Set once the run is finished (ok or failed). */
  report?: MigrateRunReport;
}

export interface MigrateOptions {
  runIds?: string[];
  skipCorrupted?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: MigrateProgress) => void;
  chunk?: number;
}

export interface MigrateResult {
  runs: MigrateRunReport[];
  cancelled: boolean;
}

/** A failure of one run, with the message its report shows (read, write or verification). */
class RunFailure extends Error {}

/** An error as one report line; a server's own detail and position (which COPY line) come along. */
function describe(err: unknown): string {
  if (err instanceof InspectorError) return err.render();
  const e = err as { message?: string; detail?: string; where?: string };
  const flat = e.where?.replace(/\s*\n\s*/g, ' — ');
  const where = flat && flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
  const context = [e.detail, where].filter(Boolean).join('; ');
  return (e.message ?? String(err)) + (context ? ` (${context})` : '');
}

/**
 * Rows as the destination gets them. SQLite and Postgres sources hold Python-default JSON text
 * (SQLite) or JSONB (Postgres, whose text form differs from Python's only in number forms such as
 * `0.00001` for `1e-05`); into SQLite a Postgres payload is re-encoded the way the runtime writes
 * (raw non-ASCII), everything else is copied verbatim.
 */
function rowsFor(source: EventStore, dest: StoreWriter, rows: NewEvent[]): NewEvent[] {
  return source.driver === 'postgres' && dest.driver === 'sqlite' ? rows.map((e) => ({ ...e, payload: pythonizeJsonbText(e.payload) })) : rows;
}

/** Chunks being hashed or written at once, each way: enough to keep every core busy, memory bounded. */
const IN_FLIGHT = 4;

/**
 * The use case the CLI's `migrate` and the app's wizard both call: refused for one store into itself
 * (by where the stores are, however their URLs are written) or from another runtime's store, before
 * the destination is created; then the copy, and the destination closed whatever happens.
 */
export async function migrateInto(source: EventStore, destination: StoreUrl, opts: MigrateOptions = {}): Promise<MigrateResult> {
  if (sameStore(destination, source.url)) throw usageError('the source and the destination are the same store');
  requireActiveGraph(source, 'migrate');
  const dest = await openDestination(destination);
  try {
    return await migrate(source, dest, opts);
  } finally {
    await dest.close();
  }
}

/** Copies the runs into an open destination (the guards are migrateInto's). */
export async function migrate(source: EventStore, dest: StoreWriter, opts: MigrateOptions = {}): Promise<MigrateResult> {
  const all = await source.listRuns();
  const runs = opts.runIds?.length ? all.filter((r) => opts.runIds!.includes(r.run_id)) : all;
  const pool = new HashPool(runs.reduce((n, r) => n + (r.event_count ?? 0), 0));
  try {
    const reports: MigrateRunReport[] = [];
    for (const [runIndex, run] of runs.entries()) {
      if (opts.signal?.aborted) return { runs: reports, cancelled: true };
      const report = await migrateRun(
        source,
        dest,
        pool,
        run,
        (eventsDone, final) => opts.onProgress?.({ runId: run.run_id, runIndex, runCount: runs.length, eventsDone, eventsTotal: run.event_count ?? 0, report: final }),
        opts,
      );
      reports.push(report);
      if (report.error === CANCELLED) return { runs: reports, cancelled: true };
    }
    return { runs: reports, cancelled: false };
  } finally {
    pool.close();
  }
}

const CANCELLED = 'cancelled: nothing of this run was written';

/**
 * One run in one destination transaction. Chunks are read here, checked and hashed on the pool
 * and written in order, several in flight; then the destination's copy is read back in the same
 * transaction and hashed the same way; a mismatch rolls the run back.
 */
async function migrateRun(
  source: EventStore,
  dest: StoreWriter,
  pool: HashPool,
  run: RunInfo,
  progress: (eventsDone: number, final?: MigrateRunReport) => void,
  opts: MigrateOptions,
): Promise<MigrateRunReport> {
  const chunk = opts.chunk ?? 10_000;
  const report: MigrateRunReport = { run_id: run.run_id, status: 'ok', events_migrated: 0, archived_migrated: 0, snapshots_migrated: 0 };
  const skipped: string[] = [];
  let inTransaction = false;
  try {
    await dest.begin();
    inTransaction = true;
    await dest.insertRunIfAbsent({
      run_id: run.run_id,
      parent_run_id: run.parent_run_id,
      forked_at_event_id: run.forked_at_event_id,
      label: run.label,
      created_at: run.created_at,
      goal: run.goal,
      frame_id: run.frame_id,
    });

    const sourceHash = new RunHasher();
    let done = 0;
    let firstChunk = true;
    // Writes are chained so they land in seq order; reading goes on while up to IN_FLIGHT wait.
    const writes: Promise<void>[] = [];
    let last: Promise<void> = Promise.resolve();
    try {
      for await (const rows of scanEvents(source, run.run_id, { chunk, signal: opts.signal })) {
        if (firstChunk && rows[0]?.type === 'runtime.snapshot') {
          const hash = (decodePayload(rows[0], run.run_id) as { state_hash?: string }).state_hash ?? '';
          const blob = await source.snapshotBlob(hash);
          if (blob !== null && (await dest.insertSnapshot(hash, blob, new Date().toISOString()))) report.snapshots_migrated++;
        }
        firstChunk = false;
        const batch = rowsFor(source, dest, rows);
        const checked = pool.hash(copyText(batch, run.run_id));
        checked.catch(() => {}); // awaited in order below; until then not unhandled
        last = last.then(async () => {
          const { lines, count, corrupt } = await checked;
          let keep = batch;
          if (corrupt.length) {
            if (!opts.skipCorrupted) decodeOrFail(rows[corrupt[0]!]!, run.run_id);
            const bad = new Set(corrupt);
            skipped.push(...corrupt.map((i) => rows[i]!.id));
            keep = batch.filter((_, i) => !bad.has(i));
          }
          sourceHash.addLines(lines, count);
          try {
            report.events_migrated += await dest.insertEvents(run.run_id, keep);
          } catch (err) {
            throw new RunFailure(`write failure: ${describe(err)}`);
          }
          done += rows.length;
          progress(done);
        });
        last.catch(() => {});
        writes.push(last);
        if (writes.length > IN_FLIGHT) await writes.shift();
      }
    } catch (err) {
      await last.catch(() => {});
      if (err instanceof RunFailure || (err as Error).name === 'AbortError') throw err;
      throw new RunFailure(`read failure: ${describe(err)}`);
    }
    await last;
    const archived = await source.archivedEvents(run.run_id);
    if (archived.length) report.archived_migrated = await dest.insertArchived(run.run_id, archived);

    // Verify inside the transaction, reading back what this connection wrote.
    const destHash = new RunHasher();
    const hashing: Promise<ChunkHash>[] = [];
    const take = async (): Promise<void> => {
      const { lines, count, corrupt } = await hashing.shift()!;
      if (corrupt.length) throw new RunFailure(`verification failed: the destination returned ${corrupt.length} payloads that are not JSON`);
      destHash.addLines(lines, count);
    };
    for await (const text of dest.runText(run.run_id, chunk)) {
      const h = pool.hash(text);
      h.catch(() => {});
      hashing.push(h);
      if (hashing.length > IN_FLIGHT) await take();
    }
    while (hashing.length) await take();
    const verification = { source_events: sourceHash.count, dest_events: destHash.count, source_hash: sourceHash.digest(), dest_hash: destHash.digest() };
    report.verification = { ok: verification.source_events === verification.dest_events && verification.source_hash === verification.dest_hash, ...verification };
    if (!report.verification.ok)
      throw new RunFailure(
        `verification failed: source has ${verification.source_events} events (sha256 ${verification.source_hash.slice(0, 12)}), destination ${verification.dest_events} (sha256 ${verification.dest_hash.slice(0, 12)})`,
      );
    opts.signal?.throwIfAborted();
    await dest.commit();
    inTransaction = false;
  } catch (err) {
    if (inTransaction) await dest.rollback();
    const cancelled = (err as Error).name === 'AbortError';
    Object.assign(report, {
      status: 'failed',
      events_migrated: 0,
      archived_migrated: 0,
      snapshots_migrated: 0,
      error: cancelled ? CANCELLED : err instanceof RunFailure ? err.message : `write failure: ${describe(err)}`,
      verification: cancelled ? undefined : report.verification,
    });
    if (cancelled) {
      progress(0, report);
      return report;
    }
  }
  if (skipped.length) report.skipped_events = skipped;
  progress(report.events_migrated, report);
  return report;
}

/** Throws the structured error of a corrupted payload, as a failure of the run. */
function decodeOrFail(e: { id: string; payload: string }, runId: string): never {
  try {
    decodePayload(e, runId);
  } catch (err) {
    throw new RunFailure(`read failure: ${describe(err)}`);
  }
  throw new RunFailure(`read failure: payload of ${e.id} could not be decoded`);
}

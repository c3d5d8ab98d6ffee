/**
 * Migration between stores (spec §11), compatible with Active Graph's `migrate` and going beyond
 * it where it loses data: each run in one destination transaction, idempotent through the
 * (id, run_id) key, runs independent; the archive tier and snapshot blobs travel too; every run is
 * verified (count + content hash on both sides) before it commits; progress per run and within a
 * run; cancellation leaves every run fully migrated or untouched. Source stores are only read.
 */
import { contentHasher, type ContentHasher } from './content-hash.js';
import { InspectorError, activeGraphOnly } from './errors.js';
import { scanEvents, type EventStore, type StoredEvent } from './event-store.js';
import { decodePayload } from './projection.js';
import { pythonizeJsonbText } from './pyjson.js';
import type { NewEvent, StoreWriter } from './store-writer.js';

export interface RunVerification {
  ok: boolean;
  source_events: number;
  dest_events: number;
  source_hash: string;
  dest_hash: string;
}

export interface MigrateRunReport {
  run_id: string;
  status: 'ok' | 'failed';
  events_migrated: number;
  error?: string;
  skipped_events?: string[];
  /** Beyond Active Graph: archive rows and snapshot blobs carried, and the verification. */
  archived_migrated: number;
  snapshots_migrated: number;
  verification?: RunVerification;
}

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

class ReadFailure extends Error {}

function describe(err: unknown): string {
  return err instanceof InspectorError ? err.render() : ((err as Error)?.message ?? String(err));
}

/**
 * Payload text for the destination. SQLite and Postgres sources hold Python-default JSON text
 * (SQLite) or JSONB (Postgres, whose text form differs from Python's only in number forms such as
 * `0.00001` for `1e-05`); into SQLite a Postgres payload is re-encoded the way the runtime writes
 * (raw non-ASCII), everything else is copied verbatim.
 */
function payloadFor(source: EventStore, dest: StoreWriter, text: string): string {
  return source.driver === 'postgres' && dest.reader.driver === 'sqlite' ? pythonizeJsonbText(text) : text;
}

export async function migrate(source: EventStore, dest: StoreWriter, opts: MigrateOptions = {}): Promise<MigrateResult> {
  if (source.runtime !== 'Active Graph') throw activeGraphOnly(source.runtime, 'migrate');
  const chunk = opts.chunk ?? 10_000;
  const all = await source.listRuns();
  const runs = opts.runIds?.length ? all.filter((r) => opts.runIds!.includes(r.run_id)) : all;
  const reports: MigrateRunReport[] = [];
  for (const [runIndex, run] of runs.entries()) {
    if (opts.signal?.aborted) return { runs: reports, cancelled: true };
    const report: MigrateRunReport = { run_id: run.run_id, status: 'ok', events_migrated: 0, archived_migrated: 0, snapshots_migrated: 0 };
    const eventsTotal = run.event_count;
    const progress = (eventsDone: number, final?: MigrateRunReport) =>
      opts.onProgress?.({ runId: run.run_id, runIndex, runCount: runs.length, eventsDone, eventsTotal, report: final });
    const skipped: string[] = [];
    const sourceHash = contentHasher(run.event_count);
    let destHash: ContentHasher | undefined;
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
      let done = 0;
      let firstChunk = true;
      // The previous chunk's write is in flight while the next chunk is read and checked.
      let pending: Promise<void> = Promise.resolve();
      try {
        for await (const rows of scanEvents(source, run.run_id, { chunk, signal: opts.signal })) {
          const batch: NewEvent[] = [];
          for (const e of rows) {
            let payload: unknown;
            try {
              payload = decodePayload(e, run.run_id);
            } catch (err) {
              if (opts.skipCorrupted && err instanceof InspectorError && err.className === 'CorruptedEventPayloadError') {
                skipped.push(e.id);
                continue;
              }
              throw new ReadFailure(`read failure: ${describe(err)}`);
            }
            const out = {
              id: e.id,
              type: e.type,
              actor: e.actor,
              payload: payloadFor(source, dest, e.payload),
              frame_id: e.frame_id,
              caused_by: e.caused_by,
              timestamp: e.timestamp,
            };
            sourceHash.add(out, payload);
            batch.push(out);
          }
          if (firstChunk && rows[0]?.type === 'runtime.snapshot') {
            const hash = (decodePayload(rows[0], run.run_id) as { state_hash?: string }).state_hash ?? '';
            const blob = await source.snapshotBlob(hash);
            if (blob !== null && (await dest.insertSnapshot(hash, blob, new Date().toISOString()))) report.snapshots_migrated++;
          }
          firstChunk = false;
          await sourceHash.ready();
          await pending;
          pending = dest.insertEvents(run.run_id, batch).then((n) => {
            report.events_migrated += n;
            done += rows.length;
            progress(done);
          });
          // Its failure is handled when it is awaited; until then it must not count as unhandled.
          pending.catch(() => {});
        }
        await pending;
      } catch (err) {
        await pending.catch(() => {});
        if (err instanceof ReadFailure || (err as Error).name === 'AbortError') throw err;
        throw new ReadFailure(`write failure: ${describe(err)}`);
      }
      const archived = await source.archivedEvents(run.run_id);
      if (archived.length) report.archived_migrated = await dest.insertArchived(run.run_id, archived);

      // Verify inside the transaction: a mismatch rolls the run back.
      destHash = contentHasher(run.event_count);
      let page = await dest.eventsAfter(run.run_id, -1, chunk);
      for (;;) {
        // Ask for the next page before hashing this one, so the database works while we hash.
        const next = page.length === chunk ? dest.eventsAfter(run.run_id, page[page.length - 1]!.seq, chunk) : null;
        for (const e of page) destHash!.add(e);
        await destHash!.ready();
        if (!next) break;
        page = await next;
      }
      const [src, dst] = await Promise.all([sourceHash.result(), destHash!.result()]);
      const verification = { source_events: src.count, dest_events: dst.count, source_hash: src.digest, dest_hash: dst.digest };
      report.verification = { ok: verification.source_events === verification.dest_events && verification.source_hash === verification.dest_hash, ...verification };
      if (!report.verification.ok)
        throw new ReadFailure(
          `verification failed: source has ${verification.source_events} events (sha256 ${verification.source_hash.slice(0, 12)}), destination ${verification.dest_events} (sha256 ${verification.dest_hash.slice(0, 12)})`,
        );
      opts.signal?.throwIfAborted();
      await dest.commit();
      inTransaction = false;
    } catch (err) {
      if (inTransaction) await dest.rollback();
      if ((err as Error).name === 'AbortError') {
        reports.push({
          ...report,
          status: 'failed',
          events_migrated: 0,
          archived_migrated: 0,
          snapshots_migrated: 0,
          error: 'cancelled: nothing of this run was written',
          verification: undefined,
        });
        progress(0, reports[reports.length - 1]);
        return { runs: reports, cancelled: true };
      }
      Object.assign(report, {
        status: 'failed',
        events_migrated: 0,
        archived_migrated: 0,
        snapshots_migrated: 0,
        error: err instanceof ReadFailure ? err.message : `write failure: ${describe(err)}`,
      });
    } finally {
      sourceHash.dispose();
      destHash?.dispose();
    }
    if (skipped.length) report.skipped_events = skipped;
    reports.push(report);
    progress(report.events_migrated, report);
  }
  return { runs: reports, cancelled: false };
}

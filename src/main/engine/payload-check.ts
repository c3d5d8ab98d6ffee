/**
 * A replay reads only the payloads the projection uses, but must find a corrupted payload anywhere
 * in the run, at the same event as Active Graph. Checking every other payload with SQLite's JSON
 * parser is a third of a big replay's reads, so on a file store it runs on a worker thread over its
 * own read-only connection while the replay reads on, and the replay settles with its answer.
 */
import type Database from 'better-sqlite3';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../paths.js';
import { PROJECTED_EVENT_TYPES } from './event-store.js';

export interface PayloadCheckJob {
  file: string;
  runId: string;
  afterSeq: number;
  untilSeq: number;
}

export interface PayloadCheckResult {
  /** Seqs of the run's unprojected events whose payload SQLite's JSON parser rejects, in order. */
  seqs: number[];
  /** The last seq the check saw (rows appended later are not checked). */
  through: number | null;
}

const WORKER_FILE = path.join(ROOT, 'out', 'main', 'payload-check-worker.js');
const projected = PROJECTED_EVENT_TYPES.map((t) => `'${t}'`).join(', ');

/** The check itself, on any connection: one read transaction, so `through` matches what was checked. */
export function invalidPayloadSeqs(db: Database.Database, job: Omit<PayloadCheckJob, 'file'>): PayloadCheckResult {
  return db.transaction(() => {
    const args = [job.runId, job.afterSeq, job.untilSeq];
    const seqs = db
      .prepare(`SELECT seq FROM events WHERE run_id = ? AND seq > ? AND seq <= ? AND type NOT IN (${projected}) AND NOT json_valid(payload) ORDER BY seq`)
      .pluck()
      .all(...args) as number[];
    const through = db
      .prepare(`SELECT max(seq) FROM events WHERE run_id = ? AND seq > ? AND seq <= ?`)
      .pluck()
      .get(...args) as number | null;
    return { seqs, through };
  })();
}

/** Runs the check on a worker thread; aborting the signal ends it. */
export function checkPayloadsAside(job: PayloadCheckJob, signal?: AbortSignal): Promise<PayloadCheckResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_FILE);
    const stop = () => void worker.terminate();
    signal?.addEventListener('abort', stop, { once: true });
    const settle = () => signal?.removeEventListener('abort', stop);
    worker.once('message', (m: ({ ok: true } & PayloadCheckResult) | { ok: false; message: string }) => {
      settle();
      void worker.terminate();
      if (m.ok) resolve({ seqs: m.seqs, through: m.through });
      else reject(new Error(m.message));
    });
    worker.once('error', (err) => (settle(), reject(err)));
    worker.once('exit', () => (settle(), reject(new Error('the payload check stopped'))));
    worker.postMessage(job);
  });
}

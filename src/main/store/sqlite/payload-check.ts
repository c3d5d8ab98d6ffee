/**
 * A replay reads only the payloads the projection uses, but must find a corrupted payload anywhere
 * in the run, at the same event as Active Graph. Checking every other payload with SQLite's JSON
 * parser is a third of a big replay's reads, so on a file store it runs on a worker thread over its
 * own read-only connection while the replay reads on, and the replay settles with its answer.
 */
import type Database from 'better-sqlite3';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { storeFiles } from '../store-files.js';
import { statements } from '../event-sql.js';
import { render, SQLITE } from '../sql-dialect.js';

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
  /** How many events of the run it saw. */
  count: number;
  /** How many of those a diff compares (all but lifecycle events): the check reads every row anyway. */
  compared: number;
}

/** The check itself, on any connection (one statement, so `through` matches what was checked). */
export function runPayloadCheck(db: Database.Database, job: Omit<PayloadCheckJob, 'file'>): PayloadCheckResult {
  const { text, values } = render(statements.payloadCheck(job.runId, job.afterSeq, job.untilSeq), SQLITE);
  const row = db.prepare(text).get(...values) as { count: number; through: number | null; compared: number; invalid: string };
  const seqs = (JSON.parse(row.invalid) as number[]).sort((a, b) => a - b);
  return { seqs, through: row.through, count: row.count, compared: row.compared };
}

/** Workers kept for the next check (starting one costs ~0.1 s), each doing one job at a time. */
const idle: Worker[] = [];
const MAX_IDLE = 2;
/** An idle worker ends after this long, so a quiet host holds no threads. */
const IDLE_MS = 30_000;
const idleTimers = new Map<Worker, NodeJS.Timeout>();

function takeWorker(): Worker {
  const w = idle.pop();
  if (w) {
    clearTimeout(idleTimers.get(w));
    idleTimers.delete(w);
    w.ref();
    return w;
  }
  return new Worker(storeFiles().payloadCheckWorker, { workerData: storeFiles() });
}

function giveBack(w: Worker): void {
  if (idle.length >= MAX_IDLE) return void w.terminate();
  w.unref(); // an idle worker never keeps the process (the CLI) alive
  idle.push(w);
  const timer = setTimeout(() => {
    idle.splice(idle.indexOf(w), 1);
    idleTimers.delete(w);
    void w.terminate();
  }, IDLE_MS);
  timer.unref();
  idleTimers.set(w, timer);
}

/**
 * At most this many checks run at once, one core always left to the thread that asked (on two
 * cores, one check after another): a check that shares its core makes the replay it sits beside slower.
 */
const MAX_BUSY = Math.max(1, availableParallelism() - 1);
/** A check stopped by its caller's signal ends as the caller's call does: cancelled, never an internal error. */
const aborted = (signal: AbortSignal | undefined): unknown => signal?.reason ?? new DOMException('the payload check was cancelled', 'AbortError');

let busy = 0;
const waiting: { start: () => void }[] = [];

function takeTurn(signal?: AbortSignal): Promise<void> {
  if (busy < MAX_BUSY) return (busy++, Promise.resolve());
  return new Promise((resolve, reject) => {
    const entry = { start: () => (signal?.removeEventListener('abort', leave), resolve()) };
    const leave = () => (waiting.splice(waiting.indexOf(entry), 1), reject(aborted(signal)));
    signal?.addEventListener('abort', leave, { once: true });
    waiting.push(entry);
  });
}

function endTurn(): void {
  const next = waiting.shift();
  if (next) next.start();
  else busy--;
}

/** Runs the check on a worker thread, after the checks asked before it; aborting the signal ends that worker. */
export async function checkPayloadsAside(job: PayloadCheckJob, signal?: AbortSignal): Promise<PayloadCheckResult> {
  await takeTurn(signal);
  try {
    return await onWorker(job, signal);
  } finally {
    endTurn();
  }
}

function onWorker(job: PayloadCheckJob, signal?: AbortSignal): Promise<PayloadCheckResult> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(aborted(signal));
    const worker = takeWorker();
    const done = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
      signal?.removeEventListener('abort', stop);
    };
    const onMessage = (m: ({ ok: true } & PayloadCheckResult) | { ok: false; message: string }) => {
      done();
      giveBack(worker);
      if (m.ok) resolve({ seqs: m.seqs, through: m.through, count: m.count, compared: m.compared });
      else reject(new Error(m.message));
    };
    const onError = (err: Error) => (done(), reject(err));
    const onExit = () => (done(), reject(new Error('the payload check stopped')));
    const stop = () => (done(), void worker.terminate(), reject(aborted(signal)));
    worker.on('message', onMessage);
    worker.once('error', onError);
    worker.once('exit', onExit);
    signal?.addEventListener('abort', stop, { once: true });
    worker.postMessage(job);
  });
}

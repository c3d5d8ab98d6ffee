/**
 * A content hash of a run's hot log that both drivers compute identically, for migration
 * verification: SHA-256 over id, type, actor, payload, frame_id, caused_by, timestamp in seq order,
 * the payload as a key-order-independent structural hash of its value and the timestamp as a UTC
 * instant, so Postgres' JSONB key order and re-rendered timestamps do not count as differences.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { Worker } from 'node:worker_threads';
import { storeFiles } from './store-files.js';
import { canonicalCopyField, copyField, unescapeCopyField } from './copy-text.js';
import { structuralHash } from '../base/json-hash.js';
import { pyLoadsFast } from '../base/pyjson.js';
import type { NewEvent } from './store-writer.js';

const Z_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;
/** ISO 8601 as Python writes it and as Postgres' COPY renders TIMESTAMPTZ (`2026-05-15 10:32:01.5+00`). */
const ISO_FORM = /^(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)$/;

/** A timestamp as one UTC form, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, fraction without trailing zeros. */
export function canonicalTimestamp(ts: string): string {
  if (Z_SECONDS.test(ts)) return ts; // the runtime's own form: most events
  const m = ISO_FORM.exec(ts);
  if (!m) return ts;
  const [, date, time, digits, offset] = m as unknown as [string, string, string, string | undefined, string];
  const fraction = (digits ?? '').replace(/0+$/, '');
  const suffix = `${fraction ? '.' + fraction : ''}Z`;
  if (/^(Z|[+-]00(:?00)?)$/.test(offset)) return `${date}T${time}${suffix}`;
  // Shift whole seconds by the offset; the fraction is kept digit for digit (Date has only ms).
  const hhmm = offset.length === 3 ? `${offset}:00` : offset.length === 5 ? `${offset.slice(0, 3)}:${offset.slice(3)}` : offset;
  const t = Date.parse(`${date}T${time}${hhmm}`);
  return Number.isNaN(t) ? ts : new Date(t).toISOString().slice(0, 19) + suffix;
}

/** The payload's part of a line; null when the payload is not JSON (a corrupted event). */
function payloadHash(payload: string): [number, number] | null {
  let value: unknown;
  try {
    value = pyLoadsFast(payload);
  } catch {
    return null;
  }
  // Numbers compare as values (`1e-05` from SQLite equals Postgres' `0.00001`).
  return structuralHash(value);
}

/**
 * One event's line of the content hash: its fields as canonical COPY text (unambiguous: tabs,
 * newlines and backslashes inside values are escaped, NULL is `\N`), the payload as its hash.
 */
function eventLine(id: string, type: string, actor: string, [a, b]: [number, number], frameId: string, causedBy: string, timestamp: string): string {
  return `${id}\t${type}\t${actor}\t${a}\t${b}\t${frameId}\t${causedBy}\t${canonicalTimestamp(timestamp)}\n`;
}

export interface ChunkHash {
  /** The hash lines of the chunk's readable events, in order, as UTF-8 in a buffer of its own. */
  lines: Uint8Array;
  count: number;
  /** Indexes (in the chunk) of rows whose payload is not JSON; they have no line. */
  corrupt: number[];
}

/**
 * Hashes a chunk of rows in COPY text form (the first seven columns are the event's): the unit of
 * work of the hashing workers. Fields are cut out of the text in place, no row objects.
 */
export function hashChunk(text: string): ChunkHash {
  // Lines go straight into a buffer: a string built of 10,000 lines would keep every one of them
  // alive until the end and cost more in garbage collection than the hashing itself.
  let out = Buffer.allocUnsafeSlow(Math.max(1 << 16, text.length >> 1));
  let size = 0;
  let count = 0;
  const corrupt: number[] = [];
  const f: string[] = new Array(7);
  for (let start = 0, row = 0; start < text.length; row++) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    for (let i = 0, at = start; i < 7; i++) {
      let stop = text.indexOf('\t', at);
      if (stop < 0 || stop > end) stop = end;
      f[i] = text.slice(at, stop);
      at = stop + 1;
    }
    start = end + 1;
    const hash = payloadHash(unescapeCopyField(f[3]!) ?? '');
    if (hash === null) {
      corrupt.push(row);
      continue;
    }
    const line = eventLine(
      canonicalCopyField(f[0]!),
      canonicalCopyField(f[1]!),
      canonicalCopyField(f[2]!),
      hash,
      canonicalCopyField(f[4]!),
      canonicalCopyField(f[5]!),
      unescapeCopyField(f[6]!) ?? '',
    );
    if (size + 3 * line.length > out.length) {
      const bigger = Buffer.allocUnsafeSlow(2 * out.length + 3 * line.length);
      out.copy(bigger, 0, 0, size);
      out = bigger;
    }
    size += out.write(line, size);
    count++;
  }
  return { lines: out.subarray(0, size), count, corrupt };
}

/** SHA-256 over the lines of a run's events in seq order; lines come from hashChunk or add(). */
export class RunHasher {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  /** Adds one event (migration hashes whole chunks through hashChunk instead). */
  add(e: NewEvent): void {
    const hash = payloadHash(e.payload);
    if (hash === null) throw new Error(`payload of ${e.id} is not JSON`);
    this.addLines(eventLine(copyField(e.id), copyField(e.type), copyField(e.actor), hash, copyField(e.frame_id), copyField(e.caused_by), e.timestamp), 1);
  }

  addLines(lines: string | Uint8Array, count: number): void {
    this.hash.update(lines);
    this.count += count;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/** Below this many events a migration hashes inline: starting workers would cost more. */
const WORKER_MIN_EVENTS = 50_000;

const MAX_WORKERS = 4;

interface Slot {
  worker: Worker;
  /** Chunks sent to this worker and not yet answered, by job id. */
  waiting: Map<number, { resolve: (r: ChunkHash) => void; reject: (e: Error) => void }>;
}

/**
 * hashChunk on worker threads, so both sides of a big migration are hashed on every core while
 * the main thread reads, writes and streams. Chunks are handed to the least busy worker; callers
 * keep results in order and bound what is in flight.
 */
export class HashPool {
  private readonly workers: Slot[] = [];
  private nextId = 0;

  /** Workers for a job of about `events` events (none, i.e. inline, for small jobs). */
  constructor(events: number) {
    if (events < WORKER_MIN_EVENTS || !fs.existsSync(storeFiles().hashWorker)) return;
    // More workers than chunks in flight would idle.
    for (let i = 0; i < Math.min(MAX_WORKERS, os.availableParallelism()); i++) {
      const slot: Slot = { worker: new Worker(storeFiles().hashWorker), waiting: new Map() };
      slot.worker.on('message', (m: { id: number; result: ChunkHash }) => {
        slot.waiting.get(m.id)?.resolve(m.result);
        slot.waiting.delete(m.id);
      });
      // A worker that dies fails what it had; later chunks go to the others, or are hashed inline.
      const lost = (err: Error) => {
        const at = this.workers.indexOf(slot);
        if (at >= 0) this.workers.splice(at, 1);
        for (const w of slot.waiting.values()) w.reject(err);
        slot.waiting.clear();
      };
      slot.worker.on('error', lost);
      slot.worker.on('exit', (code) => lost(new Error(`hash worker exited with code ${code}`)));
      this.workers.push(slot);
    }
  }

  /** Hashes rows given as COPY text (a string, or its UTF-8 bytes, which are transferred). */
  hash(data: string | Uint8Array): Promise<ChunkHash> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(hashChunk(typeof data === 'string' ? data : Buffer.from(data).toString('utf8')));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    const slot = this.workers.reduce((a, b) => (b.waiting.size < a.waiting.size ? b : a));
    const id = this.nextId++;
    const result = new Promise<ChunkHash>((resolve, reject) => slot.waiting.set(id, { resolve, reject }));
    slot.worker.postMessage({ id, data }, typeof data === 'string' ? [] : [data.buffer as ArrayBuffer]);
    return result;
  }

  close(): void {
    for (const slot of this.workers.splice(0)) {
      slot.worker.removeAllListeners();
      void slot.worker.terminate();
      for (const w of slot.waiting.values()) w.reject(new Error('hash pool closed'));
    }
  }
}

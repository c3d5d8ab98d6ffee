/**
 * A content hash of a run's hot log that both drivers compute identically, for migration
 * verification: SHA-256 over id, type, actor, payload, frame_id, caused_by, timestamp in seq order,
 * the payload as a key-order-independent structural hash of its value and the timestamp as a UTC
 * instant, so Postgres' JSONB key order and re-rendered timestamps do not count as differences.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../paths.js';
import { parseCopyText } from './copy-text.js';
import { pyLoadsFast } from './pyjson.js';
import type { NewEvent } from './store-writer.js';

/** FNV-1a over a string's UTF-16 units, in two independent 32-bit lanes. */
function stringLanes(str: string, a: number, b: number): [number, number] {
  for (let i = 0; i < str.length; i++) {
    const c = str.charCodeAt(i);
    a = Math.imul(a ^ c, 16777619);
    b = Math.imul(b ^ c, 2246822519);
  }
  return [a >>> 0, b >>> 0];
}

/**
 * A 64-bit structural hash of a decoded JSON value, independent of object key order (pairs are
 * combined by addition), so Python insertion order and JSONB order agree; numbers hash by value.
 * Three times cheaper than building sorted-key JSON, which matters over millions of payloads.
 */
function valueLanes(v: unknown): [number, number] {
  if (v === null || v === undefined) return [0x9e3779b9, 0x85ebca6b];
  switch (typeof v) {
    case 'string':
      return stringLanes(v, 0x811c9dc4, 0x01000192);
    case 'number':
      return stringLanes(String(v), 0x811c9dc7, 0x01000191);
    case 'boolean':
      return v ? [0x27d4eb2f, 0x165667b1] : [0x61c88647, 0x7ed55d16];
  }
  if (Array.isArray(v)) {
    let a = 0x811c9dc6;
    let b = 0x01000190;
    for (const x of v) {
      const [p, q] = valueLanes(x);
      a = Math.imul(a ^ p, 16777619);
      b = Math.imul(b ^ q, 2246822519);
    }
    return [a >>> 0, (b ^ v.length) >>> 0];
  }
  let a = 0x3c6ef372;
  let b = 0xa54ff53a;
  for (const key of Object.keys(v)) {
    const [kp, kq] = stringLanes(key, 0x811c9dc1, 0x01000197);
    const [vp, vq] = valueLanes((v as Record<string, unknown>)[key]);
    a = (a + Math.imul(kp ^ vp, 0x27d4eb2d) + vp) >>> 0;
    b = (b + Math.imul(kq ^ vq, 0x165667b1) + vq) >>> 0;
  }
  return [a, b];
}

/** The payload's part of the content hash: 16 hex digits. */
function payloadDigest(value: unknown): string {
  const [a, b] = valueLanes(value);
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

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

/** One event's line of the content hash. */
function eventLine(e: NewEvent, payload: unknown): string {
  // Numbers compare as values (`1e-05` from SQLite equals Postgres' `0.00001`).
  return JSON.stringify([e.id, e.type, e.actor, payloadDigest(payload), e.frame_id, e.caused_by, canonicalTimestamp(e.timestamp)]) + '\n';
}

export interface ChunkHash {
  /** The hash lines of the chunk's readable events, in order. */
  lines: string;
  count: number;
  /** Indexes (in the chunk) of rows whose payload is not JSON; they have no line. */
  corrupt: number[];
}

/** Hashes a chunk of rows in COPY text form: the unit of work of the hashing workers. */
export function hashChunk(text: string): ChunkHash {
  let lines = '';
  let count = 0;
  const corrupt: number[] = [];
  for (const [i, e] of parseCopyText(text).entries()) {
    let payload: unknown;
    try {
      payload = pyLoadsFast(e.payload);
    } catch {
      corrupt.push(i);
      continue;
    }
    lines += eventLine(e, payload);
    count++;
  }
  return { lines, count, corrupt };
}

/** SHA-256 over the lines of a run's events in seq order; lines come from hashChunk or add(). */
export class RunHasher {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  add(e: NewEvent, payload: unknown = pyLoadsFast(e.payload)): void {
    this.addLines(eventLine(e, payload), 1);
  }

  addLines(lines: string, count: number): void {
    this.hash.update(lines);
    this.count += count;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

const WORKER_FILE = path.join(ROOT, 'out', 'main', 'hash-worker.js');
/** Below this many events a migration hashes inline: starting workers would cost more. */
const WORKER_MIN_EVENTS = 50_000;

/**
 * hashChunk on worker threads, so both sides of a big migration are hashed on every core while
 * the main thread reads, writes and streams. Chunks are handed to the least busy worker; callers
 * keep results in order and bound what is in flight.
 */
export class HashPool {
  private readonly workers: { worker: Worker; busy: number }[] = [];
  private readonly waiting = new Map<number, { resolve: (r: ChunkHash) => void; reject: (e: Error) => void }>();
  private nextId = 0;

  /** Workers for a job of about `events` events (none, i.e. inline, for small jobs). */
  constructor(events: number) {
    if (events < WORKER_MIN_EVENTS || !fs.existsSync(WORKER_FILE)) return;
    for (let i = 0; i < Math.max(1, os.availableParallelism()); i++) {
      const slot = { worker: new Worker(WORKER_FILE), busy: 0 };
      slot.worker.on('message', (m: { id: number; result: ChunkHash }) => {
        slot.busy--;
        this.waiting.get(m.id)?.resolve(m.result);
        this.waiting.delete(m.id);
      });
      slot.worker.on('error', (err) => {
        for (const w of this.waiting.values()) w.reject(err);
        this.waiting.clear();
      });
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
    const slot = this.workers.reduce((a, b) => (b.busy < a.busy ? b : a));
    const id = this.nextId++;
    slot.busy++;
    const result = new Promise<ChunkHash>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
    slot.worker.postMessage({ id, data }, typeof data === 'string' ? [] : [data.buffer as ArrayBuffer]);
    return result;
  }

  close(): void {
    for (const { worker } of this.workers) void worker.terminate();
    for (const w of this.waiting.values()) w.reject(new Error('hash pool closed'));
    this.waiting.clear();
  }
}

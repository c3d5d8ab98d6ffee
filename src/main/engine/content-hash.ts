/**
 * A content hash of a run's hot log that both drivers compute identically, for migration
 * verification: SHA-256 over id, type, actor, payload, frame_id, caused_by, timestamp in seq order,
 * the payload as a key-order-independent structural hash of its value and the timestamp as a UTC
 * instant, so Postgres' JSONB key order and re-rendered timestamps do not count as differences.
 */
import { createHash, type Hash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { ROOT } from '../paths.js';
import type { StoredEvent } from './event-store.js';
import { pyLoadsFast } from './pyjson.js';

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
const UTC_OFFSET_SECONDS = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\+00:00$/;

export function canonicalTimestamp(ts: string): string {
  if (Z_SECONDS.test(ts)) return ts; // the runtime's own form: most events
  const utc = UTC_OFFSET_SECONDS.exec(ts);
  if (utc) return `${utc[1]}Z`; // Postgres' re-rendering of the same instant
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return ts;
  const iso = new Date(t).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

export class RunHasher {
  private readonly hash: Hash = createHash('sha256');
  private pending: string[] = [];
  count = 0;

  /** Adds the next event; pass its decoded payload when the caller already has it. */
  add(e: Omit<StoredEvent, 'seq'>, payload: unknown = pyLoadsFast(e.payload)): void {
    // Numbers compare as values (`1e-05` from SQLite equals Postgres' `0.00001`).
    this.pending.push(JSON.stringify([e.id, e.type, e.actor, payloadDigest(payload), e.frame_id, e.caused_by, canonicalTimestamp(e.timestamp)]) + '\n');
    this.count++;
    if (this.pending.length >= 1000) this.flush();
  }

  private flush(): void {
    this.hash.update(this.pending.join(''));
    this.pending = [];
  }

  digest(): string {
    this.flush();
    return this.hash.digest('hex');
  }
}

/** What migration verification needs from a hasher, wherever it runs. */
export interface ContentHasher {
  add(e: Omit<StoredEvent, 'seq'>, payload?: unknown): void;
  /** Resolves when the hasher can take more rows (memory stays bounded if it falls behind). */
  ready(): Promise<void>;
  result(): Promise<{ count: number; digest: string }>;
  /** Releases the hasher (ends its worker) when a run fails before its result is read. */
  dispose(): void;
}

const WORKER_FILE = path.join(ROOT, 'out', 'main', 'hash-worker.js');
const WORKER_MIN_EVENTS = 50_000;
const BATCH = 2000;

const MAX_IN_FLIGHT = 8;

/** The same RunHasher in a worker thread; rows are posted in batches, at most MAX_IN_FLIGHT unhashed. */
class WorkerHasher implements ContentHasher {
  private readonly worker = new Worker(WORKER_FILE);
  private batch: Omit<StoredEvent, 'seq'>[] = [];
  private inFlight = 0;
  private waiting: (() => void)[] = [];

  constructor() {
    this.worker.on('message', (m: { ack?: true }) => {
      if (!m.ack) return;
      this.inFlight--;
      if (this.inFlight <= MAX_IN_FLIGHT / 2) for (const wake of this.waiting.splice(0)) wake();
    });
  }

  async ready(): Promise<void> {
    if (this.inFlight > MAX_IN_FLIGHT) await new Promise<void>((r) => this.waiting.push(r));
  }

  add(e: Omit<StoredEvent, 'seq'>): void {
    this.batch.push({ id: e.id, type: e.type, actor: e.actor, payload: e.payload, frame_id: e.frame_id, caused_by: e.caused_by, timestamp: e.timestamp });
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length) {
      this.worker.postMessage({ rows: this.batch });
      this.inFlight++;
    }
    this.batch = [];
  }

  async result(): Promise<{ count: number; digest: string }> {
    this.flush();
    const done = new Promise<{ count: number; digest: string }>((resolve, reject) => {
      const onMessage = (m: { digest?: string; count?: number }) => {
        if (m.digest === undefined) return;
        this.worker.off('message', onMessage);
        resolve({ count: m.count!, digest: m.digest });
      };
      this.worker.on('message', onMessage);
      this.worker.once('error', reject);
    });
    this.worker.postMessage({ digest: true });
    try {
      return await done;
    } finally {
      this.dispose();
    }
  }

  dispose(): void {
    void this.worker.terminate();
  }
}

class InlineHasher implements ContentHasher {
  private readonly hasher = new RunHasher();
  add(e: Omit<StoredEvent, 'seq'>, payload?: unknown): void {
    this.hasher.add(e, payload);
  }
  async ready(): Promise<void> {}
  async result(): Promise<{ count: number; digest: string }> {
    return { count: this.hasher.count, digest: this.hasher.digest() };
  }
  dispose(): void {}
}

/**
 * A hasher for a run of about `events` events: big runs are hashed in a worker thread (on the
 * second core, while the copy goes on), small ones inline; both compute the same RunHasher.
 */
export function contentHasher(events: number): ContentHasher {
  return events >= WORKER_MIN_EVENTS && fs.existsSync(WORKER_FILE) ? new WorkerHasher() : new InlineHasher();
}

/**
 * A content hash of a run's hot log that both drivers compute identically, for migration
 * verification: over id, type, actor, payload, frame_id, caused_by, timestamp in seq order, with
 * the payload canonicalised (sorted keys, compact) and the timestamp as a UTC instant, so Postgres'
 * JSONB key order and re-rendered timestamps do not count as differences.
 */
import { createHash, type Hash } from 'node:crypto';
import type { StoredEvent } from './event-store.js';
import { pyDumps, pyParse } from './pyjson.js';

export function canonicalTimestamp(ts: string): string {
  const t = Date.parse(ts);
  if (Number.isNaN(t)) return ts;
  const iso = new Date(t).toISOString();
  return iso.endsWith('.000Z') ? iso.replace('.000Z', 'Z') : iso;
}

export class RunHasher {
  private readonly hash: Hash = createHash('sha256');
  count = 0;

  add(e: Omit<StoredEvent, 'seq'>): void {
    const payload = pyDumps(pyParse(e.payload), { sortKeys: true, compact: true });
    this.hash.update(JSON.stringify([e.id, e.type, e.actor, payload, e.frame_id, e.caused_by, canonicalTimestamp(e.timestamp)]));
    this.hash.update('\n');
    this.count++;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}

/**
 * What the data host keeps between calls (row indexes, graph histories, span indexes) under one
 * memory budget: when the caches together are estimated above it, the least recently used are
 * dropped, by size, whatever their number. The estimates are calibrated on the generator's runs
 * (heap after GC per event read or span kept); the budget is the user's to see and set.
 */

export type CacheKind = 'timeline' | 'graph' | 'spans' | 'fork';

/** What a cache reports of itself. */
export interface Sized {
  approxBytes(): number;
}

interface Entry {
  kind: CacheKind;
  storeId: string;
  runId: string;
  value: Sized;
  lastUsed: number;
  drop: () => void;
}

export interface CacheStats {
  limitBytes: number;
  usedBytes: number;
  entries: { kind: CacheKind; storeId: string; runId: string; bytes: number }[];
}

const MB = 1024 * 1024;

/** The default budget: RUN_INSPECTOR_CACHE_MB, else 1 GiB. */
export function defaultCacheLimit(): number {
  const mb = Number(process.env.RUN_INSPECTOR_CACHE_MB);
  return (Number.isInteger(mb) && mb > 0 ? mb : 1024) * MB;
}

export class CacheBudget {
  private readonly entries = new Map<string, Entry>();
  private clock = 0;

  constructor(private limit = defaultCacheLimit()) {}

  /**
   * Marks a cache as just used (registering it the first time), then drops the least recently
   * used others while the total is over the budget. The one just used always stays: a call needs it.
   */
  use(key: string, entry: Omit<Entry, 'lastUsed'>): void {
    const known = this.entries.get(key);
    if (known) known.lastUsed = ++this.clock;
    else this.entries.set(key, { ...entry, lastUsed: ++this.clock });
    this.evict(key);
  }

  /** After a cache grew (a read finished): drops the least recently used others while over the budget. */
  settle(key: string): void {
    this.evict(key);
  }

  /** Forgets entries the owner dropped itself (a store closed, caches cleared). */
  forget(match: (e: { kind: CacheKind; storeId: string; runId: string }) => boolean): void {
    for (const [key, e] of this.entries) if (match(e)) this.entries.delete(key);
  }

  setLimit(bytes: number): void {
    this.limit = bytes;
    this.evict(null);
  }

  stats(): CacheStats {
    const entries = [...this.entries.values()].map((e) => ({ kind: e.kind, storeId: e.storeId, runId: e.runId, bytes: e.value.approxBytes() }));
    return { limitBytes: this.limit, usedBytes: entries.reduce((n, e) => n + e.bytes, 0), entries };
  }

  private evict(keep: string | null): void {
    const sized = [...this.entries].map(([key, e]) => ({ key, e, bytes: e.value.approxBytes() }));
    let total = sized.reduce((n, s) => n + s.bytes, 0);
    if (total <= this.limit) return;
    sized.sort((a, b) => a.e.lastUsed - b.e.lastUsed);
    for (const s of sized) {
      if (total <= this.limit) break;
      if (s.key === keep) continue;
      this.entries.delete(s.key);
      s.e.drop();
      total -= s.bytes;
    }
  }
}

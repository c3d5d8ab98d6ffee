/**
 * Random access into a run's (optionally filtered) event log by row offset, without loading the
 * run: every ANCHOR_EVERY-th seq is remembered, so row k is one keyset query from anchor k/ANCHOR_EVERY.
 * Grows incrementally when a live writer appends.
 */
import type { EventFilter } from '../../shared/model.js';
import { BEFORE_FIRST_SEQ, PAGE_SIZED_READ, yieldToEventLoop, type EventStore, type StoredEvent } from '../store/event-store.js';

const ANCHOR_EVERY = 256;
const SCAN_CHUNK = 100_000;
/**
 * A filtered view (a search, an actor) reads the run a window of seqs at a time: a filter that
 * matches little would otherwise scan the whole run in one statement, which on SQLite holds the
 * data host's thread (measured: 0.87 s for a search of a 1M-event run) and cannot be cancelled.
 * Windows hold at least FILTER_WINDOW seqs, and a run is read in at most WINDOWS_PER_RUN of them
 * (a small run whose seqs are spread over a team store's is not read in thousands of statements).
 */
const FILTER_WINDOW = 25_000;
const WINDOWS_PER_RUN = 64;

const filters = (f: EventFilter | undefined): boolean => f !== undefined && Object.values(f).some((v) => v !== undefined);

export class TimelineIndex {
  private anchors: number[] = [];
  private count = 0;
  private lastSeq = BEFORE_FIRST_SEQ;
  /** A filtered view has read the run through this seq (its last match may lie before it). */
  private scannedTo = BEFORE_FIRST_SEQ;

  constructor(
    private readonly store: EventStore,
    private readonly runId: string,
    private readonly filter: EventFilter | undefined,
  ) {}

  get total(): number {
    return this.count;
  }

  /** Heap kept: the anchors. */
  approxBytes(): number {
    return 64 + this.anchors.length * 8;
  }

  /** Refreshes run one after another: two interleaved scans would count the same rows twice. */
  private queue: Promise<unknown> = Promise.resolve();

  /** Extends the index with rows appended since the last refresh; returns whether it grew. */
  refresh(signal?: AbortSignal): Promise<boolean> {
    const next = this.queue.then(() => this.scanNewRows(signal));
    this.queue = next.catch(() => {});
    return next;
  }

  /** Stops between chunks when `signal` aborts; the index stays consistent and the next refresh goes on. */
  private async scanNewRows(signal?: AbortSignal): Promise<boolean> {
    const before = this.count;
    if (filters(this.filter)) {
      await this.scanWindows(signal);
      return this.count !== before;
    }
    // A page-sized read first: a live run grew by a few rows, and that read is answered at once
    // on a shared store, not queued behind the big runs other windows are opening.
    for (let chunk = PAGE_SIZED_READ; ; chunk = SCAN_CHUNK) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      const seqs = await this.store.seqsAfter(this.runId, this.lastSeq, chunk, this.filter);
      this.add(seqs);
      if (seqs.length < chunk) break;
    }
    return this.count !== before;
  }

  /** The filtered rows up to the run's last seq now, one seq window per statement. */
  private async scanWindows(signal?: AbortSignal): Promise<void> {
    const run = await this.store.getRun(this.runId);
    if (!run || run.last_seq === null || run.first_seq === null) return;
    const window = Math.max(FILTER_WINDOW, Math.ceil((run.last_seq - run.first_seq + 1) / WINDOWS_PER_RUN));
    let from = Math.max(this.scannedTo, run.first_seq - 1);
    while (from < run.last_seq) {
      await yieldToEventLoop();
      signal?.throwIfAborted();
      const to = Math.min(run.last_seq, from + window);
      this.add(await this.store.seqsAfter(this.runId, from, window, this.filter, to + 1));
      this.scannedTo = from = to;
    }
  }

  private add(seqs: number[]): void {
    for (const s of seqs) {
      if (this.count % ANCHOR_EVERY === 0) this.anchors.push(s);
      this.count++;
    }
    if (seqs.length) this.lastSeq = seqs[seqs.length - 1]!;
  }

  async window(offset: number, limit: number): Promise<StoredEvent[]> {
    if (offset >= this.count) return [];
    const block = Math.floor(offset / ANCHOR_EVERY);
    const skip = offset - block * ANCHOR_EVERY;
    const rows = await this.store.eventsAfter(this.runId, this.anchors[block]! - 1, skip + limit, this.filter);
    return rows.slice(skip);
  }

  /** Row offset of a seq in this view (the first row at or after it), or null past the end. */
  async offsetOfSeq(seq: number): Promise<number | null> {
    if (this.count === 0 || seq > this.lastSeq) return null;
    let lo = 0;
    let hi = this.anchors.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.anchors[mid]! <= seq) lo = mid;
      else hi = mid - 1;
    }
    if (this.anchors[lo]! > seq) return 0;
    const seqs = await this.store.seqsAfter(this.runId, this.anchors[lo]! - 1, ANCHOR_EVERY + 1, this.filter);
    const k = seqs.findIndex((s) => s >= seq);
    return k < 0 ? null : lo * ANCHOR_EVERY + k;
  }
}

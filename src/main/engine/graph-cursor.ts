/**
 * The graph of a run as of any event. The run is read once, forward, into its graph history (every
 * entity's lives and versions by seq); the graph as of an event already read is a view of that
 * history, so moving back or forth costs no replay. Moving past what has been read reads on from
 * there (a live run only adds its new events; a compacted one is read again).
 */
import type { EventStore } from './event-store.js';
import { BEFORE_FIRST_SEQ } from './event-store.js';
import { GraphHistory } from './graph-history.js';
import { checkPayloadsBetween, replayInto, type GraphReader } from './projection.js';

export class GraphCursor {
  private history = new GraphHistory();
  /** The seqs read so far, in order (to name the event an as-of seq falls on). */
  private seqs: number[] = [];
  /** The payloads up to this seq are checked as a replay checks them. */
  private checked = BEFORE_FIRST_SEQ;

  constructor(
    private readonly store: EventStore,
    private readonly runId: string,
  ) {}

  /** Reads run one after another: interleaved ones would apply the same events twice. */
  private queue: Promise<unknown> = Promise.resolve();

  /** The graph after the event with `asOfSeq` (inclusive), or at the end of the log. */
  at(asOfSeq: number = Number.MAX_SAFE_INTEGER, signal?: AbortSignal): Promise<{ graph: GraphReader; seq: number | null }> {
    const next = this.queue.then(() => this.move(asOfSeq, signal));
    this.queue = next.catch(() => {});
    return next;
  }

  /** What the history keeps (for the bench and tests). */
  get historyStats(): { events: number; lives: number; versions: number } {
    return { events: this.seqs.length, ...this.history.stats };
  }

  /**
   * An aborted read leaves the history at its last applied event, whole; the payloads it read but
   * whose check (run aside) had not settled are checked before a view past `checked` is given.
   */
  private async move(asOfSeq: number, signal?: AbortSignal): Promise<{ graph: GraphReader; seq: number | null }> {
    if (asOfSeq > (this.seqs.at(-1) ?? BEFORE_FIRST_SEQ) && this.seqs.length) {
      // A compaction archives the start of the log (and seeds the rest from a snapshot): read it again.
      const first = await this.store.eventsAfter(this.runId, BEFORE_FIRST_SEQ, 1);
      if (first[0]?.seq !== this.seqs[0]) {
        this.history = new GraphHistory();
        this.seqs = [];
        this.checked = BEFORE_FIRST_SEQ;
      }
    }
    const read = this.seqs.at(-1) ?? BEFORE_FIRST_SEQ;
    const upTo = Math.min(asOfSeq, read);
    if (upTo > this.checked) {
      await checkPayloadsBetween(this.store, this.runId, this.checked, upTo, signal);
      this.checked = upTo;
    }
    if (asOfSeq > read) {
      const { lastSeq } = await replayInto(this.store, this.runId, this.history, {
        afterSeq: this.seqs.length ? read : undefined,
        untilSeq: asOfSeq,
        signal,
        seqs: this.seqs,
      });
      if (lastSeq !== null) this.checked = lastSeq;
    }
    const seq = this.lastAtOrBefore(asOfSeq);
    return { graph: this.history.at(seq ?? BEFORE_FIRST_SEQ), seq };
  }

  /** The last seq read that is ≤ `asOfSeq`. */
  private lastAtOrBefore(asOfSeq: number): number | null {
    let lo = 0;
    let hi = this.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.seqs[mid]! <= asOfSeq) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? null : this.seqs[lo - 1]!;
  }
}

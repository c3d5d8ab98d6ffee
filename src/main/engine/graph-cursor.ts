/**
 * The graph of a run as of any event. The run is read once, forward, into its graph history (every
 * entity's lives and versions by seq); the graph as of an event already read is a view of that
 * history, so moving back or forth costs no replay. Moving past what has been read reads on from
 * there (a live run only adds its new events; a compacted one is read again).
 */
import type { EventStore } from '../store/event-store.js';
import { BEFORE_FIRST_SEQ } from '../store/event-store.js';
import { figuresAtForkPoints, type ForkPoints } from './fork-points.js';
import { GraphHistory, type ChangedIds } from './graph-history.js';
import { checkPayloadsBetween, replayInto, type GraphReader } from './projection.js';

export class GraphCursor {
  private history = new GraphHistory();
  /** The history holds every event through this seq (null: nothing read yet). */
  private read: number | null = null;
  /** The run's first event when it was first read (a compaction changes it). */
  private first: number | null = null;
  /** The payloads up to this seq are checked as a replay checks them. */
  private checked = BEFORE_FIRST_SEQ;
  private events = 0;

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

  /** Heap kept, estimated from the events read (measured: ~240 bytes an event on the generator's runs). */
  approxBytes(): number {
    return 1024 + this.events * 240;
  }

  /** The ids changed after `seq`, as far as the run has been read (see GraphHistory.changedAfter). */
  changedAfter(seq: number): ChangedIds {
    return this.history.changedAfter(seq);
  }

  /** The run's graph at each of `seqs` against its end, as far as it has been read (see fork-points). */
  forkPoints(seqs: number[], signal?: AbortSignal): Promise<ForkPoints> {
    return figuresAtForkPoints(this.history, seqs, signal);
  }

  /** What the history keeps (for the bench and tests). */
  get historyStats(): { events: number; lives: number; versions: number } {
    return { events: this.events, ...this.history.stats };
  }

  /**
   * An aborted read leaves the history whole through its last applied event; the payloads it read
   * but whose check (run aside) had not settled are checked before a view past `checked` is given.
   */
  private async move(asOfSeq: number, signal?: AbortSignal): Promise<{ graph: GraphReader; seq: number | null }> {
    if (this.read !== null && asOfSeq > this.read) {
      // A compaction archives the start of the log (and seeds the rest from a snapshot): read it again.
      if ((await this.firstSeq()) !== this.first) {
        this.history = new GraphHistory();
        this.read = null;
        this.checked = BEFORE_FIRST_SEQ;
        this.events = 0;
      }
    }
    const upTo = Math.min(asOfSeq, this.read ?? BEFORE_FIRST_SEQ);
    if (upTo > this.checked) {
      await checkPayloadsBetween(this.store, this.runId, this.checked, upTo, signal);
      this.checked = upTo;
    }
    if (this.read === null || asOfSeq > this.read) {
      if (this.read === null) this.first = await this.firstSeq();
      try {
        const { events, lastSeq } = await replayInto(this.store, this.runId, this.history, { afterSeq: this.read ?? undefined, untilSeq: asOfSeq, signal });
        this.events += events;
        // Through `asOfSeq` when the run goes further; through its end when it does not.
        this.read = lastSeq === null ? (this.read ?? BEFORE_FIRST_SEQ) : Math.max(lastSeq, this.read ?? lastSeq);
        this.checked = Math.max(this.checked, this.read);
      } catch (err) {
        const applied = this.history.lastApplied;
        if (applied !== null && applied > (this.read ?? BEFORE_FIRST_SEQ)) this.read = applied;
        throw err;
      }
    }
    const seq = await this.lastAtOrBefore(asOfSeq);
    return { graph: this.history.at(seq ?? BEFORE_FIRST_SEQ), seq };
  }

  private async firstSeq(): Promise<number | null> {
    return (await this.store.eventsAfter(this.runId, BEFORE_FIRST_SEQ, 1))[0]?.seq ?? null;
  }

  /** The run's last event at or before `asOfSeq` (the one the graph is as of). */
  private async lastAtOrBefore(asOfSeq: number): Promise<number | null> {
    if (this.read !== null && asOfSeq >= this.read) return this.read === BEFORE_FIRST_SEQ ? null : this.read;
    return (await this.store.eventsBefore(this.runId, asOfSeq + 1, 1))[0]?.seq ?? null;
  }
}

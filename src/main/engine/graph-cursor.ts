/**
 * The graph of a run as of any event. Moving forward applies only the new events; moving back
 * replays from the start (projection is cheap next to rendering, and exact by construction).
 */
import type { EventStore } from './event-store.js';
import { BEFORE_FIRST_SEQ, scanEvents } from './event-store.js';
import { Graph, decodePayload, loadRun } from './projection.js';

export class GraphCursor {
  private graph = new Graph();
  private seq = BEFORE_FIRST_SEQ;
  private started = false;

  constructor(
    private readonly store: EventStore,
    private readonly runId: string,
  ) {}

  /** Moves run one after another: interleaved moves would apply the same events twice. */
  private queue: Promise<unknown> = Promise.resolve();

  /** The graph after the event with `asOfSeq` (inclusive), or at the end of the log. */
  at(asOfSeq: number = Number.MAX_SAFE_INTEGER, signal?: AbortSignal): Promise<{ graph: Graph; seq: number | null }> {
    const next = this.queue.then(() => this.move(asOfSeq, signal));
    this.queue = next.catch(() => {});
    return next;
  }

  /** An aborted move leaves the cursor where its last applied event put it (graph and seq agree). */
  private async move(asOfSeq: number, signal?: AbortSignal): Promise<{ graph: Graph; seq: number | null }> {
    if (!this.started || asOfSeq < this.seq) {
      const loaded = await loadRun(this.store, this.runId, { untilSeq: asOfSeq, signal });
      this.graph = loaded.graph;
      this.seq = loaded.lastSeq ?? BEFORE_FIRST_SEQ;
      this.started = true;
      return { graph: this.graph, seq: loaded.lastSeq };
    }
    for await (const chunk of scanEvents(this.store, this.runId, { afterSeq: this.seq, untilSeq: asOfSeq, signal })) {
      for (const e of chunk) {
        this.graph.apply(e.type, decodePayload(e, this.runId));
        this.seq = e.seq;
      }
    }
    return { graph: this.graph, seq: this.seq === BEFORE_FIRST_SEQ ? null : this.seq };
  }
}

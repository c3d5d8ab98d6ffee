/**
 * The graph of a run as of any event. The first pass over the run leaves checkpoints behind (evenly
 * spaced over the run as it is then; at most MAX_CHECKPOINTS, thinned as the run grows), so moving to any event
 * afterwards replays at most one interval from the nearest checkpoint before it, back or forth.
 * Checkpoints share the entity records with the graph, so each costs three map copies.
 */
import type { EventStore } from './event-store.js';
import { BEFORE_FIRST_SEQ } from './event-store.js';
import { Graph, loadRun, type GraphCheckpoint } from './projection.js';

const MAX_CHECKPOINTS = 16;
/** Small runs replay whole in milliseconds: no checkpoint closer than this. */
const MIN_INTERVAL = 5_000;

export class GraphCursor {
  private graph = new Graph();
  private seq = BEFORE_FIRST_SEQ;
  private started = false;
  private readonly checkpoints: { seq: number; cp: GraphCheckpoint }[] = [];
  private interval = MIN_INTERVAL;
  private sinceCheckpoint = 0;

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

  /** How many checkpoints are kept, and every how many events (for the bench and tests). */
  get checkpointStats(): { count: number; interval: number } {
    return { count: this.checkpoints.length, interval: this.interval };
  }

  /** An aborted move leaves the cursor where its last applied event put it (graph and seq agree). */
  private async move(asOfSeq: number, signal?: AbortSignal): Promise<{ graph: Graph; seq: number | null }> {
    // Back, or forth past a checkpoint nearer than where the cursor is: restart from that checkpoint.
    const cp = this.nearestCheckpoint(asOfSeq);
    // The first pass spaces its checkpoints over the run as it is now: MAX_CHECKPOINTS evenly, none
    // thrown away (a run that grows later is thinned as it grows).
    if (!this.started) this.interval = Math.max(MIN_INTERVAL, Math.ceil((await this.store.countEvents(this.runId)) / MAX_CHECKPOINTS));
    if (!this.started || asOfSeq < this.seq || (cp && cp.seq > this.seq)) {
      this.graph = cp ? Graph.fromCheckpoint(cp.cp) : new Graph();
      this.seq = cp ? cp.seq : BEFORE_FIRST_SEQ;
      this.started = true;
    }
    const lastCheckpointSeq = this.checkpoints.at(-1)?.seq ?? BEFORE_FIRST_SEQ;
    this.sinceCheckpoint = 0;
    await loadRun(this.store, this.runId, {
      untilSeq: asOfSeq,
      signal,
      from: this.seq === BEFORE_FIRST_SEQ ? undefined : { graph: this.graph, afterSeq: this.seq },
      onApplied: (graph, seq) => {
        this.graph = graph;
        this.seq = seq;
        // Checkpoints only extend the covered part of the run; a move inside it adds none.
        if (seq > lastCheckpointSeq && ++this.sinceCheckpoint >= this.interval) this.addCheckpoint();
      },
    });
    return { graph: this.graph, seq: this.seq === BEFORE_FIRST_SEQ ? null : this.seq };
  }

  private nearestCheckpoint(seq: number): { seq: number; cp: GraphCheckpoint } | undefined {
    let best: { seq: number; cp: GraphCheckpoint } | undefined;
    for (const c of this.checkpoints) if (c.seq <= seq) best = c;
    return best;
  }

  private addCheckpoint(): void {
    this.sinceCheckpoint = 0;
    this.checkpoints.push({ seq: this.seq, cp: this.graph.checkpoint() });
    if (this.checkpoints.length <= MAX_CHECKPOINTS) return;
    // Bounded memory: keep every other checkpoint and space the next ones twice as far apart.
    const kept = this.checkpoints.filter((_, i) => i % 2 === 1);
    this.checkpoints.splice(0, this.checkpoints.length, ...kept);
    this.interval *= 2;
  }
}

/**
 * Runs' end graphs, with what forks share read once. A fork whose log starts as a copy of its
 * parent's (spec §7.4: the parent's rows up to the fork point, verbatim) ends as its parent's graph
 * at the fork point with its own events applied over it (fork-graph.ts); any other run is replayed.
 */
import type { RunInfo } from '../../shared/model.js';
import { BEFORE_FIRST_SEQ, type EventStore, type StoredEvent } from '../store/event-store.js';
import type { Candidates } from './diff.js';
import { ForkGraph } from './fork-graph.js';
import type { ForkPoints } from './fork-points.js';
import type { GraphCursor } from './graph-cursor.js';
import type { ChangedIds } from './graph-history.js';
import { replayInto, type GraphReader } from './projection.js';

/** Where a fork's log stops copying its parent's: the fork point's seq in each. */
export interface SharedStart {
  parentId: string;
  parentSeq: number;
  ownSeq: number;
}

const firstEvent = async (store: EventStore, runId: string) => (await store.eventsAfter(runId, BEFORE_FIRST_SEQ, 1))[0];

/** Rows a verbatim copy keeps the same (ids alone do not tell: every run counts its ids from one). */
const sameRow = (a: StoredEvent | null | undefined, b: StoredEvent | null | undefined): boolean =>
  !!a && !!b && a.id === b.id && a.type === b.type && a.timestamp === b.timestamp && a.actor === b.actor && a.caused_by === b.caused_by && a.payload === b.payload;

/**
 * Whether a fork's graph can start from its parent's: the parent is in the store and not compacted
 * (a snapshot-seeded log is not shared), and both logs begin with the same row and hold the same
 * row at the fork point, as a copy does.
 */
export async function sharedStart(store: EventStore, run: Pick<RunInfo, 'run_id' | 'parent_run_id' | 'forked_at_event_id'>): Promise<SharedStart | null> {
  const { run_id: runId, parent_run_id: parentId, forked_at_event_id: at } = run;
  if (!parentId || !at || parentId === runId) return null;
  const parentFirst = await firstEvent(store, parentId);
  if (parentFirst?.type === 'runtime.snapshot' || !sameRow(parentFirst, await firstEvent(store, runId))) return null;
  const [inParent, inOwn] = [await store.getEvent(parentId, at), await store.getEvent(runId, at)];
  if (!sameRow(inParent, inOwn)) return null;
  return { parentId, parentSeq: inParent!.seq, ownSeq: inOwn!.seq };
}

/** A fork's end graph over its parent's history at the fork point, extended as the fork grows. */
export class ForkEnd {
  private graph: ForkGraph | null = null;
  private read: number;
  /** The fork's own events applied (after its fork point). */
  ownEvents = 0;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: EventStore,
    readonly runId: string,
    readonly start: SharedStart,
    /** The parent's graph as of the fork point (a view of its history, which must outlive this). */
    private readonly base: (signal?: AbortSignal) => Promise<GraphReader>,
  ) {
    this.read = start.ownSeq;
  }

  /** Heap kept: only what the fork's own events changed (measured per change like a history's event). */
  approxBytes(): number {
    return 1024 + (this.graph?.changes ?? 0) * 400;
  }

  /** The graph at the end of the fork's log; one read at a time (interleaved ones would apply events twice). */
  end(signal?: AbortSignal): Promise<ForkGraph> {
    const next = this.queue.then(() => this.extend(signal));
    this.queue = next.catch(() => {});
    return next;
  }

  private async extend(signal?: AbortSignal): Promise<ForkGraph> {
    try {
      this.graph ??= new ForkGraph(await this.base(signal));
      const { events, lastSeq } = await replayInto(this.store, this.runId, this.graph, { afterSeq: this.read, signal });
      this.ownEvents += events;
      if (lastSeq !== null) this.read = lastSeq;
      return this.graph;
    } catch (err) {
      // A read cut short leaves a partly applied rest: the next one starts again from the fork point.
      [this.graph, this.read, this.ownEvents] = [null, this.start.ownSeq, 0];
      throw err;
    }
  }
}

/** Where runs' histories are kept (the host's caches, or the CLI's own cursors). */
export interface RunHistories {
  /** The run's graph after the event with `seq` (at its end when undefined), from its history. */
  graphAt(runId: string, seq: number | undefined, signal?: AbortSignal): Promise<GraphReader>;
  /** What the run's history changed after `seq`, as far as it has been read. */
  changedAfter(runId: string, seq: number): ChangedIds;
  /** The run's graph at each of `seqs` against its end, as far as its history has been read. */
  forkPoints(runId: string, seqs: number[], signal?: AbortSignal): Promise<ForkPoints>;
  /** Brackets a read of a fork's layer: the host keeps layers under its memory budget and drops them with `drop`. */
  track?(runId: string, fork: ForkEnd, drop: () => void): { settle(): void };
}

/** Histories kept by each run's cursor (the host adds its cache's bookkeeping to these). */
export function cursorHistories(cursor: (runId: string) => GraphCursor): RunHistories {
  return {
    graphAt: async (runId, seq, signal) => (await cursor(runId).at(seq, signal)).graph,
    changedAfter: (runId, seq) => cursor(runId).changedAfter(seq),
    forkPoints: (runId, seqs, signal) => cursor(runId).forkPoints(seqs, signal),
  };
}

/** The end graphs of a store's runs, forks' layers kept between calls. */
export class RunEnds {
  private readonly forks = new Map<string, ForkEnd | null>();

  constructor(
    private readonly store: EventStore,
    private readonly histories: RunHistories,
  ) {}

  /**
   * A fork that shares its parent's log is read over the parent's history at the fork point (its
   * own events only), unless it is itself the parent of another of the runs: a parent's end comes
   * from its history, read to the end, which its forks' layers start from.
   */
  async ends(runIds: string[], signal?: AbortSignal): Promise<RunEnd[]> {
    const runs = await Promise.all(runIds.map((id) => this.store.getRun(id)));
    const parents = new Set(runs.map((r) => r?.parent_run_id).filter((p): p is string => !!p && runIds.includes(p)));
    const forks: (ForkEnd | null)[] = [];
    for (const [i, runId] of runIds.entries()) forks.push(parents.has(runId) || !runs[i] ? null : await this.forkEnd(runs[i]!));
    // Each parent's history read to its end in one go, before the forks' layers ask for it at their
    // fork points (read fork point by fork point, each read would start over its first chunks).
    for (const parentId of new Set(forks.flatMap((f) => (f ? [f.start.parentId] : [])))) await this.histories.graphAt(parentId, undefined, signal);
    const out: RunEnd[] = [];
    for (const [i, runId] of runIds.entries()) {
      const fork = forks[i];
      if (!fork) {
        out.push({ runId, graph: await this.histories.graphAt(runId, undefined, signal), over: null });
        continue;
      }
      const tracked = this.histories.track?.(runId, fork, () => this.forks.delete(runId));
      const graph = await fork.end(signal);
      tracked?.settle();
      out.push({ runId, graph, over: { ...fork.start, fork: graph, ownEvents: fork.ownEvents } });
    }
    return out;
  }

  /** What a run's history changed after `seq`, read to its end first. */
  async changedAfter(runId: string, seq: number, signal?: AbortSignal): Promise<ChangedIds> {
    await this.histories.graphAt(runId, undefined, signal);
    return this.histories.changedAfter(runId, seq);
  }

  /** The run's graph at its forks' fork points against its end, its history read to the end first. */
  async forkPoints(runId: string, seqs: number[], signal?: AbortSignal): Promise<ForkPoints> {
    await this.histories.graphAt(runId, undefined, signal);
    return this.histories.forkPoints(runId, seqs, signal);
  }

  /** The forks whose layers start from this run's history (to drop with it). */
  forksOver(parentId: string): string[] {
    return [...this.forks].filter(([, f]) => f?.start.parentId === parentId).map(([id]) => id);
  }

  forget(): void {
    this.forks.clear();
  }

  private async forkEnd(run: RunInfo): Promise<ForkEnd | null> {
    if (!this.forks.has(run.run_id)) {
      const start = await sharedStart(this.store, run);
      this.forks.set(run.run_id, start && new ForkEnd(this.store, run.run_id, start, (signal) => this.histories.graphAt(start.parentId, start.parentSeq, signal)));
    }
    return this.forks.get(run.run_id)!;
  }
}

/** A run's end graph, and for a fork read over its parent's history, how. */
export interface RunEnd {
  runId: string;
  graph: GraphReader;
  over: (SharedStart & { fork: ForkGraph; ownEvents: number }) | null;
}

/** The ids that can differ between a parent's end and its forks' over its history: what the parent changed since, and what the forks' own events changed. */
function changedOver(changed: ChangedIds, forks: ForkGraph[]): Candidates {
  const own = (kind: 'object' | 'relation') => forks.flatMap((f) => [...(kind === 'object' ? f.objects : f.relations).ownIds()].filter((id) => !changed.has(kind, id)));
  return { objects: [...changed.objects, ...own('object')], relations: [...changed.relations, ...own('relation')] };
}

/**
 * The ids whose end may differ among runs that are one parent and forks over its history: what the
 * forks changed, and what the parent changed after the earliest fork point (`changedAfter`, from the
 * parent's history). Null when the runs are not one such family: then every id is compared.
 */
export async function familyCandidates(ends: RunEnd[], changedAfter: (parentId: string, seq: number) => Promise<ChangedIds>): Promise<Candidates | null> {
  const parentId = ends.find((e) => e.over)?.over?.parentId;
  if (!parentId || !ends.every((e) => e.runId === parentId || e.over?.parentId === parentId)) return null;
  const earliest = Math.min(...ends.flatMap((e) => (e.over ? [e.over.parentSeq] : [])));
  return changedOver(
    await changedAfter(parentId, earliest),
    ends.flatMap((e) => (e.over ? [e.over.fork] : [])),
  );
}

/** Diff of two runs exactly as Active Graph computes it (spec §8). */
import type { DiffDetail, DiffSummary, GraphObject, GraphRelation } from '../../shared/model.js';
import { BEFORE_FIRST_SEQ, PROJECTED_EVENT_TYPES, scanEvents, yieldToEventLoop, type EventStore, type PartitionEvent, type StoredEvent } from './event-store.js';
import { checkPayloadsBetween, decodePayload, Graph, loadRun } from './projection.js';
import { pyCompareStrings, pyEqual, pyLoadsFast } from './pyjson.js';

const PROJECTED = new Set<string>(PROJECTED_EVENT_TYPES);
const isDiffLifecycle = (type: string): boolean => type.startsWith('behavior.') || type.startsWith('relation_behavior.') || type.startsWith('runtime.');

/** Reads a run's partition events page by page (only the compared columns, where the store can), growing the pages. */
function partitionPages(store: EventStore, runId: string, signal?: AbortSignal): () => Promise<PartitionEvent[]> {
  let after = BEFORE_FIRST_SEQ;
  let size = 500;
  let legacy: AsyncGenerator<StoredEvent[]> | null = null;
  return async () => {
    await yieldToEventLoop();
    signal?.throwIfAborted();
    if (!store.partitionEvents) {
      legacy ??= scanEvents(store, runId, { chunk: 2000, signal });
      const next = await legacy.next();
      return next.done ? [] : next.value.filter((e) => !isDiffLifecycle(e.type));
    }
    const page = await store.partitionEvents(runId, after, size);
    if (page.length) after = page[page.length - 1]!.seq;
    if (page.length < size) after = Number.MAX_SAFE_INTEGER; // the end: nothing more to ask
    size = Math.min(size * 2, 1000);
    return page;
  };
}

/** Payloads are compared as values only where their texts differ. */
function sameEvent(a: PartitionEvent, b: PartitionEvent): boolean {
  if (a.id !== b.id || a.type !== b.type) return false;
  if (a.payload === b.payload) return true;
  try {
    return pyEqual(pyLoadsFast(a.payload), pyLoadsFast(b.payload));
  } catch {
    return false; // a corrupted payload: the replay of its run reports it, at its event
  }
}

/** How many partition events the two runs share from the start, and the first of each after that. */
async function sharedPrefix(
  a: { store: EventStore; runId: string },
  b: { store: EventStore; runId: string },
  signal?: AbortSignal,
  onShared?: (e: PartitionEvent) => void,
): Promise<{ shared: number; nextA: PartitionEvent | null; nextB: PartitionEvent | null }> {
  const nextPageA = partitionPages(a.store, a.runId, signal);
  const nextPageB = partitionPages(b.store, b.runId, signal);
  let pageA: PartitionEvent[] = [];
  let pageB: PartitionEvent[] = [];
  let i = 0;
  let j = 0;
  for (let shared = 0; ; shared++) {
    if (i === pageA.length) [pageA, i] = [await nextPageA(), 0];
    if (j === pageB.length) [pageB, j] = [await nextPageB(), 0];
    const ea = pageA[i];
    const eb = pageB[j];
    if (!ea || !eb || !sameEvent(ea, eb)) return { shared, nextA: ea ?? null, nextB: eb ?? null };
    onShared?.(ea);
    i++;
    j++;
  }
}

const objectView = (o: GraphObject): Omit<GraphObject, 'provenance'> => ({ id: o.id, type: o.type, data: o.data, version: o.version });
const relationView = (r: GraphRelation): Omit<GraphRelation, 'provenance'> => ({ id: r.id, source: r.source, target: r.target, type: r.type, data: r.data });

/** The objects and relations that differ between two graphs (A plays the parent, B the fork), by id. */
export function divergentEntities(a: Graph, b: Graph): Pick<DiffDetail, 'objects' | 'relations'> {
  return { objects: divergent(a.objects, b.objects, objectView), relations: divergent(a.relations, b.relations, relationView) };
}

function divergent<T extends { id: string }, V>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>, view: (x: T) => V): { id: string; in_parent: V | null; in_fork: V | null }[] {
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort(pyCompareStrings);
  const out: { id: string; in_parent: V | null; in_fork: V | null }[] = [];
  for (const id of ids) {
    const pa = a.get(id);
    const pb = b.get(id);
    if (pa === pb) continue; // one record, shared by both graphs from their common prefix
    const va = pa ? view(pa) : null;
    const vb = pb ? view(pb) : null;
    if (va === null || vb === null || !pyEqual(va, vb)) out.push({ id, in_parent: va, in_fork: vb });
  }
  return out;
}

/** Whether a run starts from a compaction snapshot (its graph is seeded by an event the partition leaves out). */
async function startsFromSnapshot(store: EventStore, runId: string): Promise<boolean> {
  return (await store.eventsAfter(runId, BEFORE_FIRST_SEQ, 1))[0]?.type === 'runtime.snapshot';
}

/**
 * The logs are read side by side only as far as they agree. Up to there the two graphs are the same
 * (every event that changes a graph is in the partition), so the shared prefix is projected once:
 * A is replayed up to where it parts, copied, and each side replays only its own rest.
 */
export async function diffRuns(store: EventStore, runA: string, runB: string, signal?: AbortSignal, storeB: EventStore = store): Promise<DiffDetail> {
  // A compacted run's graph is seeded by its snapshot, which the partition leaves out: no sharing.
  const sharing = !(await startsFromSnapshot(store, runA)) && !(await startsFromSnapshot(storeB, runB));
  const prefix = new Graph();
  let applying: number | null = null;
  const project = (e: PartitionEvent) => {
    if (!PROJECTED.has(e.type)) return;
    applying = e.seq;
    prefix.apply(e.type, decodePayload(e, runA));
  };
  let found: { shared: number; nextA: PartitionEvent | null; nextB: PartitionEvent | null };
  try {
    found = await sharedPrefix({ store, runId: runA }, { store: storeB, runId: runB }, signal, sharing ? project : undefined);
  } catch (err) {
    // A corrupted payload while projecting the prefix: one A's check would find first is the error.
    if (applying !== null && !signal?.aborted) await checkPayloadsBetween(store, runA, BEFORE_FIRST_SEQ, applying - 1, signal);
    throw err;
  }
  const { shared, nextA, nextB } = found;
  let partitionA = 0;
  let partitionB = 0;
  const count = (side: 'a' | 'b') => (_g: Graph, _seq: number, _n: number, type: string) => {
    if (isDiffLifecycle(type)) return;
    if (side === 'a') partitionA++;
    else partitionB++;
  };
  let graphA: Graph;
  let graphB: Graph;
  if (sharing) {
    // Each side's prefix is projected once, from A's events; the payloads a projection does not read
    // are checked as a replay checks them (aside, while the rest replays), each before its side's rest.
    const aEnd = nextA ? nextA.seq - 1 : Number.MAX_SAFE_INTEGER;
    const bEnd = nextB ? nextB.seq - 1 : Number.MAX_SAFE_INTEGER;
    const checked = (s: EventStore, run: string, end: number) =>
      checkPayloadsBetween(s, run, BEFORE_FIRST_SEQ, end, signal).then(
        () => null,
        (err: unknown) => err,
      );
    const aChecked = checked(store, runA, aEnd);
    const bChecked = checked(storeB, runB, bEnd);
    const rest = async (s: EventStore, run: string, graph: Graph, end: number, next: PartitionEvent | null, check: Promise<unknown>, side: 'a' | 'b') => {
      try {
        if (next) await loadRun(s, run, { signal, from: { graph, afterSeq: end }, onApplied: count(side) });
      } finally {
        const err = await check; // the earlier damage is the error
        if (err) throw err;
      }
      return graph;
    };
    const forB = prefix.clone();
    partitionA = partitionB = shared;
    graphA = await rest(store, runA, prefix, aEnd, nextA, aChecked, 'a');
    graphB = await rest(storeB, runB, forB, bEnd, nextB, bChecked, 'b');
  } else {
    graphA = (await loadRun(store, runA, { signal, onApplied: count('a') })).graph;
    graphB = (await loadRun(storeB, runB, { signal, onApplied: count('b') })).graph;
  }
  const { objects, relations } = divergentEntities(graphA, graphB);
  return {
    run_a: runA,
    run_b: runB,
    shared_events: shared,
    parent_only_events: partitionA - shared,
    fork_only_events: partitionB - shared,
    divergent_objects: objects.length,
    divergent_relations: relations.length,
    objects,
    relations,
    divergence: { a_seq: nextA?.seq ?? null, b_seq: nextB?.seq ?? null, a_event_id: nextA?.id ?? null, b_event_id: nextB?.id ?? null },
  };
}

export function diffSummary(d: DiffDetail): DiffSummary {
  const { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations } = d;
  return { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations };
}

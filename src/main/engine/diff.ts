/** Diff of two runs exactly as Active Graph computes it (spec §8). */
import type { DiffDetail, DiffSummary, GraphObject, GraphRelation } from '../../shared/model.js';
import { BEFORE_FIRST_SEQ, PROJECTED_EVENT_TYPES, yieldToEventLoop, type EventStore, type PartitionEvent, type PayloadsCheckedAside } from '../store/event-store.js';
import { decodePayload, Graph, loadRun, replayInto, throwDamageBefore, type GraphReader } from './projection.js';
import { pyCompareStrings, pyEqual, pyLoadsFast } from '../base/pyjson.js';

const PROJECTED = new Set<string>(PROJECTED_EVENT_TYPES);

/** Reads a run's partition events page by page (only the compared columns), growing the pages. */
function partitionPages(store: EventStore, runId: string, signal?: AbortSignal): () => Promise<PartitionEvent[]> {
  let after = BEFORE_FIRST_SEQ;
  let size = 500;
  return async () => {
    await yieldToEventLoop();
    signal?.throwIfAborted();
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
  onShared: (e: PartitionEvent) => void,
  signal?: AbortSignal,
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
    onShared(ea);
    i++;
    j++;
  }
}

const objectView = (o: GraphObject): Omit<GraphObject, 'provenance'> => ({ id: o.id, type: o.type, data: o.data, version: o.version });
const relationView = (r: GraphRelation): Omit<GraphRelation, 'provenance'> => ({ id: r.id, source: r.source, target: r.target, type: r.type, data: r.data });

/** What Active Graph's diff compares of an object or a relation (provenance is left out). */
export const DIFF_VIEWS = { object: objectView, relation: relationView } as const;

export type Divergence = 'created' | 'removed' | 'patched';

/** How B's record of an id differs from A's: created (only in B), removed (only in A), patched; undefined when the same. */
export function divergence<T>(pa: T | undefined, pb: T | undefined, view: (x: T) => unknown): Divergence | undefined {
  if (pa === pb) return undefined;
  if (pa === undefined) return 'created';
  if (pb === undefined) return 'removed';
  return pyEqual(view(pa), view(pb)) ? undefined : 'patched';
}

/** Ids that may differ between graphs; any other id holds the same record in each. */
export interface Candidates {
  objects: Iterable<string>;
  relations: Iterable<string>;
}

/** The objects and relations that differ between two graphs (A plays the parent, B the fork), by id; only `candidates` when given. */
export function divergentEntities(a: GraphReader, b: GraphReader, candidates?: Candidates): Pick<DiffDetail, 'objects' | 'relations'> {
  return {
    objects: divergent(a.objects, b.objects, objectView, candidates?.objects),
    relations: divergent(a.relations, b.relations, relationView, candidates?.relations),
  };
}

function divergent<T extends { id: string }, V>(
  a: ReadonlyMap<string, T>,
  b: ReadonlyMap<string, T>,
  view: (x: T) => V,
  candidates?: Iterable<string>,
): { id: string; in_parent: V | null; in_fork: V | null }[] {
  // A record both graphs hold is one from their common prefix, the same on both sides.
  const ids = new Set<string>();
  if (candidates) for (const id of candidates) ids.add(id);
  else {
    for (const [id, x] of a) if (b.get(id) !== x) ids.add(id);
    for (const [id, x] of b) if (a.get(id) !== x) ids.add(id);
  }
  const out: { id: string; in_parent: V | null; in_fork: V | null }[] = [];
  for (const id of [...ids].sort(pyCompareStrings)) {
    const pa = a.get(id);
    const pb = b.get(id);
    if (pa === pb) continue;
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
  if (!sharing) {
    const [graphA, graphB] = [(await loadRun(store, runA, { signal })).graph, (await loadRun(storeB, runB, { signal })).graph];
    const [partitionA, partitionB] = [await store.partitionCount(runA, BEFORE_FIRST_SEQ), await storeB.partitionCount(runB, BEFORE_FIRST_SEQ)];
    return detail(runA, runB, graphA, graphB, { shared: 0, partitionA, partitionB, nextA: null, nextB: null });
  }
  // The payloads a projection does not read are checked on other cores, each whole run from the
  // start, while the logs are compared and the rests replayed: a replay of each run checks as much.
  // A diff that fails ends its checks too, so they do not hold a core for nothing.
  const ended = new AbortController();
  const checking = signal ? AbortSignal.any([signal, ended.signal]) : ended.signal;
  try {
    return await sharedDiff(store, storeB, runA, runB, signal, checking);
  } finally {
    ended.abort();
  }
}

/** The diff of two runs that both start from their first event (neither is compacted). */
async function sharedDiff(store: EventStore, storeB: EventStore, runA: string, runB: string, signal: AbortSignal | undefined, checking: AbortSignal): Promise<DiffDetail> {
  const checkA = store.projectionRowsCheckedAside?.(runA, BEFORE_FIRST_SEQ, undefined, checking) ?? null;
  const checkB = storeB.projectionRowsCheckedAside?.(runB, BEFORE_FIRST_SEQ, undefined, checking) ?? null;
  const prefix = new Graph();
  let applying: number | null = null;
  const project = (e: PartitionEvent) => {
    if (!PROJECTED.has(e.type)) return;
    applying = e.seq;
    prefix.apply(e.type, decodePayload(e, runA));
  };
  let found: { shared: number; nextA: PartitionEvent | null; nextB: PartitionEvent | null };
  try {
    found = await sharedPrefix({ store, runId: runA }, { store: storeB, runId: runB }, project, signal);
  } catch (err) {
    // A corrupted payload while projecting the prefix: one A's check found before it is the error.
    if (applying !== null && checkA && !signal?.aborted) await throwDamageBefore(store, runA, checkA, applying);
    throw err;
  }
  const { shared, nextA, nextB } = found;
  // Each side's rest is replayed onto its copy of the prefix, A's first: A's damage is the error.
  const forB = prefix.clone();
  const aEnd = nextA ? nextA.seq - 1 : Number.MAX_SAFE_INTEGER;
  const bEnd = nextB ? nextB.seq - 1 : Number.MAX_SAFE_INTEGER;
  const restA = await replayInto(store, runA, prefix, { afterSeq: aEnd, signal, checked: checkA });
  const restB = await replayInto(storeB, runB, forB, { afterSeq: bEnd, signal, checked: checkB });
  // The checks read every row, so they have counted what the diff compares; without one, SQL counts it.
  const compared = async (s: EventStore, run: string, check: PayloadsCheckedAside | null, next: PartitionEvent | null, end: number, seen: number | null) =>
    check ? (await check.settle(seen)).compared : shared + (next ? await s.partitionCount(run, end) : 0);
  const partitionA = await compared(store, runA, checkA, nextA, aEnd, restA.lastSeq);
  const partitionB = await compared(storeB, runB, checkB, nextB, bEnd, restB.lastSeq);
  return detail(runA, runB, prefix, forB, { shared, partitionA, partitionB, nextA, nextB });
}

function detail(
  runA: string,
  runB: string,
  graphA: Graph,
  graphB: Graph,
  p: { shared: number; partitionA: number; partitionB: number; nextA: PartitionEvent | null; nextB: PartitionEvent | null },
): DiffDetail {
  const { objects, relations } = divergentEntities(graphA, graphB);
  return {
    run_a: runA,
    run_b: runB,
    shared_events: p.shared,
    parent_only_events: p.partitionA - p.shared,
    fork_only_events: p.partitionB - p.shared,
    divergent_objects: objects.length,
    divergent_relations: relations.length,
    objects,
    relations,
    divergence: { a_seq: p.nextA?.seq ?? null, b_seq: p.nextB?.seq ?? null, a_event_id: p.nextA?.id ?? null, b_event_id: p.nextB?.id ?? null },
  };
}

export function diffSummary(d: DiffDetail): DiffSummary {
  const { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations } = d;
  return { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations };
}

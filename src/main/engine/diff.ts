/** Diff of two runs exactly as Active Graph computes it (spec §8). */
import type { DiffDetail, DiffSummary, GraphObject, GraphRelation } from '../../shared/model.js';
import { scanEvents, type EventStore, type StoredEvent } from './event-store.js';
import { loadRun, type Graph } from './projection.js';
import { pyCompareStrings, pyEqual, pyLoadsFast } from './pyjson.js';

const isDiffLifecycle = (type: string): boolean => type.startsWith('behavior.') || type.startsWith('relation_behavior.') || type.startsWith('runtime.');

/** A run's graph and how many events the diff partition holds (lifecycle events aside), from one replay. */
async function loadForDiff(store: EventStore, runId: string, signal?: AbortSignal): Promise<{ graph: Graph; partition: number }> {
  let partition = 0;
  const { graph } = await loadRun(store, runId, { signal, onApplied: (_g, _seq, _n, type) => void (isDiffLifecycle(type) || partition++) });
  return { graph, partition };
}

/** The run's partition events in order, read only as far as the caller goes. */
async function* partitionEvents(store: EventStore, runId: string, signal?: AbortSignal): AsyncGenerator<StoredEvent> {
  for await (const chunk of scanEvents(store, runId, { chunk: 2000, signal })) for (const e of chunk) if (!isDiffLifecycle(e.type)) yield e;
}

/** Payloads are compared as values only where their texts differ. */
const sameEvent = (a: StoredEvent, b: StoredEvent): boolean =>
  a.id === b.id && a.type === b.type && (a.payload === b.payload || pyEqual(pyLoadsFast(a.payload), pyLoadsFast(b.payload)));

/** How many partition events the two runs share from the start, and the first of each after that. */
async function sharedPrefix(
  a: { store: EventStore; runId: string },
  b: { store: EventStore; runId: string },
  signal?: AbortSignal,
): Promise<{ shared: number; nextA: StoredEvent | null; nextB: StoredEvent | null }> {
  const ia = partitionEvents(a.store, a.runId, signal);
  const ib = partitionEvents(b.store, b.runId, signal);
  try {
    let shared = 0;
    for (;;) {
      const [ea, eb] = await Promise.all([ia.next(), ib.next()]);
      if (ea.done || eb.done || !sameEvent(ea.value, eb.value)) return { shared, nextA: ea.done ? null : ea.value, nextB: eb.done ? null : eb.value };
      shared++;
    }
  } finally {
    await Promise.all([ia.return(undefined), ib.return(undefined)]);
  }
}

const objectView = (o: GraphObject): Omit<GraphObject, 'provenance'> => ({ id: o.id, type: o.type, data: o.data, version: o.version });
const relationView = (r: GraphRelation): Omit<GraphRelation, 'provenance'> => ({ id: r.id, source: r.source, target: r.target, type: r.type, data: r.data });

/** The objects and relations that differ between two graphs (A plays the parent, B the fork), by id. */
export function divergentEntities(a: Graph, b: Graph): Pick<DiffDetail, 'objects' | 'relations'> {
  return { objects: divergent(a.objects, b.objects, objectView), relations: divergent(a.relations, b.relations, relationView) };
}

function divergent<T extends { id: string }, V>(a: Map<string, T>, b: Map<string, T>, view: (x: T) => V): { id: string; in_parent: V | null; in_fork: V | null }[] {
  const ids = [...new Set([...a.keys(), ...b.keys()])].sort(pyCompareStrings);
  const out: { id: string; in_parent: V | null; in_fork: V | null }[] = [];
  for (const id of ids) {
    const pa = a.get(id);
    const pb = b.get(id);
    const va = pa ? view(pa) : null;
    const vb = pb ? view(pb) : null;
    if (va === null || vb === null || !pyEqual(va, vb)) out.push({ id, in_parent: va, in_fork: vb });
  }
  return out;
}

/**
 * The graphs come from a replay each (the narrow fast path); the events are compared by reading both
 * logs side by side only as far as they agree: after that only the counts matter.
 */
export async function diffRuns(store: EventStore, runA: string, runB: string, signal?: AbortSignal, storeB: EventStore = store): Promise<DiffDetail> {
  const a = await loadForDiff(store, runA, signal);
  const b = await loadForDiff(storeB, runB, signal);
  const { shared, nextA, nextB } = await sharedPrefix({ store, runId: runA }, { store: storeB, runId: runB }, signal);
  const { objects, relations } = divergentEntities(a.graph, b.graph);
  return {
    run_a: runA,
    run_b: runB,
    shared_events: shared,
    parent_only_events: a.partition - shared,
    fork_only_events: b.partition - shared,
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

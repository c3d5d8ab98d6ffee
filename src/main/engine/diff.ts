/** Diff of two runs exactly as Active Graph computes it (spec §8). */
import type { DiffDetail, DiffSummary, GraphObject, GraphRelation } from '../../shared/model.js';
import type { EventStore, StoredEvent } from './event-store.js';
import { loadRun, type Graph } from './projection.js';
import { pyCompareStrings, pyEqual, pyLoadsFast } from './pyjson.js';

const isDiffLifecycle = (type: string): boolean => type.startsWith('behavior.') || type.startsWith('relation_behavior.') || type.startsWith('runtime.');

/** Only the text is kept: payloads are compared as values only where their texts differ. */
interface PartitionEvent {
  seq: number;
  id: string;
  type: string;
  payloadText: string;
}

async function loadForDiff(store: EventStore, runId: string, signal?: AbortSignal): Promise<{ graph: Graph; events: PartitionEvent[] }> {
  const events: PartitionEvent[] = [];
  const { graph } = await loadRun(store, runId, {
    signal,
    onEvent: (e: StoredEvent) => {
      if (!isDiffLifecycle(e.type)) events.push({ seq: e.seq, id: e.id, type: e.type, payloadText: e.payload });
    },
  });
  return { graph, events };
}

const sameEvent = (a: PartitionEvent, b: PartitionEvent): boolean =>
  a.id === b.id && a.type === b.type && (a.payloadText === b.payloadText || pyEqual(pyLoadsFast(a.payloadText), pyLoadsFast(b.payloadText)));

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

export async function diffRuns(store: EventStore, runA: string, runB: string, signal?: AbortSignal, storeB: EventStore = store): Promise<DiffDetail> {
  const a = await loadForDiff(store, runA, signal);
  const b = await loadForDiff(storeB, runB, signal);
  let shared = 0;
  while (shared < a.events.length && shared < b.events.length && sameEvent(a.events[shared]!, b.events[shared]!)) shared++;
  const { objects, relations } = divergentEntities(a.graph, b.graph);
  return {
    run_a: runA,
    run_b: runB,
    shared_events: shared,
    parent_only_events: a.events.length - shared,
    fork_only_events: b.events.length - shared,
    divergent_objects: objects.length,
    divergent_relations: relations.length,
    objects,
    relations,
    divergence: {
      a_seq: a.events[shared]?.seq ?? null,
      b_seq: b.events[shared]?.seq ?? null,
      a_event_id: a.events[shared]?.id ?? null,
      b_event_id: b.events[shared]?.id ?? null,
    },
  };
}

export function diffSummary(d: DiffDetail): DiffSummary {
  const { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations } = d;
  return { run_a, run_b, shared_events, parent_only_events, fork_only_events, divergent_objects, divergent_relations };
}

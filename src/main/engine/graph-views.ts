/**
 * What the graph panel shows of a projected graph: its most connected objects, an object's
 * neighborhood within a size cap, and whether an event is about an object.
 */
import type { OpOutput } from '../../shared/contract.js';
import type { StoredEvent } from '../store/event-store.js';
import { decodePayload, type GraphReader, type Hub } from './projection.js';

const HUBS = 200;

/** Objects by number of relations, most connected first (ties by id). */
export function graphHubs(graph: GraphReader): Hub[] {
  return graph.hubs(HUBS);
}

/** What a person calls an object: its title, name or text, when it has one. */
export function objectLabel(o: { data: Record<string, unknown> }): string | null {
  const l = o.data?.title ?? o.data?.name ?? o.data?.text;
  return typeof l === 'string' && l !== '' ? l : null;
}

/** Objects whose id, type or label contains `query` (case-insensitively): ids that start with it first, then by id. */
export function findObjects(graph: GraphReader, query: string, limit: number): { id: string; type: string; label: string | null }[] {
  const q = query.toLowerCase();
  const found: { id: string; type: string; label: string | null }[] = [];
  for (const o of graph.objects.values()) {
    const label = objectLabel(o);
    if (o.id.toLowerCase().includes(q) || o.type.toLowerCase().includes(q) || label?.toLowerCase().includes(q)) found.push({ id: o.id, type: o.type, label });
  }
  const starts = (id: string) => (id.toLowerCase().startsWith(q) ? 0 : 1);
  return found.sort((a, b) => starts(a.id) - starts(b.id) || (a.id < b.id ? -1 : 1)).slice(0, limit);
}

/** An object's neighborhood, at most `cap` objects and twice as many relations among them. */
export function cappedNeighborhood(graph: GraphReader, objectId: string, depth: number, cap: number): Omit<OpOutput<'neighborhood'>, 'asOfSeq'> {
  const hood = graph.neighborhood(objectId, depth);
  const objects = hood.objects.slice(0, cap);
  const kept = new Set(objects.map((o) => o.id));
  const relations = hood.relations.filter((r) => (kept.has(r.source) || !graph.objects.has(r.source)) && (kept.has(r.target) || !graph.objects.has(r.target))).slice(0, cap * 2);
  return {
    objects,
    relations,
    totalObjects: hood.objects.length,
    totalRelations: hood.relations.length,
    truncated: objects.length < hood.objects.length || relations.length < hood.relations.length,
  };
}

/** Whether an event's payload names the object as a graph entity (not merely mentions it). */
export function eventTouches(e: StoredEvent, objectId: string, runId: string): boolean {
  let p: any;
  try {
    p = decodePayload(e, runId);
  } catch {
    return false;
  }
  return (
    p?.object?.id === objectId ||
    p?.id === objectId ||
    p?.target === objectId ||
    p?.patch?.target === objectId ||
    p?.relation?.source === objectId ||
    p?.relation?.target === objectId ||
    p?.triggering_object_id === objectId
  );
}

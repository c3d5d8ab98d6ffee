/**
 * The graph projection of a run's log (spec §6): objects, relations and patches, built by
 * applying events in seq order. Deterministic; depends only on the ordered log.
 */
import { createHash } from 'node:crypto';
import type { GraphObject, GraphRelation, PatchRecord } from '../../shared/model.js';
import { corruptedPayload, snapshotIntegrity } from '../base/errors.js';
import { BEFORE_FIRST_SEQ, scanEvents, yieldToEventLoop, type EventStore, type PayloadsCheckedAside, type StoredEvent } from '../store/event-store.js';
import { PyJsonDecodeError, pyLoadsFast, pyParse } from '../base/pyjson.js';
import { TopK } from './top-k.js';

/** Rows per page of a replay. */
const REPLAY_CHUNK = 5000;
/** A replay this far in checks the rest aside (below it, a worker thread would cost more than it saves). */
const ASIDE_AFTER = 5_000;

type Json = Record<string, unknown>;

export const isObject = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

// Payloads are freshly decoded per event and the projection never mutates a record in place: a
// patch replaces the object's record, a rejection replaces the patch record. So records can be
// shared without copying, between the graph and the payload and between a graph and its history.

/** What reads a projected graph (the graph at the end of a replay, or the graph history as of an event). */
export interface GraphReader {
  readonly objects: ReadonlyMap<string, GraphObject>;
  readonly relations: ReadonlyMap<string, GraphRelation>;
  readonly patches: ReadonlyMap<string, PatchRecord>;
  neighborhood(objectId: string, depth: number): { objects: GraphObject[]; relations: GraphRelation[] };
  /** The `k` objects with the most relation ends (a relation to itself counts twice), most first, ties by id. */
  hubs(k: number): Hub[];
  /** Calls `visit` with each relation touching an object id (the index a removal cascades over). */
  readonly eachTouching: EachTouching;
}

export interface Hub {
  id: string;
  type: string;
  degree: number;
}

export const hubOrder = (a: Hub, b: Hub): number => b.degree - a.degree || (a.id < b.id ? -1 : 1);

/** What a replay applies events to: the graph (as it ends up) or its history (as it was at every event). */
export interface Projection {
  apply(type: string, payload: unknown, seq: number): void;
  /** A compacted run's starting graph (§6.5), as of its snapshot event. */
  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[], seq: number): void;
}

/** The record an `object.created` payload makes, or null when it names no object. */
export function newObject(o: unknown): GraphObject | null {
  if (!isObject(o) || typeof o.id !== 'string') return null;
  return { id: o.id, type: String(o.type), data: isObject(o.data) ? o.data : {}, version: typeof o.version === 'number' ? o.version : 1, provenance: o.provenance ?? null };
}

/** The record a `relation.created` payload makes, or null when it names no relation. */
export function newRelation(r: unknown): GraphRelation | null {
  if (!isObject(r) || typeof r.id !== 'string') return null;
  return { id: r.id, source: String(r.source), target: String(r.target), type: String(r.type), data: isObject(r.data) ? r.data : {}, provenance: r.provenance ?? null };
}

/**
 * What one event does to a graph under the projection rules (§6.2), decoded once here for every
 * projection (the graph as it ends up, and its history as of every event).
 */
export type GraphOp =
  | { op: 'createObject'; object: GraphObject }
  | { op: 'removeObject'; id: string }
  | { op: 'createRelation'; relation: GraphRelation }
  | { op: 'removeRelation'; id: string }
  | { op: 'proposePatch'; patch: PatchRecord }
  /** The patch record (now applied), and the object it targets as the patch leaves it. */
  | { op: 'applyPatch'; patch: PatchRecord; target: string; patched: (was: GraphObject) => GraphObject }
  | { op: 'rejectPatch'; patchId: string; reason: unknown };

/** The graph operation of an event, or null for an event that does not touch the graph. */
export function graphOp(type: string, payload: unknown): GraphOp | null {
  if (!isObject(payload)) return null;
  switch (type) {
    case 'object.created': {
      const object = newObject(payload.object);
      return object && { op: 'createObject', object };
    }
    case 'object.removed':
      return typeof payload.id === 'string' ? { op: 'removeObject', id: payload.id } : null;
    case 'relation.created': {
      const relation = newRelation(payload.relation);
      return relation && { op: 'createRelation', relation };
    }
    case 'relation.removed':
      return typeof payload.id === 'string' ? { op: 'removeRelation', id: payload.id } : null;
    case 'patch.proposed': {
      const p = payload.patch;
      return isObject(p) && typeof p.id === 'string' ? { op: 'proposePatch', patch: p as unknown as PatchRecord } : null;
    }
    case 'patch.applied': {
      const p = payload.patch;
      if (!isObject(p) || typeof p.id !== 'string') return null;
      const value = isObject(p.value) ? p.value : {};
      const replace = p.op === 'replace';
      return {
        op: 'applyPatch',
        patch: { ...(p as unknown as PatchRecord), status: 'applied' },
        target: String(p.target),
        patched: (was) => ({ ...was, data: replace ? value : { ...was.data, ...value }, version: was.version + 1 }),
      };
    }
    case 'patch.rejected':
      return typeof payload.patch_id === 'string' ? { op: 'rejectPatch', patchId: payload.patch_id, reason: payload.reason } : null;
  }
  return null;
}

/**
 * A graph's maps as the projection rules change them, however they are kept (`Graph`'s own, or a
 * fork's layer over its parent's history). The orders are Python's dict orders.
 */
export interface GraphMaps {
  object(id: string): GraphObject | undefined;
  /** `del d[id]; d[id] = o`: a (re-)created object goes to the end. */
  recreateObject(o: GraphObject): void;
  /** `d[id] = o` for an object that is there: it keeps its place. */
  replaceObject(o: GraphObject): void;
  deleteObject(id: string): void;
  /** The relations touching an object id, as a list (a removal changes them). */
  touching(id: string): string[];
  relation(id: string): GraphRelation | undefined;
  /** `d[id] = r`: a relation re-created while it exists keeps its place, a new one goes to the end. */
  setRelation(r: GraphRelation): void;
  deleteRelation(id: string): void;
  patch(id: string): PatchRecord | undefined;
  setPatch(p: PatchRecord): void;
}

/** A map the projection writes: Map's get, set and delete (a Map, or a fork's layer over its parent's). */
export interface WritableMap<T> {
  get(id: string): T | undefined;
  set(id: string, value: T): unknown;
  delete(id: string): unknown;
}

/**
 * A graph's maps over its three writable maps and its index of the relations touching each object
 * (`index(r, true)` adds a relation to it, `false` takes it out).
 */
export function graphMaps(
  objects: WritableMap<GraphObject>,
  relations: WritableMap<GraphRelation>,
  patches: WritableMap<PatchRecord>,
  touching: (id: string) => string[],
  index: (r: GraphRelation, add: boolean) => void,
): GraphMaps {
  return {
    object: (id) => objects.get(id),
    recreateObject: (o) => {
      objects.delete(o.id);
      objects.set(o.id, o);
    },
    replaceObject: (o) => void objects.set(o.id, o),
    deleteObject: (id) => void objects.delete(id),
    touching,
    relation: (id) => relations.get(id),
    setRelation: (r) => {
      const previous = relations.get(r.id);
      if (previous) index(previous, false);
      relations.set(r.id, r);
      index(r, true);
    },
    deleteRelation: (id) => {
      const r = relations.get(id);
      if (!r) return;
      index(r, false);
      relations.delete(id);
    },
    patch: (id) => patches.get(id),
    setPatch: (p) => void patches.set(p.id, p),
  };
}

/** The projection rules (§6.2) applied to a graph's maps: the one place they are written. */
export function applyGraphOp(g: GraphOp, to: GraphMaps): void {
  switch (g.op) {
    case 'createObject':
      return to.recreateObject(g.object);
    case 'removeObject':
      to.deleteObject(g.id);
      for (const rid of to.touching(g.id)) to.deleteRelation(rid);
      return;
    case 'createRelation':
      return to.setRelation(g.relation);
    case 'removeRelation':
      return to.deleteRelation(g.id);
    case 'proposePatch':
      return to.setPatch(g.patch);
    case 'applyPatch': {
      to.setPatch(g.patch);
      const target = to.object(g.target);
      if (target) to.replaceObject(g.patched(target));
      return;
    }
    case 'rejectPatch': {
      const existing = to.patch(g.patchId);
      if (existing) to.setPatch({ ...existing, status: 'rejected', rejection_reason: g.reason });
      return;
    }
  }
}

export class Graph implements GraphReader, Projection {
  readonly objects = new Map<string, GraphObject>();
  readonly relations = new Map<string, GraphRelation>();
  readonly patches = new Map<string, PatchRecord>();
  /**
   * Endpoint id → ids of the relations that touch it, kept with every relation change, so that an
   * object removal cascades in O(its own relations) and a neighborhood is walked without a scan:
   * real runs remove objects thousands of times among 100k+ relations.
   */
  private readonly incident = new Map<string, Set<string>>();

  private link(r: GraphRelation): void {
    for (const end of r.source === r.target ? [r.source] : [r.source, r.target]) {
      let set = this.incident.get(end);
      if (!set) this.incident.set(end, (set = new Set()));
      set.add(r.id);
    }
  }

  private unlink(r: GraphRelation): void {
    for (const end of [r.source, r.target]) {
      const set = this.incident.get(end);
      if (!set) continue;
      set.delete(r.id);
      if (set.size === 0) this.incident.delete(end);
    }
  }

  /** A graph of its own with the same content (records shared: the projection never mutates one). */
  clone(): Graph {
    const g = new Graph();
    for (const [k, v] of this.objects) g.objects.set(k, v);
    for (const [k, v] of this.patches) g.patches.set(k, v);
    for (const [k, r] of this.relations) g.relations.set(k, r);
    for (const [end, ids] of this.incident) g.incident.set(end, new Set(ids));
    return g;
  }

  /** Applies one event's projection rule (§6.2). Non-graph events have no effect. */
  apply(type: string, payload: unknown, _seq?: number): void {
    const g = graphOp(type, payload);
    if (g) applyGraphOp(g, this.maps);
  }

  private readonly maps = graphMaps(
    this.objects,
    this.relations,
    this.patches,
    (id) => [...(this.incident.get(id) ?? [])],
    (r, add) => (add ? this.link(r) : this.unlink(r)),
  );

  neighborhood(objectId: string, depth: number): { objects: GraphObject[]; relations: GraphRelation[] } {
    return walkNeighborhood(objectId, depth, (id) => this.objects.get(id), this.eachTouching);
  }

  hubs(k: number): Hub[] {
    return hubsOf(this.objects.values(), this.eachTouching, k);
  }

  readonly eachTouching: EachTouching = (id, visit) => {
    for (const rid of this.incident.get(id) ?? []) visit(this.relations.get(rid)!);
  };

  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[]): void {
    for (const object of objects) this.apply('object.created', { object });
    for (const relation of relations) this.apply('relation.created', { relation });
  }
}

/** The `k` objects with the most relation ends, most first (GraphReader.hubs of a graph kept whole). */
export function hubsOf(objects: Iterable<GraphObject>, eachTouching: EachTouching, k: number): Hub[] {
  const top = new TopK<Hub>(k, hubOrder);
  for (const o of objects) {
    const degree = endsAt(o.id, eachTouching);
    // Most objects of a big graph cannot make the list: they are not even made into a row.
    if (!top.full || degree >= top.worst!.degree) top.offer({ id: o.id, type: o.type, degree });
  }
  return top.sorted();
}

/** Calls `visit` with each relation touching `id` (a callback, not an iterator: it runs for every object of a hub ranking). */
export type EachTouching = (id: string, visit: (r: GraphRelation) => void) => void;

/** How many ends of the relations touching `id` are `id` (a relation from an object to itself counts twice). */
export function endsAt(id: string, eachTouching: EachTouching): number {
  let n = 0;
  eachTouching(id, (r) => (n += (r.source === id ? 1 : 0) + (r.target === id ? 1 : 0)));
  return n;
}

/**
 * `neighborhood(object_id, depth)` (§6.4) over any graph (its objects, and the relations touching
 * an id): undirected BFS; dangling endpoints are walked but not returned; the start is always
 * included; unknown start gives nothing. Sorted by id.
 */
export function walkNeighborhood(
  start: string,
  depth: number,
  objectOf: (id: string) => GraphObject | undefined,
  eachTouching: EachTouching,
): { objects: GraphObject[]; relations: GraphRelation[] } {
  if (!objectOf(start)) return { objects: [], relations: [] };
  const seen = new Set([start]);
  let frontier = new Set([start]);
  const rels = new Map<string, GraphRelation>();
  for (let step = 0; step < depth && frontier.size > 0; step++) {
    const next = new Set<string>();
    for (const id of frontier) {
      eachTouching(id, (r) => {
        rels.set(r.id, r);
        for (const end of [r.source, r.target]) {
          if (seen.has(end)) continue;
          seen.add(end);
          next.add(end);
        }
      });
    }
    frontier = next;
  }
  const objects = [...seen].map(objectOf).filter((o): o is GraphObject => o !== undefined);
  return { objects: objects.sort(byId), relations: [...rels.values()].sort(byId) };
}

export const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Decodes a stored payload; a failure becomes Active Graph's CorruptedEventPayloadError. */
export function decodePayload(e: Pick<StoredEvent, 'payload' | 'id'>, runId?: string): unknown {
  try {
    return pyLoadsFast(e.payload);
  } catch (err) {
    throw corruptionOf(e, err, runId);
  }
}

/** Decodes keeping Python's int/float identity, for outputs that re-print the payload. */
export function decodePayloadExact(e: Pick<StoredEvent, 'payload' | 'id'>, runId?: string): unknown {
  try {
    return pyParse(e.payload);
  } catch (err) {
    throw corruptionOf(e, err, runId);
  }
}

function corruptionOf(e: Pick<StoredEvent, 'payload' | 'id'>, err: unknown, runId?: string): Error {
  if (!(err instanceof PyJsonDecodeError)) {
    // JSON.parse failed but our parser accepted it: cannot happen for well-formed input; re-check.
    try {
      pyParse(e.payload);
    } catch (inner) {
      if (inner instanceof PyJsonDecodeError) err = inner;
    }
  }
  if (err instanceof PyJsonDecodeError) {
    return corruptedPayload({ line: err.lineno, column: err.colno, preview: e.payload.slice(0, 64), underlying: err.msg, eventId: e.id, runId });
  }
  return err as Error;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface LoadedRun {
  graph: Graph;
  /** Hot-log events projected. */
  events: number;
  lastSeq: number | null;
}

export interface LoadOptions {
  /** Stop after the event with this seq (inclusive): the graph "as of" an event. */
  untilSeq?: number;
  /** Continue this graph, which holds the events up to `afterSeq`, instead of starting empty. */
  from?: { graph: Graph; afterSeq: number };
  signal?: AbortSignal;
  /** Called for every event with its decoded payload (promote collects the parent's event ids with it). */
  onEvent?: (e: StoredEvent, payload: unknown) => void;
}

/** Replays a run's hot log into a fresh graph (what `Runtime.load` does, §6.1). */
export async function loadRun(store: EventStore, runId: string, opts: LoadOptions = {}): Promise<LoadedRun> {
  const graph = opts.from?.graph ?? new Graph();
  if (opts.onEvent) {
    // Every payload decoded: the caller looks at every event.
    let events = 0;
    let lastSeq: number | null = opts.from ? opts.from.afterSeq : null;
    for await (const chunk of scanEvents(store, runId, { afterSeq: opts.from?.afterSeq, untilSeq: opts.untilSeq, signal: opts.signal })) {
      for (const e of chunk) {
        const payload = decodePayload(e, runId);
        if (events === 0 && !opts.from && e.type === 'runtime.snapshot') await seedSnapshot(store, runId, graph, payload, e.seq);
        graph.apply(e.type, payload);
        opts.onEvent(e, payload);
        events++;
        lastSeq = e.seq;
      }
    }
    return { graph, events, lastSeq };
  }
  const { events, lastSeq } = await replayInto(store, runId, graph, { afterSeq: opts.from?.afterSeq, untilSeq: opts.untilSeq, signal: opts.signal });
  return { graph, events, lastSeq: lastSeq ?? opts.from?.afterSeq ?? null };
}

/**
 * A replay into any projection: only the payloads the projection uses are read and decoded; the
 * others are only checked, and one that is not plain JSON is decoded from its full row, so
 * corruption stops the load at the same event with the same error as Active Graph's. Without
 * `afterSeq` it starts the run (a compacted run is seeded from its snapshot).
 */
export async function replayInto(
  store: EventStore,
  runId: string,
  into: Projection,
  opts: {
    afterSeq?: number;
    untilSeq?: number;
    signal?: AbortSignal;
    /**
     * A check the caller started over a range that holds these rows (a diff checks each whole run
     * while it compares them): the replay reads only the rows it applies, and what the check finds
     * and counts over its range is the replay's.
     */
    checked?: PayloadsCheckedAside | null;
  },
): Promise<{ events: number; lastSeq: number | null }> {
  let events = 0;
  let lastSeq: number | null = null;
  // Past the first pages, the JSON check of the payloads the projection does not use runs aside, and
  // the replay then reads only the rows it applies (the check counts the rest).
  let aside: PayloadsCheckedAside | null = opts.checked ?? null;
  let applied: number | null = null;
  let after = opts.afterSeq ?? BEFORE_FIRST_SEQ;
  let at: number | null = null;
  try {
    for (;;) {
      await yieldToEventLoop();
      opts.signal?.throwIfAborted();
      const counting = !aside;
      const rows = aside ? await aside.projectedRows(after, REPLAY_CHUNK) : await store.projectionRows(runId, after, REPLAY_CHUNK);
      for (const [seq, type, text, valid] of rows) {
        if (opts.untilSeq !== undefined && seq > opts.untilSeq) break;
        at = seq;
        if (text !== null) {
          let payload: unknown;
          try {
            payload = pyLoadsFast(text);
          } catch {
            payload = decodePayload(await fullRowAt(store, runId, seq), runId); // throws the structured error with the event's id
          }
          if (counting && events === 0 && opts.afterSeq === undefined && type === 'runtime.snapshot') await seedSnapshot(store, runId, into, payload, seq);
          into.apply(type, payload, seq);
        } else if (valid !== 1) {
          decodePayload(await fullRowAt(store, runId, seq), runId);
        }
        // A foreign store's event may stand for several projection rows, all at its seq.
        if (counting) {
          if (seq !== lastSeq) events++;
          lastSeq = seq;
        } else applied = seq;
      }
      const last = rows[rows.length - 1]?.[0];
      if (rows.length < REPLAY_CHUNK || (opts.untilSeq !== undefined && last! > opts.untilSeq)) break;
      after = last!;
      if (events >= ASIDE_AFTER) aside ??= store.projectionRowsCheckedAside?.(runId, after, opts.untilSeq, opts.signal) ?? null;
    }
  } catch (err) {
    // A corrupted payload found here may come after one the check found: the earlier one is the error.
    if (!opts.signal?.aborted && at !== null && aside) await throwDamageBefore(store, runId, aside, at);
    throw err;
  }
  if (aside) {
    const found = await aside.settle(applied ?? lastSeq);
    for (const bad of found.invalid) decodePayload(await fullRowAt(store, runId, bad), runId);
    events += found.count;
    lastSeq = found.last ?? lastSeq;
  }
  return { events, lastSeq };
}

/** Throws the damage a check found before seq `at` (which the caller could not read), if Python would not read it either. */
export async function throwDamageBefore(store: EventStore, runId: string, check: PayloadsCheckedAside, at: number): Promise<void> {
  const found = await check.settle(at - 1);
  for (const bad of found.invalid) if (bad < at) decodePayload(await fullRowAt(store, runId, bad), runId);
}

const fullRowAt = async (store: EventStore, runId: string, seq: number): Promise<StoredEvent> => (await store.eventsAfter(runId, seq - 1, 1))[0]!;

/**
 * Checks the unprojected payloads in (afterSeq, untilSeq] as a replay does: for a reader that
 * projected them but stopped (aborted) before its check settled, or did not read them.
 */
export async function checkPayloadsBetween(store: EventStore, runId: string, afterSeq: number, untilSeq: number, signal?: AbortSignal): Promise<void> {
  const aside = store.projectionRowsCheckedAside?.(runId, afterSeq, untilSeq, signal);
  if (aside) await throwDamageBefore(store, runId, aside, untilSeq + 1);
}

async function seedSnapshot(store: EventStore, runId: string, into: Projection, payload: unknown, seq: number): Promise<void> {
  const hash = isObject(payload) && typeof payload.state_hash === 'string' ? payload.state_hash : '';
  const blob = await store.snapshotBlob(hash);
  if (blob === null) throw snapshotIntegrity(runId, hash, 'missing');
  if (`sha256:${sha256Hex(blob)}` !== hash) throw snapshotIntegrity(runId, hash, 'mismatch');
  const parsed = pyLoadsFast(blob) as { objects?: Json[]; relations?: Json[] };
  const objects = (parsed.objects ?? []).map((o) => newObject({ ...o, version: o.version ?? 1 })).filter((o): o is GraphObject => o !== null);
  const relations = (parsed.relations ?? []).map(newRelation).filter((r): r is GraphRelation => r !== null);
  into.seedFromSnapshot(objects, relations, seq);
}

/**
 * A fork's graph without replaying what it copied. A fork's log starts with a verbatim copy of its
 * parent's events up to the fork point (spec §7.4), so its graph at that point is the parent's graph
 * there: a view of the parent's history. The fork's own events are applied over that view, and only
 * what they change is kept (the rules and Python's dict order are `Graph`'s). Twenty forks of a
 * million-event run then cost one replay of the parent and their own rests, in time and in memory.
 */
import type { GraphObject, GraphRelation, PatchRecord } from '../../shared/model.js';
import { applyGraphOp, graphMaps, graphOp, hubsOf, walkNeighborhood, type EachTouching, type GraphMaps, type GraphReader, type Hub, type Projection } from './projection.js';

/** One kind of entity: the base's, with the fork's changes over it, read like the Map `Graph` keeps. */
class Layer<T> implements ReadonlyMap<string, T> {
  /** What the fork changed: a record, or null where it removed the base's. */
  private readonly own = new Map<string, T | null>();
  /** Base ids the fork removed and created again: they stand at the end now, in `own`'s order. */
  private readonly moved = new Set<string>();
  private counted: number | null = null;

  constructor(private readonly base: ReadonlyMap<string, T>) {}

  get changes(): number {
    return this.own.size;
  }

  get(id: string): T | undefined {
    const v = this.own.get(id);
    return v === undefined ? this.base.get(id) : (v ?? undefined);
  }

  has(id: string): boolean {
    return this.get(id) !== undefined;
  }

  /** The ids the fork changed. */
  ownIds(): IterableIterator<string> {
    return this.own.keys();
  }

  /** The base's record of an id (what the fork started from). */
  baseOf(id: string): T | undefined {
    return this.base.get(id);
  }

  /** Whether the fork changed this id (its record is not the base's). */
  changed(id: string): boolean {
    return this.own.has(id);
  }

  /** `Map.set`: a present id keeps its place, a new one goes to the end. */
  set(id: string, rec: T): void {
    this.counted = null;
    if (this.has(id)) return void this.own.set(id, rec);
    this.own.delete(id);
    this.own.set(id, rec);
    if (this.base.has(id)) this.moved.add(id);
  }

  /** `Map.delete`. */
  delete(id: string): void {
    this.counted = null;
    if (this.base.has(id)) this.own.set(id, null);
    else this.own.delete(id);
  }

  get size(): number {
    if (this.counted === null) {
      let n = this.base.size;
      for (const [id, v] of this.own) {
        const inBase = this.base.has(id);
        if (inBase && v === null) n--;
        else if (!inBase && v !== null) n++;
      }
      this.counted = n;
    }
    return this.counted;
  }

  *entries(): MapIterator<[string, T]> {
    for (const [id, v] of this.base) {
      if (!this.own.has(id)) yield [id, v];
      else if (!this.moved.has(id) && this.own.get(id) !== null) yield [id, this.own.get(id)!];
    }
    for (const [id, v] of this.own) if (v !== null && (this.moved.has(id) || !this.base.has(id))) yield [id, v];
  }

  *keys(): MapIterator<string> {
    for (const [id] of this.entries()) yield id;
  }

  *values(): MapIterator<T> {
    for (const [, v] of this.entries()) yield v;
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    for (const [id, v] of this.entries()) fn(v, id, this);
  }
}

export class ForkGraph implements GraphReader, Projection {
  readonly objects: Layer<GraphObject>;
  readonly relations: Layer<GraphRelation>;
  readonly patches: Layer<PatchRecord>;
  /** End id → the fork's own live relations touching it (the base's come from the base's index). */
  private readonly ownTouching = new Map<string, Set<string>>();
  private readonly maps: GraphMaps;

  /** `base`: the parent's graph as of the fork point; it must not change while this graph is used. */
  constructor(private readonly base: GraphReader) {
    this.objects = new Layer(base.objects);
    this.relations = new Layer(base.relations);
    this.patches = new Layer(base.patches);
    const touching = (id: string) => {
      const ids: string[] = [];
      this.eachTouching(id, (r) => ids.push(r.id));
      return ids;
    };
    // Taking out a relation of the base is a no-op on the fork's own index: it was never in it.
    this.maps = graphMaps(this.objects, this.relations, this.patches, touching, (r, add) => this.link(r, add));
  }

  /** Entities the fork's own events changed (what it keeps). */
  get changes(): number {
    return this.objects.changes + this.relations.changes + this.patches.changes;
  }

  readonly eachTouching: EachTouching = (id, visit) => {
    this.base.eachTouching(id, (r) => {
      if (!this.relations.changed(r.id)) visit(r);
    });
    for (const rid of this.ownTouching.get(id) ?? []) visit(this.relations.get(rid)!);
  };

  private link(r: GraphRelation, on: boolean): void {
    for (const end of r.source === r.target ? [r.source] : [r.source, r.target]) {
      let set = this.ownTouching.get(end);
      if (on) {
        if (!set) this.ownTouching.set(end, (set = new Set()));
        set.add(r.id);
      } else {
        set?.delete(r.id);
        if (set?.size === 0) this.ownTouching.delete(end);
      }
    }
  }

  apply(type: string, payload: unknown): void {
    const g = graphOp(type, payload);
    if (g) applyGraphOp(g, this.maps);
  }

  /** A fork's own events never start from a snapshot (a compacted parent is not shared: see run-ends). */
  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[]): void {
    for (const object of objects) this.apply('object.created', { object });
    for (const relation of relations) this.apply('relation.created', { relation });
  }

  neighborhood(objectId: string, depth: number): { objects: GraphObject[]; relations: GraphRelation[] } {
    return walkNeighborhood(objectId, depth, (id) => this.objects.get(id), this.eachTouching);
  }

  hubs(k: number): Hub[] {
    return hubsOf(this.objects.values(), this.eachTouching, k);
  }
}

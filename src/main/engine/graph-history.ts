/**
 * A run's graph at every event at once. As the log is read, each entity's lives (created … removed)
 * and versions (patches, re-created relations) are appended with the seq they start at; the graph as
 * of any event read so far is then a view that filters by seq, so moving back or forth costs no
 * replay at all. The projection rules are the ones of `Graph` (§6.2); the views keep Python's dict
 * order: an entity stands where its current life began (a re-created object moves to the end, a
 * relation re-created while it exists keeps its place).
 */
import type { GraphObject, GraphRelation, PatchRecord } from '../../shared/model.js';
import { endsAt, graphOp, hubOrder, type EachTouching, walkNeighborhood, type GraphReader, type Hub, type Projection } from './projection.js';
import { TopK } from './top-k.js';
import { firstAbove } from '../base/sorted.js';

/** One life of an entity id: its first version, the later ones by the seq they start at. */
interface Life<T> {
  id: string;
  born: number;
  /** The seq of the event that ended this life (it is gone as of that event); Infinity while alive. */
  died: number;
  first: T;
  later: { seq: number; rec: T }[] | null;
  /** The previous life of the same id. */
  prev: Life<T> | null;
  /** A relation's version in force at the frontier, while it lives. */
  seg?: Segment;
}

/** A relation's endpoints can change when it is re-created: each version is a segment of its life. */
interface Segment {
  rec: GraphRelation;
  from: number;
  to: number;
}

const alive = <T>(l: Life<T>, seq: number): boolean => l.born <= seq && seq < l.died;

/** The seq of the last change of an id, from its latest life (-Infinity for an id never seen). */
function lastChange<T>(l: Life<T> | undefined): number {
  if (!l) return -Infinity;
  return Math.max(l.born, l.died === Infinity ? -Infinity : l.died, l.later ? l.later[l.later.length - 1]!.seq : -Infinity);
}

/** An entity kind's ids sorted by their last change. */
function byLastChange<T>(lives: Lives<T>): { ids: string[]; last: number[] } {
  const rows: [string, number][] = [];
  for (const [id, l] of lives.latest) rows.push([id, lastChange(l)]);
  rows.sort((a, b) => a[1] - b[1]);
  return { ids: rows.map((r) => r[0]), last: rows.map((r) => r[1]) };
}

function versionAt<T>(l: Life<T>, seq: number): T {
  if (l.later) for (let i = l.later.length - 1; i >= 0; i--) if (l.later[i]!.seq <= seq) return l.later[i]!.rec;
  return l.first;
}

function current<T>(l: Life<T>): T {
  return l.later ? l.later[l.later.length - 1]!.rec : l.first;
}

/** The entities of one kind: their lives in the order they began, and the latest life per id. */
class Lives<T> {
  readonly inOrder: Life<T>[] = [];
  readonly latest = new Map<string, Life<T>>();

  /** The life of `id` that is alive now (at the frontier), if any. */
  live(id: string): Life<T> | undefined {
    const l = this.latest.get(id);
    return l && l.died === Infinity ? l : undefined;
  }

  /** Starts a life of `id`; `prev` is its latest life, if the caller has looked it up already. */
  begin(id: string, seq: number, rec: T, prev: Life<T> | undefined = this.latest.get(id)): Life<T> {
    const life: Life<T> = { id, born: seq, died: Infinity, first: rec, later: null, prev: prev ?? null, seg: undefined };
    this.inOrder.push(life);
    this.latest.set(id, life);
    return life;
  }

  update(l: Life<T>, seq: number, rec: T): void {
    const last = l.later?.[l.later.length - 1];
    if (l.born === seq && !l.later) l.first = rec;
    else if (last?.seq === seq) last.rec = rec;
    else (l.later ??= []).push({ seq, rec });
  }

  at(id: string, seq: number): Life<T> | undefined {
    for (let l: Life<T> | null | undefined = this.latest.get(id); l; l = l.prev) if (alive(l, seq)) return l;
    return undefined;
  }
}

/** A version of an entity and the seqs it stood in force over: the graph after any seq in [from, to) holds it. */
export interface Standing<T> {
  id: string;
  rec: T;
  from: number;
  to: number;
}

/** Ids a history changed after some event, and whether it changed one. */
export interface ChangedIds {
  objects: string[];
  relations: string[];
  has(kind: 'object' | 'relation', id: string): boolean;
}

export class GraphHistory implements Projection {
  private readonly objects = new Lives<GraphObject>();
  private readonly relations = new Lives<GraphRelation>();
  private readonly patches = new Lives<PatchRecord>();
  /**
   * Endpoint id → every segment that ever touched it (the as-of neighborhood filters them by seq, and
   * a removal cascades over the open ones: O(the object's own relations), as in `Graph`), and the
   * relation ends they had (a relation to itself has two).
   */
  private readonly touching = new Map<string, { segs: Segment[]; endsEver: number }>();

  /** Entities and versions kept (for the bench and tests). */
  get stats(): { lives: number; versions: number } {
    let versions = 0;
    for (const k of [this.objects, this.relations, this.patches]) for (const l of k.inOrder) versions += 1 + (l.later?.length ?? 0);
    return { lives: this.objects.inOrder.length + this.relations.inOrder.length + this.patches.inOrder.length, versions };
  }

  /** The last event applied (the history is whole through it). */
  lastApplied: number | null = null;

  apply(type: string, payload: unknown, seq: number): void {
    this.lastApplied = seq;
    const g = graphOp(type, payload);
    if (!g) return;
    switch (g.op) {
      case 'createObject': {
        const was = this.objects.latest.get(g.object.id);
        if (was && was.died === Infinity) was.died = seq; // a re-created id moves to the end, like a Python dict re-insert after delete
        this.objects.begin(g.object.id, seq, g.object, was);
        return;
      }
      case 'removeObject': {
        const was = this.objects.live(g.id);
        if (was) was.died = seq;
        for (const seg of this.touching.get(g.id)?.segs ?? []) if (seg.to === Infinity) this.removeRelation(seg.rec.id, seq);
        return;
      }
      case 'createRelation': {
        const r = g.relation;
        const latest = this.relations.latest.get(r.id);
        const life = latest && latest.died === Infinity ? latest : undefined;
        if (life) {
          life.seg!.to = seq;
          this.relations.update(life, seq, r); // a re-created id keeps its place, like a Python dict assignment
        }
        this.openSegment(life ?? this.relations.begin(r.id, seq, r, latest), r, seq);
        return;
      }
      case 'removeRelation':
        this.removeRelation(g.id, seq);
        return;
      case 'proposePatch':
        this.setPatch(g.patch.id, seq, g.patch);
        return;
      case 'applyPatch': {
        this.setPatch(g.patch.id, seq, g.patch);
        const target = this.objects.live(g.target);
        if (target) this.objects.update(target, seq, g.patched(current(target)));
        return;
      }
      case 'rejectPatch': {
        const life = this.patches.live(g.patchId);
        if (life) this.patches.update(life, seq, { ...current(life), status: 'rejected', rejection_reason: g.reason });
        return;
      }
    }
  }

  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[], seq: number): void {
    for (const object of objects) this.apply('object.created', { object }, seq);
    for (const relation of relations) this.apply('relation.created', { relation }, seq);
  }

  /**
   * The object and relation ids whose record changed after the event with `seq` (created, patched,
   * re-created or removed since): an id's latest life tells, as every earlier one ended before it
   * began. The ids are kept sorted by their last change (until the history grows), so each call
   * costs what changed after `seq`, not the graph: many forks ask it at their own fork points.
   */
  changedAfter(seq: number): ChangedIds {
    if (this.byLastChange?.at !== this.lastApplied) this.byLastChange = { at: this.lastApplied, objects: byLastChange(this.objects), relations: byLastChange(this.relations) };
    const after = (k: { ids: string[]; last: number[] }) => k.ids.slice(firstAbove(k.last, seq));
    return {
      objects: after(this.byLastChange.objects),
      relations: after(this.byLastChange.relations),
      has: (kind, id) => lastChange<unknown>((kind === 'object' ? this.objects : this.relations).latest.get(id)) > seq,
    };
  }

  /**
   * Every version of the objects or relations read through `end`, with the seqs it stood in force
   * over, as the graph after `end` saw them (a life ended later is alive still). Lives come in the
   * order they began, each one's versions in order.
   */
  *standings(kind: 'object' | 'relation', end: number): Generator<Standing<GraphObject | GraphRelation>> {
    const lives: Lives<GraphObject | GraphRelation> = kind === 'object' ? this.objects : this.relations;
    for (const l of lives.inOrder) {
      if (l.born > end) return;
      let [from, rec] = [l.born, l.first];
      for (const v of l.later ?? []) {
        if (v.seq > end) break;
        yield { id: l.id, rec, from, to: v.seq };
        [from, rec] = [v.seq, v.rec];
      }
      yield { id: l.id, rec, from, to: l.died > end ? Infinity : l.died };
    }
  }

  private byLastChange: { at: number | null; objects: { ids: string[]; last: number[] }; relations: { ids: string[]; last: number[] } } | null = null;

  /** The graph as it was after the event with `seq` (which must have been read). */
  at(seq: number): GraphReader {
    return {
      objects: new AsOfMap(this.objects, seq),
      relations: new AsOfMap(this.relations, seq),
      patches: new AsOfMap(this.patches, seq),
      neighborhood: (objectId, depth) => this.neighborhoodAt(objectId, depth, seq),
      hubs: (k) => this.hubsAt(k, seq),
      eachTouching: this.touchingAt(seq),
    };
  }

  /**
   * The object ids by the relation ends they ever had, most first: a bound of their degree at any
   * event, so the hubs as of an event are found among the first few (kept until the history grows).
   */
  private byEndsEver: { segments: number; ids: string[]; bound: number[] } | null = null;
  private segments = 0;

  private hubsAt(k: number, seq: number): Hub[] {
    if (this.byEndsEver?.segments !== this.segments) this.byEndsEver = { segments: this.segments, ...this.idsByEndsEver() };
    const { ids, bound } = this.byEndsEver;
    const top = new TopK<Hub>(k, hubOrder);
    const touching = this.touchingAt(seq);
    for (let i = 0; i < ids.length; i++) {
      if (top.full && bound[i]! < top.worst!.degree) break; // no one further down can have more
      const life = this.objects.at(ids[i]!, seq);
      if (!life) continue;
      const degree = endsAt(life.id, touching);
      if (!top.full || degree >= top.worst!.degree) top.offer({ id: life.id, type: versionAt(life, seq).type, degree });
    }
    return top.sorted();
  }

  /** Every object id by its relation ends ever, most first (a counting sort: the counts are small integers). */
  private idsByEndsEver(): { ids: string[]; bound: number[] } {
    const all = [...this.objects.latest.keys()];
    const ends = new Uint32Array(all.length);
    let most = 0;
    for (let i = 0; i < all.length; i++) {
      const n = this.touching.get(all[i]!)?.endsEver ?? 0;
      ends[i] = n;
      if (n > most) most = n;
    }
    const next = new Uint32Array(most + 2); // where the next id with `most - n` ends goes
    for (const n of ends) next[most - n + 1]!++;
    for (let b = 1; b < next.length; b++) next[b]! += next[b - 1]!;
    const ids = new Array<string>(all.length);
    const bound = new Array<number>(all.length);
    for (let i = 0; i < all.length; i++) {
      const at = next[most - ends[i]!]!++;
      ids[at] = all[i]!;
      bound[at] = ends[i]!;
    }
    return { ids, bound };
  }

  private setPatch(id: string, seq: number, rec: PatchRecord): void {
    const life = this.patches.latest.get(id); // a patch id, once set, never goes
    if (life) this.patches.update(life, seq, rec);
    else this.patches.begin(id, seq, rec, undefined);
  }

  private removeRelation(id: string, seq: number): void {
    const life = this.relations.live(id);
    if (!life) return;
    life.died = seq;
    life.seg!.to = seq;
  }

  private openSegment(life: Life<GraphRelation>, r: GraphRelation, seq: number): void {
    const seg: Segment = { rec: r, from: seq, to: Infinity };
    life.seg = seg;
    this.segments++;
    if (r.source === r.target) return this.touch(r.source, seg, 2);
    this.touch(r.source, seg, 1);
    this.touch(r.target, seg, 1);
  }

  private touch(end: string, seg: Segment, ends: number): void {
    const t = this.touching.get(end);
    if (!t) return void this.touching.set(end, { segs: [seg], endsEver: ends });
    t.segs.push(seg);
    t.endsEver += ends;
  }

  /** `Graph.neighborhood` as of `seq`: the same walk over the segments in force then. */
  private neighborhoodAt(objectId: string, depth: number, seq: number): { objects: GraphObject[]; relations: GraphRelation[] } {
    const objectAt = (id: string) => {
      const l = this.objects.at(id, seq);
      return l && versionAt(l, seq);
    };
    return walkNeighborhood(objectId, depth, objectAt, this.touchingAt(seq));
  }

  /** The relations touching an id as of `seq`, as the segments in force then have them. */
  private touchingAt(seq: number): EachTouching {
    return (id, visit) => {
      for (const seg of this.touching.get(id)?.segs ?? []) {
        if (seg.from > seq) return; // segments are in the order they began
        if (seq < seg.to) visit(seg.rec);
      }
    };
  }
}

/** One kind of entity as of an event, read like the Map the projection keeps (in the same order). */
class AsOfMap<T> implements ReadonlyMap<string, T> {
  private counted: number | null = null;

  constructor(
    private readonly lives: Lives<T>,
    private readonly seq: number,
  ) {}

  get size(): number {
    if (this.counted === null) {
      let n = 0;
      for (const l of this.lives.inOrder) {
        if (l.born > this.seq) break; // lives are in the order they began
        if (this.seq < l.died) n++;
      }
      this.counted = n;
    }
    return this.counted;
  }

  get(id: string): T | undefined {
    const l = this.lives.at(id, this.seq);
    return l && versionAt(l, this.seq);
  }

  has(id: string): boolean {
    return this.lives.at(id, this.seq) !== undefined;
  }

  /** The lives in force at the seq, in the order they began. */
  private *inForce(): Generator<Life<T>> {
    for (const l of this.lives.inOrder) {
      if (l.born > this.seq) return;
      if (this.seq < l.died) yield l;
    }
  }

  *entries(): MapIterator<[string, T]> {
    for (const l of this.inForce()) yield [l.id, versionAt(l, this.seq)];
  }

  *keys(): MapIterator<string> {
    for (const l of this.inForce()) yield l.id;
  }

  *values(): MapIterator<T> {
    for (const l of this.inForce()) yield versionAt(l, this.seq);
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    const seq = this.seq;
    for (const l of this.lives.inOrder) {
      if (l.born > seq) return;
      if (seq < l.died) fn(versionAt(l, seq), l.id, this);
    }
  }
}

/**
 * A run's graph at every event at once. As the log is read, each entity's lives (created … removed)
 * and versions (patches, re-created relations) are appended with the seq they start at; the graph as
 * of any event read so far is then a view that filters by seq, so moving back or forth costs no
 * replay at all. The projection rules are the ones of `Graph` (§6.2); the views keep Python's dict
 * order: an entity stands where its current life began (a re-created object moves to the end, a
 * relation re-created while it exists keeps its place).
 */
import type { GraphObject, GraphRelation, PatchRecord } from '../../shared/model.js';
import { byId, isObject, newObject, newRelation, type GraphReader, type Projection } from './projection.js';

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
}

/** A relation's endpoints can change when it is re-created: each version is a segment of its life. */
interface Segment {
  rec: GraphRelation;
  from: number;
  to: number;
}

const alive = <T>(l: Life<T>, seq: number): boolean => l.born <= seq && seq < l.died;

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

  begin(id: string, seq: number, rec: T): Life<T> {
    const life: Life<T> = { id, born: seq, died: Infinity, first: rec, later: null, prev: this.latest.get(id) ?? null };
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

export class GraphHistory implements Projection {
  private readonly objects = new Lives<GraphObject>();
  private readonly relations = new Lives<GraphRelation>();
  private readonly patches = new Lives<PatchRecord>();
  /** Relation id → its current segment (the version in force at the frontier). */
  private readonly openSegment = new Map<string, Segment>();
  /** Endpoint id → every segment that ever touched it (the as-of neighborhood filters by seq). */
  private readonly touching = new Map<string, Segment[]>();
  /** Endpoint id → the relations touching it now, for O(own relations) cascades. */
  private readonly incidentNow = new Map<string, Set<string>>();

  /** Entities and versions kept (for the bench and tests). */
  get stats(): { lives: number; versions: number } {
    let versions = 0;
    for (const k of [this.objects, this.relations, this.patches]) for (const l of k.inOrder) versions += 1 + (l.later?.length ?? 0);
    return { lives: this.objects.inOrder.length + this.relations.inOrder.length + this.patches.inOrder.length, versions };
  }

  apply(type: string, payload: unknown, seq: number): void {
    if (!isObject(payload)) return;
    switch (type) {
      case 'object.created': {
        const o = newObject(payload.object);
        if (!o) return;
        const was = this.objects.live(o.id);
        if (was) was.died = seq; // a re-created id moves to the end, like a Python dict re-insert after delete
        this.objects.begin(o.id, seq, o);
        return;
      }
      case 'object.removed': {
        const id = payload.id;
        if (typeof id !== 'string') return;
        const was = this.objects.live(id);
        if (was) was.died = seq;
        for (const rid of [...(this.incidentNow.get(id) ?? [])]) this.removeRelation(rid, seq);
        return;
      }
      case 'relation.created': {
        const r = newRelation(payload.relation);
        if (!r) return;
        const life = this.relations.live(r.id);
        if (life) {
          this.closeSegment(r.id, seq);
          this.relations.update(life, seq, r); // a re-created id keeps its place, like a Python dict assignment
        } else this.relations.begin(r.id, seq, r);
        this.openSegmentFor(r, seq);
        return;
      }
      case 'relation.removed':
        if (typeof payload.id === 'string') this.removeRelation(payload.id, seq);
        return;
      case 'patch.proposed': {
        const p = payload.patch;
        if (isObject(p) && typeof p.id === 'string') this.setPatch(p.id, seq, p as unknown as PatchRecord);
        return;
      }
      case 'patch.applied': {
        const p = payload.patch;
        if (!isObject(p) || typeof p.id !== 'string') return;
        this.setPatch(p.id, seq, { ...(p as unknown as PatchRecord), status: 'applied' });
        const target = this.objects.live(String(p.target));
        if (!target) return;
        const was = current(target);
        const value = isObject(p.value) ? p.value : {};
        this.objects.update(target, seq, { ...was, data: p.op === 'replace' ? value : { ...was.data, ...value }, version: was.version + 1 });
        return;
      }
      case 'patch.rejected': {
        const life = typeof payload.patch_id === 'string' ? this.patches.live(payload.patch_id) : undefined;
        if (life) this.patches.update(life, seq, { ...current(life), status: 'rejected', rejection_reason: payload.reason });
        return;
      }
    }
  }

  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[], seq: number): void {
    for (const object of objects) this.apply('object.created', { object }, seq);
    for (const relation of relations) this.apply('relation.created', { relation }, seq);
  }

  /** The graph as it was after the event with `seq` (which must have been read). */
  at(seq: number): GraphReader {
    return {
      objects: new AsOfMap(this.objects, seq),
      relations: new AsOfMap(this.relations, seq),
      patches: new AsOfMap(this.patches, seq),
      neighborhood: (objectId, depth) => this.neighborhoodAt(objectId, depth, seq),
    };
  }

  private setPatch(id: string, seq: number, rec: PatchRecord): void {
    const life = this.patches.live(id);
    if (life) this.patches.update(life, seq, rec);
    else this.patches.begin(id, seq, rec);
  }

  private removeRelation(id: string, seq: number): void {
    const life = this.relations.live(id);
    if (!life) return;
    life.died = seq;
    this.closeSegment(id, seq);
  }

  private openSegmentFor(r: GraphRelation, seq: number): void {
    const seg: Segment = { rec: r, from: seq, to: Infinity };
    this.openSegment.set(r.id, seg);
    for (const end of r.source === r.target ? [r.source] : [r.source, r.target]) {
      let list = this.touching.get(end);
      if (!list) this.touching.set(end, (list = []));
      list.push(seg);
      let now = this.incidentNow.get(end);
      if (!now) this.incidentNow.set(end, (now = new Set()));
      now.add(r.id);
    }
  }

  private closeSegment(id: string, seq: number): void {
    const seg = this.openSegment.get(id);
    if (!seg) return;
    seg.to = seq;
    this.openSegment.delete(id);
    for (const end of [seg.rec.source, seg.rec.target]) {
      const now = this.incidentNow.get(end);
      if (!now) continue;
      now.delete(id);
      if (now.size === 0) this.incidentNow.delete(end);
    }
  }

  /** `Graph.neighborhood` as of `seq`: the same walk over the segments in force then. */
  private neighborhoodAt(objectId: string, depth: number, seq: number): { objects: GraphObject[]; relations: GraphRelation[] } {
    if (!this.objects.at(objectId, seq)) return { objects: [], relations: [] };
    const seen = new Set([objectId]);
    let frontier = new Set([objectId]);
    const rels = new Map<string, GraphRelation>();
    for (let step = 0; step < depth && frontier.size > 0; step++) {
      const next = new Set<string>();
      for (const id of frontier) {
        for (const seg of this.touching.get(id) ?? []) {
          if (!(seg.from <= seq && seq < seg.to)) continue;
          rels.set(seg.rec.id, seg.rec);
          for (const end of [seg.rec.source, seg.rec.target]) {
            if (seen.has(end)) continue;
            seen.add(end);
            next.add(end);
          }
        }
      }
      frontier = next;
    }
    const objects = [...seen].map((id) => this.objects.at(id, seq)).filter((l): l is Life<GraphObject> => l !== undefined);
    return { objects: objects.map((l) => versionAt(l, seq)).sort(byId), relations: [...rels.values()].sort(byId) };
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
      for (const l of this.lives.inOrder) if (alive(l, this.seq)) n++;
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

  *entries(): MapIterator<[string, T]> {
    for (const l of this.lives.inOrder) if (alive(l, this.seq)) yield [l.id, versionAt(l, this.seq)];
  }

  *keys(): MapIterator<string> {
    for (const l of this.lives.inOrder) if (alive(l, this.seq)) yield l.id;
  }

  *values(): MapIterator<T> {
    for (const l of this.lives.inOrder) if (alive(l, this.seq)) yield versionAt(l, this.seq);
  }

  [Symbol.iterator](): MapIterator<[string, T]> {
    return this.entries();
  }

  forEach(fn: (value: T, key: string, map: ReadonlyMap<string, T>) => void): void {
    for (const [k, v] of this.entries()) fn(v, k, this);
  }
}

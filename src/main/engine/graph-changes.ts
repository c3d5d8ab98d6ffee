/**
 * A replay that records what each event changed in the graph (records set, ids removed), by the
 * projection's own rules (`Graph`): what a saved page needs to show the graph as of any of its
 * events without the engine. A removal lists the relations it took with it.
 */
import type { GraphObject, GraphRelation } from '../../shared/model.js';
import type { PageGraphChange } from '../../shared/offline-page.js';
import { Graph, graphOp, type Projection } from './projection.js';

export class GraphChanges implements Projection {
  readonly changes: PageGraphChange[] = [];

  constructor(readonly graph = new Graph()) {}

  private changeAt(seq: number): PageGraphChange {
    const last = this.changes[this.changes.length - 1];
    if (last?.seq === seq) return last; // a foreign event may stand for several projection rows
    const c: PageGraphChange = { seq, set: [], del: [] };
    this.changes.push(c);
    return c;
  }

  apply(type: string, payload: unknown, seq: number): void {
    const g = graphOp(type, payload);
    if (!g) return;
    if (g.op === 'removeObject') {
      const gone: string[] = [];
      this.graph.eachTouching(g.id, (r) => gone.push(r.id));
      const had = this.graph.objects.has(g.id);
      this.graph.apply(type, payload);
      if (had || gone.length) this.changeAt(seq).del.push(...(had ? [['o', g.id] as ['o', string]] : []), ...gone.map((id) => ['r', id] as ['r', string]));
      return;
    }
    this.graph.apply(type, payload);
    if (g.op === 'createObject') this.changeAt(seq).set.push(['o', g.object]);
    else if (g.op === 'createRelation') this.changeAt(seq).set.push(['r', g.relation]);
    else if (g.op === 'removeRelation') this.changeAt(seq).del.push(['r', g.id]);
    else if (g.op === 'applyPatch') {
      const patched = this.graph.objects.get(g.target);
      if (patched) this.changeAt(seq).set.push(['o', patched]);
    }
  }

  seedFromSnapshot(objects: GraphObject[], relations: GraphRelation[], seq: number): void {
    this.graph.seedFromSnapshot(objects, relations);
    const c = this.changeAt(seq);
    for (const o of objects) c.set.push(['o', o]);
    for (const r of relations) c.set.push(['r', r]);
  }
}

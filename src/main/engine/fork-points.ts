/**
 * A parent's graph at each of its forks' fork points, tallied in one pass over its history: the
 * objects and relations there by type, and how that graph differs from the parent's end (Active
 * Graph's diff counts). A fork that shares its parent's log holds that graph plus its own changes,
 * so its figures are the fork point's with only its own ids counted again (`forkFigures`). Twenty
 * forks then cost one pass over the parent's versions and their own changes, not twenty passes
 * over everything the parent changed after each fork point.
 */
import { firstAtLeast } from '../base/sorted.js';
import { yieldToEventLoop } from '../store/event-store.js';
import { DIFF_VIEWS, divergence, type Divergence } from './diff.js';
import type { ForkGraph } from './fork-graph.js';
import type { GraphHistory } from './graph-history.js';
import type { GraphReader } from './projection.js';

export interface PointFigures {
  objects: number;
  relations: number;
  objectsByType: Record<string, number>;
  relationsByType: Record<string, number>;
  /** The parent's end against this graph, as `diff(parent end, this)` counts: created is only here. */
  vsEnd: Record<Divergence, number>;
}

export interface ForkPoints {
  /** The parent's graph at the end the figures compare with. */
  end: GraphReader;
  at(seq: number): PointFigures;
}

const KINDS = ['object', 'relation'] as const;

/** Counts per fork point, added over ranges of them: +1 at the first point in a range, -1 past its last. */
class RangeCounts {
  readonly steps: Int32Array;
  constructor(points: number) {
    this.steps = new Int32Array(points + 1);
  }
  add(lo: number, hi: number): void {
    this.steps[lo]!++;
    this.steps[hi]!--;
  }
  /** The count at each point. */
  totals(): number[] {
    const out: number[] = [];
    let n = 0;
    for (let i = 0; i < this.steps.length - 1; i++) out.push((n += this.steps[i]!));
    return out;
  }
}

/** One kind's counts at the fork points: alive, alive at the end too, by type, and differing from the end. */
class KindTally {
  readonly alive: RangeCounts;
  readonly aliveAtEnd: RangeCounts;
  readonly byType = new Map<string, RangeCounts>();
  readonly differ: Record<'created' | 'patched', RangeCounts>;
  endSize = 0;
  constructor(points: number) {
    [this.alive, this.aliveAtEnd] = [new RangeCounts(points), new RangeCounts(points)];
    this.differ = { created: new RangeCounts(points), patched: new RangeCounts(points) };
  }
}

const sortedTally = (m: Map<string, number>): Record<string, number> => Object.fromEntries([...m].filter(([, n]) => n !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));

/**
 * The figures at each of `seqs` (which must have been read), against the history's end as read
 * now. A version of an entity counts at the fork points it stood over; its record is compared with
 * the end's only when some fork point falls in its time. The pass yields every 5,000 versions and
 * stops when its caller is gone; the history may grow meanwhile (the end is the one it had).
 */
export async function figuresAtForkPoints(history: GraphHistory, seqs: number[], signal?: AbortSignal): Promise<ForkPoints> {
  const endSeq = history.lastApplied ?? -Infinity;
  const end = history.at(endSeq);
  const points = [...new Set(seqs)].sort((a, b) => a - b);
  const per = { object: new KindTally(points.length), relation: new KindTally(points.length) };
  let n = 0;
  for (const kind of KINDS) {
    const t = per[kind];
    const endOf = end[kind === 'object' ? 'objects' : 'relations'] as ReadonlyMap<string, { type: string }>;
    const view = DIFF_VIEWS[kind] as (x: { type: string }) => unknown;
    for (const v of history.standings(kind, endSeq)) {
      if (++n % 5_000 === 0) {
        await yieldToEventLoop();
        signal?.throwIfAborted();
      }
      const [lo, hi] = [firstAtLeast(points, v.from), firstAtLeast(points, v.to)];
      if (lo === hi) continue; // no fork point in its time
      t.alive.add(lo, hi);
      let byType = t.byType.get(v.rec.type);
      if (!byType) t.byType.set(v.rec.type, (byType = new RangeCounts(points.length)));
      byType.add(lo, hi);
      const atEnd = endOf.get(v.id);
      if (atEnd) t.aliveAtEnd.add(lo, hi);
      const d = divergence(atEnd, v.rec, view); // never 'removed': the fork point's graph holds it
      if (d === 'created' || d === 'patched') t.differ[d].add(lo, hi);
    }
    t.endSize = endOf.size;
  }
  const figures = new Map<number, PointFigures>();
  const totals = (kind: 'object' | 'relation') => {
    const t = per[kind];
    const [alive, aliveAtEnd] = [t.alive.totals(), t.aliveAtEnd.totals()];
    const [created, patched] = [t.differ.created.totals(), t.differ.patched.totals()];
    const byType = [...t.byType].map(([type, c]) => [type, c.totals()] as const);
    return points.map((_, i) => ({
      size: alive[i]!,
      byType: sortedTally(new Map(byType.map(([type, c]) => [type, c[i]!]))),
      // An id at the end that the graph at the fork point lacks was created by the parent after it.
      vsEnd: { created: created[i]!, patched: patched[i]!, removed: t.endSize - aliveAtEnd[i]! },
    }));
  };
  const [objects, relations] = [totals('object'), totals('relation')];
  for (const [i, seq] of points.entries()) {
    const [o, r] = [objects[i]!, relations[i]!];
    figures.set(seq, {
      objects: o.size,
      relations: r.size,
      objectsByType: o.byType,
      relationsByType: r.byType,
      vsEnd: { created: o.vsEnd.created + r.vsEnd.created, patched: o.vsEnd.patched + r.vsEnd.patched, removed: o.vsEnd.removed + r.vsEnd.removed },
    });
  }
  return {
    end,
    at: (seq) => {
      const f = figures.get(seq);
      if (!f) throw new Error(`no figures at seq ${seq}: it is not one of the fork points asked for`);
      return f;
    },
  };
}

/**
 * A fork's figures: its fork point's, with each id its own events changed counted again as the
 * fork holds it (the fork point's record of it taken out, the fork's put in).
 */
export function forkFigures(point: PointFigures, fork: ForkGraph, parentEnd: GraphReader): PointFigures {
  const out = { ...point, vsEnd: { ...point.vsEnd } };
  for (const kind of KINDS) {
    const layer = kind === 'object' ? fork.objects : fork.relations;
    const atEnd = (kind === 'object' ? parentEnd.objects : parentEnd.relations) as ReadonlyMap<string, { type: string }>;
    const view = DIFF_VIEWS[kind] as (x: { type: string }) => unknown;
    const byType = new Map(Object.entries(kind === 'object' ? point.objectsByType : point.relationsByType));
    let size = kind === 'object' ? point.objects : point.relations;
    for (const id of layer.ownIds()) {
      const [before, now, e] = [layer.baseOf(id) as { type: string } | undefined, layer.get(id) as { type: string } | undefined, atEnd.get(id)];
      const was = divergence(e, before, view);
      if (was) out.vsEnd[was]--;
      const is = divergence(e, now, view);
      if (is) out.vsEnd[is]++;
      if (before) {
        size--;
        byType.set(before.type, (byType.get(before.type) ?? 0) - 1);
      }
      if (now) {
        size++;
        byType.set(now.type, (byType.get(now.type) ?? 0) + 1);
      }
    }
    if (kind === 'object') [out.objects, out.objectsByType] = [size, sortedTally(byType)];
    else [out.relations, out.relationsByType] = [size, sortedTally(byType)];
  }
  return out;
}

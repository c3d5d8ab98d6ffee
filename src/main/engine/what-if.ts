/**
 * What-if without re-running: the run's graph re-projected with some events left out (optionally
 * with everything they caused, following caused_by), as of any event, next to the real graph.
 * Nothing is written and no behavior runs again: it is a projection of the recorded log, so what
 * the left-out events would have caused downstream is only removed, never re-imagined.
 *
 * Leaving out the first event of a million-event run leaves out the whole run: the answer is its
 * counts, the first left-out events and the most connected differences, never a list per event.
 */
import type { DiffDetail } from '../../shared/model.js';
import { divergentEntities } from './diff.js';
import type { EventStore } from '../store/event-store.js';
import { mostConnected, SHOWN_ENTITIES } from './most-connected.js';
import { Graph, loadRun } from './projection.js';

/** How many left-out events the answer names (the rest are counted). */
export const SHOWN_EXCLUDED = 200;
/** How many dangling relations the answer names. */
const SHOWN_DANGLING = 20;
/** Progress is told every this many events read. */
const PROGRESS_EVERY = 50_000;

export interface WhatIfResult {
  asOfSeq: number | null;
  /** How many events were left out: the asked-for ones and (with consequences) what they caused. */
  excludedCount: number;
  /** The first left-out events in log order (at most SHOWN_EXCLUDED). */
  excluded: { seq: number; id: string; type: string; asked: boolean }[];
  real: { objects: number; relations: number };
  projected: { objects: number; relations: number };
  divergentObjects: number;
  divergentRelations: number;
  /**
   * Relations the what-if keeps whose source or target it removed (the object's creation left out,
   * the relation's not): projection keeps such a relation, pointing at nothing. The first ids, and how many.
   */
  dangling: { count: number; ids: string[] };
  /** The most connected differences (all of them when few). */
  objects: DiffDetail['objects'];
  relations: DiffDetail['relations'];
}

export async function whatIf(
  store: EventStore,
  runId: string,
  opts: { exclude: string[]; withConsequences: boolean; asOfSeq?: number; signal?: AbortSignal; onProgress?: (eventsRead: number) => void },
): Promise<WhatIfResult> {
  const asked = new Set(opts.exclude);
  const left = new Set<string>();
  const excluded: WhatIfResult['excluded'] = [];
  const projected = new Graph();
  let read = 0;
  const { graph: real, lastSeq } = await loadRun(store, runId, {
    untilSeq: opts.asOfSeq,
    signal: opts.signal,
    onEvent: (e, payload) => {
      if (++read % PROGRESS_EVERY === 0) opts.onProgress?.(read);
      // A cause precedes its effects, so one pass in log order finds every transitive consequence.
      const out = asked.has(e.id) || (opts.withConsequences && e.caused_by !== null && left.has(e.caused_by));
      if (out) {
        left.add(e.id);
        if (excluded.length < SHOWN_EXCLUDED) excluded.push({ seq: e.seq, id: e.id, type: e.type, asked: asked.has(e.id) });
      } else projected.apply(e.type, payload);
    },
  });
  const diff = divergentEntities(real, projected);
  const dangling = [...projected.relations.values()].filter((r) => [r.source, r.target].some((end) => !projected.objects.has(end) && real.objects.has(end)));
  return {
    asOfSeq: lastSeq,
    excludedCount: left.size,
    excluded,
    real: { objects: real.objects.size, relations: real.relations.size },
    projected: { objects: projected.objects.size, relations: projected.relations.size },
    divergentObjects: diff.objects.length,
    divergentRelations: diff.relations.length,
    dangling: { count: dangling.length, ids: dangling.slice(0, SHOWN_DANGLING).map((r) => r.id) },
    ...mostConnected(diff, SHOWN_ENTITIES),
  };
}

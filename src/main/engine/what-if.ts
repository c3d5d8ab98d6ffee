/**
 * What-if without re-running: the run's graph re-projected with some events left out (optionally
 * with everything they caused, following caused_by), as of any event, next to the real graph.
 * Nothing is written and no behavior runs again: it is a projection of the recorded log, so what
 * the left-out events would have caused downstream is only removed, never re-imagined.
 */
import type { DiffDetail } from '../../shared/model.js';
import { divergentEntities } from './diff.js';
import type { EventStore } from './event-store.js';
import { Graph, loadRun } from './projection.js';

export interface WhatIfResult {
  asOfSeq: number | null;
  /** The events left out, the asked-for ones and (with consequences) what they caused, in log order. */
  excluded: { seq: number; id: string; type: string; asked: boolean }[];
  real: { objects: number; relations: number };
  projected: { objects: number; relations: number };
  objects: DiffDetail['objects'];
  relations: DiffDetail['relations'];
}

export async function whatIf(
  store: EventStore,
  runId: string,
  opts: { exclude: string[]; withConsequences: boolean; asOfSeq?: number; signal?: AbortSignal },
): Promise<WhatIfResult> {
  const asked = new Set(opts.exclude);
  const left = new Set<string>();
  const excluded: WhatIfResult['excluded'] = [];
  const projected = new Graph();
  const { graph: real, lastSeq } = await loadRun(store, runId, {
    untilSeq: opts.asOfSeq,
    signal: opts.signal,
    onEvent: (e, payload) => {
      // A cause precedes its effects, so one pass in log order finds every transitive consequence.
      const out = asked.has(e.id) || (opts.withConsequences && e.caused_by !== null && left.has(e.caused_by));
      if (out) {
        left.add(e.id);
        excluded.push({ seq: e.seq, id: e.id, type: e.type, asked: asked.has(e.id) });
      } else projected.apply(e.type, payload);
    },
  });
  return {
    asOfSeq: lastSeq,
    excluded,
    real: { objects: real.objects.size, relations: real.relations.size },
    projected: { objects: projected.objects.size, relations: projected.relations.size },
    ...divergentEntities(real, projected),
  };
}

/**
 * Many runs side by side (a parent and its forks, a fork tree, any runs of a store): one row per
 * run with its fork point, the events after it, what its own part cost (executions, failures, LLM
 * calls, tokens, dollars: a fork's roll-up counts from its fork point, see spans.ts), its duration,
 * its objects and relations at the end by type, and how its end differs from its parent's (by
 * Active Graph's diff: created, patched, removed).
 */
import { resolveRunId } from './runs.js';
import { diffRuns } from './diff.js';
import { forkFigures, type ForkPoints, type PointFigures } from './fork-points.js';
import type { RunEnd } from './run-ends.js';
import { costsAfter, type CostTotals, type SpanIndex } from './spans.js';
import type { EventStore, RollupFigures } from '../store/event-store.js';

export interface RunFigures extends RollupFigures {
  run_id: string;
  label: string | null;
  parent_run_id: string | null;
  forked_at_event_id: string | null;
  /** Events of the run after its fork point (null for a run that is not a fork). */
  events_after_fork: number | null;
  /** Wall time from its first event to its last, in ms (null without two timestamps). */
  duration_ms: number | null;
  objects: number;
  relations: number;
  objects_by_type: Record<string, number>;
  relations_by_type: Record<string, number>;
  /** Its end against its parent's end (null for a root run, or a parent in another store). */
  vs_parent: { created: number; patched: number; removed: number } | null;
}

/** Where a matrix reads its runs from: the caller's caches where it has them. */
export interface MatrixSources {
  store: EventStore;
  /** The runs' end graphs (forks over their parents' histories where they share their logs; see run-ends). */
  ends(runIds: string[]): Promise<RunEnd[]>;
  /** A parent's graph at its forks' fork points against its end (its history read to the end). */
  forkPoints(runId: string, seqs: number[]): Promise<ForkPoints>;
  spans(runId: string): Promise<SpanIndex>;
  signal?: AbortSignal;
}

const byType = (items: Iterable<{ type: string }>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of items) out[x.type] = (out[x.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/** A parent's figures at the fork points of its forks among the runs, and its events through each. */
interface Family {
  points: ForkPoints;
  eventsThrough: Map<number, number>;
}

/**
 * The families among the runs: for each parent whose forks are read over its history, one pass
 * over that history for all their fork points, and the rows a fork copied counted once on the
 * parent, in one read up to the last fork point (a fork's copy is the parent's rows up to its fork
 * point, spec §7.4).
 */
async function familiesOf(src: MatrixSources, ends: RunEnd[]): Promise<Map<string, Family>> {
  const seqs = new Map<string, number[]>();
  for (const { over } of ends) if (over) seqs.set(over.parentId, [...(seqs.get(over.parentId) ?? []), over.parentSeq]);
  const out = new Map<string, Family>();
  for (const [parentId, at] of seqs) {
    const points = [...new Set(at)].sort((a, b) => a - b);
    const counts = await src.store.countsThrough(parentId, points);
    const eventsThrough = new Map(points.map((seq, i) => [seq, counts[i]!]));
    out.set(parentId, { points: await src.forkPoints(parentId, points), eventsThrough });
  }
  return out;
}

/** A run's end against its parent's end, as Active Graph's diff counts them. */
async function againstParent(src: MatrixSources, parentId: string, runId: string): Promise<NonNullable<RunFigures['vs_parent']>> {
  const d = await diffRuns(src.store, parentId, runId, src.signal);
  const out = { created: 0, patched: 0, removed: 0 };
  for (const e of [...d.objects, ...d.relations]) out[!e.in_parent ? 'created' : !e.in_fork ? 'removed' : 'patched']++;
  return out;
}

export async function runMatrix(src: MatrixSources, runIds: string[]): Promise<RunFigures[]> {
  const { store, signal } = src;
  for (const id of runIds) await resolveRunId(store, id);
  const ends = await src.ends(runIds);
  const families = await familiesOf(src, ends);
  const out: RunFigures[] = [];
  for (const end of ends) {
    const id = end.runId;
    const run = (await store.getRun(id))!;
    let events: number;
    let eventsAfterFork: number | null = null;
    let costs: CostTotals;
    let graph: PointFigures;
    let vsParent: RunFigures['vs_parent'] = null;
    if (end.over) {
      // A fork over its parent's history: its own part is read from its fork point only.
      const family = families.get(end.over.parentId)!;
      graph = forkFigures(family.points.at(end.over.parentSeq), end.over.fork, family.points.end);
      vsParent = graph.vsEnd;
      eventsAfterFork = end.over.ownEvents;
      events = family.eventsThrough.get(end.over.parentSeq)! + end.over.ownEvents;
      costs = await costsAfter(store, id, end.over.ownSeq, signal);
    } else {
      events = await store.countEvents(id);
      const cut = run.forked_at_event_id ? await store.getEvent(id, run.forked_at_event_id) : null;
      if (cut) eventsAfterFork = events - (await store.countsThrough(id, [cut.seq]))[0]!;
      costs = (await src.spans(id)).costs().run;
      const { objects, relations } = end.graph;
      graph = {
        objects: objects.size,
        relations: relations.size,
        objectsByType: byType(objects.values()),
        relationsByType: byType(relations.values()),
        vsEnd: { created: 0, patched: 0, removed: 0 },
      };
      if (run.parent_run_id && (await store.getRun(run.parent_run_id))) vsParent = await againstParent(src, run.parent_run_id, id);
    }
    const first = run.first_at ? Date.parse(run.first_at) : NaN;
    const last = run.last_at ? Date.parse(run.last_at) : NaN;
    out.push({
      run_id: id,
      label: run.label,
      parent_run_id: run.parent_run_id,
      forked_at_event_id: run.forked_at_event_id,
      events,
      events_after_fork: eventsAfterFork,
      executions: costs.invocations,
      failures: costs.failures,
      llm_calls: costs.llmCalls,
      tokens_in: costs.tokensIn,
      tokens_out: costs.tokensOut,
      cost_usd: costs.costUsd,
      duration_ms: Number.isFinite(first) && Number.isFinite(last) && last >= first ? last - first : null,
      objects: graph.objects,
      relations: graph.relations,
      objects_by_type: graph.objectsByType,
      relations_by_type: graph.relationsByType,
      vs_parent: vsParent,
    });
  }
  return out;
}

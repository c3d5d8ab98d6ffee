/**
 * Many runs side by side (a parent and its forks, a fork tree, any runs of a store): one row per
 * run with its fork point, the events after it, what its own part cost (executions, failures, LLM
 * calls, tokens, dollars: a fork's roll-up counts from its fork point, see spans.ts), its duration,
 * its objects and relations at the end by type, and how its end differs from its parent's (by
 * Active Graph's diff: created, patched, removed).
 */
import { resolveRunId } from './runs.js';
import { diffRuns, divergenceCounts } from './diff.js';
import { changedOver, type RunEnd } from './run-ends.js';
import type { ChangedIds } from './graph-history.js';
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
  /** What a parent's history changed after a seq (read to its end). */
  changedAfter(runId: string, seq: number): Promise<ChangedIds>;
  spans(runId: string): Promise<SpanIndex>;
  signal?: AbortSignal;
}

const byType = (items: Iterable<{ type: string }>): Record<string, number> => {
  const out: Record<string, number> = {};
  for (const x of items) out[x.type] = (out[x.type] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : 1)));
};

/** A fork's end against its parent's end, as Active Graph's diff counts them. */
async function againstParent(src: MatrixSources, end: RunEnd, parentId: string): Promise<NonNullable<RunFigures['vs_parent']>> {
  if (end.over?.parentId === parentId) {
    // The parent's end comes from the history the fork's layer starts from: only what either changed since can differ.
    const [parent] = await src.ends([parentId, end.runId]);
    return divergenceCounts(parent!.graph, end.graph, changedOver(await src.changedAfter(parentId, end.over.parentSeq), [end.over.fork]), src.signal);
  }
  const d = await diffRuns(src.store, parentId, end.runId, src.signal);
  const out = { created: 0, patched: 0, removed: 0 };
  for (const e of [...d.objects, ...d.relations]) out[!e.in_parent ? 'created' : !e.in_fork ? 'removed' : 'patched']++;
  return out;
}

export async function runMatrix(src: MatrixSources, runIds: string[]): Promise<RunFigures[]> {
  const { store, signal } = src;
  for (const id of runIds) await resolveRunId(store, id);
  const ends = await src.ends(runIds);
  const out: RunFigures[] = [];
  for (const end of ends) {
    const id = end.runId;
    const run = (await store.getRun(id))!;
    const events = await store.countEvents(id);
    let eventsAfterFork: number | null = null;
    let costs: CostTotals;
    if (end.over) {
      // A fork over its parent's history: its own part is read from its fork point only.
      eventsAfterFork = end.over.ownEvents;
      costs = await costsAfter(store, id, end.over.ownSeq, signal);
    } else {
      const cut = run.forked_at_event_id ? await store.getEvent(id, run.forked_at_event_id) : null;
      if (cut) eventsAfterFork = await store.countEvents(id, { where: `seq > ${cut.seq}` }); // an event query: its values become parameters
      costs = (await src.spans(id)).costs().run;
    }
    const vsParent = run.parent_run_id && (await store.getRun(run.parent_run_id)) ? await againstParent(src, end, run.parent_run_id) : null;
    const first = run.first_at ? Date.parse(run.first_at) : NaN;
    const last = run.last_at ? Date.parse(run.last_at) : NaN;
    const graph = end.graph;
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
      objects: graph.objects.size,
      relations: graph.relations.size,
      objects_by_type: byType(graph.objects.values()),
      relations_by_type: byType(graph.relations.values()),
      vs_parent: vsParent,
    });
  }
  return out;
}

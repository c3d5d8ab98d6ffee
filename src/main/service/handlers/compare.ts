/** Comparing two runs, of one store or of two (the reply lists the most connected divergent entities), and many runs side by side. */
import { diffRuns } from '../../engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../engine/most-connected.js';
import { resolveRunId } from '../../engine/runs.js';
import { runMatrix } from '../../engine/run-matrix.js';
import { changedFields, runDifferences, type RunDifference } from '../../engine/run-differences.js';
import { familyCandidates } from '../../engine/run-ends.js';
import { alignSteps, stepsAfter, type AlignedRow } from '../../engine/aligned-steps.js';
import { restSpans, type SpanIndex } from '../../engine/spans.js';
import { BEFORE_FIRST_SEQ } from '../../store/event-store.js';
import type { OpenStore } from '../store-registry.js';
import type { Handlers, ServiceContext } from './context.js';

/** How long one fleet call rolls up before it answers with what it has. */
const FLEET_STEP_MS = 700;
/** How old a run list the fleet's steps reuse (the window asks again every 10 s once complete). */
const FLEET_LIST_MS = 5_000;

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff' | 'compareRuns' | 'runDifferences' | 'alignedSteps' | 'fleet'> {
  /**
   * A dialog pages through one comparison at a time: its pages come from one computation, kept
   * (the last one of each kind) until one of its runs grows.
   */
  const last = new Map<string, { key: string; value: unknown }>();
  const once = async <T>(kind: string, s: OpenStore, runIds: string[], compute: () => Promise<T>): Promise<T> => {
    const key = JSON.stringify([s.id, runIds, await Promise.all(runIds.map(async (id) => (await s.store.getRun(id))?.last_seq ?? null))]);
    const kept = last.get(kind);
    if (kept?.key === key) return kept.value as T;
    const value = await compute();
    last.set(kind, { key, value });
    return value;
  };
  return {
    diff: async ({ storeId, runA, runB, storeIdB, limit }, signal) => {
      const a = registry.get(storeId);
      const b = storeIdB ? registry.get(storeIdB) : a;
      await resolveRunId(a.store, runA);
      await resolveRunId(b.store, runB);
      return mostConnected(await diffRuns(a.store, runA, runB, signal, b.store), limit ?? SHOWN_ENTITIES);
    },
    runDifferences: async ({ storeId, runIds, offset, limit }, signal) => {
      const s = registry.get(storeId);
      for (const runId of runIds) await resolveRunId(s.store, runId);
      const all = await once('differences', s, runIds, async (): Promise<RunDifference[]> => {
        const ends = await s.ends.ends(runIds, signal);
        const candidates = await familyCandidates(ends, (parentId, seq) => s.ends.changedAfter(parentId, seq, signal));
        return runDifferences(
          ends.map((e) => e.graph),
          candidates,
          signal,
        );
      });
      return { total: all.length, entities: all.slice(offset, offset + limit).map((e) => ({ ...e, changed: changedFields(e.values) })) };
    },
    fleet: async ({ storeId }, signal) => {
      const s = registry.get(storeId);
      const runs = await s.fleet.runList(FLEET_LIST_MS);
      // A bounded step: the window asks again until the answer is complete, and again as runs grow.
      return s.fleet.step(runs, FLEET_STEP_MS, signal);
    },
    alignedSteps: async ({ storeId, runIds, offset, limit }, signal) => {
      const s = registry.get(storeId);
      for (const runId of runIds) await resolveRunId(s.store, runId);
      const { after, rows } = await once('steps', s, runIds, () => alignedSteps(s, runIds, (runId) => registry.spans(s, runId, signal), signal));
      return { after, total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    compareRuns: async ({ storeId, runIds }, signal) => {
      const s = registry.get(storeId);
      return runMatrix(
        {
          store: s.store,
          spans: (runId) => registry.spans(s, runId, signal),
          ends: (runIds) => s.ends.ends(runIds, signal),
          forkPoints: (runId, seqs) => s.ends.forkPoints(runId, seqs, signal),
          signal,
        },
        runIds,
      );
    },
  };
}

/** What each run did after its fork point (a fork's own part; a parent's after its earliest fork's among these), aligned. */
async function alignedSteps(
  s: OpenStore,
  runIds: string[],
  spansOf: (runId: string) => Promise<SpanIndex>,
  signal: AbortSignal,
): Promise<{ after: (number | null)[]; rows: AlignedRow[] }> {
  const runs = await Promise.all(runIds.map(async (id) => (await s.store.getRun(id))!));
  const after = await Promise.all(runs.map(async (r) => (r.forked_at_event_id ? ((await s.store.getEvent(r.run_id, r.forked_at_event_id))?.seq ?? null) : null)));
  for (const [i, r] of runs.entries()) {
    if (after[i] !== null) continue;
    const points = await Promise.all(runs.filter((f) => f.parent_run_id === r.run_id && f.forked_at_event_id).map((f) => s.store.getEvent(r.run_id, f.forked_at_event_id!)));
    const seqs = points.flatMap((p) => (p ? [p.seq] : []));
    after[i] = seqs.length ? Math.min(...seqs) : null;
  }
  const steps = [];
  for (const [i, runId] of runIds.entries()) {
    // A fork's own part alone is read; a parent's spans are the ones its views keep.
    const index = runs[i]!.forked_at_event_id && after[i] !== null ? await restSpans(s.store, runId, after[i]!, signal) : await spansOf(runId);
    steps.push(stepsAfter(index, after[i] ?? BEFORE_FIRST_SEQ));
  }
  return { after, rows: alignSteps(steps) };
}

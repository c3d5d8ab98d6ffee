/** Comparing two runs, of one store or of two (the reply lists the most connected divergent entities), and many runs side by side. */
import { diffRuns } from '../../engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../engine/most-connected.js';
import { resolveRunId } from '../../engine/runs.js';
import { runMatrix } from '../../engine/run-matrix.js';
import { changedFields, runDifferences, type RunDifference } from '../../engine/run-differences.js';
import { familyCandidates } from '../../engine/run-ends.js';
import { alignSteps, stepsAfter } from '../../engine/aligned-steps.js';
import { restSpans } from '../../engine/spans.js';
import { BEFORE_FIRST_SEQ } from '../../store/event-store.js';
import type { Handlers, ServiceContext } from './context.js';

/** How long one fleet call rolls up before it answers with what it has. */
const FLEET_STEP_MS = 700;

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff' | 'compareRuns' | 'runDifferences' | 'alignedSteps' | 'fleet'> {
  /** The last comparison's differences (a dialog pages through one comparison at a time). */
  let lastDifferences: { key: string; all: RunDifference[] } | null = null;
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
      // The pages of one comparison come from one computation, until a run grows.
      const key = JSON.stringify([storeId, runIds, await Promise.all(runIds.map(async (id) => (await s.store.getRun(id))?.last_seq ?? null))]);
      if (lastDifferences?.key !== key) {
        const ends = await s.ends.ends(runIds, signal);
        const candidates = await familyCandidates(ends, (parentId, seq) => s.ends.changedAfter(parentId, seq, signal));
        lastDifferences = {
          key,
          all: await runDifferences(
            ends.map((e) => e.graph),
            candidates,
            signal,
          ),
        };
      }
      const { all } = lastDifferences;
      return { total: all.length, entities: all.slice(offset, offset + limit).map((e) => ({ ...e, changed: changedFields(e.values) })) };
    },
    fleet: async ({ storeId }, signal) => {
      const s = registry.get(storeId);
      const runs = await s.store.listRuns({ counts: false });
      // A bounded step: the window asks again until the answer is complete, and again as runs grow.
      await s.fleet.refresh(runs, Date.now() + FLEET_STEP_MS, signal);
      return s.fleet.view(runs);
    },
    alignedSteps: async ({ storeId, runIds, offset, limit }, signal) => {
      const s = registry.get(storeId);
      for (const runId of runIds) await resolveRunId(s.store, runId);
      const runs = await Promise.all(runIds.map(async (id) => (await s.store.getRun(id))!));
      // A fork's own part starts after its fork point; a parent's after its earliest fork's among these.
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
        const index = runs[i]!.forked_at_event_id && after[i] !== null ? await restSpans(s.store, runId, after[i]!, signal) : await registry.spans(s, runId, signal);
        steps.push(stepsAfter(index, after[i] ?? BEFORE_FIRST_SEQ));
      }
      const rows = alignSteps(steps);
      return { after, total: rows.length, rows: rows.slice(offset, offset + limit) };
    },
    compareRuns: async ({ storeId, runIds }, signal) => {
      const s = registry.get(storeId);
      return runMatrix(
        {
          store: s.store,
          spans: (runId) => registry.spans(s, runId, signal),
          ends: (runIds) => s.ends.ends(runIds, signal),
          changedAfter: (runId, seq) => s.ends.changedAfter(runId, seq, signal),
          signal,
        },
        runIds,
      );
    },
  };
}

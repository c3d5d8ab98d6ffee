/** Comparing two runs, of one store or of two (the reply lists the most connected divergent entities), and many runs side by side. */
import { diffRuns } from '../../engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../engine/most-connected.js';
import { resolveRunId } from '../../engine/runs.js';
import { runMatrix } from '../../engine/run-matrix.js';
import { changedFields, runDifferences, type RunDifference } from '../../engine/run-differences.js';
import { familyCandidates } from '../../engine/run-ends.js';
import { runsAlignedSteps } from '../../engine/aligned-steps.js';
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
      const { after, rows } = await once('steps', s, runIds, () => runsAlignedSteps(s.store, runIds, (runId) => registry.spans(s, runId, signal), signal));
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

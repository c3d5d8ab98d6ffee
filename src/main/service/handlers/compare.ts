/** Comparing two runs, of one store or of two (the reply lists the most connected divergent entities), and many runs side by side. */
import { diffRuns } from '../../engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../engine/most-connected.js';
import { resolveRunId } from '../../engine/runs.js';
import { runMatrix } from '../../engine/run-matrix.js';
import { runDifferences } from '../../engine/run-differences.js';
import { familyCandidates } from '../../engine/run-ends.js';
import type { Handlers, ServiceContext } from './context.js';

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff' | 'compareRuns' | 'runDifferences'> {
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
      const ends = await s.ends.ends(runIds, signal);
      const candidates = await familyCandidates(ends, (parentId, seq) => s.ends.changedAfter(parentId, seq, signal));
      const all = runDifferences(
        ends.map((e) => e.graph),
        candidates,
      );
      return { total: all.length, entities: all.slice(offset, offset + limit) };
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

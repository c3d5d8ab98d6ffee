/** Comparing two runs, of one store or of two; the reply lists the most connected divergent entities. */
import { diffRuns } from '../../engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../engine/most-connected.js';
import { resolveRunId } from '../../engine/runs.js';
import type { Handlers, ServiceContext } from './context.js';

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff'> {
  return {
    diff: async ({ storeId, runA, runB, storeIdB, limit }, signal) => {
      const a = registry.get(storeId);
      const b = storeIdB ? registry.get(storeIdB) : a;
      await resolveRunId(a.store, runA);
      await resolveRunId(b.store, runB);
      return mostConnected(await diffRuns(a.store, runA, runB, signal, b.store), limit ?? SHOWN_ENTITIES);
    },
  };
}

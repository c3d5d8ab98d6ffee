/** Comparing two runs, of one store or of two. */
import { diffRuns } from '../../engine/diff.js';
import { resolveRunId } from '../../engine/runs.js';
import type { Handlers, ServiceContext } from './context.js';

export function compareHandlers({ registry }: ServiceContext): Handlers<'diff'> {
  return {
    diff: async ({ storeId, runA, runB, storeIdB }, signal) => {
      const a = registry.get(storeId);
      const b = storeIdB ? registry.get(storeIdB) : a;
      await resolveRunId(a.store, runA);
      await resolveRunId(b.store, runB);
      return diffRuns(a.store, runA, runB, signal, b.store);
    },
  };
}

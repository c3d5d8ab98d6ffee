/** Promoting a fork into its parent from the app: the plan (a dry run) and, when asked, applying it. */
import { promoteChanges, promoteFork, type PromoteSides } from '../../usecases/promote.js';
import type { Handlers, ServiceContext } from './context.js';

export function promoteHandlers({ registry, pushes }: ServiceContext): Handlers<'promote'> {
  return {
    promote: async ({ storeId, parentRunId, forkRunId, dryRun }, signal) => {
      let sides: PromoteSides | undefined;
      const plan = await promoteFork(registry.get(storeId).store, parentRunId, forkRunId, { dryRun, signal, onSides: (x) => (sides = x) });
      if (plan.marker_event_id) {
        registry.forget(storeId);
        pushes.send('storeChanged', { storeId });
      }
      return { ...plan, changes: promoteChanges(plan, sides!) };
    },
  };
}

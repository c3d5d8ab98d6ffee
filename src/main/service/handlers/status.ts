/** A run's status() snapshot, its governance record, and watching a run another process is writing. */
import { governanceEvents } from '../../engine/governance.js';
import { resolveRunId } from '../../engine/runs.js';
import { runStatus } from '../../engine/status.js';
import type { Handlers, ServiceContext } from './context.js';

export function statusHandlers({ registry, watcher, pushes }: ServiceContext): Handlers<'status' | 'statusExtras' | 'watchRun' | 'governance'> {
  return {
    governance: async ({ storeId, runId, limit }, signal) => governanceEvents(registry.get(storeId).store, runId, limit ?? 200, signal),
    status: async ({ storeId, runId, tail }, signal) => {
      const s = registry.get(storeId);
      await resolveRunId(s.store, runId);
      // The count comes from the run's row index, which the open timeline keeps (and extends as the run grows).
      const eventsProcessed = (await registry.timeline(s, runId, undefined, signal)).total;
      return { status: await runStatus(s.store, runId, tail, signal, { eventsProcessed }), extras: registry.statusTracker(s, runId).known() };
    },
    // Frames and failures: a pass over the run's rows the first time (progress is pushed), its new rows after.
    statusExtras: async ({ storeId, runId }, signal) => {
      const s = registry.get(storeId);
      await resolveRunId(s.store, runId);
      const total = (await registry.timeline(s, runId, undefined, signal)).total;
      return registry
        .statusTracker(s, runId)
        .current(signal, (done) => pushes.send('progress', { operation: 'statusExtras', done, total, label: `reading the frames and failures of ${runId}` }));
    },
    watchRun: async ({ storeId, runId, watch }) => {
      watcher.set(storeId, runId, watch);
      return { watching: watch };
    },
  };
}

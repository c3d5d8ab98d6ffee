/** What-if: the graph without some events, as of an event, against the real one. */
import { whatIf } from '../../engine/what-if.js';
import type { Handlers, ServiceContext } from './context.js';

export function whatIfHandlers({ registry, pushes }: ServiceContext): Handlers<'whatIf'> {
  return {
    whatIf: async ({ storeId, runId, exclude, withConsequences, asOfSeq }, signal) =>
      whatIf(registry.get(storeId).store, runId, {
        exclude,
        withConsequences,
        asOfSeq,
        signal,
        onProgress: (done) => pushes.send('progress', { operation: 'whatIf', done, total: null, label: `projecting ${runId} without ${exclude.length} event(s)` }),
      }),
  };
}

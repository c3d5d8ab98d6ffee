/** What-if: the graph without some events, as of an event, against the real one. */
import { whatIf } from '../../engine/what-if.js';
import type { Handlers, ServiceContext } from './context.js';

export function whatIfHandlers({ registry }: ServiceContext): Handlers<'whatIf'> {
  return {
    whatIf: async ({ storeId, runId, exclude, withConsequences, asOfSeq }, signal) => whatIf(registry.get(storeId).store, runId, { exclude, withConsequences, asOfSeq, signal }),
  };
}

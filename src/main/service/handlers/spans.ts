/** Spans and what a run cost: the waterfall, the timeline's durations and the cost roll-up. */
import { spanWindow } from '../../engine/spans.js';
import type { Handlers, ServiceContext } from './context.js';

export function spanHandlers({ registry }: ServiceContext): Handlers<'runCosts' | 'spans' | 'spanTimes'> {
  return {
    runCosts: async ({ storeId, runId }, signal) => (await registry.spans(registry.get(storeId), runId, signal)).costs(),
    spans: async ({ storeId, runId, width, from, to }, signal) => spanWindow(await registry.spans(registry.get(storeId), runId, signal), width, from, to),
    spanTimes: async ({ storeId, runId, eventIds }, signal) => {
      const index = await registry.spans(registry.get(storeId), runId, signal);
      return eventIds.flatMap((eventId) => {
        const s = index.spanOf(eventId);
        if (!s) return [];
        const durationMs = s.start !== null && s.end !== null ? s.end - s.start : null;
        return [{ eventId, spanId: s.id, endId: s.endId, kind: s.kind, durationMs, status: s.status }];
      });
    },
  };
}

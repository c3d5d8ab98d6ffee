/** A run's trace (export-trace) as lines, capped for the window. */
import { exportTrace } from '../../engine/trace.js';
import type { Handlers, ServiceContext } from './context.js';

export function exportHandlers({ registry }: ServiceContext): Handlers<'exportTrace'> {
  return {
    exportTrace: async ({ storeId, runId, format, maxLines }, signal) => {
      const { store } = registry.get(storeId);
      const lines: string[] = [];
      const cap = maxLines ?? 100_000;
      for await (const line of exportTrace(store, runId, format, signal)) {
        if (lines.length >= cap) return { lines, truncated: true };
        lines.push(line);
      }
      return { lines, truncated: false };
    },
  };
}

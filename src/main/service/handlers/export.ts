/** A run's trace (export-trace), page by page: the window writes the pages to the file the user saves. */
import { exportTracePage } from '../../usecases/export-trace.js';
import type { Handlers, ServiceContext } from './context.js';

export function exportHandlers({ registry }: ServiceContext): Handlers<'exportTrace'> {
  return {
    exportTrace: async ({ storeId, runId, format, after, maxLines }, signal) => exportTracePage(registry.get(storeId).store, runId, format, { after, maxLines, signal }),
  };
}

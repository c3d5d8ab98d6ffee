/**
 * A run's trace (export-trace) and its OpenTelemetry traces (export-otlp), page by page: the window
 * writes the pages to the file the user saves. An OTLP export is a walk over the run kept between
 * its calls; one left unasked for a minute is ended.
 */
import { randomUUID } from 'node:crypto';
import { InspectorError, ExitCode } from '../../base/errors.js';
import { exportTracePage } from '../../usecases/export-trace.js';
import { otlpBody, otlpExport, type OtlpExport } from '../../usecases/export-otlp.js';
import type { Handlers, ServiceContext } from './context.js';

/** Spans per page: an OTLP request of the window's stays well under its 5 MB replies. */
const PAGE_SPANS = 64;
const IDLE_MS = 60_000;

export function exportHandlers({ registry }: ServiceContext): Handlers<'exportTrace' | 'exportOtlp'> {
  const exports = new Map<string, { walk: OtlpExport; ctl: AbortController; timer: ReturnType<typeof setTimeout> }>();
  const end = (id: string) => {
    const e = exports.get(id);
    if (!e) return;
    clearTimeout(e.timer);
    e.ctl.abort();
    exports.delete(id);
  };
  return {
    exportTrace: async ({ storeId, runId, format, after, maxLines }, signal) => exportTracePage(registry.get(storeId).store, runId, format, { after, maxLines, signal }),
    exportOtlp: async ({ storeId, runId, exportId }) => {
      let id = exportId;
      if (id === undefined) {
        id = randomUUID();
        const ctl = new AbortController();
        exports.set(id, { walk: await otlpExport(registry.get(storeId).store, runId, ctl.signal, PAGE_SPANS), ctl, timer: setTimeout(() => end(id!), IDLE_MS) });
      }
      const e = exports.get(id);
      if (!e)
        throw new InspectorError('ExportExpired', {
          summary: 'the export ended before it was finished',
          whatFailed: `The OpenTelemetry export ${id} is no longer kept`,
          why: 'An export not asked for its next part for a minute is ended, to free what it holds.',
          howToFix: 'Save the run as OpenTelemetry traces again.',
          exitCode: ExitCode.generic,
        });
      e.timer.refresh();
      const next = await e.walk.batches.next();
      if (next.done) end(id);
      const line = next.done ? null : Buffer.from(otlpBody(next.value, 'http/json')).toString('utf8');
      return { exportId: id, line, done: Boolean(next.done), spans: e.walk.counts.spans, spanEvents: e.walk.counts.spanEvents };
    },
  };
}

/**
 * A run's trace (export-trace), its OpenTelemetry traces (export-otlp) and its offline page
 * (save-page), part by part: the window writes the parts to the file the user saves. An OTLP export
 * or a page is a walk kept between its calls; one left unasked for a minute is ended.
 */
import { randomUUID } from 'node:crypto';
import { InspectorError, ExitCode } from '../../base/errors.js';
import { pageViewer } from '../../paths.js';
import { storeDisplayName } from '../../store/store-url.js';
import { exportTracePage } from '../../usecases/export-trace.js';
import { otlpBody, otlpExport } from '../../usecases/export-otlp.js';
import { pageHtml, pagePlan, runPage } from '../../usecases/save-page.js';
import type { Handlers, ServiceContext } from './context.js';

/** Spans per OTLP part, characters per page part: each answer stays well under the window's 5 MB. */
const OTLP_PART_SPANS = 64;
const PAGE_PART_CHARS = 2 * 1024 * 1024;
const IDLE_MS = 60_000;

interface Walk {
  parts: AsyncIterator<string>;
  ctl: AbortController;
  timer: ReturnType<typeof setTimeout>;
  counts?: { spans: number; spanEvents: number };
}

/** Walks kept between their calls, each ended when done or left idle. */
function walks() {
  const kept = new Map<string, Walk>();
  const end = (id: string) => {
    const w = kept.get(id);
    if (!w) return;
    clearTimeout(w.timer);
    w.ctl.abort();
    kept.delete(id);
  };
  return {
    start(make: (signal: AbortSignal) => Promise<Omit<Walk, 'ctl' | 'timer'>>): Promise<string> {
      const id = randomUUID();
      const ctl = new AbortController();
      return make(ctl.signal).then((w) => (kept.set(id, { ...w, ctl, timer: setTimeout(() => end(id), IDLE_MS) }), id));
    },
    async next(id: string): Promise<{ part: string | null; done: boolean; walk: Walk }> {
      const w = kept.get(id);
      if (!w)
        throw new InspectorError('ExportExpired', {
          summary: 'the export ended before it was finished',
          whatFailed: `The export ${id} is no longer kept`,
          why: 'An export not asked for its next part for a minute is ended, to free what it holds.',
          howToFix: 'Save it again.',
          exitCode: ExitCode.generic,
        });
      w.timer.refresh();
      const r = await w.parts.next();
      if (r.done) end(id);
      return { part: r.done ? null : r.value, done: Boolean(r.done), walk: w };
    },
  };
}

async function* slices(text: string): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += PAGE_PART_CHARS) yield text.slice(i, i + PAGE_PART_CHARS);
}

export function exportHandlers({ registry }: ServiceContext): Handlers<'exportTrace' | 'exportOtlp' | 'pagePlan' | 'savePage'> {
  const otlp = walks();
  const pages = walks();
  return {
    exportTrace: async ({ storeId, runId, format, after, maxLines }, signal) => exportTracePage(registry.get(storeId).store, runId, format, { after, maxLines, signal }),
    exportOtlp: async ({ storeId, runId, exportId }) => {
      const id =
        exportId ??
        (await otlp.start(async (signal) => {
          const s = registry.get(storeId);
          const walk = await otlpExport(s.store, runId, () => registry.spans(s, runId, signal), signal, OTLP_PART_SPANS);
          const lines = (async function* () {
            for await (const batch of walk.batches) yield Buffer.from(otlpBody(batch, 'http/json')).toString('utf8');
          })();
          return { parts: lines, counts: walk.counts };
        }));
      const { part, done, walk } = await otlp.next(id);
      return { exportId: id, line: part, done, spans: walk.counts!.spans, spanEvents: walk.counts!.spanEvents };
    },
    pagePlan: async ({ storeId, runId, maxEvents, around }) => pagePlan(registry.get(storeId).store, runId, { maxEvents, around, viewerBytes: pageViewer().bytes }),
    savePage: async ({ storeId, runId, maxEvents, around, exportId }) => {
      const id =
        exportId ??
        (await pages.start(async (signal) => {
          const s = registry.get(storeId);
          const plan = await pagePlan(s.store, runId, { maxEvents, around, viewerBytes: pageViewer().bytes });
          const html = pageHtml(await runPage(s.store, plan, storeDisplayName(s.url), () => registry.spans(s, runId, signal), signal), pageViewer());
          return { parts: slices(html) };
        }));
      const { part, done } = await pages.next(id);
      return { exportId: id, part, done };
    },
  };
}

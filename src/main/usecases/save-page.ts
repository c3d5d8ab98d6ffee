/**
 * A run as one offline page: a single HTML file with the viewer (timeline, event detail, graph as
 * of any event, waterfall) and the run's data, no network, no server, no token. A run bigger than
 * the page allows keeps a window of events (around an event, or from the start); the plan says
 * what it keeps and about how big the file is before anything is written.
 */
import { pyLoadsFast } from '../base/pyjson.js';
import type { PageEvent, PageSpan, RunPage } from '../../shared/offline-page.js';
import { GraphChanges } from '../engine/graph-changes.js';
import { loadRun, replayInto } from '../engine/projection.js';
import { resolveRunId } from '../engine/runs.js';
import type { SpanIndex } from '../engine/spans.js';
import { BEFORE_FIRST_SEQ, scanEvents, type EventStore } from '../store/event-store.js';
import { eventNotFound } from '../base/errors.js';

/** Events a page keeps by default: a browser opens it at once, and the file stays in tens of MB. */
export const PAGE_MAX_EVENTS = 20_000;

export interface PagePlan {
  runId: string;
  eventsTotal: number;
  fromSeq: number | null;
  toSeq: number | null;
  kept: number;
  whole: boolean;
  /** About how big the file will be (the kept events' payloads twice, as events and graph records, and the viewer). */
  approxBytes: number;
}

/** What a page of the run keeps: all its events, or `maxEvents` of them around `around` (else from the start). */
export async function pagePlan(store: EventStore, runId: string, opts: { maxEvents?: number; around?: string; viewerBytes: number }): Promise<PagePlan> {
  await resolveRunId(store, runId);
  const max = opts.maxEvents ?? PAGE_MAX_EVENTS;
  const total = await store.countEvents(runId);
  let after = BEFORE_FIRST_SEQ;
  if (total > max && opts.around) {
    const at = await store.getEvent(runId, opts.around);
    if (!at) throw eventNotFound(opts.around, runId, 'save-page');
    const before = await store.eventsBefore(runId, at.seq, Math.floor(max / 2));
    after = before.length ? before[0]!.seq - 1 : at.seq - 1;
  }
  const seqs = await store.seqsAfter(runId, after, max);
  let payloadBytes = 0;
  for await (const chunk of scanEvents(store, runId, { afterSeq: after, untilSeq: seqs[seqs.length - 1] })) for (const e of chunk) payloadBytes += e.payload.length;
  return {
    runId,
    eventsTotal: total,
    fromSeq: seqs[0] ?? null,
    toSeq: seqs[seqs.length - 1] ?? null,
    kept: seqs.length,
    whole: seqs.length === total,
    approxBytes: Math.round(payloadBytes * 2 + seqs.length * 220 + opts.viewerBytes),
  };
}

/** The page's data for a plan. */
/** `spanIndex`: the run's span index (the host's cached one, or the CLI's own). */
export async function runPage(store: EventStore, plan: PagePlan, storeName: string, spanIndex: () => Promise<SpanIndex>, signal?: AbortSignal): Promise<RunPage> {
  const { runId, fromSeq, toSeq } = plan;
  const run = (await store.getRun(runId))!;
  const events: PageEvent[] = [];
  if (fromSeq !== null)
    for await (const chunk of scanEvents(store, runId, { afterSeq: fromSeq - 1, untilSeq: toSeq!, signal }))
      for (const e of chunk) {
        let payload: unknown;
        let corrupted: true | undefined;
        try {
          payload = pyLoadsFast(e.payload);
        } catch {
          [payload, corrupted] = [e.payload, true];
        }
        events.push({
          seq: e.seq,
          id: e.id,
          type: e.type,
          actor: e.actor,
          caused_by: e.caused_by,
          frame_id: e.frame_id,
          timestamp: e.timestamp,
          payload,
          ...(corrupted ? { corrupted } : {}),
        });
      }
  // The graph before the window, then what each kept event changed. A damaged payload ends the graph there, as a load would.
  const first = events[0]?.seq;
  const from = plan.whole || first === undefined ? null : (await loadRun(store, runId, { untilSeq: first - 1, signal }).catch(() => null))?.graph;
  const recorder = new GraphChanges(from ?? undefined);
  const base = { objects: from ? [...from.objects.values()] : [], relations: from ? [...from.relations.values()] : [] };
  let graphError: string | null = null;
  if (toSeq !== null)
    try {
      await replayInto(store, runId, recorder, { ...(plan.whole ? {} : { afterSeq: first! - 1 }), untilSeq: toSeq, signal });
    } catch (err) {
      if (signal?.aborted) throw err;
      graphError = (err as Error).message;
    }
  const index = await spanIndex();
  const keptAt = new Map<number, number>();
  const spans: PageSpan[] = [];
  index.spans.forEach((s, i) => {
    if (fromSeq === null || s.seq < fromSeq || s.seq > toSeq!) return;
    keptAt.set(i, spans.length);
    spans.push({ id: s.id, kind: s.kind, name: s.name, start: s.start, end: s.end, status: s.status, parent: keptAt.get(s.parent) ?? -1, depth: s.depth });
  });
  return {
    version: 1,
    savedAt: new Date().toISOString(),
    store: storeName,
    run: { run_id: runId, label: run.label, goal: run.goal, parent_run_id: run.parent_run_id, forked_at_event_id: run.forked_at_event_id },
    eventsTotal: plan.eventsTotal,
    kept: { events: events.length, fromSeq, toSeq, whole: plan.whole },
    events,
    base,
    changes: recorder.changes,
    graphError,
    spans,
  };
}

/** The page: the viewer and the data in one HTML file, which a strict policy keeps off the network. */
export function pageHtml(page: RunPage, viewer: { js: string; css: string }): string {
  // Inside a <script>, `</` would end it: the data and the code escape it.
  const data = JSON.stringify(page).replace(/</g, '\\u003c');
  const title = (page.run.label ?? page.run.goal ?? page.run.run_id).replace(/[<>&"]/g, (c) => `&#${c.charCodeAt(0)};`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8" />
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:" />
<meta name="viewport" content="width=device-width, initial-scale=1" />
<meta name="color-scheme" content="light dark" />
<title>${title} · Run Inspector</title>
<style>${viewer.css}</style>
</head>
<body>
<div id="page"></div>
<script type="application/json" id="run-page">${data}</script>
<script>${viewer.js.replace(/<\/script/gi, '<\\/script')}</script>
</body>
</html>
`;
}

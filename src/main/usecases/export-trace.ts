/** `export-trace` (spec §12): JSONL of the hot log, or the trace printer's replay lines. */
import { scanEvents, type EventStore, type StoredEvent } from '../store/event-store.js';
import { decodePayloadExact } from '../engine/projection.js';
import { pyDumps, pyStr } from '../base/pyjson.js';

/** Trace printer tag: bracketed, padded to 26; a tag of 26+ characters gets one space. */
export function traceTag(tag: string): string {
  const t = `[${tag}]`;
  return t.length >= 26 ? t + ' ' : t.padEnd(26);
}

/** A field in a trace line as Python's f-string prints it (objects as their repr, not `[object Object]`). */
const str = (v: unknown): string => (v === null || v === undefined ? '' : pyStr(v));

/** The body of a `[replay.event]` line. */
export function replayLine(e: StoredEvent, payload: unknown): string {
  const p = (payload ?? {}) as Record<string, any>;
  let extra = '';
  switch (e.type) {
    case 'object.created': {
      const o = p.object ?? {};
      const title = o.data?.title || o.data?.text;
      extra = ` ${str(o.id)}` + (title ? ` "${str(title)}"` : '');
      break;
    }
    case 'relation.created': {
      const r = p.relation ?? {};
      extra = ` ${str(r.source)} --${str(r.type)}--> ${str(r.target)}`;
      break;
    }
    case 'patch.applied':
      extra = ` ${str(p.target)}`;
      break;
    case 'goal.created':
      extra = ` "${str(p.goal)}"`;
      break;
    case 'behavior.started':
    case 'behavior.completed':
    case 'behavior.failed':
    case 'relation_behavior.started':
      extra = ` ${str(p.behavior)}`;
      break;
  }
  return `${traceTag('replay.event')}${e.id} ${e.type}${extra}`;
}

/** One event's export line. */
function traceLine(e: StoredEvent, runId: string, format: TraceFormat): string {
  const payload = decodePayloadExact(e, runId); // exact: 2.0 prints as 2.0, dicts in their own key order
  return format === 'jsonl'
    ? pyDumps({ id: e.id, type: e.type, payload, actor: e.actor, frame_id: e.frame_id, caused_by: e.caused_by, timestamp: e.timestamp })
    : replayLine(e, payload);
}

/** The text trace's closing lines, after `events` events (none for an empty run). */
function traceTrailer(format: TraceFormat, events: number): string[] {
  return format === 'text' && events > 0 ? [`${traceTag('replay.complete')}${events} events replayed, graph reconstructed`, `${traceTag('runtime.idle')}ready to resume`] : [];
}

export type TraceFormat = 'text' | 'jsonl';

/** Streams export lines (without trailing newlines). */
export async function* exportTrace(store: EventStore, runId: string, format: TraceFormat, signal?: AbortSignal): AsyncGenerator<string> {
  let n = 0;
  for await (const chunk of scanEvents(store, runId, { signal })) {
    for (const e of chunk) {
      n++;
      yield traceLine(e, runId, format);
    }
  }
  yield* traceTrailer(format, n);
}

/** Where a paged export goes on: after this seq, with this many events already written. */
export interface TraceCursor {
  seq: number;
  events: number;
}

/**
 * One page of the export, at most `maxLines` event lines (plus the closing lines on the last
 * page), and the cursor of the next page (null after the last): whatever the run's size, a page
 * costs what it holds.
 */
export async function exportTracePage(
  store: EventStore,
  runId: string,
  format: TraceFormat,
  opts: { after?: TraceCursor; maxLines: number; signal?: AbortSignal },
): Promise<{ lines: string[]; next: TraceCursor | null }> {
  const lines: string[] = [];
  let events = opts.after?.events ?? 0;
  for await (const chunk of scanEvents(store, runId, { afterSeq: opts.after?.seq, chunk: opts.maxLines, signal: opts.signal })) {
    for (const e of chunk) {
      lines.push(traceLine(e, runId, format));
      events++;
      if (lines.length === opts.maxLines) return { lines, next: { seq: e.seq, events } };
    }
  }
  return { lines: [...lines, ...traceTrailer(format, events)], next: null };
}

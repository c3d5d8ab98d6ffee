/** `export-trace` (spec §12): JSONL of the hot log, or the trace printer's replay lines. */
import { scanEvents, type EventStore, type StoredEvent } from './event-store.js';
import { decodePayloadExact } from './projection.js';
import { pyDumps, pyStr } from './pyjson.js';

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

/** Streams export lines (without trailing newlines). */
export async function* exportTrace(store: EventStore, runId: string, format: 'text' | 'jsonl', signal?: AbortSignal): AsyncGenerator<string> {
  let n = 0;
  for await (const chunk of scanEvents(store, runId, { signal })) {
    for (const e of chunk) {
      n++;
      if (format === 'jsonl') {
        const payload = decodePayloadExact(e, runId);
        yield pyDumps({ id: e.id, type: e.type, payload, actor: e.actor, frame_id: e.frame_id, caused_by: e.caused_by, timestamp: e.timestamp });
      } else {
        yield replayLine(e, decodePayloadExact(e, runId)); // exact: 2.0 prints as 2.0, dicts in their own key order
      }
    }
  }
  if (format === 'text' && n > 0) {
    yield `${traceTag('replay.complete')}${n} events replayed, graph reconstructed`;
    yield `${traceTag('runtime.idle')}ready to resume`;
  }
}

/**
 * Postgres COPY text format for event rows: what bulk loads send to the server, and the compact
 * form in which migration hands chunks of rows to the hashing workers (one string per chunk
 * clones far cheaper than thousands of row objects).
 */
import type { NewEvent } from './store-writer.js';

const NEEDS_ESCAPE = /[\\\n\r\t]/;

function field(v: string | null): string {
  if (v === null) return '\\N';
  // Most fields need no escaping; testing first avoids four regex passes over every payload.
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') : v;
}

const encoded = new WeakMap<NewEvent[], string>();

/**
 * Rows as `id, type, actor, payload, frame_id, caused_by, timestamp, run_id` COPY text. Memoized
 * per array, so a chunk that is both hashed and written is encoded once.
 */
export function copyText(events: NewEvent[], runId: string): string {
  let text = encoded.get(events);
  if (text === undefined) {
    const run = field(runId);
    text = '';
    for (const e of events)
      text += `${field(e.id)}\t${field(e.type)}\t${field(e.actor)}\t${field(e.payload)}\t${field(e.frame_id)}\t${field(e.caused_by)}\t${field(e.timestamp)}\t${run}\n`;
    encoded.set(events, text);
  }
  return text;
}

const UNESCAPE = /\\(.)/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

function unfield(s: string): string | null {
  if (s === '\\N') return null;
  return s.includes('\\') ? s.replace(UNESCAPE, (_, c: string) => ESCAPES[c] ?? c) : s;
}

/** Decodes COPY text rows whose first seven columns are the event's (extra columns are ignored). */
export function parseCopyText(text: string): NewEvent[] {
  const rows: NewEvent[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    const f = text.slice(start, end).split('\t');
    start = end + 1;
    rows.push({
      id: unfield(f[0]!)!,
      type: unfield(f[1]!)!,
      actor: unfield(f[2]!),
      payload: unfield(f[3]!)!,
      frame_id: unfield(f[4]!),
      caused_by: unfield(f[5]!),
      timestamp: unfield(f[6]!)!,
    });
  }
  return rows;
}

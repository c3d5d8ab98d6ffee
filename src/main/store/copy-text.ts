/**
 * Postgres COPY text format for event rows: what bulk loads send to the server, and the compact
 * form in which migration hands chunks of rows to the hashing workers (one string per chunk
 * clones far cheaper than thousands of row objects).
 */
import type { NewEvent } from './store-writer.js';

const NEEDS_ESCAPE = /[\\\n\r\t]/;

/** One value as a COPY text field: `\N` for NULL, backslash, newline, CR and tab escaped. */
export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  // Most fields need no escaping; testing first avoids four regex passes over every payload.
  return NEEDS_ESCAPE.test(v) ? v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t') : v;
}

const encoded = new WeakMap<NewEvent[], { runId: string; text: string }>();

/**
 * Rows as `id, type, actor, payload, frame_id, caused_by, timestamp, run_id` COPY text. Memoized
 * per array and run, so a chunk that is both hashed and written is encoded once.
 */
export function copyText(events: NewEvent[], runId: string): string {
  const known = encoded.get(events);
  if (known?.runId === runId) return known.text;
  const run = copyField(runId);
  let text = '';
  for (const e of events)
    text += `${copyField(e.id)}\t${copyField(e.type)}\t${copyField(e.actor)}\t${copyField(e.payload)}\t${copyField(e.frame_id)}\t${copyField(e.caused_by)}\t${copyField(e.timestamp)}\t${run}\n`;
  encoded.set(events, { runId, text });
  return text;
}

const UNESCAPE = /\\(.)/g;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v' };

/** One COPY text field's value (`\N` is NULL; Postgres also escapes \b, \f and \v). */
export function unescapeCopyField(s: string): string | null {
  if (s === '\\N') return null;
  return s.includes('\\') ? s.replace(UNESCAPE, (_, c: string) => ESCAPES[c] ?? c) : s;
}

/**
 * A COPY text field in the form copyField gives its value: text without a backslash already is;
 * Postgres' own escaping of the same value may differ (it also escapes \b, \f, \v).
 */
export function canonicalCopyField(raw: string): string {
  return raw === '\\N' || !raw.includes('\\') ? raw : copyField(unescapeCopyField(raw));
}

/** The `inspect` selectors that read the log: `--search` and `--pack-version` (spec §10.3). */
import { scanEvents, type EventStore } from '../store/event-store.js';
import { decodePayloadExact } from './projection.js';
import { pyDumps } from '../base/pyjson.js';

export interface SearchMatch {
  id: string;
  type: string;
  actor: string | null;
  timestamp: string;
  matched_fields: string[];
  snippet: string;
}

export async function searchRun(store: EventStore, runId: string, query: string): Promise<SearchMatch[]> {
  const q = query.toLowerCase();
  const out: SearchMatch[] = [];
  for await (const chunk of scanEvents(store, runId)) {
    for (const e of chunk) {
      const text = pyDumps(decodePayloadExact(e, runId), { sortKeys: true });
      const folded = text.toLowerCase();
      const fields: string[] = [];
      if (e.id.toLowerCase().includes(q)) fields.push('id');
      if (e.type.toLowerCase().includes(q)) fields.push('type');
      if ((e.actor ?? '').toLowerCase().includes(q)) fields.push('actor');
      const at = folded.indexOf(q);
      if (at >= 0) fields.push('payload');
      if (!fields.length) continue;
      let snippet: string;
      if (at < 0) snippet = text.slice(0, 120);
      else {
        const start = Math.max(0, at - 40);
        const end = start + 120;
        snippet = (start > 0 ? '...' : '') + text.slice(start, end) + (end < text.length ? '...' : '');
      }
      out.push({ id: e.id, type: e.type, actor: e.actor, timestamp: e.timestamp, matched_fields: fields, snippet });
    }
  }
  return out;
}

export interface PackVersion {
  event_id: string;
  pack: unknown;
  version: unknown;
  prompts: unknown;
}

export async function packVersions(store: EventStore, runId: string): Promise<PackVersion[]> {
  const out: PackVersion[] = [];
  for await (const chunk of scanEvents(store, runId, { filter: { types: ['pack.loaded'] } })) {
    for (const e of chunk) {
      const p = decodePayloadExact(e, runId) as Record<string, unknown>;
      out.push({ event_id: e.id, pack: p.name ?? null, version: p.version ?? null, prompts: p.prompts ?? {} });
    }
  }
  return out;
}

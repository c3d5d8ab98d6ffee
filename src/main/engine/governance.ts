/**
 * A run's governance record: the authority decisions its policies took, the ceilings changed and
 * the overrides developers made (authority.*, dev.override, Active Graph 1.8+), in log order.
 */
import { scanEvents, type EventStore } from '../store/event-store.js';
import { decodePayload } from './projection.js';

export const GOVERNANCE_TYPES = ['authority.', 'dev.override'];

export interface GovernanceRow {
  seq: number;
  id: string;
  type: string;
  actor: string | null;
  timestamp: string;
  payload: unknown;
}

/** The first `limit` governance events of the run, and how many it has. */
export async function governanceEvents(store: EventStore, runId: string, limit: number, signal?: AbortSignal): Promise<{ total: number; rows: GovernanceRow[] }> {
  const filter = { types: GOVERNANCE_TYPES };
  const total = await store.countEvents(runId, filter);
  const rows: GovernanceRow[] = [];
  for await (const chunk of scanEvents(store, runId, { filter, chunk: Math.min(limit, 1000), signal })) {
    for (const e of chunk) {
      if (rows.length === limit) return { total, rows };
      rows.push({ seq: e.seq, id: e.id, type: e.type, actor: e.actor, timestamp: e.timestamp, payload: decodePayload(e, runId) });
    }
  }
  return { total, rows };
}

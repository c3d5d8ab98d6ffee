/** One event in full (hot log or archive tier): its payload (or why it does not decode), its cause and its consequences; the archive tier paged. */
import { eventNotFound, InspectorError } from '../../base/errors.js';
import { eventRow, type StoredEvent } from '../../store/event-store.js';
import { decodePayload } from '../../engine/projection.js';
import { timelineRow } from '../../engine/timeline-row.js';
import type { Handlers, ServiceContext } from './context.js';

/** Consequences are searched among this many following events (no index on caused_by). */
const CONSEQUENCE_SCAN = 20_000;

const brief = (x: StoredEvent) => ({ seq: x.seq, id: x.id, type: x.type, actor: x.actor });

export function eventHandlers({ registry }: ServiceContext): Handlers<'getEvent' | 'archivedWindow'> {
  return {
    archivedWindow: async ({ storeId, runId, offset, limit }) => {
      const { store } = registry.get(storeId);
      const run = await store.getRun(runId);
      const rows = await store.archivedEvents(runId, { offset, limit });
      return { total: run?.archived_count ?? 0, rows: rows.map((e, i) => ({ ...timelineRow(e, offset + i, offset + i + 1), archivedAt: e.archived_at })) };
    },
    getEvent: async ({ storeId, runId, eventId }) => {
      const { store } = registry.get(storeId);
      // An event a compaction archived is still shown, marked as such.
      const e = (await store.getEvent(runId, eventId)) ?? (await store.archivedEvent(runId, eventId));
      if (!e) throw eventNotFound(eventId, runId, 'inspect');
      let payload: unknown = null;
      let payloadError: string | undefined;
      try {
        payload = decodePayload(e, runId);
      } catch (err) {
        const underlying = err instanceof InspectorError ? err.context.underlying_msg : undefined;
        payloadError = (err as Error).message + (typeof underlying === 'string' ? `: ${underlying}` : '');
      }
      // A cause may have been archived by a compaction: still a link, into the archive tier.
      const hotCause = e.caused_by ? await store.getEvent(runId, e.caused_by) : null;
      const archivedCause = e.caused_by && !hotCause ? await store.archivedEvent(runId, e.caused_by) : null;
      const consequences = await store.eventsCausedBy(runId, e.id, e.seq, CONSEQUENCE_SCAN);
      const after = await store.seqsAfter(runId, e.seq, CONSEQUENCE_SCAN + 1);
      return {
        ...eventRow(e),
        payload,
        payloadText: e.payload,
        payloadError,
        cause: hotCause ? brief(hotCause) : archivedCause ? { ...brief(archivedCause), archivedOffset: await store.archivedOffset(runId, archivedCause.seq) } : null,
        consequences: consequences.map(brief),
        ...('archived_at' in e ? { archivedAt: String(e.archived_at) } : {}),
        consequencesSearched: after.length > CONSEQUENCE_SCAN ? CONSEQUENCE_SCAN : null,
      };
    },
  };
}

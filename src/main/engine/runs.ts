/** Choosing a run the way Active Graph's load does, without ever creating one (spec §7.3). */
import { runNotFound } from '../base/errors.js';
import type { EventStore } from '../store/event-store.js';
import { redactUrl } from '../store/store-url.js';

export async function resolveRunId(store: EventStore, runId?: string | null): Promise<string> {
  const shown = redactUrl(store.url.raw);
  if (runId === undefined || runId === null) {
    const recent = await store.mostRecentRunId();
    if (recent === null) throw runNotFound(null, shown, 'empty_catalog');
    return recent;
  }
  if (await store.getRun(runId)) return runId;
  const orphans = await store.countEvents(runId);
  throw runNotFound(runId, shown, orphans > 0 ? 'orphan_events' : 'missing', orphans);
}

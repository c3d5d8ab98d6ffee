/** A run's state as Active Graph's inspect derives it (spec §10.2): from its last idle or budget stop. */
import type { RunStatus } from '../../shared/model.js';
import type { EventStore } from './event-store.js';

export type RunState = RunStatus['state'];

export async function runState(store: EventStore, runId: string): Promise<{ state: RunState; last: Awaited<ReturnType<EventStore['lastEventOfTypes']>> }> {
  const last = await store.lastEventOfTypes(runId, ['runtime.budget_exhausted', 'runtime.idle']);
  return { state: last === null ? 'stopped' : last.type === 'runtime.idle' ? 'idle' : 'exhausted', last };
}

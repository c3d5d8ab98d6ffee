/** A run's state as Active Graph's inspect derives it (spec §10.2): from its last idle or budget stop. */
import type { RunStatus } from '../../shared/model.js';
import type { EventStore } from '../store/event-store.js';

export type RunState = RunStatus['state'];

export const LIFECYCLE_STOPS = ['runtime.budget_exhausted', 'runtime.idle'];

export async function runState(store: EventStore, runId: string): Promise<{ state: RunState; last: Awaited<ReturnType<EventStore['lastEventOfTypes']>> }> {
  const last = await store.lastEventOfTypes(runId, LIFECYCLE_STOPS);
  return { state: stateAfter('stopped', last), last };
}

/** The state after `last`, the last idle or budget stop among rows appended to a run that was in `before`. */
export function stateAfter(before: RunState, last: { type: string } | null): RunState {
  return last === null ? before : last.type === 'runtime.idle' ? 'idle' : 'exhausted';
}

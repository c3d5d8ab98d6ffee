/**
 * A run's count and state, kept per open store and brought up to date by reading only the rows
 * appended since they were known: a live run's growth notice costs its new rows, not the run
 * (a log only grows, one writer per run; a compaction, which archives, starts them over).
 */
import { PAGE_SIZED_READ } from '../store/event-store.js';
import { LIFECYCLE_STOPS, runState, stateAfter, type RunState } from '../engine/run-state.js';
import type { OpenStore } from './store-registry.js';

type RunRow = { run_id: string; last_seq: number | null; archived_count: number };

/** A figure of a run as of its row with this last seq and archive count. */
interface Known<T> {
  lastSeq: number | null;
  archived: number;
  value: T;
}

export interface KnownRun {
  count?: Known<number>;
  state?: Known<RunState>;
}

const isNow = (k: Known<unknown> | undefined, r: RunRow): boolean => !!k && k.lastSeq === r.last_seq && k.archived === r.archived_count;

/** Known as of an earlier row of the same hot log: only rows after its last seq are new. */
const isBefore = <T>(k: Known<T> | undefined, r: RunRow): k is Known<T> & { lastSeq: number } =>
  !!k && k.archived === r.archived_count && k.lastSeq !== null && r.last_seq !== null && k.lastSeq < r.last_seq;

/** The run's count if known as of this row of it. */
export function knownCount(s: OpenStore, r: RunRow): number | null {
  const k = s.known.get(r.run_id)?.count;
  return k && isNow(k, r) ? k.value : null;
}

function remember<F extends keyof KnownRun>(s: OpenStore, r: RunRow, figure: F, value: NonNullable<KnownRun[F]>['value']): void {
  s.known.set(r.run_id, { ...s.known.get(r.run_id), [figure]: { lastSeq: r.last_seq, archived: r.archived_count, value } });
}

export async function countOf(s: OpenStore, r: RunRow, signal?: AbortSignal): Promise<number> {
  const k = s.known.get(r.run_id)?.count;
  if (k && isNow(k, r)) return k.value;
  let count: number | undefined;
  if (isBefore(k, r)) {
    const added = await s.store.seqsAfter(r.run_id, k.lastSeq, PAGE_SIZED_READ);
    if (added.length < PAGE_SIZED_READ) count = k.value + added.length;
  }
  signal?.throwIfAborted();
  count ??= await s.store.countEvents(r.run_id);
  remember(s, r, 'count', count);
  return count;
}

/** A state read with the run's row (the run list's statement), kept so that a growth notice reads only new rows. */
export function knowState(s: OpenStore, r: RunRow, state: RunState): RunState {
  remember(s, r, 'state', state);
  return state;
}

export async function stateOf(s: OpenStore, r: RunRow): Promise<RunState> {
  const k = s.known.get(r.run_id)?.state;
  if (k && isNow(k, r)) return k.value;
  const state = isBefore(k, r) ? stateAfter(k.value, await s.store.lastEventOfTypes(r.run_id, LIFECYCLE_STOPS, k.lastSeq)) : (await runState(s.store, r.run_id)).state;
  remember(s, r, 'state', state);
  return state;
}

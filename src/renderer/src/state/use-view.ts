/** A component's window on a view of the store (views-slice): it names what it shows, the store fetches it. */
import { useEffect } from 'react';
import type { OpInput, OpOutput, OperationName } from '../../../shared/contract';
import type { ApiError } from '../api/transport';
import { useApp } from './app-store';
import { opAsk, type Ask } from './slices/views-slice';

export interface Shown<T, Of> {
  /** The answer to the ask (with `keep`, the last answer about the same run stays until the new one comes). */
  data: T | null;
  /** What `data` is about (an operation's input). */
  of: Of | null;
  /** Something newer is being asked. */
  loading: boolean;
  error: ApiError | null;
  /** When `data` arrived. */
  at: number | null;
}

interface UseOptions {
  /** Asked again whenever the run the input names grows. */
  live?: boolean;
  /** Failures stay in `error` instead of the window's banner. */
  quiet?: boolean;
  /** The last answer about the same run stays shown while the next is asked. */
  keep?: boolean;
}

/** Shows `op(input)` in `slot` (nothing while `input` is null). */
export function useView<K extends OperationName>(slot: string, op: K, input: OpInput<K> | null, options: UseOptions = {}): Shown<OpOutput<K>, OpInput<K>> {
  return useTask(slot, input === null ? null : opAsk(op, input), options);
}

/** Shows an ask of a few operations in a row in `slot` (nothing while it is null); its `of` names the run. */
export function useTask<T, Of = unknown>(slot: string, ask: Ask<T> | null, options: UseOptions = {}): Shown<T, Of> {
  const fetchView = useApp((s) => s.fetchView);
  const holdView = useApp((s) => s.holdView);
  const cancelView = useApp((s) => s.cancelView);
  useEffect(() => holdView(slot), [slot, holdView]);
  const key = ask?.key ?? null;
  const { live = false, quiet = false } = options;
  const run = ask ? runOf(ask.of) : null;
  useEffect(() => {
    // Nothing to ask (the run changed and the view waits for it): an old ask must not run on.
    if (ask) void fetchView(slot, ask, { liveRun: live ? run : null, quiet });
    else cancelView(slot);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for the ask (a new object every render)
  }, [slot, key, live, quiet, fetchView, cancelView]);
  const view = useApp((s) => s.views[slot]);
  const fresh = view !== undefined && view.key === key && view.at !== null;
  const stale = options.keep === true && run !== null && view?.data != null && sameRun(runOf(view.of), run);
  const shown = fresh || stale;
  return {
    data: shown ? (view!.data as T) : null,
    of: shown ? (view!.of as Of) : null,
    loading: view?.pending != null,
    error: fresh ? view.error : null,
    at: shown ? view!.at : null,
  };
}

function runOf(of: unknown): { storeId: string; runId: string } | null {
  const x = of as { storeId?: unknown; runId?: unknown } | null;
  return typeof x?.storeId === 'string' && typeof x.runId === 'string' ? { storeId: x.storeId, runId: x.runId } : null;
}

const sameRun = (a: { storeId: string; runId: string } | null, b: { storeId: string; runId: string }): boolean => a?.storeId === b.storeId && a.runId === b.runId;

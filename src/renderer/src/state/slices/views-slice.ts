/**
 * What the panels show, fetched by the store: a view is a named slot holding the answer to one ask
 * (an operation of the contract, or a few of them in a row). Asking a slot something else cancels
 * what it had in flight (an old answer never lands on a new view); a live view is asked again
 * whenever its run grows; a slot nobody shows any more cancels what it was waiting for.
 */
import { isCancelled } from '../../../../shared/errors';
import type { StateCreator } from 'zustand';
import type { OpInput, OpOutput, OperationName } from '../../../../shared/contract';
import { api, ApiFailure, call, toApiError, type ApiError } from '../../api/transport';
import type { AppState } from '../app-store';

/** Something a view shows: `key` names it (the same key is the same answer), `of` is what it is about. */
export interface Ask<T> {
  key: string;
  of: unknown;
  load(signal: AbortSignal): Promise<T>;
}

/** An operation of the contract as an ask. */
export function opAsk<K extends OperationName>(op: K, input: OpInput<K>): Ask<OpOutput<K>> {
  return { key: JSON.stringify([op, input]), of: input, load: (signal) => call(op, input, signal) };
}

export interface ViewOptions {
  /** Asked again when this run grows (status, costs, the rate strip). */
  liveRun?: { storeId: string; runId: string } | null;
  /** Failures are the view's own to show (kept in `error`), not the window's banner. */
  quiet?: boolean;
}

export interface View {
  /** The ask `data` answers. */
  key: string;
  of: unknown;
  data: unknown;
  /** The ask in flight, if any. */
  pending: string | null;
  error: ApiError | null;
  /** When `data` arrived. */
  at: number | null;
}

export interface ViewsSlice {
  views: Record<string, View>;
  /** Shows an ask in `slot`: asks unless the slot has or is asking that very thing (or `force`). */
  fetchView(slot: string, ask: Ask<unknown>, options?: ViewOptions & { force?: boolean }): Promise<void>;
  /** A component starts showing a slot; the returned function stops (the last one out cancels it). */
  holdView(slot: string): () => void;
  /** The slot asks nothing now (its view has no input): what it was waiting for is cancelled. */
  cancelView(slot: string): void;
  /** Asks every view shown again (the data host restarted). */
  refreshViews(): void;
}

export const viewsSlice: StateCreator<AppState, [], [], ViewsSlice> = (set, get) => {
  // The store's own bookkeeping (each app store has its own): what each slot has in flight, how
  // many components show it, and its last ask, to repeat when its run grows or the host restarts.
  const flights = new Map<string, { controller: AbortController; key: string }>();
  const holders = new Map<string, number>();
  const asks = new Map<string, { ask: Ask<unknown>; options: ViewOptions }>();
  let listening = false;
  const listen = () => {
    if (listening) return;
    listening = true;
    api.subscribe('runGrew', (p) => {
      for (const [slot, { ask, options }] of asks)
        if (options.liveRun?.storeId === p.storeId && options.liveRun.runId === p.runId) void get().fetchView(slot, ask, { ...options, force: true });
    });
  };

  return {
    views: {},
    async fetchView(slot, ask, options = {}) {
      const { key } = ask;
      const had = get().views[slot];
      const flying = flights.get(slot);
      // A view made live again (resumed) may have missed growth while it was not.
      const resumed = Boolean(options.liveRun) && !asks.get(slot)?.options.liveRun && had?.key === key;
      if (options.liveRun) listen();
      asks.set(slot, { ask, options: { liveRun: options.liveRun, quiet: options.quiet } });
      if (!options.force && !resumed && (flying?.key === key || (!flying && had?.key === key && had.at !== null))) return;
      flying?.controller.abort();
      const flight = { controller: new AbortController(), key };
      flights.set(slot, flight);
      const put = (patch: Partial<View>) =>
        set((s) => ({ views: { ...s.views, [slot]: { ...(s.views[slot] ?? { key, of: ask.of, data: null, pending: null, error: null, at: null }), ...patch } } }));
      put({ pending: key });
      try {
        const data = await ask.load(flight.controller.signal);
        if (flights.get(slot) !== flight) return;
        put({ key, of: ask.of, data, pending: null, error: null, at: Date.now() });
      } catch (err) {
        if (flights.get(slot) !== flight || (err instanceof ApiFailure && isCancelled(err.error))) return;
        put({ key, of: ask.of, data: null, pending: null, error: toApiError(err), at: Date.now() });
        if (!options.quiet) get().showError(err);
      } finally {
        if (flights.get(slot) === flight) flights.delete(slot);
      }
    },
    holdView(slot) {
      holders.set(slot, (holders.get(slot) ?? 0) + 1);
      return () => {
        const n = (holders.get(slot) ?? 1) - 1;
        if (n > 0) return void holders.set(slot, n);
        holders.delete(slot);
        asks.delete(slot);
        flights.get(slot)?.controller.abort();
        flights.delete(slot);
        // Forgotten once nobody shows it: the next one to show it asks afresh.
        set((s) => {
          const { [slot]: _gone, ...rest } = s.views;
          return { views: rest };
        });
      };
    },
    cancelView(slot) {
      const flying = flights.get(slot);
      if (!flying) return;
      flying.controller.abort();
      flights.delete(slot);
      asks.delete(slot);
      set((s) => (s.views[slot] ? { views: { ...s.views, [slot]: { ...s.views[slot]!, pending: null } } } : s));
    },
    refreshViews() {
      for (const [slot, { ask, options }] of asks) void get().fetchView(slot, ask, { ...options, force: true });
    },
  };
};

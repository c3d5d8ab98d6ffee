/** The app's state (zustand): open stores, the selected run and event, filters, panels. */
import { create } from 'zustand';
import type { OpOutput } from '../../../shared/contract';
import type { EventFilter } from '../../../shared/model';
import { ApiFailure, call, type ApiError } from '../api/transport';

export type StoreInfo = OpOutput<'openStore'>;
export type RunInfo = OpOutput<'listRuns'>[number];
export type RightTab = 'event' | 'graph' | 'status';

export interface AppState {
  stores: StoreInfo[];
  storeId: string | null;
  runs: RunInfo[];
  runId: string | null;
  filter: EventFilter;
  selected: { id: string; seq: number; offset: number } | null;
  /** Bumped to ask the timeline to scroll to `selected`. */
  scrollRequest: number;
  rightTab: RightTab;
  /** Rows in the selected run's timeline, once its first page has arrived (null before). */
  timelineTotal: number | null;
  error: ApiError | null;
  /** A non-error message for the user (e.g. why a password was not saved). */
  notice: string | null;
  compare: { runA: string; runB: string } | null;
  forkAt: { id: string; seq: number; type: string } | null;
  /** The fork whose promotion into its parent is being planned. */
  promote: { parentRunId: string; forkRunId: string } | null;
  showOpen: boolean;
  showMigrate: boolean;

  openStore(url: string): Promise<void>;
  openInitialStore(): Promise<void>;
  refreshRuns(): Promise<void>;
  selectStore(storeId: string): Promise<void>;
  selectRun(runId: string): void;
  setFilter(filter: EventFilter): void;
  select(sel: { id: string; seq: number; offset: number } | null, scroll?: boolean): void;
  jumpTo(target: { eventId?: string; seq?: number; position?: 'first' | 'last' }, runId?: string): Promise<void>;
  setRightTab(tab: RightTab): void;
  showError(err: unknown): void;
  clearError(): void;
  setCompare(c: { runA: string; runB: string } | null): void;
  setForkAt(e: { id: string; seq: number; type: string } | null): void;
  setPromote(p: { parentRunId: string; forkRunId: string } | null): void;
  setShowOpen(v: boolean): void;
  setShowMigrate(v: boolean): void;
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiFailure) return err.error;
  return { className: 'Error', summary: (err as Error)?.message ?? String(err), context: {}, exitCode: 1 };
}

export const useApp = create<AppState>((set, get) => ({
  stores: [],
  storeId: null,
  runs: [],
  runId: null,
  filter: {},
  selected: null,
  scrollRequest: 0,
  rightTab: 'event',
  timelineTotal: null,
  error: null,
  notice: null,
  compare: null,
  forkAt: null,
  promote: null,
  showOpen: false,
  showMigrate: false,

  async openStore(url) {
    try {
      const info = await call('openStore', { url });
      set({ stores: await call('listStores', {}), showOpen: false });
      await get().selectStore(info.storeId);
    } catch (err) {
      get().showError(err);
    }
  },

  async openInitialStore() {
    try {
      let stores = await call('listStores', {});
      if (stores.length === 0) {
        await call('openDemoStore', {});
        stores = await call('listStores', {});
      }
      set({ stores });
      await get().selectStore(stores[stores.length - 1]!.storeId);
    } catch (err) {
      get().showError(err);
    }
  },

  async refreshRuns() {
    const { storeId } = get();
    if (!storeId) return;
    try {
      set({ runs: await call('listRuns', { storeId }) });
    } catch (err) {
      get().showError(err);
    }
  },

  async selectStore(storeId) {
    set({ storeId, runs: [], runId: null, selected: null, compare: null });
    try {
      const runs = await call('listRuns', { storeId });
      // Default run: the most recently appended to, like Active Graph's inspect.
      const recent = [...runs].sort((a, b) => (b.last_seq ?? -1) - (a.last_seq ?? -1))[0];
      set({ runs, runId: recent?.run_id ?? null });
    } catch (err) {
      get().showError(err);
    }
  },

  selectRun(runId) {
    set({ runId, selected: null, compare: null, filter: {} });
  },

  setFilter(filter) {
    set({ filter, selected: null });
  },

  select(sel, scroll = false) {
    set((s) => ({ selected: sel, scrollRequest: scroll ? s.scrollRequest + 1 : s.scrollRequest }));
  },

  async jumpTo(target, runId) {
    const { storeId, filter } = get();
    const run = runId ?? get().runId;
    if (!storeId || !run) return;
    if (runId && runId !== get().runId) set({ runId, filter: {}, compare: null });
    try {
      const loc = await call('locateEvent', { storeId, runId: run, filter: runId ? undefined : filter, ...target });
      if (loc.offset === null) return;
      const win = await call('timelineWindow', { storeId, runId: run, filter: runId ? undefined : filter, offset: loc.offset, limit: 1 });
      const row = win.rows[0];
      if (row) get().select({ id: row.id, seq: row.seq, offset: row.offset }, true);
    } catch (err) {
      get().showError(err);
    }
  },

  setRightTab: (rightTab) => set({ rightTab }),
  showError: (err) => set({ error: toApiError(err) }),
  clearError: () => set({ error: null }),
  setCompare: (compare) => set({ compare }),
  setForkAt: (forkAt) => set({ forkAt }),
  setPromote: (promote) => set({ promote }),
  setShowOpen: (showOpen) => set({ showOpen }),
  setShowMigrate: (showMigrate) => set({ showMigrate }),
}));

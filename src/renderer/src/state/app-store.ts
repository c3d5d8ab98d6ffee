/** The app's state (zustand): open stores, the selected run and event, filters, panels. */
import { create } from 'zustand';
import type { OpOutput } from '../../../shared/contract';
import type { EventFilter } from '../../../shared/model';
import { ApiFailure, call, type ApiError } from '../api/transport';
import type { Place } from '../features/navigation/place';

/** What the user last viewed, per origin; nothing is remembered where there is no storage. */
const remembered = {
  get: (key: string): string | null => globalThis.localStorage?.getItem(key) ?? null,
  set: (key: string, value: string): void => globalThis.localStorage?.setItem(key, value),
};

export type StoreInfo = OpOutput<'openStore'>;
export type RunInfo = OpOutput<'listRuns'>[number];
export type RightTab = 'event' | 'graph' | 'status';
/** A run of one of the open stores (compare may set runs of two stores side by side). */
export interface RunRef {
  storeId: string;
  runId: string;
}

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
  /** The object the graph panel is centred on (it follows the selected event when that is about an object). */
  graphFocus: string | null;
  /** The selected event when the focus was set: a new selection moves the focus, an old one does not. */
  graphFocusFor: string | null;
  setGraphFocus(id: string | null): void;
  /** Shows an object in the graph panel. */
  goToObject(id: string): void;
  /** The rows the timeline shows now: [first, first + count) (the rate strip marks them). */
  timelineView: { first: number; count: number } | null;
  /** Rows in the selected run's timeline, once its first page has arrived (null before). */
  timelineTotal: number | null;
  error: ApiError | null;
  /** A non-error message for the user (e.g. why a password was not saved). */
  notice: string | null;
  compare: { a: RunRef; b: RunRef } | null;
  forkAt: { id: string; seq: number; type: string } | null;
  /** The fork whose promotion into its parent is being planned. */
  promote: { parentRunId: string; forkRunId: string } | null;
  /** The events a what-if leaves out. */
  whatIf: { exclude: string[] } | null;
  setWhatIf(w: { exclude: string[] } | null): void;
  showOpen: boolean;
  showMigrate: boolean;
  /** The timeline shows the run's archive tier (a compacted run's older events) instead of its hot log. */
  showArchived: boolean;
  setShowArchived(v: boolean): void;
  /** The waterfall above the timeline (remembered). */
  showWaterfall: boolean;
  setShowWaterfall(v: boolean): void;

  /** Opens a store and shows it; a failure is shown as a banner unless `quiet` (a dialog shows it itself), and returned. */
  openStore(url: string, quiet?: boolean): Promise<ApiError | null>;
  /** Opens the migration wizard (preset: skip corrupted payloads, the remedy for a corrupted run). */
  migrateSkipCorrupted: boolean;
  /** Opens the stores the host has (the demo store if none), then the place a link names, if any. */
  openInitialStore(place?: Place): Promise<void>;
  refreshRuns(): Promise<void>;
  selectStore(storeId: string): Promise<void>;
  selectRun(runId: string): void;
  setFilter(filter: EventFilter): void;
  select(sel: { id: string; seq: number; offset: number } | null, scroll?: boolean): void;
  /** Selects an event; says why not (unknown id, past the end) instead of failing, when `quiet`. */
  jumpTo(target: { eventId?: string; seq?: number; index?: number; position?: 'first' | 'last' }, runId?: string, quiet?: boolean): Promise<string | null>;
  /** The run search's query (its matches are highlighted in the timeline). */
  search: string;
  setSearch(q: string): void;
  showShortcuts: boolean;
  setShowShortcuts(v: boolean): void;
  showPalette: boolean;
  setShowPalette(v: boolean): void;
  setRightTab(tab: RightTab): void;
  showError(err: unknown): void;
  clearError(): void;
  setCompare(c: { a: RunRef; b: RunRef } | null): void;
  /** Compares a fork with its parent, wherever among the open stores the parent is (a migrated fork's is elsewhere). */
  compareWithParent(fork: RunInfo): Promise<void>;
  /** Shows an event of a run of any open store. */
  showEventOf(ref: RunRef, eventId: string): Promise<void>;
  setForkAt(e: { id: string; seq: number; type: string } | null): void;
  setPromote(p: { parentRunId: string; forkRunId: string } | null): void;
  setShowOpen(v: boolean): void;
  setShowMigrate(v: boolean, skipCorrupted?: boolean): void;
  /** Moves the selection by `delta` rows of the (filtered) timeline. */
  step(delta: number): Promise<void>;
  /** Shows the view a place names (a link, a reload, Back/Forward). */
  applyPlace(place: Place): Promise<void>;
  /** Closes whatever dialog is open; says whether one was. */
  closeDialogs(): boolean;
}

/** The run a store opens on: the one last viewed there, else its most recently appended root run. */
function defaultRun(storeUrl: string | undefined, runs: RunInfo[]): string | null {
  const last = storeUrl ? remembered.get(`ri-last-run:${storeUrl}`) : null;
  if (last && runs.some((r) => r.run_id === last)) return last;
  const byRecent = [...runs].sort((a, b) => (b.last_seq ?? -1) - (a.last_seq ?? -1));
  return (byRecent.find((r) => !r.parent_run_id) ?? byRecent[0])?.run_id ?? null;
}

/** A fork whose parent is in none of the open stores: it was migrated here without it. */
export function parentNotOpen(fork: RunInfo, storeName: string): ApiError {
  return {
    className: 'ParentRunNotOpen',
    summary: `the parent run ${fork.parent_run_id} of ${fork.run_id} is not in ${storeName} nor in any other open store`,
    context: { run_id: fork.run_id, parent_run_id: fork.parent_run_id },
    exitCode: 3,
    why: 'A fork is written into the store of its parent; this one was migrated here without it.',
    howToFix: 'Open the store the fork was made in (Open…), then compare again; the parent stays in its own store.',
  };
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
  graphFocus: null,
  graphFocusFor: null,
  setGraphFocus: (graphFocus) => set({ graphFocus, graphFocusFor: get().selected?.id ?? null }),
  goToObject: (id) => (get().setGraphFocus(id), set({ rightTab: 'graph' })),
  timelineTotal: null,
  timelineView: null,
  error: null,
  notice: null,
  compare: null,
  forkAt: null,
  promote: null,
  whatIf: null,
  setWhatIf: (whatIf) => set({ whatIf }),
  showOpen: false,
  showMigrate: false,
  showArchived: false,
  setShowArchived: (showArchived) => set({ showArchived, selected: null }),
  showWaterfall: remembered.get('ri-waterfall') === '1',
  setShowWaterfall: (showWaterfall) => (remembered.set('ri-waterfall', showWaterfall ? '1' : '0'), set({ showWaterfall })),

  async openStore(url, quiet = false) {
    try {
      const info = await call('openStore', { url });
      set({ stores: await call('listStores', {}), showOpen: false });
      await get().selectStore(info.storeId);
      return null;
    } catch (err) {
      if (!quiet) get().showError(err);
      return toApiError(err);
    }
  },

  async openInitialStore(place?: Place) {
    try {
      let stores = await call('listStores', {});
      if (stores.length === 0) {
        await call('openDemoStore', {});
        stores = await call('listStores', {});
      }
      set({ stores });
      const linked = place?.store && stores.some((s) => s.storeId === place.store) ? place.store : stores[stores.length - 1]!.storeId;
      await get().selectStore(linked);
      if (place) await get().applyPlace(place);
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
    set({ storeId, runs: [], runId: null, selected: null, compare: null, graphFocus: null, showArchived: false });
    try {
      const runs = await call('listRuns', { storeId });
      // A store that opened fine clears the error another one left (a schema mismatch, say).
      set({ runs, runId: defaultRun(get().stores.find((s) => s.storeId === storeId)?.url, runs), error: null });
    } catch (err) {
      get().showError(err);
    }
  },

  selectRun(runId) {
    const url = get().stores.find((s) => s.storeId === get().storeId)?.url;
    if (url) remembered.set(`ri-last-run:${url}`, runId);
    set({ runId, selected: null, compare: null, filter: {}, graphFocus: null, showArchived: false });
  },

  setFilter(filter) {
    set({ filter, selected: null });
  },

  select(sel, scroll = false) {
    set((s) => ({ selected: sel, scrollRequest: scroll ? s.scrollRequest + 1 : s.scrollRequest }));
  },

  async jumpTo(target, runId, quiet = false) {
    const { storeId, filter } = get();
    const run = runId ?? get().runId;
    if (!storeId || !run) return 'no run is open';
    if (runId && runId !== get().runId) set({ runId, filter: {}, compare: null, graphFocus: null, showArchived: false });
    try {
      const loc = await call('locateEvent', { storeId, runId: run, filter: runId ? undefined : filter, ...target });
      if (loc.offset === null)
        return target.seq !== undefined
          ? `no event at or after seq ${target.seq} in this view`
          : target.index !== undefined
            ? `the run has no event #${target.index} in this view`
            : 'the run has no events in this view';
      const win = await call('timelineWindow', { storeId, runId: run, filter: runId ? undefined : filter, offset: loc.offset, limit: 1 });
      const row = win.rows[0];
      if (row) get().select({ id: row.id, seq: row.seq, offset: row.offset }, true);
      return null;
    } catch (err) {
      if (!quiet) get().showError(err);
      return toApiError(err).summary;
    }
  },
  search: '',
  setSearch: (search) => set({ search }),
  showShortcuts: false,
  setShowShortcuts: (showShortcuts) => set({ showShortcuts }),
  showPalette: false,
  setShowPalette: (showPalette) => set({ showPalette }),

  setRightTab: (rightTab) => set({ rightTab }),
  showError: (err) => set({ error: toApiError(err) }),
  clearError: () => set({ error: null }),
  setCompare: (compare) => set({ compare }),

  async compareWithParent(fork) {
    const { storeId, runs, stores } = get();
    const parent = fork.parent_run_id;
    if (!storeId || !parent) return;
    const b = { storeId, runId: fork.run_id };
    if (runs.some((r) => r.run_id === parent)) return set({ compare: { a: { storeId, runId: parent }, b } });
    try {
      for (const other of stores.filter((x) => x.storeId !== storeId)) {
        const theirs = await call('listRuns', { storeId: other.storeId });
        if (theirs.some((r) => r.run_id === parent)) return set({ compare: { a: { storeId: other.storeId, runId: parent }, b } });
      }
    } catch (err) {
      return get().showError(err);
    }
    set({ error: parentNotOpen(fork, stores.find((x) => x.storeId === storeId)?.displayName ?? storeId) });
  },

  async showEventOf(ref, eventId) {
    if (ref.storeId !== get().storeId) await get().selectStore(ref.storeId);
    await get().jumpTo({ eventId }, ref.runId);
  },
  setForkAt: (forkAt) => set({ forkAt }),
  setPromote: (promote) => set({ promote }),
  setShowOpen: (showOpen) => set({ showOpen }),
  setShowMigrate: (showMigrate, skipCorrupted = false) => set({ showMigrate, migrateSkipCorrupted: skipCorrupted }),
  migrateSkipCorrupted: false,

  async step(delta) {
    const { storeId, runId, filter, selected, timelineTotal } = get();
    if (!storeId || !runId || !timelineTotal) return;
    const offset = Math.max(0, Math.min(timelineTotal - 1, (selected?.offset ?? -1) + delta));
    try {
      const win = await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset, limit: 1 });
      const row = win.rows[0];
      if (row) get().select({ id: row.id, seq: row.seq, offset }, true);
    } catch (err) {
      get().showError(err);
    }
  },

  async applyPlace(place) {
    const s = get();
    if (place.store && place.store !== s.storeId && s.stores.some((x) => x.storeId === place.store)) await get().selectStore(place.store);
    if (place.run && place.run !== get().runId && get().runs.some((r) => r.run_id === place.run)) get().selectRun(place.run);
    if (JSON.stringify(place.filter) !== JSON.stringify(get().filter)) set({ filter: place.filter, selected: null });
    set({ rightTab: place.tab ?? 'event' });
    if (place.event && place.event !== get().selected?.id) await get().jumpTo({ eventId: place.event });
    if (!place.event) set({ selected: null });
  },

  closeDialogs() {
    const s = get();
    const open = Boolean(s.forkAt || s.promote || s.whatIf || s.showOpen || s.showMigrate || s.compare || s.showShortcuts || s.showPalette);
    set({ forkAt: null, promote: null, whatIf: null, showOpen: false, showMigrate: false, compare: null, showShortcuts: false, showPalette: false });
    return open;
  },
}));

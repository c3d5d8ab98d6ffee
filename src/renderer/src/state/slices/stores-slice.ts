/** The open stores and the runs of the one shown: opening, selecting, and finding a run in any of them. */
import { leaveStore } from '../run-context';
import type { StateCreator } from 'zustand';
import { api, call, droppedStore, toApiError, type ApiError } from '../../api/transport';
import { isEmptyPlace, type Place } from '../../features/navigation/place';
import type { AppState, RunInfo, RunRef, StoreInfo } from '../app-store';
import { remembered } from '../remembered';

export interface StoresSlice {
  stores: StoreInfo[];
  storeId: string | null;
  runs: RunInfo[];
  /** Opens a store and shows it; a failure is shown as a banner unless `quiet` (a dialog shows it itself), and returned. */
  openStore(url: string, quiet?: boolean): Promise<ApiError | null>;
  /** Opens the store of files dropped on the window (browser mode: a copy the server keeps). */
  openDropped(files: File[]): Promise<void>;
  /** Stores opened from a copy of a dropped file (browser mode), by store id: the file's name and where the copy is. */
  droppedCopies: Record<string, { name: string; keptAt: string }>;
  /** Opens the stores the host has (the demo store if none), then the place a link names, if any. */
  openInitialStore(place?: Place): Promise<void>;
  refreshRuns(): Promise<void>;
  /** Follows what the host pushes (a store opened from outside, a run that grew, a restarted host); returns the unsubscribe. */
  followHost(): () => void;
  /** Starts following a run another process may be writing; returns the stop. */
  watchRun(ref: RunRef): () => void;
  selectStore(storeId: string): Promise<void>;
  /** Compares a fork with its parent, wherever among the open stores the parent is (a migrated fork's is elsewhere). */
  compareWithParent(fork: RunInfo): Promise<void>;
  /** Shows an event of a run of any open store. */
  showEventOf(ref: RunRef, eventId: string): Promise<void>;
  /** Sets the data host's cache budget and remembers it (a restarted host gets it again). */
  setCacheBudget(limitMb: number): Promise<void>;
  /** A link names a store that is not open: says so, and offers to open it (then shows the place). */
  askToOpen(place: Place): void;
  /** The place a link named in a store not yet open, shown once that store opens. */
  pendingPlace: Place | null;
  /** Asks the counts the run list left out (a big store's): the shown run, then the rows in view, a few runs at a time. */
  fillCounts(): Promise<void>;
  /** The runs the list shows now (asked first when counts are missing). */
  countFirst: string[];
  /** The store whose counts are being asked now (one round of asks at a time; it reads what is missing as it goes). */
  countingStore: string | null;
  setCountFirst(runIds: string[]): void;
  /** Failed executions per run, once asked (a sort or filter by failures needs them), else null. */
  runFailures: ReadonlyMap<string, number> | null;
  loadFailures(): Promise<void>;
}

/** Runs whose counts are asked in one call. */
const COUNT_CHUNK = 25;

const CACHE_BUDGET_KEY = 'ri.cacheBudgetMb';

/** Gives a (re)started data host the budget the user set. */
async function applySavedCacheBudget(): Promise<void> {
  const saved = Number(remembered.get(CACHE_BUDGET_KEY));
  if (Number.isInteger(saved) && saved >= 64) await call('setCacheBudget', { limitMb: saved }).catch(() => {});
}

export const storesSlice: StateCreator<AppState, [], [], StoresSlice> = (set, get) => ({
  stores: [],
  storeId: null,
  runs: [],
  countFirst: [],
  countingStore: null,
  pendingPlace: null,
  runFailures: null,
  droppedCopies: {},
  async openStore(url, quiet = false) {
    try {
      const info = await call('openStore', { url });
      set({ stores: await call('listStores', {}), showOpen: false, openPrefill: null });
      await get().selectStore(info.storeId);
      const pending = get().pendingPlace;
      if (pending?.store === info.linkUrl) {
        set({ pendingPlace: null });
        await get().applyPlace(pending);
      }
      return null;
    } catch (err) {
      if (!quiet) get().showError(err);
      return toApiError(err);
    }
  },
  async openDropped(files) {
    try {
      const { url, copyOf, keptAt } = await droppedStore(files);
      if ((await get().openStore(url)) || !copyOf || !keptAt) return;
      set({ droppedCopies: { ...get().droppedCopies, [get().storeId!]: { name: copyOf, keptAt } } });
    } catch (err) {
      get().showError(err);
    }
  },
  async openInitialStore(place?: Place) {
    try {
      await applySavedCacheBudget();
      let stores = await call('listStores', {});
      if (stores.length === 0) {
        await call('openDemoStore', {});
        stores = await call('listStores', {});
      }
      set({ stores });
      const linked = place?.store ? stores.find((s) => s.linkUrl === place.store) : undefined;
      await get().selectStore(linked?.storeId ?? stores[stores.length - 1]!.storeId);
      if (place?.store && !linked) return get().askToOpen(place);
      // A bare URL names nothing: applying it would undo what the user did while the store opened.
      if (place && !isEmptyPlace(place)) await get().applyPlace(place);
    } catch (err) {
      get().showError(err);
    }
  },
  async refreshRuns() {
    const { storeId } = get();
    if (!storeId) return;
    try {
      set({ runs: await call('listRuns', { storeId }) });
      void get().fillCounts();
      if (get().runFailures) void get().loadFailures();
    } catch (err) {
      get().showError(err);
    }
  },
  followHost() {
    const offs = [
      // A store opened from outside (File > Open, a second launch, a fork we wrote).
      api.subscribe('storeChanged', async (p) => {
        set({ stores: await call('listStores', {}) });
        if (p.storeId === get().storeId) await get().refreshRuns();
        else await get().selectStore(p.storeId);
      }),
      // A run that grows updates its own row of the list (its count, last seq, state): on a team's
      // store of a thousand runs, never the whole list.
      api.subscribe('runGrew', async (p) => {
        if (p.storeId !== get().storeId) return;
        try {
          const run = await call('runInfo', { storeId: p.storeId, runId: p.runId });
          if (get().storeId === p.storeId) set({ runs: get().runs.map((r) => (r.run_id === run.run_id ? run : r)) });
        } catch {
          /* the run went away (a store reopened): the next list shows it */
        }
      }),
      // The data host died and was restarted: say so, and read again what the views show.
      api.subscribe('hostRestarted', async ({ reason }) => {
        set({ notice: `The data host stopped (${reason}) and was restarted; open stores were reopened. Anything in progress failed and can be retried.` });
        await applySavedCacheBudget();
        set({ stores: await call('listStores', {}) });
        await get().refreshRuns();
        get().refreshViews();
      }),
    ];
    return () => offs.forEach((off) => off());
  },
  watchRun({ storeId, runId }) {
    void call('watchRun', { storeId, runId, watch: true }).catch(() => {});
    return () => void call('watchRun', { storeId, runId, watch: false }).catch(() => {});
  },
  async selectStore(storeId) {
    set({ ...leaveStore(), storeId });
    try {
      const runs = await call('listRuns', { storeId });
      const store = get().stores.find((s) => s.storeId === storeId);
      // A store that opened fine clears the error another one left (a schema mismatch, say); how it is read, if that matters, is told.
      set({ runs, runId: defaultRun(store?.url, runs), error: null, ...(store?.note ? { notice: store.note } : {}) });
      void get().fillCounts();
    } catch (err) {
      get().showError(err);
    }
  },
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
  async setCacheBudget(limitMb) {
    await call('setCacheBudget', { limitMb });
    remembered.set(CACHE_BUDGET_KEY, String(limitMb));
  },
  async fillCounts() {
    const { storeId } = get();
    if (!storeId || get().countingStore === storeId) return;
    set({ countingStore: storeId });
    try {
      await askMissingCounts(storeId, get, set);
    } finally {
      if (get().countingStore === storeId) set({ countingStore: null });
    }
  },
  askToOpen(place) {
    set({
      pendingPlace: place,
      openPrefill: place.store ?? null,
      showOpen: true,
      error: {
        className: 'LinkedStoreNotOpen',
        summary: `the link names the store ${place.store}, which is not open here`,
        context: { store: place.store, run_id: place.run ?? null, event_id: place.event ?? null },
        exitCode: 3,
        why: 'A link names its store by URL; this data host has not opened that store (it was restarted, or the link comes from another machine).',
        howToFix: 'Open it (its URL is in the Open dialog; add the password if it needs one): the link’s run and event are shown then.',
      },
    });
  },
  setCountFirst(runIds) {
    set({ countFirst: runIds });
  },
  async loadFailures() {
    const { storeId } = get();
    if (!storeId) return;
    try {
      const failures = new Map((await call('runFailures', { storeId })).map((f) => [f.run_id, f.failures]));
      if (get().storeId === storeId) set({ runFailures: failures });
    } catch (err) {
      get().showError(err);
    }
  },
});

/** Asks the run list's missing counts, a few runs at a time, the shown run and the rows in view first. */
async function askMissingCounts(storeId: string, get: () => AppState, set: (s: Partial<AppState>) => void): Promise<void> {
  const asked = new Set<string>();
  // Each round picks again from what is missing now: the rows in view may have moved meanwhile.
  for (;;) {
    const { runs, runId, countFirst } = get();
    if (get().storeId !== storeId) return; // another store is shown now
    const rank = new Map(countFirst.map((id, i) => [id, i]));
    rank.set(runId ?? '', -1);
    const order = (id: string) => rank.get(id) ?? Number.MAX_SAFE_INTEGER;
    const next = runs
      .filter((r) => r.event_count === null && !asked.has(r.run_id))
      .sort((a, b) => order(a.run_id) - order(b.run_id))
      .slice(0, COUNT_CHUNK)
      .map((r) => r.run_id);
    if (next.length === 0) return;
    next.forEach((id) => asked.add(id));
    try {
      const counted = new Map((await call('runCounts', { storeId, runIds: next })).map((c) => [c.run_id, c.event_count]));
      if (get().storeId === storeId) set({ runs: get().runs.map((r) => (counted.has(r.run_id) ? { ...r, event_count: counted.get(r.run_id)! } : r)) });
    } catch {
      return; // the next list asks again
    }
  }
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

/** What the user is looking at in a run: the run, the filter, the selected event, the search, the graph focus, and moving between them. */
import { leaveRun } from '../run-context';
import type { StateCreator } from 'zustand';
import type { EventFilter } from '../../../../shared/model';
import { call, toApiError } from '../../api/transport';
import type { Place } from '../../features/navigation/place';
import type { AppState } from '../app-store';
import { remembered } from '../remembered';

export interface SelectionSlice {
  runId: string | null;
  filter: EventFilter;
  selected: { id: string; seq: number; offset: number } | null;
  /** Bumped to ask the timeline to scroll to `selected`. */
  scrollRequest: number;
  /** Rows in the selected run's timeline, once its first page has arrived (null before). */
  timelineTotal: number | null;
  /** The rows the timeline shows now: [first, first + count) (the rate strip marks them). */
  timelineView: { first: number; count: number } | null;
  /** The run search's query (its matches are highlighted in the timeline). */
  search: string;
  setSearch(q: string): void;
  /** The object the graph panel is centred on (it follows the selected event when that is about an object). */
  graphFocus: string | null;
  /** The selected event when the focus was set: a new selection moves the focus, an old one does not. */
  graphFocusFor: string | null;
  setGraphFocus(id: string | null): void;
  /** Shows an object in the graph panel. */
  goToObject(id: string): void;
  /** The graph query of the Query panel (kept across runs: the same question of another run). */
  graphQuery: string;
  /** Shows a query's answer in the Query panel. */
  runGraphQuery(query: string): void;
  /** The objects the query's page of bindings names, highlighted in the graph panel. */
  queryMatches: string[];
  setQueryMatches(ids: string[]): void;
  selectRun(runId: string): void;
  setFilter(filter: EventFilter): void;
  select(sel: { id: string; seq: number; offset: number } | null, scroll?: boolean): void;
  /** Selects an event; says why not (unknown id, past the end) instead of failing, when `quiet`. */
  jumpTo(target: { eventId?: string; seq?: number; index?: number; position?: 'first' | 'last' }, runId?: string, quiet?: boolean): Promise<string | null>;
  /** Moves the selection by `delta` rows of the (filtered) timeline. */
  step(delta: number): Promise<void>;
  /** Selects the row at `offset` of the (filtered) timeline (and asks the timeline to scroll to it). */
  selectOffset(offset: number, scroll?: boolean): Promise<void>;
  /** Shows the view a place names (a link, a reload, Back/Forward). */
  applyPlace(place: Place): Promise<void>;
}

export const selectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set, get) => {
  /** Where the selection steps in flight lead (null when none is). */
  let stepping: { offset: number } | null = null;
  return {
    runId: null,
    filter: {},
    selected: null,
    scrollRequest: 0,
    timelineTotal: null,
    timelineView: null,
    search: '',
    setSearch: (search) => set({ search }),
    graphFocus: null,
    graphFocusFor: null,
    setGraphFocus: (graphFocus) => set({ graphFocus, graphFocusFor: get().selected?.id ?? null }),
    goToObject: (id) => (get().setGraphFocus(id), set({ rightTab: 'graph' })),
    graphQuery: '',
    runGraphQuery: (graphQuery) => set({ graphQuery, rightTab: 'query' }),
    queryMatches: [],
    setQueryMatches: (queryMatches) => set({ queryMatches }),
    selectRun(runId) {
      if (runId === get().runId) return; // the run shown stays as it is (its selection, filter and focus)
      const url = get().stores.find((s) => s.storeId === get().storeId)?.url;
      if (url) remembered.set(`ri-last-run:${url}`, runId);
      set({ ...leaveRun(), runId });
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
      if (runId && runId !== get().runId) set({ ...leaveRun(), runId });
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
    async step(delta) {
      const { selected, timelineTotal } = get();
      if (!timelineTotal) return;
      // Keys pressed faster than a row arrives add up: each step starts where the last one is going.
      await get().selectOffset(Math.max(0, Math.min(timelineTotal - 1, (stepping?.offset ?? selected?.offset ?? -1) + delta)));
    },
    async selectOffset(offset, scroll = true) {
      const { storeId, runId, filter } = get();
      if (!storeId || !runId) return;
      const mine = (stepping = { offset });
      try {
        const win = await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset, limit: 1 });
        const row = win.rows[0];
        if (row && stepping === mine) get().select({ id: row.id, seq: row.seq, offset }, scroll);
      } catch (err) {
        get().showError(err);
      } finally {
        if (stepping === mine) stepping = null;
      }
    },
    async applyPlace(place) {
      const s = get();
      const store = place.store ? s.stores.find((x) => x.linkUrl === place.store) : undefined;
      if (place.store && !store) return get().askToOpen(place);
      if (store && store.storeId !== s.storeId) await get().selectStore(store.storeId);
      if (place.run && place.run !== get().runId && get().runs.some((r) => r.run_id === place.run)) get().selectRun(place.run);
      if (JSON.stringify(place.filter) !== JSON.stringify(get().filter)) set({ filter: place.filter, selected: null });
      set({ rightTab: place.tab ?? 'event', ...(place.query !== undefined ? { graphQuery: place.query } : {}) });
      if (place.event && place.event !== get().selected?.id) await get().jumpTo({ eventId: place.event });
      if (!place.event) set({ selected: null });
    },
  };
};

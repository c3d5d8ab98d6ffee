/**
 * What belongs to the run shown and is left with it: its selected event, filter, compare, graph
 * focus, archive view and the objects a query matched in it (the query itself stays). Leaving a run (another run, a jump into another run) or a store resets
 * exactly this, here, so the three never drift apart again.
 */
import type { AppState } from './app-store';

export const leaveRun = (): Partial<AppState> => ({ showSavePage: false, selected: null, filter: {}, compare: null, graphFocus: null, showArchived: false, queryMatches: [] });

/** Leaving a store leaves its run, and the store's own lists. */
export const leaveStore = (): Partial<AppState> => ({ ...leaveRun(), runId: null, runs: [], runFailures: null, matrix: null, showFleet: false });

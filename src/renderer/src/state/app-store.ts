/**
 * The app's state (zustand), in slices by concern: open stores and runs, what is selected in a run,
 * the window's panels, the dialogs, the views the panels show (fetched here, not in components), saved
 * connections and the migration the wizard follows. Components subscribe to what they show through selectors.
 */
import { create } from 'zustand';
import type { OpOutput } from '../../../shared/contract';
import { connectionsSlice, type ConnectionsSlice } from './slices/connections-slice';
import { dialogsSlice, type DialogsSlice } from './slices/dialogs-slice';
import { migrationsSlice, type MigrationsSlice } from './slices/migrations-slice';
import { panelsSlice, type PanelsSlice } from './slices/panels-slice';
import { selectionSlice, type SelectionSlice } from './slices/selection-slice';
import { storesSlice, type StoresSlice } from './slices/stores-slice';
import { viewsSlice, type ViewsSlice } from './slices/views-slice';

export type StoreInfo = OpOutput<'openStore'>;
export type RunInfo = OpOutput<'listRuns'>[number];
export type RightTab = 'event' | 'graph' | 'status' | 'query';
/** A run of one of the open stores (compare may set runs of two stores side by side). */
export interface RunRef {
  storeId: string;
  runId: string;
}

export type AppState = StoresSlice & SelectionSlice & PanelsSlice & DialogsSlice & ViewsSlice & ConnectionsSlice & MigrationsSlice;

export const useApp = create<AppState>()((...a) => ({
  ...storesSlice(...a),
  ...selectionSlice(...a),
  ...panelsSlice(...a),
  ...dialogsSlice(...a),
  ...viewsSlice(...a),
  ...connectionsSlice(...a),
  ...migrationsSlice(...a),
}));

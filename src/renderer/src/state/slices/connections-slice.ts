/** Saved Postgres connections (kept by the main process, passwords in the keyring): listing, saving, forgetting, opening one. */
import type { StateCreator } from 'zustand';
import type { OpOutput } from '../../../../shared/contract';
import { call, toApiError, type ApiError } from '../../api/transport';
import type { AppState } from '../app-store';

export type SavedConnection = OpOutput<'listConnections'>[number];

export interface ConnectionsSlice {
  savedConnections: SavedConnection[];
  loadConnections(): Promise<void>;
  /** Saves a connection (its password too, only if asked); says what was kept, or returns the failure. */
  saveConnection(name: string, url: string, savePassword: boolean): Promise<ApiError | null>;
  forgetConnection(name: string): Promise<void>;
  /** Opens a saved connection and shows its store; returns the failure for the dialog to show. */
  openSavedConnection(name: string, password?: string): Promise<ApiError | null>;
}

export const connectionsSlice: StateCreator<AppState, [], [], ConnectionsSlice> = (set, get) => ({
  savedConnections: [],
  async loadConnections() {
    try {
      set({ savedConnections: await call('listConnections', {}) });
    } catch {
      set({ savedConnections: [] }); // none can be read: the dialog offers the fields and the URL
    }
  },
  async saveConnection(name, url, savePassword) {
    try {
      const res = await call('saveConnection', { name, url, savePassword });
      set({ notice: res.note });
      await get().loadConnections();
      return null;
    } catch (err) {
      return toApiError(err);
    }
  },
  async forgetConnection(name) {
    await call('deleteConnection', { name }).catch(() => {});
    await get().loadConnections();
  },
  async openSavedConnection(name, password) {
    try {
      const info = await call('openConnection', { name, password });
      set({ stores: await call('listStores', {}), showOpen: false });
      await get().selectStore(info.storeId);
      return null;
    } catch (err) {
      return toApiError(err);
    }
  },
});

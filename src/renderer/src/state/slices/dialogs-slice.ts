/** The dialogs and overlays (compare, fork, promote, what-if, open, migrate, shortcuts, palette), what they do, and closing them. */
import type { StateCreator } from 'zustand';
import { call, toApiError, type ApiError } from '../../api/transport';
import type { AppState, RunRef } from '../app-store';

export interface DialogsSlice {
  compare: { a: RunRef; b: RunRef } | null;
  setCompare(c: { a: RunRef; b: RunRef } | null): void;
  /** Runs of the shown store side by side (2–20): a run and its forks, or any runs. */
  matrix: string[] | null;
  setMatrix(runIds: string[] | null): void;
  /** The store's runs at once (the fleet view). */
  showFleet: boolean;
  setShowFleet(show: boolean): void;
  /** "Save as page…" for the shown run. */
  showSavePage: boolean;
  setShowSavePage(show: boolean): void;
  forkAt: { id: string; seq: number; type: string } | null;
  setForkAt(e: { id: string; seq: number; type: string } | null): void;
  /** Forks the run at `forkAt` and shows the fork (in the store it was written to); returns the failure for the dialog. */
  forkHere(options: { label?: string; record: boolean; destUrl?: string }): Promise<ApiError | null>;
  /** The fork whose promotion into its parent is being planned. */
  promote: { parentRunId: string; forkRunId: string } | null;
  setPromote(p: { parentRunId: string; forkRunId: string } | null): void;
  /** Promotes the planned fork into its parent and shows the marker event; returns the failure for the dialog. */
  applyPromote(): Promise<ApiError | null>;
  /** The events a what-if leaves out. */
  whatIf: { exclude: string[] } | null;
  setWhatIf(w: { exclude: string[] } | null): void;
  showOpen: boolean;
  /** What the Open dialog's URL box starts with (a link's store), else empty. */
  openPrefill: string | null;
  setShowOpen(v: boolean): void;
  showMigrate: boolean;
  setShowMigrate(v: boolean, skipCorrupted?: boolean): void;
  /** Opens the migration wizard (preset: skip corrupted payloads, the remedy for a corrupted run). */
  migrateSkipCorrupted: boolean;
  showShortcuts: boolean;
  setShowShortcuts(v: boolean): void;
  showPalette: boolean;
  setShowPalette(v: boolean): void;
  /** Closes whatever dialog is open; says whether one was. */
  closeDialogs(): boolean;
}

export const dialogsSlice: StateCreator<AppState, [], [], DialogsSlice> = (set, get) => ({
  compare: null,
  setCompare: (compare) => set({ compare }),
  matrix: null,
  setMatrix: (matrix) => set({ matrix }),
  showFleet: false,
  setShowFleet: (showFleet) => set({ showFleet }),
  showSavePage: false,
  setShowSavePage: (showSavePage) => set({ showSavePage }),
  forkAt: null,
  setForkAt: (forkAt) => set({ forkAt }),
  async forkHere({ label, record, destUrl }) {
    const { forkAt, storeId, runId } = get();
    if (!forkAt || !storeId || !runId) return null;
    try {
      const res = await call('fork', { storeId, runId, atEventId: forkAt.id, label, record, destUrl });
      set({ forkAt: null, stores: await call('listStores', {}) });
      if (res.destStoreId !== storeId) await get().selectStore(res.destStoreId);
      else await get().refreshRuns();
      get().selectRun(res.new_run_id);
      return null;
    } catch (err) {
      return toApiError(err);
    }
  },
  promote: null,
  setPromote: (promote) => set({ promote }),
  async applyPromote() {
    const { promote, storeId } = get();
    if (!promote || !storeId) return null;
    try {
      const applied = await call('promote', { storeId, parentRunId: promote.parentRunId, forkRunId: promote.forkRunId, dryRun: false });
      set({ promote: null });
      await get().refreshRuns();
      if (applied.marker_event_id) await get().jumpTo({ eventId: applied.marker_event_id }, promote.parentRunId);
      return null;
    } catch (err) {
      get().showError(err);
      return toApiError(err);
    }
  },
  whatIf: null,
  setWhatIf: (whatIf) => set({ whatIf }),
  showOpen: false,
  openPrefill: null,
  setShowOpen: (showOpen) => set({ showOpen }),
  showMigrate: false,
  // The wizard opens on its form; the migration it followed stays known (its report, by id).
  setShowMigrate: (showMigrate, skipCorrupted = false) => set({ showMigrate, migrateSkipCorrupted: skipCorrupted, followedMigration: null }),
  migrateSkipCorrupted: false,
  showShortcuts: false,
  setShowShortcuts: (showShortcuts) => set({ showShortcuts }),
  showPalette: false,
  setShowPalette: (showPalette) => set({ showPalette }),
  closeDialogs() {
    const s = get();
    const open = Boolean(s.forkAt || s.promote || s.whatIf || s.showOpen || s.showMigrate || s.compare || s.matrix || s.showShortcuts || s.showPalette);
    set({
      forkAt: null,
      promote: null,
      whatIf: null,
      showOpen: false,
      showMigrate: false,
      compare: null,
      matrix: null,
      showFleet: false,
      showShortcuts: false,
      showPalette: false,
    });
    return open;
  },
});

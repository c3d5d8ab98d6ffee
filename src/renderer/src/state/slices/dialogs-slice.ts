/** The dialogs and overlays (compare, fork, promote, what-if, open, migrate, shortcuts, palette), and closing them. */
import type { StateCreator } from 'zustand';
import type { AppState, RunRef } from '../app-store';

export interface DialogsSlice {
  compare: { a: RunRef; b: RunRef } | null;
  setCompare(c: { a: RunRef; b: RunRef } | null): void;
  forkAt: { id: string; seq: number; type: string } | null;
  setForkAt(e: { id: string; seq: number; type: string } | null): void;
  /** The fork whose promotion into its parent is being planned. */
  promote: { parentRunId: string; forkRunId: string } | null;
  setPromote(p: { parentRunId: string; forkRunId: string } | null): void;
  /** The events a what-if leaves out. */
  whatIf: { exclude: string[] } | null;
  setWhatIf(w: { exclude: string[] } | null): void;
  showOpen: boolean;
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
  forkAt: null,
  setForkAt: (forkAt) => set({ forkAt }),
  promote: null,
  setPromote: (promote) => set({ promote }),
  whatIf: null,
  setWhatIf: (whatIf) => set({ whatIf }),
  showOpen: false,
  setShowOpen: (showOpen) => set({ showOpen }),
  showMigrate: false,
  setShowMigrate: (showMigrate, skipCorrupted = false) => set({ showMigrate, migrateSkipCorrupted: skipCorrupted }),
  migrateSkipCorrupted: false,
  showShortcuts: false,
  setShowShortcuts: (showShortcuts) => set({ showShortcuts }),
  showPalette: false,
  setShowPalette: (showPalette) => set({ showPalette }),
  closeDialogs() {
    const s = get();
    const open = Boolean(s.forkAt || s.promote || s.whatIf || s.showOpen || s.showMigrate || s.compare || s.showShortcuts || s.showPalette);
    set({ forkAt: null, promote: null, whatIf: null, showOpen: false, showMigrate: false, compare: null, showShortcuts: false, showPalette: false });
    return open;
  },
});

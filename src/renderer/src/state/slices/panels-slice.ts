/** How the window is laid out and what it says: the right panel's tab, the timeline's tiers and bands, errors and notices. */
import type { StateCreator } from 'zustand';
import { toApiError, type ApiError } from '../../api/transport';
import type { AppState, RightTab } from '../app-store';
import { remembered } from '../remembered';

export interface PanelsSlice {
  rightTab: RightTab;
  setRightTab(tab: RightTab): void;
  /** The timeline shows the run's archive tier (a compacted run's older events) instead of its hot log. */
  showArchived: boolean;
  setShowArchived(v: boolean): void;
  /** Shows the archive tier with this event of it selected. */
  showArchivedEvent(e: { id: string; seq: number; offset: number }): void;
  /** The waterfall above the timeline (remembered). */
  showWaterfall: boolean;
  setShowWaterfall(v: boolean): void;
  error: ApiError | null;
  /** A non-error message for the user (e.g. why a password was not saved). */
  notice: string | null;
  showError(err: unknown): void;
  clearError(): void;
}

export const panelsSlice: StateCreator<AppState, [], [], PanelsSlice> = (set) => ({
  rightTab: 'event',
  setRightTab: (rightTab) => set({ rightTab }),
  showArchived: false,
  setShowArchived: (showArchived) => set({ showArchived, selected: null }),
  showArchivedEvent: (e) => set((s) => ({ showArchived: true, selected: e, scrollRequest: s.scrollRequest + 1 })),
  showWaterfall: remembered.get('ri-waterfall') === '1',
  setShowWaterfall: (showWaterfall) => (remembered.set('ri-waterfall', showWaterfall ? '1' : '0'), set({ showWaterfall })),
  error: null,
  notice: null,
  showError: (err) => set({ error: toApiError(err) }),
  clearError: () => set({ error: null }),
});

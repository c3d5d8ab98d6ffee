/**
 * Keeps the location and the view in step: every settled change of store, run, event, tab or
 * filters is written to the location (a new history entry, except for filter edits, which replace
 * the current one), and Back/Forward show the place they return to. Changes made while showing a
 * place are not written back, and a burst of changes (one click that selects a run and an event)
 * makes one history entry.
 */
import { onlyFilterDiffers, placeFromSearch, searchFromPlace, type Place } from './place';
import { useApp, type AppState } from '../../state/app-store';

const placeOf = (s: AppState): Place => ({
  store: s.stores.find((x) => x.storeId === s.storeId)?.linkUrl,
  run: s.runId ?? undefined,
  event: s.selected?.id,
  tab: s.rightTab,
  filter: s.filter,
  query: s.rightTab === 'query' && s.graphQuery ? s.graphQuery : undefined,
});

let showing = 0;

/** Runs `fn` (showing a place) without writing history for the changes it makes. */
export async function showingPlace(fn: () => Promise<void>): Promise<void> {
  showing++;
  try {
    await fn();
  } finally {
    showing--;
    written = placeOf(useApp.getState());
  }
}

let written: Place | null = null;
let timer: ReturnType<typeof setTimeout> | null = null;

let stop: (() => void) | null = null;

/** Starts following the view (once per page). */
export function startPlaceSync(): () => void {
  if (stop) return stop;
  const unsubscribe = useApp.subscribe(() => {
    if (showing > 0 || timer) return;
    timer = setTimeout(() => {
      timer = null;
      if (showing > 0) return;
      const next = placeOf(useApp.getState());
      const search = searchFromPlace(next);
      if (search === location.search) return;
      const url = location.pathname + search + location.hash;
      if (written && onlyFilterDiffers(next, written)) history.replaceState(null, '', url);
      else history.pushState(null, '', url);
      written = next;
    }, 0);
  });
  const onPop = () => void showingPlace(() => useApp.getState().applyPlace(placeFromSearch(location.search)));
  window.addEventListener('popstate', onPop);
  stop = () => {
    unsubscribe();
    window.removeEventListener('popstate', onPop);
    stop = null;
  };
  return stop;
}

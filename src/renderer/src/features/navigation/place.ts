/**
 * Places are URLs: the store, run, event, panel tab, filters and graph query of the view, in the location's
 * query, so that a link opens exactly that view (in a new tab or window), a reload restores it, and
 * Back and Forward walk the selection history. The store is named by its URL without secrets
 * (StoreInfo.linkUrl), which outlives the data host; never by its id, which does not, nor with a password.
 */
import type { EventFilter } from '../../../../shared/model';

export type Tab = 'event' | 'graph' | 'status' | 'query';

export interface Place {
  store?: string;
  run?: string;
  event?: string;
  tab?: Tab;
  filter: EventFilter;
  /** The graph query, when the Query panel is shown: a query is a link. */
  query?: string;
}

const TABS: Tab[] = ['event', 'graph', 'status', 'query'];

export function placeFromSearch(search: string): Place {
  const q = new URLSearchParams(search);
  const types = q.get('types');
  const filter: EventFilter = {};
  if (types) filter.types = types.split(',').filter(Boolean);
  if (q.get('actor')) filter.actor = q.get('actor')!;
  if (q.get('text')) filter.text = q.get('text')!;
  if (q.get('compact') === '1') filter.compact = true;
  if (q.get('where')) filter.where = q.get('where')!;
  const tab = q.get('tab') as Tab | null;
  return {
    store: q.get('store') ?? undefined,
    run: q.get('run') ?? undefined,
    event: q.get('event') ?? undefined,
    tab: tab && TABS.includes(tab) ? tab : undefined,
    filter,
    query: q.get('q') ?? undefined,
  };
}

export function searchFromPlace(p: Place): string {
  const q = new URLSearchParams();
  if (p.store) q.set('store', p.store);
  if (p.run) q.set('run', p.run);
  if (p.event) q.set('event', p.event);
  if (p.tab && p.tab !== 'event') q.set('tab', p.tab);
  if (p.filter.types?.length) q.set('types', p.filter.types.join(','));
  if (p.filter.actor) q.set('actor', p.filter.actor);
  if (p.filter.text) q.set('text', p.filter.text);
  if (p.filter.compact) q.set('compact', '1');
  if (p.filter.where) q.set('where', p.filter.where);
  if (p.query) q.set('q', p.query);
  const s = q.toString();
  return s ? `?${s}` : '';
}

/** Whether two places differ only in their filters (typing in a filter replaces history, it does not push). */
export function onlyFilterDiffers(a: Place, b: Place): boolean {
  return a.store === b.store && a.run === b.run && a.event === b.event && a.tab === b.tab && a.query === b.query;
}

/** Whether a place names nothing (a bare URL): there is nothing to restore, and the view is left as the user has made it. */
export function isEmptyPlace(p: Place): boolean {
  return !p.store && !p.run && !p.event && !p.tab && !p.query && Object.keys(p.filter).length === 0;
}

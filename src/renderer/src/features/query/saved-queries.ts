/** Saved graph queries, per store (by its link URL), in this app's own settings: never in the store. */
import { useSyncExternalStore } from 'react';
import { remembered } from '../../state/remembered';

const key = (store: string) => `ri-queries:${store}`;
const listeners = new Set<() => void>();
const cache = new Map<string, string[]>();

export function savedQueries(store: string): string[] {
  let list = cache.get(store);
  if (!list) {
    try {
      list = JSON.parse(remembered.get(key(store)) ?? '[]') as string[];
    } catch {
      list = [];
    }
    cache.set(store, list);
  }
  return list;
}

function write(store: string, list: string[]): void {
  cache.set(store, list);
  remembered.set(key(store), JSON.stringify(list));
  listeners.forEach((l) => l());
}

export const saveQuery = (store: string, query: string): void => write(store, [...savedQueries(store).filter((q) => q !== query), query]);
export const forgetQuery = (store: string, query: string): void =>
  write(
    store,
    savedQueries(store).filter((q) => q !== query),
  );

const subscribe = (l: () => void) => (listeners.add(l), () => void listeners.delete(l));
const NONE: string[] = [];

export function useSavedQueries(store: string | null): string[] {
  return useSyncExternalStore(subscribe, () => (store ? savedQueries(store) : NONE));
}

/** A real store behind a spy that counts the rows each read returns, to prove what a call reads. */
import type { EventStore } from '../../src/main/store/event-store.js';

export interface RowCounter {
  rows: number;
  /** Called after every read that returned rows. */
  onRead: (() => void) | null;
}

const counted = (counter: RowCounter, value: unknown): unknown => {
  if (Array.isArray(value) && value.length) {
    counter.rows += value.length;
    counter.onRead?.();
  }
  return value;
};

/** Wraps every method: a promise of rows, or a reader handed out (the payload check's projected rows). */
function wrap<T extends object>(target: T, counter: RowCounter): T {
  return new Proxy(target, {
    get(t, prop) {
      const v = Reflect.get(t, prop, t);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        const r = v.apply(t, args);
        if (r instanceof Promise) return r.then((x) => counted(counter, x));
        if (r && typeof r === 'object' && !Array.isArray(r)) return wrap(r, counter);
        return counted(counter, r);
      };
    },
  });
}

export function countingStore(store: EventStore, counter: RowCounter): EventStore {
  return wrap(store, counter);
}

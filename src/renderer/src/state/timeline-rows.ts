/** Fetches timeline rows by block of offsets and keeps a bounded cache, so only what is visible is loaded. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../shared/contract';
import type { EventFilter } from '../../../shared/model';
import { call } from '../api/transport';

export type TimelineRow = OpOutput<'timelineWindow'>['rows'][number];
const BLOCK = 100;
const MAX_BLOCKS = 60;

export function useTimelineRows(storeId: string | null, runId: string | null, filter: EventFilter, onError: (e: unknown) => void) {
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const cache = useRef(new Map<number, TimelineRow[]>());
  const pending = useRef(new Set<number>());
  const key = `${storeId}|${runId}|${JSON.stringify(filter)}`;
  const keyRef = useRef(key);

  useEffect(() => {
    keyRef.current = key;
    cache.current.clear();
    pending.current.clear();
    setTotal(null);
    if (!storeId || !runId) return;
    void load(0);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [key]);

  const load = useCallback(
    async (block: number) => {
      if (!storeId || !runId || pending.current.has(block)) return;
      pending.current.add(block);
      const myKey = keyRef.current;
      try {
        const res = await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset: block * BLOCK, limit: BLOCK });
        if (keyRef.current !== myKey) return;
        cache.current.set(block, res.rows);
        if (cache.current.size > MAX_BLOCKS) cache.current.delete(cache.current.keys().next().value!);
        setTotal(res.total);
        setVersion((v) => v + 1);
      } catch (err) {
        onError(err);
      } finally {
        pending.current.delete(block);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [key],
  );

  /** Rows for [first, first+count); missing ones are requested and come back as undefined. */
  const rows = (first: number, count: number): (TimelineRow | undefined)[] => {
    const out: (TimelineRow | undefined)[] = [];
    for (let i = first; i < first + count && (total === null || i < total); i++) {
      const block = Math.floor(i / BLOCK);
      const b = cache.current.get(block);
      if (!b) void load(block);
      out.push(b?.[i - block * BLOCK]);
    }
    return out;
  };

  /** The run grew: forget the tail block and reload it, which also brings the new total. */
  const grew = useCallback(() => {
    const lastBlock = Math.floor(Math.max(0, (total ?? 1) - 1) / BLOCK);
    cache.current.delete(lastBlock);
    void load(lastBlock);
  }, [total, load]);

  return { total, rows, grew };
}

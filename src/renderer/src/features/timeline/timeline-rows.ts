/** Fetches timeline rows by block of offsets and keeps a bounded cache, so only what is visible is loaded. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import type { EventFilter } from '../../../../shared/model';
import { call } from '../../api/transport';

export type TimelineRow = OpOutput<'timelineWindow'>['rows'][number];
const BLOCK = 100;
const MAX_BLOCKS = 60;

export function useTimelineRows(storeId: string | null, runId: string | null, filter: EventFilter, onError: (e: unknown) => void) {
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const cache = useRef(new Map<number, TimelineRow[]>());
  /** Latest request number per block: a slower, older response never overwrites a newer one. */
  const requested = useRef(new Map<number, number>());
  const totalRef = useRef<number | null>(null);
  const nextRequest = useRef(0);
  const key = `${storeId}|${runId}|${JSON.stringify(filter)}`;
  const keyRef = useRef(key);

  const load = useCallback(
    async (block: number, force = false) => {
      if (!storeId || !runId || (!force && requested.current.has(block))) return;
      const ticket = ++nextRequest.current;
      requested.current.set(block, ticket);
      const myKey = keyRef.current;
      try {
        const res = await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset: block * BLOCK, limit: BLOCK });
        if (keyRef.current !== myKey || requested.current.get(block) !== ticket) return;
        cache.current.set(block, res.rows);
        if (cache.current.size > MAX_BLOCKS) {
          const oldest = cache.current.keys().next().value!;
          cache.current.delete(oldest);
          requested.current.delete(oldest);
        }
        totalRef.current = res.total;
        setTotal(res.total);
        setVersion((v) => v + 1);
      } catch (err) {
        requested.current.delete(block);
        onError(err);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for storeId, runId and the filter's value (a new filter object with the same value must not reload)
    [key],
  );

  useEffect(() => {
    keyRef.current = key;
    cache.current.clear();
    requested.current.clear();
    totalRef.current = null;
    setTotal(null);
    if (storeId && runId) void load(0);
  }, [key, load, storeId, runId]);

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

  /** The run grew: reload the tail block, which also brings the new total. Stable across renders. */
  const grew = useCallback(() => {
    const lastBlock = Math.floor(Math.max(0, (totalRef.current ?? 1) - 1) / BLOCK);
    void load(lastBlock, true);
  }, [load]);

  return { total, rows, grew };
}

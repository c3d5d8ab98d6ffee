/** Fetches timeline rows by block of offsets and keeps a bounded cache, so only what is visible is loaded. */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { OpOutput } from '../../../../shared/contract';
import type { EventFilter } from '../../../../shared/model';
import { call } from '../../api/transport';

export type TimelineRow = OpOutput<'timelineWindow'>['rows'][number];
export type SpanTime = OpOutput<'spanTimes'>[number];
/** Events that start or end a span (their durations come from the engine's span index). */
const SPAN_TYPE = /^((relation_)?behavior\.(started|completed|failed)|(llm|tool|embedding)\.(requested|responded)|(assistant|workflow|node|tool)\.(invoke|respond|failed))$/;
const BLOCK = 100;
const MAX_BLOCKS = 60;
const MAX_SPAN_TIMES = 20_000;

/** `archived`: the run's archive tier instead of its hot log (filters apply to the hot log). */
export function useTimelineRows(storeId: string | null, runId: string | null, filter: EventFilter, archived: boolean, onError: (e: unknown) => void) {
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const cache = useRef(new Map<number, TimelineRow[]>());
  const spans = useRef(new Map<string, SpanTime>());
  /** Latest request number per block: a slower, older response never overwrites a newer one. */
  const requested = useRef(new Map<number, number>());
  const totalRef = useRef<number | null>(null);
  const nextRequest = useRef(0);
  const key = `${storeId}|${runId}|${JSON.stringify(filter)}|${archived}`;
  const keyRef = useRef(key);
  /** Cancels what was asked for the view the user left (another run, another filter): the host drops it at its next chunk. */
  const left = useRef(new AbortController());

  const load = useCallback(
    async (block: number, force = false) => {
      if (!storeId || !runId || (!force && requested.current.has(block))) return;
      const ticket = ++nextRequest.current;
      requested.current.set(block, ticket);
      const myKey = keyRef.current;
      const signal = left.current.signal;
      try {
        const res = archived
          ? await call('archivedWindow', { storeId, runId, offset: block * BLOCK, limit: BLOCK }, signal)
          : await call('timelineWindow', { storeId, runId, filter: Object.keys(filter).length ? filter : undefined, offset: block * BLOCK, limit: BLOCK }, signal);
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
        // Durations arrive after the rows: the span index of a big run is read once, in the background.
        const eventIds = res.rows.filter((r) => SPAN_TYPE.test(r.type)).map((r) => r.id);
        if (eventIds.length)
          call('spanTimes', { storeId, runId, eventIds }, signal).then(
            (times) => {
              if (keyRef.current !== myKey) return;
              if (spans.current.size > MAX_SPAN_TIMES) spans.current.clear(); // bounded, like the rows; visible ones come back
              for (const t of times) spans.current.set(t.eventId, t);
              setVersion((v) => v + 1);
            },
            () => {}, // no durations, nothing else lost: the rows are shown
          );
      } catch (err) {
        requested.current.delete(block);
        if (!signal.aborted) onError(err);
      }
    },
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `key` stands for storeId, runId and the filter's value (a new filter object with the same value must not reload)
    [key],
  );

  useEffect(() => {
    left.current.abort();
    left.current = new AbortController();
    keyRef.current = key;
    cache.current.clear();
    spans.current.clear();
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

  /** The span an event starts or ends, once known. */
  const spanOf = (eventId: string): SpanTime | undefined => spans.current.get(eventId);

  return { total, rows, grew, spanOf };
}

/** The timeline: pages of rows by offset, jumps to an event, the next match of a search, and the rate strip above it. */
import { eventNotFound } from '../../base/errors.js';
import { BEFORE_FIRST_SEQ } from '../../store/event-store.js';
import { rateStrip } from '../../engine/rate-strip.js';
import { timelineRow } from '../../engine/timeline-row.js';
import type { Handlers, ServiceContext } from './context.js';

export function timelineHandlers({ registry }: ServiceContext): Handlers<'timelineWindow' | 'locateEvent' | 'rateStrip' | 'findEvent'> {
  return {
    // The next (or previous) match of a filter, by walking the run from a seq until one matches:
    // on a big run the first match comes long before the count of all of them.
    findEvent: async ({ storeId, runId, filter, afterSeq, beforeSeq }) => {
      const { store } = registry.get(storeId);
      const [e] = beforeSeq !== undefined ? await store.eventsBefore(runId, beforeSeq, 1, filter) : await store.eventsAfter(runId, afterSeq ?? BEFORE_FIRST_SEQ, 1, filter);
      return { seq: e?.seq ?? null, id: e?.id ?? null };
    },
    timelineWindow: async ({ storeId, runId, filter, offset, limit }, signal) => {
      const s = registry.get(storeId);
      const t = await registry.timeline(s, runId, filter, signal);
      const rows = await t.window(offset, limit);
      // A filtered view asks the run's own index where each row sits in the run.
      const whole = filter && Object.keys(filter).length ? await registry.timeline(s, runId, undefined, signal) : null;
      const indexes = whole ? await Promise.all(rows.map(async (e) => ((await whole.offsetOfSeq(e.seq)) ?? 0) + 1)) : rows.map((_, i) => offset + i + 1);
      return { total: t.total, rows: rows.map((e, i) => timelineRow(e, offset + i, indexes[i]!)) };
    },
    locateEvent: async ({ storeId, runId, filter, eventId, seq, index, position }, signal) => {
      const s = registry.get(storeId);
      const t = await registry.timeline(s, runId, filter, signal);
      if (position === 'first') return { offset: t.total ? 0 : null, seq: null, total: t.total };
      if (position === 'last') return { offset: t.total ? t.total - 1 : null, seq: null, total: t.total };
      let target = seq;
      if (eventId !== undefined) {
        const e = await s.store.getEvent(runId, eventId);
        if (!e) throw eventNotFound(eventId, runId, 'jump');
        target = e.seq;
      }
      if (index !== undefined) target = (await (await registry.timeline(s, runId, undefined, signal)).window(index - 1, 1))[0]?.seq;
      if (target === undefined) return { offset: null, seq: null, total: t.total };
      return { offset: await t.offsetOfSeq(target), seq: target, total: t.total };
    },
    rateStrip: async ({ storeId, runId, buckets, filter }, signal) => {
      const s = registry.get(storeId);
      return rateStrip(s.store, runId, await registry.timeline(s, runId, filter, signal), buckets, filter, signal);
    },
  };
}

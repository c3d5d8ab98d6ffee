/** The timeline: pages of rows by offset, jumps to an event, and the rate strip above it. */
import { eventNotFound } from '../../engine/errors.js';
import { rateStrip } from '../../engine/rate-strip.js';
import { timelineRow } from '../../engine/timeline-row.js';
import type { Handlers, ServiceContext } from './context.js';

export function timelineHandlers({ registry }: ServiceContext): Handlers<'timelineWindow' | 'locateEvent' | 'rateStrip'> {
  return {
    timelineWindow: async ({ storeId, runId, filter, offset, limit }, signal) => {
      const t = await registry.timeline(registry.get(storeId), runId, filter, signal);
      const rows = await t.window(offset, limit);
      return { total: t.total, rows: rows.map((e, i) => timelineRow(e, offset + i)) };
    },
    locateEvent: async ({ storeId, runId, filter, eventId, seq, position }, signal) => {
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
      if (target === undefined) return { offset: null, seq: null, total: t.total };
      return { offset: await t.offsetOfSeq(target), seq: target, total: t.total };
    },
    rateStrip: async ({ storeId, runId, buckets }, signal) => {
      const s = registry.get(storeId);
      return rateStrip(s.store, runId, await registry.timeline(s, runId, undefined, signal), buckets, signal);
    },
  };
}

/** The rate strip over the timeline as filtered: rows, failures and time per bucket. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { rateStrip } from '../../src/main/engine/rate-strip.js';
import { TimelineIndex } from '../../src/main/engine/timeline-index.js';
import type { EventFilter } from '../../src/shared/model.js';
import { copyFixture, manifest } from '../support/fixtures.js';

describe('rate strip', () => {
  it('follows the filter: its rows, and the failures among them (compact mode keeps the folded ones)', async () => {
    const runId = manifest('demo').runs.main as string;
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    try {
      const strip = async (filter?: EventFilter) => {
        const rows = new TimelineIndex(store, runId, filter);
        await rows.refresh();
        const s = await rateStrip(store, runId, rows, 10, filter);
        return { total: s.total, rows: s.buckets.reduce((n, b) => n + b.count, 0), failures: s.buckets.reduce((n, b) => n + b.failures, 0) };
      };
      const failed = await store.countEvents(runId, { types: ['behavior.failed'] });
      expect(failed).toBeGreaterThan(0);
      const all = await strip();
      expect(all).toEqual({ total: 97, rows: 97, failures: failed });
      const behaviors = await strip({ types: ['behavior.'] });
      expect(behaviors).toEqual({ total: await store.countEvents(runId, { types: ['behavior.'] }), rows: behaviors.total, failures: failed });
      expect((await strip({ types: ['llm.'] })).failures).toBe(0);
      const compact = await strip({ compact: true });
      expect(compact.total).toBe(await store.countEvents(runId, { compact: true }));
      expect(compact.failures).toBe(failed);
    } finally {
      await store.close();
    }
  });
});

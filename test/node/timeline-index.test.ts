/** The paging index: random access by row, concurrent refreshes, filters, growth. */
import { describe, expect, it } from 'vitest';
import path from 'node:path';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { TimelineIndex } from '../../src/main/engine/timeline-index.js';
import { copyFixture, manifest, tempDir } from '../support/fixtures.js';

describe('TimelineIndex', () => {
  it('gives every row by offset, matching a plain scan, even when refreshed concurrently', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const run = manifest('demo').runs.main;
    const index = new TimelineIndex(store, run, undefined);
    await Promise.all([index.refresh(), index.refresh(), index.refresh()]);
    const all = await store.eventsAfter(run, -1, 1000);
    expect(index.total).toBe(all.length);
    for (const offset of [0, 1, 50, all.length - 1]) expect((await index.window(offset, 1))[0]!.id).toBe(all[offset]!.id);
    expect(await index.window(all.length, 5)).toEqual([]);
    expect(await index.offsetOfSeq(all[42]!.seq)).toBe(42);
    const llm = new TimelineIndex(store, run, { types: ['llm.'] });
    await llm.refresh();
    const rows = await llm.window(0, 100);
    expect(rows.length).toBe(llm.total);
    expect(rows.every((r) => r.type.startsWith('llm.'))).toBe(true);
    await store.close();
  });

  it('a filtered view read a seq window at a time has the rows of one whole-run statement, in order', async () => {
    const url = `sqlite:///${path.join(tempDir(), 'windows.db')}`;
    const run = '01KWINDOWS00000000000000001';
    const writer = await openDestination(url);
    await writer.begin();
    await writer.insertRun({ run_id: run, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-01T00:00:00Z', goal: 'windows', frame_id: null });
    await writer.commit();
    await new SyntheticRun(run, { seed: 5, startTime: '2026-10-01T00:00:00Z' }).write(writer, 60_000, 20_000);
    await writer.close();
    const store = await openStore(url);
    for (const filter of [{ search: 'claim' }, { actor: 'auditor' }, { search: 'no event says this' }]) {
      const index = new TimelineIndex(store, run, filter);
      await index.refresh();
      const all = await store.eventsAfter(run, -1, 100_000, filter);
      expect(index.total).toBe(all.length);
      for (const offset of [0, 1, 255, 256, Math.floor(all.length / 2), all.length - 1].filter((o) => o >= 0 && o < all.length)) {
        expect((await index.window(offset, 1))[0]!.id).toBe(all[offset]!.id);
        expect(await index.offsetOfSeq(all[offset]!.seq)).toBe(offset);
      }
    }
    await store.close();
  }, 60_000);
});

/** The paging index: random access by row, concurrent refreshes, filters, growth. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
import { TimelineIndex } from '../../src/main/engine/timeline-index.js';
import { copyFixture, manifest } from '../support/fixtures.js';

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
});

/** The app's compare reply: complete counts, and the most connected divergent entities only. */
import { describe, expect, it } from 'vitest';
import { diffRuns } from '../../src/main/engine/diff.js';
import { openStore } from '../../src/main/engine/open-store.js';
import { mostConnected } from '../../src/main/service/handlers/compare.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const demo = manifest('demo');

describe('compare reply', () => {
  it('keeps the counts of the whole diff and lists the most connected divergent objects first', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    const full = await diffRuns(store, demo.runs.main, demo.runs.fork_b);
    expect(full.objects.length).toBeGreaterThan(4);
    const capped = mostConnected(full, 3);
    expect(capped.divergent_objects).toBe(full.divergent_objects);
    expect(capped.divergent_relations).toBe(full.divergent_relations);
    expect(capped.objects).toHaveLength(3);
    const degree = (id: string) => full.relations.filter((r) => [r.in_parent ?? r.in_fork].some((x) => x!.source === id || x!.target === id)).length;
    const kept = Math.min(...capped.objects.map((o) => degree(o.id)));
    const dropped = full.objects.filter((o) => !capped.objects.some((c) => c.id === o.id)).map((o) => degree(o.id));
    expect(Math.max(...dropped)).toBeLessThanOrEqual(kept);
    for (const r of capped.relations) {
      const one = (r.in_parent ?? r.in_fork)!;
      expect(capped.objects.some((o) => o.id === one.source || o.id === one.target)).toBe(true);
    }
    expect(mostConnected(full, 1000)).toBe(full); // small diffs travel whole
    await store.close();
  });
});

/** StoreRegistry: one open store per URL, stable ids (across a host restart too), caches under a memory budget, a typed error for a store not open. */
import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/main/store/store-url.js';
import { CacheBudget } from '../../src/main/service/cache-budget.js';
import { StoreRegistry } from '../../src/main/service/store-registry.js';
import { syntheticStore } from '../support/synthetic-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';

describe('store registry', () => {
  it('opens a URL once, names stores by stable ids, and says plainly when one is not open', async () => {
    const demo = parseStoreUrl(`sqlite:///${copyFixture('demo').file}`);
    const archived = parseStoreUrl(`sqlite:///${copyFixture('archived').file}`);
    const registry = new StoreRegistry();
    const a = await registry.register(demo);
    expect(await registry.register(demo)).toBe(a);
    const b = await registry.register(archived);
    expect([a.id, b.id]).toEqual(['s1', 's2']);
    expect(registry.info(a)).toMatchObject({ storeId: 's1', driver: 'sqlite', runtime: 'Active Graph', writable: true });

    expect(await registry.close('s1')).toBe(true);
    expect(() => registry.get('s1')).toThrow(expect.objectContaining({ className: 'StoreNotOpenError', exitCode: 3 }));
    expect(await registry.close('s1')).toBe(false);

    // A restarted host reopens under the old ids; new stores continue after them.
    const restarted = new StoreRegistry();
    await restarted.reopen('s7', demo);
    expect(restarted.get('s7').url.raw).toBe(demo.raw);
    expect((await restarted.register(archived)).id).toBe('s8');
    await Promise.all([registry.closeAll(), restarted.closeAll()]);
  });

  it('shares one row index per run and filter and one cursor per run; many small caches all stay under a large budget', async () => {
    const registry = new StoreRegistry();
    const s = await registry.register(parseStoreUrl(`sqlite:///${copyFixture('demo').file}`));
    const runs = Object.values(manifest('demo').runs) as string[];
    const t = await registry.timeline(s, runs[0]!, { types: ['llm.'] });
    expect(await registry.timeline(s, runs[0]!, { types: ['llm.'] })).toBe(t);
    expect(await registry.timeline(s, runs[0]!)).not.toBe(t);
    const first = registry.cursor(s, runs[0]!);
    expect(registry.cursor(s, runs[0]!)).toBe(first);
    for (const run of runs) await registry.graphAt(s, run);
    expect(runs.length).toBeGreaterThan(4);
    expect(s.cursors.size).toBe(runs.length); // kept by size, not by count
    expect(registry.caches.stats().entries.filter((e) => e.kind === 'graph').length).toBe(runs.length);
    registry.forget(s.id);
    expect([s.timelines.size, s.cursors.size]).toEqual([0, 0]);
    expect(registry.caches.stats().entries.filter((e) => e.kind !== 'spans')).toEqual([]);
    await registry.closeAll();
  });

  it('drops the least recently used caches by size when over the budget, and at once when the budget is lowered', async () => {
    const files = [await syntheticStore('R', 20_000, 1), await syntheticStore('R', 20_000, 2), await syntheticStore('R', 20_000, 3)];
    const probe = new StoreRegistry();
    const p = await probe.register(parseStoreUrl(`sqlite:///${files[0]}`));
    await probe.graphAt(p, 'R');
    const one = probe.caches.stats().usedBytes;
    await probe.closeAll();

    const registry = new StoreRegistry(undefined, new CacheBudget(Math.round(2.5 * one)));
    const stores = [];
    for (const f of files) stores.push(await registry.register(parseStoreUrl(`sqlite:///${f}`)));
    for (const s of stores.slice(0, 2)) await registry.graphAt(s, 'R');
    expect(stores.map((s) => s.cursors.has('R'))).toEqual([true, true, false]);
    await registry.graphAt(stores[0]!, 'R'); // the first is used again: the second is now the oldest
    await registry.graphAt(stores[2]!, 'R');
    expect(stores.map((s) => s.cursors.has('R'))).toEqual([true, false, true]);
    const stats = registry.caches.stats();
    expect(stats.usedBytes).toBeLessThanOrEqual(stats.limitBytes);
    expect(stats.entries.map((e) => e.storeId).sort()).toEqual([stores[0]!.id, stores[2]!.id].sort());

    registry.caches.setLimit(Math.round(1.5 * one));
    expect(stores.map((s) => s.cursors.has('R'))).toEqual([false, false, true]); // only the most recent stays
    await registry.closeAll();
    expect(registry.caches.stats()).toMatchObject({ usedBytes: 0, entries: [] });
  });
});

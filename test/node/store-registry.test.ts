/** StoreRegistry: one open store per URL, stable ids (across a host restart too), bounded caches, a typed error for a store not open. */
import { describe, expect, it } from 'vitest';
import { parseStoreUrl } from '../../src/main/engine/store-url.js';
import { StoreRegistry } from '../../src/main/service/store-registry.js';
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

  it('shares one row index per run and filter, one cursor per run, and keeps a bounded number', async () => {
    const registry = new StoreRegistry();
    const s = await registry.register(parseStoreUrl(`sqlite:///${copyFixture('demo').file}`));
    const runs = Object.values(manifest('demo').runs) as string[];
    const t = await registry.timeline(s, runs[0]!, { types: ['llm.'] });
    expect(await registry.timeline(s, runs[0]!, { types: ['llm.'] })).toBe(t);
    expect(await registry.timeline(s, runs[0]!)).not.toBe(t);
    const first = registry.cursor(s, runs[0]!);
    expect(registry.cursor(s, runs[0]!)).toBe(first);
    for (const run of runs.slice(1)) registry.cursor(s, run);
    expect(s.cursors.size).toBeLessThanOrEqual(4);
    expect(s.cursors.has(runs[0]!)).toBe(false); // the oldest went first
    registry.forget(s.id);
    expect([s.timelines.size, s.cursors.size]).toEqual([0, 0]);
    await registry.closeAll();
  });
});

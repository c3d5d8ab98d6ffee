/**
 * RunWatcher: a run another process appends to is announced as `runGrew`, with its new total and
 * last seq; the graph cursor of that run reads on from where it was; an unwatched run is left alone.
 */
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import type { PushPayload } from '../../src/shared/contract.js';
import { parseStoreUrl } from '../../src/main/store/store-url.js';
import { Pushes } from '../../src/main/service/push.js';
import { RunWatcher } from '../../src/main/service/run-watcher.js';
import { StoreRegistry } from '../../src/main/service/store-registry.js';
import { appendObject as append } from '../support/append-object.js';
import { copyFixture, manifest } from '../support/fixtures.js';

/** A copy of the demo store open in a registry, and what is pushed, by channel. */
async function demoWatched() {
  const { file } = copyFixture('demo');
  const run = manifest('demo').runs.main as string;
  const registry = new StoreRegistry();
  const pushes = new Pushes();
  const grew: PushPayload<'runGrew'>[] = [];
  const changed: string[] = [];
  pushes.subscribe((channel, payload) => {
    if (channel === 'runGrew') grew.push(payload as PushPayload<'runGrew'>);
    if (channel === 'storeChanged') changed.push((payload as PushPayload<'storeChanged'>).storeId);
  });
  const s = await registry.register(parseStoreUrl(`sqlite:///${file}`));
  return { file, run, registry, pushes, grew, changed, s };
}

describe('run watcher', () => {
  it('announces what another process appends, and the cursor reads on', async () => {
    const { file, run, registry, pushes, grew, s } = await demoWatched();
    const watcher = new RunWatcher(registry, pushes, 30);
    const before = (await registry.timeline(s, run)).total;
    const cursor = registry.cursor(s, run);
    const { graph } = await cursor.at();
    const objectsBefore = graph.objects.size;

    watcher.set(s.id, run, true);
    // Its first look announces the run as it is.
    await vi.waitFor(() => expect(grew).toHaveLength(1), { timeout: 5_000 });
    expect(grew[0]).toMatchObject({ total: before });
    append(file, run, 'evt_appended_1', 'note#appended');
    await vi.waitFor(() => expect(grew).toHaveLength(2), { timeout: 5_000 });
    const last = (await s.store.eventsBefore(run, Number.MAX_SAFE_INTEGER, 1))[0]!;
    expect(grew[1]).toEqual({ storeId: s.id, runId: run, total: before + 1, lastSeq: last.seq });
    expect(last.id).toBe('evt_appended_1');

    // The same cursor, asked again, has read the new event; the graph before it is unchanged.
    expect(registry.cursor(s, run)).toBe(cursor);
    const after = await cursor.at();
    expect(after.seq).toBe(last.seq);
    expect(after.graph.objects.size).toBe(objectsBefore + 1);
    expect(after.graph.objects.get('note#appended')?.data).toEqual({ text: 'appended' });
    expect((await cursor.at(last.seq - 1)).graph.objects.has('note#appended')).toBe(false);

    watcher.set(s.id, run, false);
    append(file, run, 'evt_appended_2', 'note#unwatched');
    await new Promise((r) => setTimeout(r, 200));
    expect(grew).toHaveLength(2);
    watcher.close();
    await registry.closeAll();
  });

  it('announces what was appended after the window read the run and before the watch began', async () => {
    const { file, run, registry, pushes, grew, s } = await demoWatched();
    const before = (await registry.timeline(s, run)).total; // what the window shows
    append(file, run, 'evt_appended_early', 'note#early');
    const watcher = new RunWatcher(registry, pushes, 30);
    watcher.set(s.id, run, true);
    await vi.waitFor(() => expect(grew.map((g) => g.total)).toContain(before + 1), { timeout: 5_000 });
    watcher.close();
    await registry.closeAll();
  });

  it('announces a run another process starts in a store being watched (the list is read again)', async () => {
    const { file, run, registry, pushes, changed, s } = await demoWatched();
    const watcher = new RunWatcher(registry, pushes, 30);
    watcher.set(s.id, run, true);
    await new Promise((r) => setTimeout(r, 100)); // its first look counts the runs there
    expect(changed).toEqual([]);
    const db = new Database(file);
    db.prepare(`INSERT INTO runs(run_id, created_at, goal) VALUES ('01NEWRUNBYANOTHERPROCESS01', '2026-12-04T00:00:00Z', 'started elsewhere')`).run();
    db.close();
    await vi.waitFor(() => expect(changed).toEqual([s.id]), { timeout: 5_000 });
    expect((await s.store.listRuns()).some((r) => r.run_id === '01NEWRUNBYANOTHERPROCESS01')).toBe(true);
    watcher.close();
    await registry.closeAll();
  });
});

/** What-if: the demo run re-projected without some events, against its real graph; nothing is written. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import Database from 'better-sqlite3';
import { divergentEntities } from '../../src/main/engine/diff.js';
import { mostConnected, SHOWN_ENTITIES } from '../../src/main/engine/most-connected.js';
import { Graph, loadRun } from '../../src/main/engine/projection.js';
import { SHOWN_EXCLUDED, whatIf } from '../../src/main/engine/what-if.js';
import { syntheticStore } from '../support/synthetic-store.js';
import { copyFixture, manifest, sha256File } from '../support/fixtures.js';

const main = manifest('demo').runs.main as string;

describe('what-if', () => {
  it('without the goal and everything it caused, the plan and its questions are gone', async () => {
    const { file } = copyFixture('demo');
    const before = sha256File(file);
    const store = await openStore(`sqlite:///${file}`);
    const r = await whatIf(store, main, { exclude: ['evt_001'], withConsequences: true });
    const real = await loadRun(store, main);
    expect(r.real).toEqual({ objects: real.graph.objects.size, relations: real.graph.relations.size });
    // The planner's objects (caused by evt_001) are only in the real run.
    const onlyReal = r.objects.filter((o) => o.in_fork === null).map((o) => o.id);
    expect(onlyReal).toEqual(expect.arrayContaining(['plan#1', 'question#2']));
    expect(r.excluded[0]).toMatchObject({ id: 'evt_001', asked: true });
    expect(r.excluded.filter((e) => !e.asked).length).toBeGreaterThan(5);
    // Transitive: the researcher triggered by question#2's creation (evt_004) is left out too.
    expect(r.excluded.map((e) => e.id)).toContain('evt_014');
    await store.close();
    expect(sha256File(file)).toBe(before);
  });

  it('without consequences only the asked-for event is left out', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const r = await whatIf(store, main, { exclude: ['evt_004'], withConsequences: false });
    expect(r.excluded.map((e) => e.id)).toEqual(['evt_004']);
    // question#2 was never created, so its relations dangle but stay; the rest is as it was.
    expect(r.objects.find((o) => o.id === 'question#2')).toMatchObject({ in_fork: null });
    expect(r.projected.relations).toBe(r.real.relations);
    // ...and the answer says so: every relation of the real graph that touches question#2.
    const real = await loadRun(store, main);
    const touching = [...real.graph.relations.values()].filter((rel) => rel.source === 'question#2' || rel.target === 'question#2').map((rel) => rel.id);
    expect(touching.length).toBeGreaterThan(0);
    expect(r.dangling.count).toBe(touching.length);
    expect(r.dangling.ids.sort()).toEqual(touching.sort());
    await store.close();
  });

  it('as of an event, the real side equals a replay up to it', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const at = (await store.getEvent(main, 'evt_030'))!.seq;
    const r = await whatIf(store, main, { exclude: ['evt_010'], withConsequences: true, asOfSeq: at });
    const real = await loadRun(store, main, { untilSeq: at });
    expect(r.asOfSeq).toBe(at);
    expect(r.real).toEqual({ objects: real.graph.objects.size, relations: real.graph.relations.size });
    expect(r.excluded.every((e) => e.seq <= at)).toBe(true);
    await store.close();
  });
});

describe('what-if at size', () => {
  it('leaving out a thousand events with their consequences answers in counts and a page, exactly', async () => {
    const runId = 'RUN_WHATIF_SIZE';
    const file = await syntheticStore(runId, 20_000, 7);
    const db = new Database(file, { readonly: true });
    const rows = db.prepare('SELECT id, type, caused_by FROM events WHERE run_id = ? ORDER BY seq').all(runId) as { id: string; type: string; caused_by: string | null }[];
    db.close();
    const asked = rows
      .filter((r) => r.type === 'object.created')
      .slice(0, 1000)
      .map((r) => r.id);
    const left = new Set(asked);
    for (const r of rows) if (r.caused_by !== null && left.has(r.caused_by)) left.add(r.id);
    const store = await openStore(`sqlite:///${file}`);
    try {
      const r = await whatIf(store, runId, { exclude: asked, withConsequences: true });
      const full = divergentEntities((await loadRun(store, runId)).graph, new Graph());
      expect(left.size).toBeGreaterThan(SHOWN_EXCLUDED);
      expect(r.excludedCount).toBe(left.size);
      expect(r.excluded.length).toBe(Math.min(SHOWN_EXCLUDED, left.size));
      expect(r.excluded.map((e) => e.id)).toEqual(
        rows
          .filter((x) => left.has(x.id))
          .slice(0, SHOWN_EXCLUDED)
          .map((x) => x.id),
      );
      // The counts are the whole difference; the entities sent are the most connected of it.
      const whole = divergentEntities((await loadRun(store, runId)).graph, await projectedWithout(store, runId, left));
      expect([r.divergentObjects, r.divergentRelations]).toEqual([whole.objects.length, whole.relations.length]);
      expect(r.divergentObjects).toBeGreaterThan(SHOWN_ENTITIES);
      expect(r.objects.length).toBe(SHOWN_ENTITIES);
      expect(r.objects.map((o) => o.id)).toEqual(mostConnected(whole, SHOWN_ENTITIES).objects.map((o) => o.id));
      expect(full.objects.length).toBe(r.real.objects);
    } finally {
      await store.close();
    }
  });
});

/** The run's graph projected without the given events, by a replay of everything else. */
async function projectedWithout(store: Awaited<ReturnType<typeof openStore>>, runId: string, left: Set<string>): Promise<Graph> {
  const g = new Graph();
  await loadRun(store, runId, { onEvent: (e, payload) => left.has(e.id) || g.apply(e.type, payload) });
  return g;
}

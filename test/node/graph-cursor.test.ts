/** The graph as of any event: forward, backward and concurrent moves give the replayed graph. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { graphHubs } from '../../src/main/engine/graph-views.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { syntheticStore } from '../support/synthetic-store.js';

describe('GraphCursor', () => {
  it('matches a fresh replay at every point it is moved to', async () => {
    const { file } = copyFixture('demo');
    const store = await openStore(`sqlite:///${file}`);
    const run = manifest('demo').runs.main;
    const seqs = (await store.eventsAfter(run, -1, 1000)).map((e) => e.seq);
    const cursor = new GraphCursor(store, run);
    const points = [seqs[10]!, seqs[60]!, seqs[30]!, seqs[96]!, seqs[5]!];
    // Concurrent moves (as the UI's panels make them) are applied one after another.
    const results = await Promise.all(
      points.map((p) => cursor.at(p).then(({ graph }) => ({ objects: structuredClone([...graph.objects.values()]), relations: graph.relations.size }))),
    );
    for (const [i, p] of points.entries()) {
      const fresh = await loadRun(store, run, { untilSeq: p });
      expect(results[i]!.objects).toEqual([...fresh.graph.objects.values()]);
      expect(results[i]!.relations).toBe(fresh.graph.relations.size);
    }
    await store.close();
  });

  it('a compacted run starts from its snapshot: every point equals a replay', async () => {
    const store = await openStore(`sqlite:///${copyFixture('archived').file}`);
    const run = manifest('archived').runs.compacted;
    const seqs = (await store.eventsAfter(run, -1, 1000)).map((e) => e.seq);
    const cursor = new GraphCursor(store, run);
    for (const at of [seqs.at(-1)!, seqs[0]!, seqs[Math.floor(seqs.length / 2)]!]) {
      const { graph } = await cursor.at(at);
      const fresh = await loadRun(store, run, { untilSeq: at });
      expect([...graph.objects.values()]).toEqual([...fresh.graph.objects.values()]);
      expect([...graph.relations.values()]).toEqual([...fresh.graph.relations.values()]);
    }
    await store.close();
  });

  it('reads the run once: jumps back and forth across a 70,000-event run give the replayed graph', async () => {
    const run = '01KCURSORCHECKPOINTS000001';
    const store = await openStore(`sqlite:///${await syntheticStore(run, 70_000, 31)}`);
    const seqs = await store.seqsAfter(run, Number.MIN_SAFE_INTEGER, 100_000);
    const cursor = new GraphCursor(store, run);
    await cursor.at(); // the one pass that reads the history
    expect(cursor.historyStats.events).toBe(seqs.length);
    const snapshot = (g: Awaited<ReturnType<typeof cursor.at>>['graph']) => ({
      objects: [...g.objects.values()].map((o) => [o.id, o.version, JSON.stringify(o.data)]),
      relations: [...g.relations.values()].map((r) => [r.id, r.source, r.target]),
      patches: [...g.patches.values()].map((p) => [p.id, p.status]),
      sizes: [g.objects.size, g.relations.size, g.patches.size],
      // The neighborhood of the most connected objects, walked as of the event.
      hoods: graphHubs(g)
        .slice(0, 3)
        .map((h) => g.neighborhood(h.id, 2))
        .map((n) => [n.objects.map((o) => `${o.id}@${o.version}`), n.relations.map((r) => r.id)]),
    });
    for (const i of [65_000, 1_000, 41_234, 20_000, 19_999, 69_999, 0, 52_000]) {
      const at = seqs[Math.min(i, seqs.length - 1)]!;
      const moved = await cursor.at(at);
      const fresh = await loadRun(store, run, { untilSeq: at });
      expect(moved.seq).toBe(at);
      expect(snapshot(moved.graph)).toEqual(snapshot(fresh.graph));
    }
    // Visiting the same event twice gives the same graph.
    const first = snapshot((await cursor.at(seqs[30_000]!)).graph);
    await cursor.at(seqs[5]!);
    expect(snapshot((await cursor.at(seqs[30_000]!)).graph)).toEqual(first);
    await store.close();
  });

  it('a cancelled move leaves a cursor whose next move is still exact', async () => {
    const run = '01KCURSORCANCEL00000000001';
    const store = await openStore(`sqlite:///${await syntheticStore(run, 30_000, 32)}`);
    const seqs = await store.seqsAfter(run, Number.MIN_SAFE_INTEGER, 100_000);
    const cursor = new GraphCursor(store, run);
    const dropped = new AbortController();
    const pending = cursor.at(undefined, dropped.signal);
    setTimeout(() => dropped.abort(), 5);
    await expect(pending).rejects.toThrow();
    const at = seqs[25_000]!;
    const moved = await cursor.at(at);
    const fresh = await loadRun(store, run, { untilSeq: at });
    expect([...moved.graph.objects.keys()]).toEqual([...fresh.graph.objects.keys()]);
    expect(moved.graph.relations.size).toBe(fresh.graph.relations.size);
    await store.close();
  });

  it('a payload damaged where a dropped read had reached is still found before a view past it', async () => {
    const run = '01KCURSORDAMAGED0000000001';
    // Long enough that the read checks aside before it is dropped (50,000 events in), the damage near its end.
    const file = await syntheticStore(run, 120_000, 33);
    const db = new Database(file);
    const behaviors = db.prepare(`SELECT count(*) FROM events WHERE run_id = ? AND type LIKE 'behavior.%'`).pluck().get(run) as number;
    const bad = db
      .prepare(`SELECT seq FROM events WHERE run_id = ? AND type LIKE 'behavior.%' ORDER BY seq LIMIT 1 OFFSET ?`)
      .pluck()
      .get(run, Math.floor(behaviors * 0.9)) as number;
    db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run('{"cut": ', bad);
    db.close();
    const store = await openStore(`sqlite:///${file}`);
    const cursor = new GraphCursor(store, run);
    const dropped = new AbortController();
    const pending = cursor.at(undefined, dropped.signal);
    setTimeout(() => dropped.abort(), 300);
    await pending.catch(() => {});
    const before = (await store.eventsBefore(run, bad, 1))[0]!.seq;
    expect((await cursor.at(before)).seq).toBe(before);
    await expect(cursor.at(bad)).rejects.toMatchObject({ className: 'CorruptedEventPayloadError' });
    await expect(cursor.at()).rejects.toMatchObject({ className: 'CorruptedEventPayloadError' });
    await store.close();
  });
});

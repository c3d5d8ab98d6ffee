/**
 * A fork's end read over its parent's history (engine/fork-graph, run-ends) is the graph a full
 * replay of the fork gives: every object, relation and patch, in Python's dict order, and the
 * same neighborhoods and hubs, for every fork of the fixtures that shares its parent's log. A fork
 * whose log does not begin as its parent's is replayed whole instead.
 */
import { describe, expect, it } from 'vitest';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { ForkGraph } from '../../src/main/engine/fork-graph.js';
import { loadRun, replayInto } from '../../src/main/engine/projection.js';
import { cursorHistories, RunEnds, sharedStart } from '../../src/main/engine/run-ends.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { copyFixture } from '../support/fixtures.js';

const entries = (m: ReadonlyMap<string, unknown>) => [...m.entries()];

describe('a fork over its parent’s history', () => {
  for (const fixture of ['demo', 'archived'] as const)
    it(`ends as a full replay of the fork ends (${fixture})`, async () => {
      const store = await openStore(`sqlite:///${copyFixture(fixture).file}`);
      let shared = 0;
      for (const run of await store.listRuns()) {
        const start = await sharedStart(store, run);
        if (!start) continue;
        shared++;
        const base = (await new GraphCursor(store, start.parentId).at(start.parentSeq)).graph;
        const fork = new ForkGraph(base);
        await replayInto(store, run.run_id, fork, { afterSeq: start.ownSeq });
        const { graph } = await loadRun(store, run.run_id);
        expect(entries(fork.objects), run.run_id).toEqual(entries(graph.objects));
        expect(entries(fork.relations), run.run_id).toEqual(entries(graph.relations));
        expect(entries(fork.patches), run.run_id).toEqual(entries(graph.patches));
        expect([fork.objects.size, fork.relations.size, fork.patches.size]).toEqual([graph.objects.size, graph.relations.size, graph.patches.size]);
        expect(fork.hubs(10)).toEqual(graph.hubs(10));
        for (const h of graph.hubs(5)) expect(fork.neighborhood(h.id, 2)).toEqual(graph.neighborhood(h.id, 2));
      }
      if (fixture === 'demo') expect(shared).toBeGreaterThan(0);
      await store.close();
    });

  it('a run that names a parent but does not copy its log is replayed whole', async () => {
    const { file } = copyFixture('demo');
    const writer = await openDestination(`sqlite:///${file}`);
    const runs = await writer.reader.listRuns();
    const parent = runs.find((r) => runs.some((f) => f.parent_run_id === r.run_id))!;
    const other = runs.find((r) => r.run_id !== parent.run_id && !r.parent_run_id)!;
    const at = (await writer.reader.eventsAfter(parent.run_id, 0, 3))[2]!;
    // A row claiming a fork of `parent` at `at`, whose log is another run's (not a copy of the parent's).
    await writer.begin();
    await writer.insertRun({
      run_id: 'not-a-copy',
      parent_run_id: parent.run_id,
      forked_at_event_id: at.id,
      label: null,
      created_at: '2026-12-04T00:00:00Z',
      goal: null,
      frame_id: null,
    });
    const events = await writer.reader.eventsAfter(other.run_id, 0, 10_000);
    await writer.insertEvents('not-a-copy', events);
    await writer.commit();
    const store = await openStore(`sqlite:///${file}`);
    const run = (await store.getRun('not-a-copy'))!;
    expect(await sharedStart(store, run)).toBeNull();
    const cursors = new Map<string, GraphCursor>();
    const cursor = (id: string) => cursors.get(id) ?? cursors.set(id, new GraphCursor(store, id)).get(id)!;
    const ends = new RunEnds(store, cursorHistories(cursor));
    const [end] = await ends.ends(['not-a-copy']);
    expect(end!.over).toBeNull();
    expect(entries(end!.graph.objects)).toEqual(entries((await loadRun(store, 'not-a-copy')).graph.objects));
    await Promise.all([store.close(), writer.close()]);
  });
});

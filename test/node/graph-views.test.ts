/** What the graph panel and the palette read of a projected graph: finding objects by id, type or label. */
import { describe, expect, it } from 'vitest';
import { findObjects, graphHubs } from '../../src/main/engine/graph-views.js';
import { TopK } from '../../src/main/engine/top-k.js';
import { syntheticStore } from '../support/synthetic-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { copyFixture, manifest, oracle, oracleOutput } from '../support/fixtures.js';

describe('findObjects', () => {
  it('finds the objects of the run’s graph by id, type or label, ids that start with the query first', async () => {
    const runId = manifest('demo').runs.main as string;
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    const { graph } = await loadRun(store, runId);
    await store.close();
    // Every object id has a '#': all of them, as many as Active Graph's replay of the run counts.
    const replay = oracle('demo').commands.find((c) => c.slug === 'run00_replay_json')!;
    expect(findObjects(graph, '#', 100)).toHaveLength(JSON.parse(oracleOutput('demo', replay.stdout)).objects);
    // By label (data.title), case-insensitively.
    const byTitle = findObjects(graph, 'PLAN FOR', 100);
    expect(byTitle.map((o) => o.id)).toEqual(['plan#1']);
    expect(byTitle[0]!.label).toBe('plan for Assess vendor Acme');
    // By type, and ids that start with the query before ids that only contain it.
    const q = findObjects(graph, 'question', 100);
    expect(q.length).toBeGreaterThan(0);
    expect(q.every((o) => o.type === 'question' || o.id.includes('question') || o.label?.toLowerCase().includes('question'))).toBe(true);
    const starts = q.map((o) => o.id.startsWith('question'));
    expect(starts).toEqual([...starts].sort((a, b) => Number(b) - Number(a)));
    expect(findObjects(graph, '#', 3)).toHaveLength(3);
    expect(findObjects(graph, 'no such thing', 10)).toEqual([]);
  });
});

describe('graphHubs', () => {
  it('the most connected objects of a generated run, as a sort of every object would rank them', async () => {
    const runId = '01KGRAPHHUBS00000000000001';
    const store = await openStore(`sqlite:///${await syntheticStore(runId, 20_000, 5)}`);
    const { graph } = await loadRun(store, runId);
    await store.close();
    const degree = (id: string) => [...graph.relations.values()].reduce((n, r) => n + (r.source === id ? 1 : 0) + (r.target === id ? 1 : 0), 0);
    const all = [...graph.objects.values()].map((o) => ({ id: o.id, type: o.type, degree: degree(o.id) }));
    all.sort((a, b) => b.degree - a.degree || (a.id < b.id ? -1 : 1));
    expect(graph.objects.size).toBeGreaterThan(200);
    expect(graphHubs(graph)).toEqual(all.slice(0, 200));
  });

  it('TopK keeps the k first in order, whatever the order they are offered in', () => {
    const firstOf = (xs: number[], k: number) => {
      const top = new TopK<number>(k, (a, b) => a - b);
      xs.forEach((x) => top.offer(x));
      return top.sorted();
    };
    const xs = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
    expect(firstOf(xs, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(firstOf(xs, 0)).toEqual([]);
    expect(firstOf([3, 1], 5)).toEqual([1, 3]);
  });
});

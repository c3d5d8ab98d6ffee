/** What the graph panel and the palette read of a projected graph: finding objects by id, type or label. */
import { describe, expect, it } from 'vitest';
import { findObjects } from '../../src/main/engine/graph-views.js';
import { openStore } from '../../src/main/engine/open-store.js';
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

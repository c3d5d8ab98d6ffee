/** The graph as of any event: forward, backward and concurrent moves give the replayed graph. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { copyFixture, manifest } from '../support/fixtures.js';

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
});

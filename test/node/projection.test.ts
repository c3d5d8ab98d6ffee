/**
 * The projection's cascade index: removing an object drops exactly the relations a full scan would
 * (spec §6.2), and a neighborhood walks the same relations, on the demo store (which removes an
 * object with relations) and on a generated run that removes objects and relations as real runs do.
 */
import { describe, expect, it } from 'vitest';
import type { GraphRelation } from '../../src/shared/model.js';
import { scanEvents } from '../../src/main/store/event-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { Graph, decodePayload, loadRun } from '../../src/main/engine/projection.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { syntheticStore } from '../support/synthetic-store.js';

/** The rule as the spec states it, without any index: every relation touching the id goes. */
function naiveReplay(events: { type: string; payload: unknown }[]): { objects: string[]; relations: Map<string, GraphRelation> } {
  const objects = new Set<string>();
  const relations = new Map<string, GraphRelation>();
  for (const { type, payload } of events) {
    const p = payload as any;
    if (type === 'object.created') objects.add(p.object.id);
    else if (type === 'object.removed') {
      objects.delete(p.id);
      for (const [rid, r] of relations) if (r.source === p.id || r.target === p.id) relations.delete(rid);
    } else if (type === 'relation.created') relations.set(p.relation.id, { ...p.relation, provenance: p.relation.provenance ?? null });
    else if (type === 'relation.removed') relations.delete(p.id);
  }
  return { objects: [...objects], relations };
}

async function checkRun(file: string, runId: string): Promise<number> {
  const store = await openStore(`sqlite:///${file}`);
  const events: { type: string; payload: unknown }[] = [];
  for await (const chunk of scanEvents(store, runId)) for (const e of chunk) events.push({ type: e.type, payload: decodePayload(e, runId) });
  const { graph } = await loadRun(store, runId);
  const naive = naiveReplay(events);
  expect([...graph.relations.keys()].sort()).toEqual([...naive.relations.keys()].sort());
  expect([...graph.objects.keys()].sort()).toEqual(naive.objects.sort());
  // Neighborhoods through the index equal a scan of the relations.
  for (const id of [...graph.objects.keys()].slice(0, 50)) {
    const viaIndex = graph.neighborhood(id, 1).relations.map((r) => r.id);
    const viaScan = [...graph.relations.values()]
      .filter((r) => r.source === id || r.target === id)
      .map((r) => r.id)
      .sort();
    expect(viaIndex).toEqual(viaScan);
  }
  await store.close();
  return events.filter((e) => e.type === 'object.removed').length;
}

describe('projection', () => {
  it('cascades an object removal on the demo store exactly as a full scan does', async () => {
    const removals = await checkRun(copyFixture('demo').file, manifest('demo').runs.main);
    expect(removals).toBeGreaterThan(0);
  });

  it('cascades on a generated run with hundreds of removals among thousands of relations', async () => {
    const runId = '01KREMOVALS000000000000001';
    const file = await syntheticStore(runId, 30_000, 21);
    expect(await checkRun(file, runId)).toBeGreaterThan(100);
  });

  it('a relation re-created under the same id keeps its place and its new endpoints', () => {
    const g = new Graph();
    const rel = (id: string, source: string, target: string) => ({ relation: { id, source, target, type: 't', data: {} } });
    g.apply('object.created', { object: { id: 'a', type: 'x', data: {} } });
    g.apply('object.created', { object: { id: 'b', type: 'x', data: {} } });
    g.apply('relation.created', rel('r1', 'a', 'b'));
    g.apply('relation.created', rel('r2', 'b', 'a'));
    g.apply('relation.created', rel('r1', 'b', 'b'));
    g.apply('object.removed', { id: 'a' });
    expect([...g.relations.keys()]).toEqual(['r1']);
    expect(g.neighborhood('b', 1).relations.map((r) => r.id)).toEqual(['r1']);
  });
});

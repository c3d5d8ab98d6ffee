/** What-if: the demo run re-projected without some events, against its real graph; nothing is written. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { whatIf } from '../../src/main/engine/what-if.js';
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
    // question#2 was never created, so its relation rel_001 dangles but stays; the rest is as it was.
    expect(r.objects.find((o) => o.id === 'question#2')).toMatchObject({ in_fork: null });
    expect(r.projected.relations).toBe(r.real.relations);
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

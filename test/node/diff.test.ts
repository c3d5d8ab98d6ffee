/** diffRuns, the engine's compare: Active Graph's recorded diffs of the demo store, and what we add (the divergence point). */
import { describe, expect, it } from 'vitest';
import { diffRuns, diffSummary } from '../../src/main/engine/diff.js';
import { openStore } from '../../src/main/engine/open-store.js';
import { copyFixture, manifest, oracle, oracleOutput } from '../support/fixtures.js';

const demo = manifest('demo');
const recorded = oracle('demo').commands.filter((c) => c.slug.startsWith('diff') && c.argv.includes('--json'));

describe('diff', () => {
  it.each(recorded.map((c) => [c.slug, c] as const))('%s: the summary is the one Active Graph recorded', async (_slug, cmd) => {
    const [, runA, runB] = /--run-a (\S+) --run-b (\S+)/.exec(cmd.argv)!;
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    expect(diffSummary(await diffRuns(store, runA!, runB!))).toEqual(JSON.parse(oracleOutput('demo', `${String(cmd.n).padStart(3, '0')}_${cmd.slug}.stdout`)));
    await store.close();
  });

  it('a run against itself: everything shared, nothing divergent, no divergence point', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    const d = await diffRuns(store, demo.runs.main, demo.runs.main);
    expect(d).toMatchObject({ parent_only_events: 0, fork_only_events: 0, divergent_objects: 0, divergent_relations: 0, objects: [], relations: [] });
    expect(d.shared_events).toBeGreaterThan(0);
    expect(d.divergence).toEqual({ a_seq: null, b_seq: null, a_event_id: null, b_event_id: null });
    await store.close();
  });

  it('names where the logs part on each side, and swapping the runs swaps the sides', async () => {
    const store = await openStore(`sqlite:///${copyFixture('demo').file}`);
    const d = await diffRuns(store, demo.runs.main, demo.runs.fork_a);
    for (const [run, seq, id] of [
      [demo.runs.main, d.divergence.a_seq, d.divergence.a_event_id],
      [demo.runs.fork_a, d.divergence.b_seq, d.divergence.b_event_id],
    ] as const) {
      expect(id).not.toBeNull();
      expect((await store.getEvent(run, id!))?.seq).toBe(seq);
    }
    const swapped = await diffRuns(store, demo.runs.fork_a, demo.runs.main);
    expect([swapped.parent_only_events, swapped.fork_only_events, swapped.shared_events]).toEqual([d.fork_only_events, d.parent_only_events, d.shared_events]);
    expect(swapped.objects.map((o) => [o.id, o.in_parent, o.in_fork])).toEqual(d.objects.map((o) => [o.id, o.in_fork, o.in_parent]));
    expect(swapped.divergence.a_event_id).toBe(d.divergence.b_event_id);
    await store.close();
  });
});

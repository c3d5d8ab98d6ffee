/** diffRuns, the engine's compare: Active Graph's recorded diffs of the demo store, and what we add (the divergence point). */
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { diffRuns, diffSummary, divergentEntities } from '../../src/main/engine/diff.js';
import { scanEvents, type EventStore } from '../../src/main/store/event-store.js';
import { forkRun } from '../../src/main/usecases/fork.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { decodePayload, loadRun } from '../../src/main/engine/projection.js';
import { pyEqual } from '../../src/main/base/pyjson.js';
import { countersFromLog, SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { copyFixture, manifest, oracle, oracleOutput, tempDir } from '../support/fixtures.js';

const A = '01KDIFFSHAREDPREFIXA000001';
const B = '01KDIFFSHAREDPREFIXB000001';

/** A generated 20,000-event run and a fork of it at its 10,000th event that goes on with 10,000 events of its own. */
async function forkedPair(): Promise<string> {
  const file = path.join(tempDir(), 'pair.db');
  const writer = await openDestination(`sqlite:///${file}`);
  await writer.begin();
  await writer.insertRun({ run_id: A, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-01T00:00:00Z', goal: 'diff', frame_id: null });
  await writer.commit();
  await new SyntheticRun(A, { seed: 8, startTime: '2026-10-01T00:00:00Z' }).write(writer, 20_000, 20_000);
  const events = [];
  for await (const chunk of scanEvents(writer.reader, A)) events.push(...chunk);
  await forkRun(writer.reader, writer, A, events[9_999]!.id, { newRunId: B, label: 'fork', createdAt: '2026-10-02T00:00:00Z' });
  const prefix = [];
  for await (const chunk of scanEvents(writer.reader, B)) prefix.push(...chunk);
  await new SyntheticRun(B, { seed: 9, counters: countersFromLog(prefix), startTime: prefix.at(-1)!.timestamp }).write(writer, 10_000, 20_000);
  await writer.close();
  return file;
}

let pair: Promise<string> | null = null;
/** The pair, generated once; a test that damages it works on a copy. */
const pairFile = (): Promise<string> => (pair ??= forkedPair());

const lifecycle = (type: string) => type.startsWith('behavior.') || type.startsWith('relation_behavior.') || type.startsWith('runtime.');

/** The diff as the spec states it, without sharing anything: two full replays, the partitions compared event by event. */
async function referenceDiff(store: EventStore) {
  const partition = async (run: string) => {
    const out = [];
    for await (const chunk of scanEvents(store, run)) for (const e of chunk) if (!lifecycle(e.type)) out.push(e);
    return out;
  };
  const [pa, pb] = [await partition(A), await partition(B)];
  let shared = 0;
  while (
    shared < pa.length &&
    shared < pb.length &&
    pa[shared]!.id === pb[shared]!.id &&
    pa[shared]!.type === pb[shared]!.type &&
    pyEqual(decodePayload(pa[shared]!), decodePayload(pb[shared]!))
  )
    shared++;
  const { objects, relations } = divergentEntities((await loadRun(store, A)).graph, (await loadRun(store, B)).graph);
  return { shared_events: shared, parent_only_events: pa.length - shared, fork_only_events: pb.length - shared, objects, relations };
}

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

  it('a fork that goes on: the shared prefix projected once gives the diff of two full replays', async () => {
    const store = await openStore(`sqlite:///${await pairFile()}`);
    const d = await diffRuns(store, A, B);
    const ref = await referenceDiff(store);
    expect(d.shared_events).toBeGreaterThan(1_000);
    expect(d.fork_only_events).toBeGreaterThan(1_000);
    expect({ shared_events: d.shared_events, parent_only_events: d.parent_only_events, fork_only_events: d.fork_only_events, objects: d.objects, relations: d.relations }).toEqual(
      ref,
    );
    await store.close();
  });

  // Damage of every kind a replay meets: a payload the projection applies, one it only checks, a
  // lifecycle event the diff does not compare; in the shared prefix (the fork's copy, which the diff
  // never replays) or in a side's own rest; in one run or in both (A's is the error, as A is read first).
  type Damage = { run: string; type: string; where: 'prefix' | 'rest' };
  const projected = 'object.created';
  const unprojected = 'llm.requested';
  const lifecycleType = 'behavior.%';
  it.each<[string, Damage[], string]>([
    ['the fork’s prefix, a lifecycle event', [{ run: B, type: lifecycleType, where: 'prefix' }], B],
    ['the fork’s prefix, a projected event', [{ run: B, type: projected, where: 'prefix' }], B],
    ['the fork’s rest, a projected event', [{ run: B, type: projected, where: 'rest' }], B],
    ['the parent’s prefix, an unprojected event', [{ run: A, type: unprojected, where: 'prefix' }], A],
    ['the parent’s prefix, a projected event', [{ run: A, type: projected, where: 'prefix' }], A],
    ['the parent’s rest, an unprojected event', [{ run: A, type: unprojected, where: 'rest' }], A],
    ['the parent’s rest, a lifecycle event', [{ run: A, type: lifecycleType, where: 'rest' }], A],
    [
      'both: the parent’s rest and the fork’s prefix',
      [
        { run: A, type: projected, where: 'rest' },
        { run: B, type: lifecycleType, where: 'prefix' },
      ],
      A,
    ],
    [
      'both, the same copied event',
      [
        { run: A, type: unprojected, where: 'prefix' },
        { run: B, type: unprojected, where: 'prefix' },
      ],
      A,
    ],
  ])('a damaged payload in %s: the error of a full replay of the run it is in', async (_name, damages, failing) => {
    const file = path.join(tempDir(), 'pair.db');
    fs.copyFileSync(await pairFile(), file);
    const db = new Database(file);
    for (const d of damages) {
      // The fork copied its parent's first 10,000 events: the prefix is before them, the rest after.
      const bound = db.prepare('SELECT seq FROM events WHERE run_id = ? ORDER BY seq LIMIT 1 OFFSET 10000').pluck().get(d.run) as number;
      const range = d.where === 'prefix' ? 'seq < ?' : 'seq > ?';
      const seq = db.prepare(`SELECT seq FROM events WHERE run_id = ? AND type LIKE ? AND ${range} ORDER BY seq LIMIT 1 OFFSET 300`).pluck().get(d.run, d.type, bound);
      expect(seq).toBeTypeOf('number');
      db.prepare('UPDATE events SET payload = ? WHERE seq = ?').run('{"cut": ', seq);
    }
    db.close();
    const store = await openStore(`sqlite:///${file}`);
    const full = await loadRun(store, failing).catch((err: Error) => err);
    expect(full).toMatchObject({ className: 'CorruptedEventPayloadError' });
    await expect(diffRuns(store, A, B)).rejects.toMatchObject({ className: 'CorruptedEventPayloadError', whatFailed: (full as unknown as { whatFailed: string }).whatFailed });
    await store.close();
  });
});

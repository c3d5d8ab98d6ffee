/**
 * A team's Postgres store (runs written at once, their seqs interleaved; forks of finished runs)
 * reads exactly as the same rows in SQLite: the run list, pages from anywhere, counts, search,
 * replay, status and diff, on a real server.
 */
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffRuns, diffSummary } from '../../src/main/engine/diff.js';
import type { EventStore } from '../../src/main/store/event-store.js';
import { BEFORE_FIRST_SEQ } from '../../src/main/store/event-store.js';
import { openStore } from '../../src/main/store/open-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { runState } from '../../src/main/engine/run-state.js';
import { runStatus } from '../../src/main/engine/status.js';
import { BIG_TEAM_RUN, buildTeamStore, type TeamRun } from '../../src/main/synthetic/team-store.js';
import { tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

let runs: TeamRun[] = [];
let pgStore: EventStore;
let liteStore: EventStore;

beforeAll(async () => {
  const pg = await freshDatabase('team');
  const file = path.join(tempDir(), 'team.db');
  runs = await buildTeamStore({ bigRunEvents: 12_000, runs: 150, runEvents: 600, concurrent: 10, forkShare: 0.5, seed: 3 }, pg, file);
  pgStore = await openStore(pg);
  liteStore = await openStore(`sqlite:///${file}`);
  return async () => {
    await pgStore.close();
    await liteStore.close();
  };
}, 120_000);

/** The runs a test looks at: the big one, a fork, a root that is not the big one. */
const picked = (): TeamRun[] => [
  runs.find((r) => r.run_id === BIG_TEAM_RUN)!,
  runs.find((r) => r.parent_run_id)!,
  runs.find((r) => !r.parent_run_id && r.run_id !== BIG_TEAM_RUN)!,
];
const both = async <T>(f: (s: EventStore) => Promise<T>): Promise<[T, T]> => [await f(pgStore), await f(liteStore)];
const ids = (es: { seq: number; id: string }[]) => es.map((e) => `${e.seq}:${e.id}`);
/** Key order aside (JSONB keeps its own), the same values. */
const norm = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(norm)
    : v && typeof v === 'object'
      ? Object.fromEntries(
          Object.entries(v)
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, x]) => [k, norm(x)]),
        )
      : v;

describe('a team store on Postgres reads as its SQLite copy', () => {
  it('is interleaved: the big run shares its seq range with the runs written beside it', async () => {
    const big = (await liteStore.eventsAfter(BIG_TEAM_RUN, BEFORE_FIRST_SEQ, 100_000)).map((e) => e.seq);
    const span = big[big.length - 1]! - big[0]! + 1;
    expect(span / big.length).toBeGreaterThan(5); // other runs' rows sit between its own
    expect(runs.filter((r) => r.parent_run_id).length).toBeGreaterThan(5);
  });

  it('lists the same runs, counts and last seqs', async () => {
    const [p, l] = await both((s) => s.listRuns());
    const view = (rs: Awaited<ReturnType<EventStore['listRuns']>>) =>
      rs
        .map((r) => [r.run_id, r.parent_run_id, r.forked_at_event_id, r.event_count, r.first_seq, r.last_seq, Date.parse(r.first_at!), Date.parse(r.last_at!)])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
    expect(view(p)).toEqual(view(l));
    // Each run's failures, from one grouped statement, as counting the run's own events tells them.
    const [pf, lf] = await both((s) => s.failuresByRun());
    const byRun = (fs: { run_id: string; failures: number }[]) => Object.fromEntries(fs.map((f) => [f.run_id, f.failures]));
    expect(byRun(pf)).toEqual(byRun(lf));
    expect(pf.length).toBeGreaterThan(0);
    for (const f of pf.slice(0, 5)) expect(f.failures).toBe(await liteStore.countEvents(f.run_id, { types: ['behavior.failed'] }));
    expect(p.length).toBe(runs.length);
    // Each run's state comes with the list, in one statement, as runState tells it run by run.
    for (const r of p) expect(r.state, r.run_id).toBe((await runState(pgStore, r.run_id)).state);
    expect(new Set(p.map((r) => r.state)).size).toBeGreaterThan(0);
  });

  it('pages from the start, the middle and the end; before a seq; filtered counts and search', async () => {
    for (const run of picked()) {
      const all = await liteStore.eventsAfter(run.run_id, BEFORE_FIRST_SEQ, 1_000_000);
      const mid = all[Math.floor(all.length / 2)]!.seq;
      for (const after of [BEFORE_FIRST_SEQ, mid, all[all.length - 3]!.seq]) {
        const [p, l] = await both((s) => s.eventsAfter(run.run_id, after, 200));
        expect(ids(p), `${run.run_id} after ${after}`).toEqual(ids(l));
      }
      const [pb, lb] = await both((s) => s.eventsBefore(run.run_id, mid, 200));
      expect(ids(pb)).toEqual(ids(lb));
      const [ps, ls] = await both((s) => s.seqsAfter(run.run_id, BEFORE_FIRST_SEQ, 1_000_000));
      expect(ps).toEqual(ls);
      for (const filter of [{ types: ['llm.'] }, { types: ['behavior.failed', 'object.'] }, { search: 'summarizer' }, { actor: 'verif' }]) {
        const [pc, lc] = await both((s) => s.countEvents(run.run_id, filter));
        expect(pc, `${run.run_id} ${JSON.stringify(filter)}`).toBe(lc);
      }
      const [pl, ll] = await both((s) => s.lastEventOfTypes(run.run_id, ['runtime.idle', 'behavior.completed']));
      expect(pl?.id).toBe(ll?.id);
    }
  });

  it('replays to the same graph, and reports the same status', async () => {
    for (const run of picked()) {
      const [p, l] = await both((s) => loadRun(s, run.run_id));
      expect(p.graph.objects.size).toBe(l.graph.objects.size);
      expect(norm([...p.graph.objects.values()].map((o) => [o.id, o.type, o.data]))).toEqual(norm([...l.graph.objects.values()].map((o) => [o.id, o.type, o.data])));
      expect([...p.graph.relations.keys()]).toEqual([...l.graph.relations.keys()]);
      const [ps, ls] = await both((s) => runStatus(s, run.run_id, 10));
      expect(norm({ ...ps, recent_events: ps.recent_events.map((e) => e.id) })).toEqual(norm({ ...ls, recent_events: ls.recent_events.map((e) => e.id) }));
    }
  });

  it('diffs a fork with its parent to the same summary', async () => {
    const fork = runs.find((r) => r.parent_run_id)!;
    const [p, l] = await both((s) => diffRuns(s, fork.parent_run_id!, fork.run_id));
    expect(diffSummary(p)).toEqual(diffSummary(l));
  });

  it('the run list answers from the runs table; counts left out come run by run, and are kept until the run changes', async () => {
    const { dispatch } = await import('../../src/main/service/dispatch.js');
    const { InspectorService } = await import('../../src/main/service/inspector-service.js');
    const service = new InspectorService({ demoStoreUrl: pgStore.url.raw });
    process.env.RUN_INSPECTOR_COUNT_BUDGET_MS = '0'; // a store too big to count within the list's budget
    try {
      const opened = await dispatch(service, 'openStore', { url: pgStore.url.raw });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      type Row = { run_id: string; event_count: number | null; last_seq: number | null; state: string };
      const list = (await dispatch(service, 'listRuns', { storeId })) as { value: Row[] };
      expect(list.value.length).toBe(runs.length);
      expect(list.value.every((r) => r.event_count === null && r.state)).toBe(true);
      const exact = new Map((await liteStore.listRuns()).map((r) => [r.run_id, r.event_count]));
      const ids = list.value.map((r) => r.run_id);
      for (let i = 0; i < ids.length; i += 50) {
        const counted = (await dispatch(service, 'runCounts', { storeId, runIds: ids.slice(i, i + 50) })) as { value: { run_id: string; event_count: number }[] };
        for (const c of counted.value) expect(c.event_count, c.run_id).toBe(exact.get(c.run_id));
      }
      // Counted once, the list carries them at once.
      const again = (await dispatch(service, 'listRuns', { storeId })) as { value: Row[] };
      expect(again.value.map((r) => [r.run_id, r.event_count])).toEqual(ids.map((id) => [id, exact.get(id)]));
    } finally {
      delete process.env.RUN_INSPECTOR_COUNT_BUDGET_MS;
      await service.close();
    }
  });
});

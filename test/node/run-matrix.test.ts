/**
 * Many runs side by side (engine/run-matrix, op compareRuns, `run-inspector compare`): each row's
 * figures are what the per-run views say (cost roll-up, counts, graph at the end), its change
 * against its parent sums to what Active Graph's own `diff` recorded, and Postgres gives the same rows.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { diffRuns } from '../../src/main/engine/diff.js';
import { scanEvents } from '../../src/main/store/event-store.js';
import { RunSpans } from '../../src/main/engine/spans.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import type { EventStore } from '../../src/main/store/event-store.js';
import { forkRun } from '../../src/main/usecases/fork.js';
import { countersFromLog, SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { cli } from '../support/cli.js';
import { syntheticStore } from '../support/synthetic-store.js';
import { copyFixture, oracle, oracleOutput, tempDir } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';

const value = async (p: Promise<{ ok: boolean; value?: unknown; error?: { summary: string } }>): Promise<any> => {
  const r = await p;
  if (!r.ok) throw new Error(r.error!.summary);
  return r.value;
};

/** The figures of a row that a whole replay of the run and the diff against its parent give. */
const pick = (row: any) => ({
  events: row.events,
  objects: row.objects,
  relations: row.relations,
  objects_by_type: row.objects_by_type,
  relations_by_type: row.relations_by_type,
  vs_parent: row.vs_parent,
});

async function wholeRow(store: EventStore, runId: string): Promise<ReturnType<typeof pick>> {
  const run = (await store.getRun(runId))!;
  const { graph } = await loadRun(store, runId);
  const byType = (xs: Iterable<{ type: string }>) => {
    const m = new Map<string, number>();
    for (const x of xs) m.set(x.type, (m.get(x.type) ?? 0) + 1);
    return Object.fromEntries([...m].sort(([a], [b]) => (a < b ? -1 : 1)));
  };
  let vs = null;
  if (run.parent_run_id) {
    const d = await diffRuns(store, run.parent_run_id, runId);
    vs = { created: 0, patched: 0, removed: 0 };
    for (const e of [...d.objects, ...d.relations]) vs[!e.in_parent ? 'created' : !e.in_fork ? 'removed' : 'patched']++;
  }
  let events = 0;
  for await (const chunk of scanEvents(store, runId)) events += chunk.length;
  return {
    events,
    objects: graph.objects.size,
    relations: graph.relations.size,
    objects_by_type: byType(graph.objects.values()),
    relations_by_type: byType(graph.relations.values()),
    vs_parent: vs,
  };
}

/** Every page of what differs among the runs. */
async function allDifferences(service: InspectorService, storeId: string, runIds: string[]): Promise<any[]> {
  const out: any[] = [];
  for (;;) {
    const page = await value(dispatch(service, 'runDifferences', { storeId, runIds, offset: out.length, limit: 200 }));
    out.push(...page.entities);
    if (page.entities.length === 0 || out.length >= page.total) return out;
  }
}

/**
 * What differs among the runs splits every pair of them exactly as the pairwise diff (checked
 * against Active Graph's own) finds them divergent, and the pair alone finds the same; most
 * connected first, and each entity's groups partition the runs.
 */
async function expectDifferencesPairwise(service: InspectorService, storeId: string, store: EventStore, runIds: string[]): Promise<void> {
  const entities = await allDifferences(service, storeId, runIds);
  expect(entities.length).toBeGreaterThan(0);
  for (let i = 0; i < runIds.length; i++)
    for (let j = i + 1; j < runIds.length; j++) {
      const d = await diffRuns(store, runIds[i]!, runIds[j]!);
      const pairwise = [...d.objects.map((o) => `object:${o.id}`), ...d.relations.map((r) => `relation:${r.id}`)].sort();
      const apart = entities
        .filter((e: any) => e.groups.findIndex((g: any) => g.runs.includes(i)) !== e.groups.findIndex((g: any) => g.runs.includes(j)))
        .map((e: any) => `${e.kind}:${e.id}`)
        .sort();
      expect(apart, `${runIds[i]} / ${runIds[j]}`).toEqual(pairwise);
      // The pair alone (a fork over its parent's history, two forks over one parent, or two replays) finds the same.
      const alone = await allDifferences(service, storeId, [runIds[i]!, runIds[j]!]);
      expect(alone.map((e: any) => `${e.kind}:${e.id}`).sort(), `${runIds[i]} / ${runIds[j]} alone`).toEqual(pairwise);
    }
  // Most connected first: an object's degree is the most relation ends at it in any run's whole replay; a relation's, its ends'.
  const most = new Map<string, number>();
  for (const runId of runIds)
    for (const [id, n] of [...(await loadRun(store, runId)).graph.relations.values()]
      .flatMap((r) => [r.source, r.target])
      .reduce((m, end) => m.set(end, (m.get(end) ?? 0) + 1), new Map<string, number>()))
      most.set(id, Math.max(n, most.get(id) ?? 0));
  for (const e of entities) {
    const ends = e.values.find((v: any) => v !== null);
    expect(e.degree, `${e.kind}:${e.id}`).toBe(e.kind === 'object' ? (most.get(e.id) ?? 0) : (most.get(ends.source) ?? 0) + (most.get(ends.target) ?? 0));
  }
  for (let k = 1; k < entities.length; k++) expect(entities[k - 1].degree).toBeGreaterThanOrEqual(entities[k].degree);
  for (const e of entities) expect(e.groups.flatMap((g: any) => g.runs).sort()).toEqual(runIds.map((_, i) => i));
}

describe('compare many runs', () => {
  let file: string;
  let runIds: string[];
  let service: InspectorService;
  let storeId: string;
  let rows: any[];
  beforeAll(async () => {
    file = copyFixture('demo').file;
    service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    storeId = (await value(dispatch(service, 'openDemoStore', {}))).storeId;
    runIds = (await value(dispatch(service, 'listRuns', { storeId }))).map((r: { run_id: string }) => r.run_id);
    rows = await value(dispatch(service, 'compareRuns', { storeId, runIds }));
  });

  it('one row per run, whose figures are the run’s own views’', async () => {
    const store = await openStore(`sqlite:///${file}`);
    expect(rows.map((r) => r.run_id)).toEqual(runIds);
    for (const row of rows) {
      const costs = (await value(dispatch(service, 'runCosts', { storeId, runId: row.run_id }))).run;
      expect([row.executions, row.failures, row.llm_calls, row.tokens_in, row.tokens_out, row.cost_usd]).toEqual([
        costs.invocations,
        costs.failures,
        costs.llmCalls,
        costs.tokensIn,
        costs.tokensOut,
        costs.costUsd,
      ]);
      const events = [];
      for await (const chunk of scanEvents(store, row.run_id)) events.push(...chunk);
      expect(row.events).toBe(events.length);
      const cut = events.findIndex((e) => e.id === row.forked_at_event_id);
      expect(row.events_after_fork).toBe(row.forked_at_event_id ? events.length - cut - 1 : null);
      const { graph } = await loadRun(store, row.run_id);
      expect(row.objects).toBe(graph.objects.size);
      expect(Object.values(row.objects_by_type).reduce((a: number, b) => a + (b as number), 0)).toBe(graph.objects.size);
    }
    await store.close();
  });

  it('any runs of them, whether a fork is read over its parent’s history or replayed: each row’s graph, events and change against its parent are a whole replay’s and the pairwise diff’s', async () => {
    const store = await openStore(`sqlite:///${file}`);
    const truth = new Map(await Promise.all(runIds.map(async (id) => [id, await wholeRow(store, id)] as const)));
    let subsets = 0;
    for (let mask = 0; mask < 1 << runIds.length; mask++) {
      const some = runIds.filter((_, i) => mask & (1 << i));
      if (some.length < 2) continue;
      const got: any[] = await value(dispatch(service, 'compareRuns', { storeId, runIds: some }));
      for (const row of got) expect(pick(row), `${row.run_id} among ${some.length}`).toEqual(truth.get(row.run_id));
      subsets++;
    }
    expect(subsets).toBe(2 ** runIds.length - runIds.length - 1);
    await store.close();
  });

  it('a fork’s change against its parent sums to the divergence Active Graph’s diff recorded', () => {
    let checked = 0;
    for (const c of oracle('demo').commands.filter((x) => x.argv.includes(' diff ') && x.argv.endsWith('--json') && x.exit_code === 0)) {
      const [, a, b] = /--run-a (\S+) --run-b (\S+)/.exec(c.argv)!;
      const row = rows.find((r) => r.run_id === b && r.parent_run_id === a);
      if (!row) continue;
      const recorded = JSON.parse(oracleOutput('demo', c.stdout));
      expect(row.vs_parent.created + row.vs_parent.patched + row.vs_parent.removed).toBe(recorded.divergent_objects + recorded.divergent_relations);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('what differs among them is, for every pair, exactly what the pairwise diff finds divergent', async () => {
    const store = await openStore(`sqlite:///${file}`);
    await expectDifferencesPairwise(service, storeId, store, runIds);
    await store.close();
  });

  it('what each did after its fork point: every execution once, in the row of its behavior and count', async () => {
    const store = await openStore(`sqlite:///${file}`);
    const { after, total, rows: aligned } = await value(dispatch(service, 'alignedSteps', { storeId, runIds, offset: 0, limit: 200 }));
    expect(aligned).toHaveLength(total);
    for (const [r, runId] of runIds.entries()) {
      const run = (await store.getRun(runId))!;
      if (run.forked_at_event_id) expect(after[r]).toBe((await store.getEvent(runId, run.forked_at_event_id))!.seq);
      const index = await new RunSpans(store, runId).refresh();
      const own = index.spans.filter((sp) => sp.kind === 'behavior' && sp.depth === 0 && sp.seq > (after[r] ?? -Infinity));
      const placed = aligned.flatMap((row: any) => (row.steps[r] ? [{ ...row.steps[r], behavior: row.behavior, nth: row.nth }] : [])).sort((a: any, b: any) => a.seq - b.seq);
      expect(placed.map((p: any) => [p.event_id, p.behavior, p.status])).toEqual(own.map((sp) => [sp.id, sp.name, sp.status]));
      const counted = new Map<string, number>();
      for (const p of placed) {
        counted.set(p.behavior, (counted.get(p.behavior) ?? 0) + 1);
        expect(p.nth).toBe(counted.get(p.behavior));
      }
    }
    expect(aligned.some((row: any) => row.steps.filter(Boolean).length > 1)).toBe(true);
    await store.close();
  });

  it('the CLI prints the same rows, and Postgres gives them too', async () => {
    const viaCli = await cli(['compare', `sqlite:///${file}`, '--runs', ...runIds, '--json'], tempDir());
    expect(viaCli.code).toBe(0);
    expect(JSON.parse(viaCli.stdout)).toEqual(rows);
    const url = await freshDatabase('matrix');
    expect((await cli(['migrate', '--from', `sqlite:///${file}`, '--to', url], tempDir())).code).toBe(0);
    const onPg = await cli(['compare', url, '--runs', ...runIds, '--json'], tempDir());
    expect(JSON.parse(onPg.stdout)).toEqual(rows);
    expect((await cli(['compare', `sqlite:///${file}`, '--runs', runIds[0]!], tempDir())).code).toBe(2);
    // The window's calls on Postgres: the same rows, and what differs splits every pair as the pairwise diff there does.
    const pgStore = await openStore(url);
    const { storeId: pgId } = await value(dispatch(service, 'openStore', { url }));
    expect(await value(dispatch(service, 'compareRuns', { storeId: pgId, runIds }))).toEqual(rows);
    await expectDifferencesPairwise(service, pgId, pgStore, runIds);
    expect(await allDifferences(service, pgId, runIds)).toEqual(await allDifferences(service, storeId, runIds));
    await pgStore.close();
  });
});

describe('a family of forks of one parent, forked at many points', () => {
  const PARENT = '01KFAMILYPARENT00000000001';
  const POINTS = [400, 1_500, 3_000, 3_000, 5_200]; // two forks at one point
  const CHANGES = ['patch.applied', 'object.removed', 'relation.removed'];
  let url: string;
  let forks: string[];
  beforeAll(async () => {
    url = `sqlite:///${await syntheticStore(PARENT, 6_000, 7)}`;
    const writer = await openDestination(url);
    const events = [];
    for await (const chunk of scanEvents(writer.reader, PARENT)) events.push(...chunk);
    forks = [];
    for (const [k, near] of POINTS.entries()) {
      // Forked at an event that changes an entity the parent had: the fork point's graph holds the new version.
      const at = events.findIndex((e, i) => i >= near && e.type === CHANGES[k % CHANGES.length]) + 1;
      const cut = events[at - 1]!;
      const { new_run_id } = await forkRun(writer.reader, writer, PARENT, cut.id, { label: `f${k}` });
      // Its own events go on from the parent's counters at the fork point: they patch and remove the parent's entities too.
      await new SyntheticRun(new_run_id, { seed: 50 + k, counters: countersFromLog(events.slice(0, at)), startTime: cut.timestamp }).write(writer, 400, 400);
      forks.push(new_run_id);
    }
    await writer.close();
  });

  for (const driver of ['SQLite', 'Postgres'] as const)
    it(`the matrix of the forks, with their parent or without, is each fork’s whole replay and its diff against the parent; what differs splits every pair as the pairwise diff (${driver})`, async () => {
      const at = driver === 'SQLite' ? url : await migrated();
      const store = await openStore(at);
      const service = new InspectorService({ demoStoreUrl: at });
      const { storeId } = await value(dispatch(service, 'openStore', { url: at }));
      for (const runIds of [forks, [PARENT, ...forks], [forks[2]!, forks[3]!]]) {
        const got: any[] = await value(dispatch(service, 'compareRuns', { storeId, runIds }));
        for (const row of got) expect(pick(row), row.label ?? row.run_id).toEqual(await wholeRow(store, row.run_id));
        // Each fork differs from its parent: the figures are not the fork point's alone.
        for (const row of got.filter((r) => r.parent_run_id)) expect(row.vs_parent.created + row.vs_parent.patched + row.vs_parent.removed).toBeGreaterThan(0);
      }
      await expectDifferencesPairwise(service, storeId, store, [PARENT, ...forks.slice(0, 4)]);
      await service.close();
      await store.close();
    });

  /** The family migrated into a fresh Postgres database. */
  async function migrated(): Promise<string> {
    const pg = await freshDatabase('family');
    expect((await cli(['migrate', '--from', url, '--to', pg], tempDir())).code).toBe(0);
    return pg;
  }
});

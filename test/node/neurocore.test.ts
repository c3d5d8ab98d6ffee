/** NeuroCore stores (formats/neurocore): a run per `runs` row, its steps in order, read-only. */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { openStore } from '../../src/main/store/open-store.js';
import { pyLoadsFast } from '../../src/main/base/pyjson.js';
import { sha256File } from '../support/fixtures.js';
import { copyOther, events } from '../support/other-stores.js';

describe('NeuroCore', () => {
  it('a run per runs row, steps in step_index order, failing, suspended and running runs', async () => {
    const { file } = copyOther('neurocore.db');
    const before = sha256File(file);
    const store = await openStore(`sqlite:///${file}`);
    expect(store.runtime).toBe('NeuroCore');
    const runs = await store.listRuns();
    expect(runs.map((r) => [r.goal, r.native_status])).toEqual(
      [
        ['research-agent v1.2.0', 'completed'],
        ['email-outreach v0.3.1', 'suspended'],
        ['rag-agent v2.0.0', 'failed'],
        ['research-agent v1.2.0', 'running'],
      ].map(([g, s]) => [expect.stringMatching(new RegExp(`^${g!.split(' ')[0]} v`)), s]),
    );
    const [completed, suspended, failed, running] = runs;

    const done = await events(store, completed!.run_id);
    expect(done.map((e) => e.type)).toEqual(['run.started', 'step.completed', 'step.completed', 'step.completed', 'run.completed']);
    expect(done.map((e) => e.actor)).toEqual(['executor', 'search', 'summarize', 'format', 'executor']);
    expect(done[2]!.caused_by).toBe(done[1]!.id); // sequential: each step caused by the previous one

    expect(suspended!.attributes).toMatchObject({
      suspended_at_node: 'human_review',
      checkpoint_id: expect.any(String),
      checkpoint: { checkpoint_id: suspended!.attributes!.checkpoint_id },
    });
    const susp = await events(store, suspended!.run_id);
    expect(susp[susp.length - 1]!.type).toBe('run.suspended');

    const fail = await events(store, failed!.run_id);
    expect(fail.filter((e) => e.type === 'step.failed').map((e) => e.actor)).toEqual(['docs', 'tickets']);
    const failedSteps = fail.filter((e) => e.type === 'step.failed').map((e) => pyLoadsFast(e.payload) as { started_at: string; error: string });
    expect(failedSteps[0]!.started_at).toBe(failedSteps[1]!.started_at); // the DAG layer shares its start
    expect(String(failed!.attributes!.error)).toMatch(/^Blueprint execution failed: /);
    expect(fail[fail.length - 1]!.type).toBe('run.failed');

    const live = await events(store, running!.run_id);
    expect(live.map((e) => e.type)).toEqual(['run.started', 'step.completed']); // no end event while running
    await store.close();
    expect(sha256File(file)).toBe(before);
  });

  it('steps are spans with the durations NeuroCore recorded: in the timeline and the waterfall', async () => {
    const { file } = copyOther('neurocore.db');
    const db = new Database(file, { readonly: true });
    const recorded = db.prepare(`SELECT run_id, step_index, status, duration_ms FROM steps WHERE duration_ms IS NOT NULL ORDER BY run_id, step_index`).all() as {
      run_id: string;
      step_index: number;
      status: string;
      duration_ms: number;
    }[];
    db.close();
    expect(recorded.length).toBeGreaterThan(3);
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const storeId = ((await dispatch(service, 'openDemoStore', {})) as { value: { storeId: string } }).value.storeId;
      const store = await openStore(`sqlite:///${file}`);
      for (const runId of new Set(recorded.map((r) => r.run_id))) {
        const steps = (await events(store, runId)).filter((e) => e.type.startsWith('step.'));
        const mine = recorded.filter((r) => r.run_id === runId);
        const res = await dispatch(service, 'spanTimes', { storeId, runId, eventIds: steps.map((e) => e.id) });
        if (!res.ok) throw new Error(res.error.summary);
        const times = new Map((res.value as { eventId: string; durationMs: number | null; status: string }[]).map((t) => [t.eventId, t]));
        const withDuration = steps.filter((e) => (pyLoadsFast(e.payload) as { duration_ms: number | null }).duration_ms !== null);
        // (to a hundredth of a millisecond: ends are epoch milliseconds, whose doubles keep about that)
        expect(withDuration).toHaveLength(mine.length);
        withDuration.forEach((e, i) => expect(times.get(e.id)?.durationMs).toBeCloseTo(mine[i]!.duration_ms, 2));
        expect(withDuration.map((e) => times.get(e.id)?.status)).toEqual(mine.map((r) => (r.status === 'failed' ? 'failed' : 'ok')));
      }
      await store.close();
    } finally {
      await service.close();
    }
  });
});

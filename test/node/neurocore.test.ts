/** NeuroCore stores (formats/neurocore): a run per `runs` row, its steps in order, read-only. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/engine/open-store.js';
import { pyLoadsFast } from '../../src/main/engine/pyjson.js';
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
});

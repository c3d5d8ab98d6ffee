/** DIR bundles (formats/dir-core): a run per decision flow under its simulation, read-only. */
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { sha256File } from '../support/fixtures.js';
import { copyOther, events } from '../support/other-stores.js';

describe('DIR (dir-core 0.2)', () => {
  it('a run per decision flow, lifecycle transitions merged, flows under their simulation, state tables as a side panel', async () => {
    const { file } = copyOther('dir_core.db');
    const before = sha256File(file);
    const store = await openStore(`sqlite:///${file}`);
    expect(store.runtime).toBe('DIR');
    const runs = await store.listRuns();
    const session = runs.find((r) => r.run_id.startsWith('refund_sim_'))!;
    const flows = runs.filter((r) => r !== session);
    expect(flows).toHaveLength(4);
    expect(flows.every((f) => f.parent_run_id === session.run_id)).toBe(true);
    expect((await events(store, session.run_id)).map((e) => e.type)).toEqual(['audit.simulation_start', 'audit.simulation_end']);
    expect(flows.map((f) => f.native_status).sort()).toEqual(['CLOSED', 'CLOSED', 'ESCALATED', 'PARTIAL_SUCCESS_DIRTY']);

    // Every audit row and transition of the file is an event of exactly one run.
    let audit = 0;
    let lifecycle = 0;
    for (const r of runs) {
      const evs = await events(store, r.run_id);
      audit += evs.filter((e) => e.type.startsWith('audit.')).length;
      lifecycle += evs.filter((e) => e.type.startsWith('lifecycle.')).length;
      // Order: time, and transitions (whole seconds) after the audit rows of their second.
      const keys = evs.map((e) => e.timestamp.slice(0, 19));
      expect([...keys].sort()).toEqual(keys);
    }
    expect(audit).toBe(22);
    expect(lifecycle).toBe(19);

    const dirty = flows.find((f) => f.native_status === 'PARTIAL_SUCCESS_DIRTY')!;
    expect((dirty.attributes!.saga_dirty_state as unknown[]).length).toBe(1);
    expect((dirty.attributes!.resource_locks as unknown[]).length).toBe(2);
    const escalated = flows.find((f) => f.native_status === 'ESCALATED')!;
    expect(escalated.attributes!.escalation_requests).toEqual([expect.objectContaining({ status: 'PENDING' })]);
    const overridden = flows.find((f) => (f.attributes!.escalation_requests as { human_decision?: string }[]).some((e) => e.human_decision === 'OVERRIDE'))!;
    expect(overridden.native_status).toBe('CLOSED');
    await store.close();
    expect(sha256File(file)).toBe(before);
  });
});

/**
 * The zustand app store, with the transport replaced by the real service over the contract
 * (dispatch), so the store is exercised against a real engine on a real fixture.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });

vi.mock('../../src/renderer/src/api/transport', async () => (await import('../support/renderer-transport.js')).transportOver(service));

const { useApp } = await import('../../src/renderer/src/state/app-store.js');
const demo = manifest('demo');

describe('app store', () => {
  beforeAll(async () => {
    await useApp.getState().openInitialStore();
  });

  it('opens the demo store on its most recently appended root run, not on a fork', () => {
    const s = useApp.getState();
    expect(s.stores).toHaveLength(1);
    expect(s.runs).toHaveLength(6);
    const roots = s.runs.filter((r) => !r.parent_run_id).sort((a, b) => (b.last_seq ?? -1) - (a.last_seq ?? -1));
    expect(s.runId).toBe(roots[0]!.run_id);
    expect(s.runs.find((r) => r.run_id === s.runId)?.parent_run_id).toBeNull();
  });

  it('selecting a run resets the selection and filters', () => {
    useApp.getState().setFilter({ types: ['llm.'] });
    useApp.getState().selectRun(demo.runs.main);
    const s = useApp.getState();
    expect([s.runId, s.filter, s.selected]).toEqual([demo.runs.main, {}, null]);
  });

  it('another store starts without the run context of the last one (its filter, selection, compare, focus)', async () => {
    const { storeId, runs } = useApp.getState();
    useApp.getState().setFilter({ types: ['llm.'] });
    useApp.setState({ graphFocus: 'plan#1', compare: { a: { storeId: storeId!, runId: runs[0]!.run_id }, b: { storeId: storeId!, runId: runs[1]!.run_id } } });
    await useApp.getState().selectStore(storeId!);
    const s = useApp.getState();
    expect([s.filter, s.selected, s.compare, s.graphFocus, s.showArchived]).toEqual([{}, null, null, null, false]);
    expect(s.runs.length).toBeGreaterThan(0);
  });

  it('jumps to an event by id and asks the timeline to scroll there', async () => {
    const before = useApp.getState().scrollRequest;
    await useApp.getState().jumpTo({ eventId: 'evt_030' });
    const s = useApp.getState();
    expect(s.selected).toMatchObject({ id: 'evt_030', offset: 29 });
    expect(s.scrollRequest).toBe(before + 1);
  });

  it('jumps across runs (a fork point in its parent)', async () => {
    await useApp.getState().jumpTo({ eventId: demo.fork_a_at }, demo.runs.main);
    expect(useApp.getState().selected?.id).toBe(demo.fork_a_at);
  });

  it('shows engine errors as structured errors', async () => {
    await useApp.getState().jumpTo({ eventId: 'evt_nope' });
    expect(useApp.getState().error).toMatchObject({ className: 'EventNotFoundError' });
    useApp.getState().clearError();
    await useApp.getState().openStore('mysql://nope/db');
    expect(useApp.getState().error).toMatchObject({ className: 'InvalidStoreURL' });
  });
});

/**
 * A run that grows updates its own row of the run list (count, last seq, state), and the list is
 * not asked again: on a team's store of a thousand runs, a live run must not re-read them all.
 */
import Database from 'better-sqlite3';
import { describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
const listeners = new Map<string, (payload: unknown) => void>();
const asked: string[] = [];

vi.mock('../../src/renderer/src/api/transport', async () =>
  (await import('../support/renderer-transport.js')).transportOver(service, {
    subscribe: (channel, listener) => (listeners.set(channel, listener), () => listeners.delete(channel)),
    onCall: (op) => void asked.push(op),
  }),
);

const { useApp } = await import('../../src/renderer/src/state/app-store.js');
const demo = manifest('demo');

describe('a run that grows', () => {
  it('updates its own row, without listing the store again', async () => {
    await useApp.getState().openInitialStore();
    const stop = useApp.getState().followHost();
    const storeId = useApp.getState().storeId!;
    const before = useApp.getState().runs.find((r) => r.run_id === demo.runs.main)!;
    // Another process appends to the run.
    const db = new Database(file);
    db.prepare(`INSERT INTO events(id, type, actor, payload, timestamp, run_id) VALUES ('evt_live_1', 'runtime.idle', 'runtime', '{}', '2026-12-01T00:00:00Z', ?)`).run(
      demo.runs.main,
    );
    db.close();
    asked.length = 0;
    listeners.get('runGrew')!({ storeId, runId: demo.runs.main, total: before.event_count! + 1, lastSeq: null });
    await vi.waitFor(() => expect(useApp.getState().runs.find((r) => r.run_id === demo.runs.main)!.event_count).toBe(before.event_count! + 1));
    const after = useApp.getState().runs.find((r) => r.run_id === demo.runs.main)!;
    expect(after.state).toBe('idle');
    expect(after.last_seq).toBeGreaterThan(before.last_seq!);
    expect(asked).toEqual(['runInfo']);
    expect(useApp.getState().runs.length).toBe(6); // the other rows as they were
    stop();
    await service.close();
  });
});

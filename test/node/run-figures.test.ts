/**
 * A run that grows is brought up to date from its new rows only: after the first look, runInfo
 * neither counts the whole run again nor walks it for its state, and its figures equal a full count.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { runState } from '../../src/main/engine/run-state.js';
import { SqliteStore } from '../../src/main/store/sqlite/sqlite-store.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const main = manifest('demo').runs.main as string;

/** Appends events to the run as its runtime would (one transaction, ids after its highest). */
function append(file: string, types: string[]): void {
  const db = new Database(file);
  const n = db.prepare(`SELECT count(*) AS n FROM events WHERE run_id = ?`).get(main) as { n: number };
  const insert = db.prepare(
    `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES (?, ?, 'runtime', '{}', 'frame_001', NULL, '2026-12-04T10:00:00Z', ?)`,
  );
  db.transaction(() => types.forEach((t, i) => insert.run(`evt_grow_${n.n + i}`, t, main)))();
  db.close();
}

afterEach(() => vi.restoreAllMocks());

describe('a growing run’s figures', () => {
  it('come from its new rows, and equal a full count and state', async () => {
    const { file } = copyFixture('demo');
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const storeId = ((await dispatch(service, 'openDemoStore', {})) as { value: { storeId: string } }).value.storeId;
      const info = async () => {
        const res = await dispatch(service, 'runInfo', { storeId, runId: main });
        if (!res.ok) throw new Error(res.error.summary);
        return res.value as { event_count: number; state: string };
      };
      const truth = async () => {
        const store = await openStore(`sqlite:///${file}`);
        try {
          return { event_count: await store.countEvents(main), state: (await runState(store, main)).state };
        } finally {
          await store.close();
        }
      };
      expect(await info()).toMatchObject(await truth());

      const counted = vi.spyOn(SqliteStore.prototype, 'countEvents');
      const walked = vi.spyOn(SqliteStore.prototype, 'lastEventOfTypes');
      for (const types of [['goal.created', 'runtime.budget_exhausted'], ['goal.created'], ['runtime.idle', 'goal.created']]) {
        append(file, types);
        const now = await info();
        const expected = await truth();
        expect(now).toMatchObject(expected);
      }
      // The spies saw the ground truth's full reads too: the service's own are the ones bounded below by a seq.
      const serviceWalks = walked.mock.calls.filter(([, , afterSeq]) => afterSeq !== undefined);
      expect(serviceWalks).toHaveLength(3);
      expect(walked.mock.calls.length - serviceWalks.length).toBe(3); // truth()'s, one per round
      expect(counted.mock.calls).toHaveLength(3); // truth()'s only
    } finally {
      await service.close();
    }
  });
});

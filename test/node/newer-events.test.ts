/**
 * Active Graph's newer event types read for what they mean (spec §5): what a step read, policy
 * decisions and overrides, the stop position of a budget stop, settings overrides, promote markers;
 * and runs whose fork lineage an older writer lost are roots. The events are written into a copy
 * of Active Graph's demo store with the payloads the spec gives for each type.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { summarizePayload } from '../../src/main/engine/event-summary.js';
import { governanceEvents } from '../../src/main/engine/governance.js';
import { openStore } from '../../src/main/store/open-store.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { NEWER_EVENTS, withNewerEvents } from '../support/newer-events.js';

const demo = manifest('demo');
const main = demo.runs.main as string;

describe('newer Active Graph event types', () => {
  it('summaries say what each means', () => {
    const said = Object.fromEntries(NEWER_EVENTS.map(([id, type, , p]) => [id, summarizePayload(type, p)]));
    expect(said).toEqual({
      evt_901: 'verifier read 3 objects: claim#9, source#6, question#2',
      evt_902: 'allow web.fetch (read) ceiling=read policy=default-read — within ceiling',
      evt_903: 'ceiling act → suggest by ops — incident 42',
      evt_904: 'alice overrode publish (run) → act — hotfix',
      evt_905: 'diligence: diligence.verifier.strict=true',
      evt_906: 'stopped: max_seconds at sequence 905 (tick 77, 3 queued, 1 delayed)',
    });
    expect(
      summarizePayload('promote.applied', {
        from_run: 'F',
        forked_at_event: 'evt_044',
        objects_created: ['a'],
        relations_created: ['r', 's'],
        objects_patched: ['b'],
        objects_removed: [],
        relations_removed: [],
      }),
    ).toBe('promoted from F (+3 ~1) forked at evt_044');
  });

  it('the governance record: authority decisions, ceiling changes and overrides, in log order, counted', async () => {
    const { file } = copyFixture('demo');
    withNewerEvents(file, main);
    const store = await openStore(`sqlite:///${file}`);
    try {
      const g = await governanceEvents(store, main, 200);
      expect(g.total).toBe(3);
      expect(g.rows.map((r) => [r.id, r.type])).toEqual([
        ['evt_902', 'authority.decision'],
        ['evt_903', 'authority.ceiling_changed'],
        ['evt_904', 'dev.override'],
      ]);
      expect(g.rows[0]!.payload).toMatchObject({ decision: 'allow', matched_policy: 'default-read' });
      expect((await governanceEvents(store, main, 2)).rows.length).toBe(2);
    } finally {
      await store.close();
    }
    const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
    try {
      const opened = await dispatch(service, 'openStore', { url: `sqlite:///${file}` });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      const res = await dispatch(service, 'governance', { storeId, runId: main });
      expect(res.ok && (res.value as { total: number }).total).toBe(3);
    } finally {
      await service.close();
    }
  });

  it('a fork whose lineage an older writer lost (null parent_run_id) is a root, never an error', async () => {
    const { dir, file } = copyFixture('demo');
    const db = new Database(file);
    db.prepare('UPDATE runs SET parent_run_id = NULL WHERE run_id = ?').run(demo.runs.fork_a);
    db.close();
    const store = await openStore(`sqlite:///${file}`);
    const run = (await store.listRuns()).find((r) => r.run_id === demo.runs.fork_a)!;
    await store.close();
    expect(run.parent_run_id).toBeNull();
    const res = await cli(['replay', 'sqlite:///demo.db', '--run-id', demo.runs.fork_a, '--json'], dir);
    expect(res.code, res.stderr).toBe(0);
  });
});

/**
 * A team that outgrows one server reads from streaming replicas: a hot standby (pg_basebackup -R
 * from a throwaway primary, on loopback) opens read-only, reads as its primary does, follows a
 * run the primary is still writing, says how far behind it is, and is refused as a destination.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { cli } from '../support/cli.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { pgQuery } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';
import { removeCluster, startCluster, startStandby, type PgCluster } from '../support/throwaway-postgres.js';
import { until } from '../support/until.js';

const demo = manifest('demo');
const main = demo.runs.main as string;

describe('a hot standby', () => {
  let primary: PgCluster;
  let standby: PgCluster;
  let primaryUrl: string;
  let standbyUrl: string;
  beforeAll(async () => {
    primary = await startCluster();
    primaryUrl = await primary.createDatabase('team');
    await loadSqliteIntoPostgres(copyFixture('demo').file, primaryUrl);
    standby = await startStandby(primary);
    standbyUrl = standby.url('team');
    await until(async () => (await pgQuery(standbyUrl, `SELECT count(*)::int AS n FROM events`).catch(() => [{ n: 0 }]))[0].n > 0);
  }, 120_000);
  afterAll(() => {
    removeCluster(standby);
    removeCluster(primary);
  });

  it('opens read-only and reads as its primary does', async () => {
    expect((await pgQuery(standbyUrl, 'SELECT pg_is_in_recovery() AS r'))[0].r).toBe(true);
    for (const args of [
      ['replay', '--run-id', main, '--json'],
      ['inspect', '--run-id', main, '--json'],
    ]) {
      const [onPrimary, onStandby] = [await cli([args[0]!, primaryUrl, ...args.slice(1)], '/'), await cli([args[0]!, standbyUrl, ...args.slice(1)], '/')];
      expect(onStandby.code, onStandby.stderr).toBe(0);
      expect(onStandby.stdout).toBe(onPrimary.stdout);
    }
  });

  it('follows a run its primary is still writing, and says how far behind it is', async () => {
    const service = new InspectorService({ demoStoreUrl: standbyUrl });
    try {
      const opened = await dispatch(service, 'openStore', { url: standbyUrl });
      const storeId = (opened as { value: { storeId: string } }).value.storeId;
      const health = await dispatch(service, 'storeHealth', { storeId });
      expect(health).toMatchObject({ ok: true, value: { standby: true } });
      expect((health as { value: { lagSeconds: number } }).value.lagSeconds).toBeGreaterThanOrEqual(0);
      const count = async () => ((await dispatch(service, 'timelineWindow', { storeId, runId: main, offset: 0, limit: 1 })) as { value: { total: number } }).value.total;
      const before = await count();
      await pgQuery(
        primaryUrl,
        `INSERT INTO events(id, type, actor, payload, frame_id, caused_by, timestamp, run_id) VALUES ('evt_live_1', 'runtime.idle', 'runtime', '{}', NULL, NULL, now(), $1)`,
        [main],
      );
      await until(async () => (await count()) === before + 1); // replayed on the standby, seen by the open store
      const primaryStore = await openStore(primaryUrl);
      expect(await primaryStore.replication!()).toEqual({ standby: false, lagSeconds: null });
      await primaryStore.close();
    } finally {
      await service.close();
    }
  });

  it('is refused as a fork or migration destination, untouched', async () => {
    const { dir } = copyFixture('demo');
    const res = await cli(['fork', 'sqlite:///demo.db', '--run-id', main, '--at-event', demo.fork_a_at, '--to', standbyUrl], dir);
    expect(res.code).toBe(4);
    expect(res.stderr).toMatch(/^DestinationRefusedError: .*read-only hot standby/s);
  });
});

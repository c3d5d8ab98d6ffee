/**
 * Whole-run reads (indexing, replaying, counting a run) take at most two of a store's four
 * connections, so a window's small reads are answered while ten big runs are being opened. Shown
 * on a real server: the events table is locked, so the whole-run reads that reach the server wait
 * there, visibly; a read of the runs table must still be answered.
 */
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/main/store/open-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { freshDatabase } from '../support/pg.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';

const main = manifest('demo').runs.main as string;

describe('Postgres read lanes', () => {
  it('leave connections for small reads while whole-run reads wait', async () => {
    const url = await freshDatabase('lanes');
    await loadSqliteIntoPostgres(copyFixture('demo').file, url);
    const store = await openStore(url);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    // Another session looks on: pg_stat_activity is a snapshot per transaction, and the lock's is open.
    const observer = new pg.Client({ connectionString: url });
    await observer.connect();
    try {
      const expected = await store.countEvents(main);
      await admin.query('BEGIN');
      await admin.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
      const counts = Array.from({ length: 6 }, () => store.countEvents(main));
      const waiting = async () =>
        (
          await observer.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'run-inspector' AND datname = current_database() AND wait_event_type = 'Lock'`,
          )
        ).rows[0]!.n;
      while ((await waiting()) < 2) await new Promise((r) => setTimeout(r, 20));
      // With every whole-run read queued or waiting on the lock, the runs table still answers.
      expect(await store.runsCount!()).toBe((await admin.query('SELECT count(*)::int AS n FROM runs')).rows[0].n);
      expect(await waiting()).toBe(2);
      await admin.query('COMMIT');
      expect(await Promise.all(counts)).toEqual(Array(6).fill(expected));
    } finally {
      await admin.end();
      await observer.end();
      await store.close();
    }
  });
});

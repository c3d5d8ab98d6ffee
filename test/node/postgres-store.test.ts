/**
 * A Postgres server that stops answering (SIGSTOP: its sockets stay open, keepalives are still
 * answered by the kernel) gives StoreConnectionError within the read deadline, and the next call
 * after it resumes works. A cluster of its own: stopping the shared one would stall other tests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeCluster, startCluster, type PgCluster } from '../support/throwaway-postgres.js';
import { InspectorError } from '../../src/main/base/errors.js';
import { openStore } from '../../src/main/store/open-store.js';
import { copyFixture, manifest } from '../support/fixtures.js';
import { loadSqliteIntoPostgres } from '../support/pg-load.js';

const main = manifest('demo').runs.main as string;

/** The server's processes: the postmaster and its children. */
function serverPids(cluster: PgCluster): number[] {
  const postmaster = Number(fs.readFileSync(path.join(cluster.dir, 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
  const children = execFileSync('pgrep', ['-P', String(postmaster)], { encoding: 'utf8' })
    .trim()
    .split('\n')
    .filter(Boolean)
    .map(Number);
  return [postmaster, ...children];
}

const signal = (pids: number[], sig: NodeJS.Signals): void => pids.forEach((p) => process.kill(p, sig));

async function failure(p: Promise<unknown>): Promise<InspectorError> {
  try {
    await p;
  } catch (err) {
    return err as InspectorError;
  }
  throw new Error('the call succeeded against a stopped server');
}

describe('Postgres store against a stalled server', () => {
  let cluster: PgCluster;
  let url: string;
  beforeAll(async () => {
    process.env.RUN_INSPECTOR_PG_TIMEOUT_MS = '1500';
    cluster = await startCluster();
    url = await cluster.createDatabase('stall');
    await loadSqliteIntoPostgres(copyFixture('demo').file, url);
  });
  afterAll(() => {
    delete process.env.RUN_INSPECTOR_PG_TIMEOUT_MS;
    removeCluster(cluster);
  });

  it('fails a read with StoreConnectionError, then reads again once the server answers', async () => {
    const store = await openStore(url);
    const events = await store.countEvents(main);
    expect(events).toBeGreaterThan(0);
    const pids = serverPids(cluster);
    signal(pids, 'SIGSTOP');
    try {
      const err = await failure(store.countEvents(main));
      expect(err.className).toBe('StoreConnectionError');
      expect(err.whatFailed).toContain('did not answer within 2 s');
      // Opening the same store anew while it is stopped fails the same way.
      expect((await failure(openStore(url))).className).toBe('StoreConnectionError');
    } finally {
      signal(pids, 'SIGCONT');
    }
    expect(await store.countEvents(main)).toBe(events);
    await store.close();
  });

  it('a slow query is a timeout that names what it was doing, not a dead server; a killed connection is a lost one', async () => {
    const store = await openStore(url);
    const lock = new pg.Client({ connectionString: url });
    await lock.connect();
    await lock.query('BEGIN');
    await lock.query('LOCK TABLE events IN ACCESS EXCLUSIVE MODE');
    try {
      const slow = await failure(store.countEvents(main));
      expect(slow.className).toBe('StoreQueryTimeout');
      expect(slow.message).toMatch(/^the query to count the run's events took longer than 2 s on postgres:\/\//);
      // A query whose backend is terminated while it waits (a deadline long enough to find it): the connection was lost.
      process.env.RUN_INSPECTOR_PG_TIMEOUT_MS = '30000';
      const patient = await openStore(url);
      process.env.RUN_INSPECTOR_PG_TIMEOUT_MS = '1500';
      const waiting = failure(patient.eventsAfter(main, -1, 10));
      let pid: number | undefined;
      while (!pid) {
        pid = (await lock.query(`SELECT pid FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()`)).rows[0]?.pid;
        if (!pid) await new Promise((r) => setTimeout(r, 20));
      }
      await lock.query('SELECT pg_terminate_backend($1)', [pid]);
      const lost = await waiting;
      await patient.close();
      expect(lost.className).toBe('StoreConnectionError');
      expect(lost.whatFailed).toMatch(/the connection to the server was lost/);
    } finally {
      await lock.query('ROLLBACK');
      await lock.end();
    }
    expect(await store.countEvents(main)).toBeGreaterThan(0); // and the next call works
    await store.close();
  });
});

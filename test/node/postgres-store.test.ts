/**
 * A Postgres server that stops answering (SIGSTOP: its sockets stay open, keepalives are still
 * answered by the kernel) gives StoreConnectionError within the read deadline, and the next call
 * after it resumes works. A cluster of its own: stopping the shared one would stall other tests.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { removeCluster, startCluster, type PgCluster } from '../support/throwaway-postgres.js';
import { InspectorError } from '../../src/main/engine/errors.js';
import { openStore } from '../../src/main/engine/open-store.js';
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
});

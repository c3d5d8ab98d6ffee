/**
 * The data host in a worker thread behind its client, as browser mode runs it: calls, cheap calls
 * answered while a long one runs, cancellation that drops the answer, and a host that dies being
 * restarted with its stores reopened under the same ids.
 */
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HostClient } from '../../src/main/front/host-client.js';
import { workerHost } from '../../src/main/front/worker-host.js';
import { copyFixture, manifest, tempDir } from '../support/fixtures.js';
import { syntheticStore } from '../support/synthetic-store.js';

const demo = manifest('demo');
const BIG = '01KHOSTBIGRUN0000000000001';
let bigStore: string;

const clients: HostClient[] = [];
function client(): HostClient {
  const c = new HostClient(workerHost({ demoStoreUrl: `sqlite:///${copyFixture('demo').file}` }));
  clients.push(c);
  return c;
}
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
});

async function value<T = any>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}

describe('data host in a worker thread', () => {
  beforeAll(async () => {
    bigStore = await syntheticStore(BIG, 150_000, 11); // long enough to replay for a while
  }, 120_000);

  it('answers the contract: opens the demo store and lists its runs', async () => {
    const host = client();
    const store = await value(host.call('openDemoStore', {}));
    const runs = await value<{ run_id: string }[]>(host.call('listRuns', { storeId: store.storeId }));
    expect(runs.map((r) => r.run_id)).toContain(demo.runs.main);
    const bad = await host.call('timelineWindow', { storeId: store.storeId, runId: demo.runs.main, offset: -1, limit: 5 });
    expect(bad).toMatchObject({ ok: false, error: { className: 'InvalidRequest' } });
  });

  it('sees what is written to a store it reads (a fork it writes itself), leaving no snapshot copy behind', async () => {
    const host = client();
    const { file } = copyFixture('demo');
    const store = await value(host.call('openStore', { url: `sqlite:///${file}` }));
    const before = await value<unknown[]>(host.call('listRuns', { storeId: store.storeId }));
    await value(host.call('fork', { storeId: store.storeId, runId: demo.runs.main, atEventId: 'evt_020', label: 'seen', record: false }));
    const after = await value<{ label: string | null }[]>(host.call('listRuns', { storeId: store.storeId }));
    expect(after).toHaveLength(before.length + 1);
    expect(after.map((r) => r.label)).toContain('seen');
  });

  it('answers cheap calls while a long one runs, and the long one still completes', async () => {
    const host = client();
    const big = await value(host.call('openStore', { url: `sqlite:///${bigStore}` }));
    const small = await value(host.call('openDemoStore', {}));
    let longDone = false;
    const long = host.call('graphOverview', { storeId: big.storeId, runId: BIG }).then((r) => ((longDone = true), r));
    const page = await value(host.call('timelineWindow', { storeId: small.storeId, runId: demo.runs.main, offset: 0, limit: 20 }));
    const stores = await value<unknown[]>(host.call('listStores', {}));
    expect(longDone).toBe(false); // both answered while the replay was still going
    expect(page.rows).toHaveLength(20);
    expect(stores).toHaveLength(2);
    const overview = await value(long);
    expect(overview.objects).toBeGreaterThan(0);
  });

  // That the host then stops the call's work is proved by rows read, in cancellation.test.ts.
  it('a cancelled call resolves as cancelled at once, and the next call is served', async () => {
    const host = client();
    const big = await value(host.call('openStore', { url: `sqlite:///${bigStore}` }));
    const dropped = new AbortController();
    const pending = host.call('diff', { storeId: big.storeId, runA: BIG, runB: BIG }, dropped.signal);
    setTimeout(() => dropped.abort(), 20);
    expect(await pending).toMatchObject({ ok: false, error: { className: 'CancelledError' } });
    const runs = await value<unknown[]>(host.call('listRuns', { storeId: big.storeId }));
    expect(runs).toHaveLength(1);
  });

  it('restarts a host that dies, fails what was in flight, and reopens its stores under the same ids', async () => {
    const host = client();
    const restarts: string[] = [];
    host.onRestart((reason) => restarts.push(reason));
    const pushes: string[] = [];
    host.onPush((channel) => pushes.push(channel));
    const big = await value(host.call('openStore', { url: `sqlite:///${bigStore}` }));
    const small = await value(host.call('openDemoStore', {}));
    const inFlight = host.call('graphOverview', { storeId: big.storeId, runId: BIG });
    host.current.kill(); // the worker dies as a native crash would take it
    expect(await inFlight).toMatchObject({ ok: false, error: { className: 'HostCrashedError' } });
    expect(restarts).toHaveLength(1);
    expect(pushes).toContain('hostRestarted');
    const stores = await value<{ storeId: string; displayName: string }[]>(host.call('listStores', {}));
    expect(stores.map((s) => s.storeId).sort()).toEqual([big.storeId, small.storeId].sort());
    const page = await value(host.call('timelineWindow', { storeId: small.storeId, runId: demo.runs.main, offset: 0, limit: 5 }));
    expect(page.rows).toHaveLength(5);
    // A store opened after the restart gets a fresh id, never one of the reopened ones.
    const again = await value(host.call('openStore', { url: `sqlite:///${copyFixture('demo').file}` }));
    expect([big.storeId, small.storeId]).not.toContain(again.storeId);
  });

  it('reports a migration that was running when the host died as interrupted', async () => {
    const host = client();
    const big = await value(host.call('openStore', { url: `sqlite:///${bigStore}` }));
    const dest = path.join(tempDir(), 'dest.db');
    const { migrationId } = await value(host.call('startMigration', { storeId: big.storeId, destUrl: `sqlite:///${dest}`, skipCorrupted: false }));
    await new Promise((r) => setTimeout(r, 300)); // the host reports the running migration to the client
    const restarted = new Promise((r) => host.onRestart(r));
    host.current.kill();
    await restarted;
    const state = await value(host.call('migrationStatus', { migrationId }));
    expect(state.state).toBe('interrupted');
    expect(state.error.className).toBe('HostInterruptedError');
  });
});

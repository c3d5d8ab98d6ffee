/**
 * The one client of the data host (shared/host-wire), as an Electron window's preload uses it: over a
 * real MessageChannel (structured clone, as between a window and the host), to a real host serving a real store.
 */
import { MessageChannel } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runHost, type RunningHost } from '../../src/main/host/host.js';
import type { FrontMessage } from '../../src/main/host/protocol.js';
import type { PushChannel } from '../../src/shared/contract.js';
import { HostWire } from '../../src/shared/host-wire.js';
import { appendObject } from '../support/append-object.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const demo = manifest('demo');
let host: RunningHost;
let control: InstanceType<typeof MessageChannel>;
let pushes: { channel: PushChannel; payload: unknown }[];
let window: InstanceType<typeof MessageChannel>;
let wire: HostWire;
let file: string;

beforeAll(() => {
  control = new MessageChannel();
  file = copyFixture('demo').file;
  host = runHost(
    { post: (m) => control.port2.postMessage(m), onMessage: (l) => control.port2.on('message', (m: FrontMessage) => l(m)) },
    { demoStoreUrl: `sqlite:///${file}`, watchIntervalMs: 50 },
  );
  // A window's own connection, as the main process hands it one.
  window = new MessageChannel();
  host.connect({ post: (m) => window.port2.postMessage(m), onMessage: (l) => window.port2.on('message', (m: FrontMessage) => l(m)) });
  pushes = [];
  wire = new HostWire(
    (m) => window.port1.postMessage(m),
    (channel, payload) => pushes.push({ channel, payload }),
  );
  window.port1.on('message', (m: { kind: string }) => void wire.receive(m));
});
afterAll(async () => {
  await host.close();
  window.port1.close();
  control.port1.close();
});

describe('HostWire over a MessageChannel', () => {
  it('answers calls by id, in any order they finish', async () => {
    const opened = await wire.call('openDemoStore', {});
    expect(opened.ok).toBe(true);
    const storeId = (opened as { ok: true; value: { storeId: string } }).value.storeId;
    const [runs, page] = await Promise.all([wire.call('listRuns', { storeId }), wire.call('timelineWindow', { storeId, runId: demo.runs.main, offset: 0, limit: 3 })]);
    expect(runs.ok && (runs.value as { run_id: string }[]).map((r) => r.run_id)).toContain(demo.runs.main);
    expect(page.ok && (page.value as { rows: unknown[] }).rows).toHaveLength(3);
  });

  it('an aborted call is answered "cancelled" at once; an input the contract refuses is an error, not a crash', async () => {
    const dropped = new AbortController();
    const pending = wire.call('listStores', {}, dropped.signal);
    dropped.abort();
    expect(await pending).toMatchObject({ ok: false, error: { className: 'CancelledError' } });
    expect(await wire.call('listStores', {}, dropped.signal)).toMatchObject({ ok: false, error: { className: 'CancelledError' } });
    expect(await wire.call('listRuns', { storeId: 42 } as never)).toMatchObject({ ok: false, error: { className: 'InvalidRequest' } });
  });

  it('delivers pushes: a watched run that another process appends to is told', async () => {
    const stores = await wire.call('listStores', {});
    const storeId = (stores as { ok: true; value: { storeId: string }[] }).value[0]!.storeId;
    expect((await wire.call('watchRun', { storeId, runId: demo.runs.main, watch: true })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 150)); // its first look counts what is there
    appendObject(file, demo.runs.main, 'evt_wire_1', 'note#wire');
    await vi.waitFor(() => expect(pushes.map((p) => p.channel)).toContain('runGrew'), { timeout: 5_000 });
    expect(pushes.find((p) => p.channel === 'runGrew')!.payload).toMatchObject({ storeId, runId: demo.runs.main });
  });

  it('a host that is gone fails every call in flight with the reason, and never answers them later', async () => {
    const lost = new HostWire(
      () => {},
      () => {},
    );
    const a = lost.call('listStores', {});
    const b = lost.call('listStores', {});
    lost.failAll({ className: 'HostCrashedError', summary: 'gone', context: {}, exitCode: 1 });
    expect(await a).toMatchObject({ ok: false, error: { className: 'HostCrashedError' } });
    expect(await b).toMatchObject({ ok: false, error: { className: 'HostCrashedError' } });
    expect(lost.receive({ kind: 'result', id: 1, result: { ok: true, value: [] } } as never)).toBe(true); // a late answer is dropped
  });
});

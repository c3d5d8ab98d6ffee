/**
 * The store's views: what panels show is fetched by the store, over the real service on a real
 * fixture. A slot asks once per input, a newer ask drops the older (its answer never lands), a slot
 * nobody shows any more is cancelled and forgotten, live views follow their run, and everything shown
 * is asked again after a host restart.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { InspectorService } from '../../src/main/service/inspector-service.js';
import { copyFixture, manifest } from '../support/fixtures.js';

const { file } = copyFixture('demo');
const service = new InspectorService({ demoStoreUrl: `sqlite:///${file}` });
const asked: { op: string; input: unknown; signal?: AbortSignal }[] = [];
/** Calls wait here while the test holds the gate (to finish an older call after a newer one). */
let gate: Promise<void> | null = null;
const pushes = new Map<string, (p: unknown) => void>();

vi.mock('../../src/renderer/src/api/transport', async () =>
  (await import('../support/renderer-transport.js')).transportOver(service, {
    subscribe: (channel, listener) => (pushes.set(channel, listener), () => pushes.delete(channel)),
    onCall: (op, input, signal) => {
      asked.push({ op, input, signal });
      return gate ?? undefined;
    },
  }),
);

const { useApp } = await import('../../src/renderer/src/state/app-store.js');
const { opAsk } = await import('../../src/renderer/src/state/slices/views-slice.js');
const demo = manifest('demo');
const s = () => useApp.getState();

describe('views of the store', () => {
  let storeId: string;
  beforeAll(async () => {
    await s().openInitialStore();
    storeId = s().storeId!;
  });

  it('asks once per input and keeps what the answer is about', async () => {
    const release = s().holdView('event');
    const ask = opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_030' });
    asked.length = 0;
    await Promise.all([s().fetchView('event', ask), s().fetchView('event', ask)]);
    await s().fetchView('event', ask);
    expect(asked.map((a) => a.op)).toEqual(['getEvent']);
    expect(s().views.event).toMatchObject({ key: ask.key, of: { eventId: 'evt_030' }, data: { id: 'evt_030' }, pending: null, error: null });
    release();
    expect(s().views.event).toBeUndefined();
  });

  it('drops an older ask: its answer never lands over a newer one', async () => {
    const release = s().holdView('event');
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const old = s().fetchView('event', opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_010' }));
    gate = null;
    await s().fetchView('event', opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_020' }));
    open();
    await old;
    expect(asked.at(-2)!.signal!.aborted).toBe(true);
    expect((s().views.event!.data as { id: string }).id).toBe('evt_020');
    release();
  });

  it('cancels what a slot waits for once nobody shows it', async () => {
    const release = s().holdView('status');
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const pending = s().fetchView('status', opAsk('status', { storeId, runId: demo.runs.main, tail: 3 }));
    gate = null;
    release();
    open();
    await pending;
    expect(asked.at(-1)!.signal!.aborted).toBe(true);
    expect(s().views.status).toBeUndefined();
  });

  it('asks a live view again when its run grows, and every view after a host restart', async () => {
    const release = s().holdView('costs');
    const releaseEvent = s().holdView('event');
    await s().fetchView('costs', opAsk('runCosts', { storeId, runId: demo.runs.main }), { liveRun: { storeId, runId: demo.runs.main } });
    await s().fetchView('event', opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_030' }));
    asked.length = 0;
    pushes.get('runGrew')!({ storeId, runId: 'some-other-run' });
    pushes.get('runGrew')!({ storeId, runId: demo.runs.main });
    await vi.waitFor(() => expect(s().views.costs!.pending).toBeNull());
    expect(asked.map((a) => a.op)).toEqual(['runCosts']);
    asked.length = 0;
    s().refreshViews();
    await vi.waitFor(() => expect(asked.map((a) => a.op).sort()).toEqual(['getEvent', 'runCosts']));
    release();
    releaseEvent();
  });

  it('keeps a failure in the view, and shows it in the window unless the view is quiet', async () => {
    const release = s().holdView('event');
    s().clearError();
    await s().fetchView('event', opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_nope' }), { quiet: true });
    expect(s().views.event!.error).toMatchObject({ className: 'EventNotFoundError' });
    expect(s().error).toBeNull();
    await s().fetchView('event', opAsk('getEvent', { storeId, runId: demo.runs.main, eventId: 'evt_nope2' }));
    expect(s().error).toMatchObject({ className: 'EventNotFoundError' });
    release();
  });

  it('a view that has nothing to ask any more cancels what it asked', async () => {
    const release = s().holdView('rateStrip');
    let open!: () => void;
    gate = new Promise((r) => (open = r));
    const pending = s().fetchView('rateStrip', opAsk('rateStrip', { storeId, runId: demo.runs.main, buckets: 10 }));
    gate = null;
    s().cancelView('rateStrip');
    open();
    await pending;
    expect(asked.at(-1)!.signal!.aborted).toBe(true);
    expect(s().views.rateStrip).toMatchObject({ pending: null, data: null });
    release();
  });
});

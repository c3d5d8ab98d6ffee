/**
 * Cancellation, proved: a call the window drops stops reading its run, in the engine's loops and
 * through the data host's wire. Each call below, on a 60,000-event run, is dropped after its first
 * read; it must then have read fewer rows than the run holds (run to its end, it reads them all).
 */
import path from 'node:path';
import { MessageChannel } from 'node:worker_threads';
import { beforeAll, describe, expect, it } from 'vitest';
import type { OperationName } from '../../src/shared/contract.js';
import { openDestination, openStore } from '../../src/main/store/open-store.js';
import { scanEvents } from '../../src/main/store/event-store.js';
import { loadRun } from '../../src/main/engine/projection.js';
import { runDifferences } from '../../src/main/engine/run-differences.js';
import { GraphCursor } from '../../src/main/engine/graph-cursor.js';
import { forkRun } from '../../src/main/usecases/fork.js';
import { HostClient } from '../../src/main/front/host-client.js';
import { runHost } from '../../src/main/host/host.js';
import type { FrontMessage, HostMessage } from '../../src/main/host/protocol.js';
import { dispatch } from '../../src/main/service/dispatch.js';
import { InspectorService, type ServiceOptions } from '../../src/main/service/inspector-service.js';
import { countersFromLog, SyntheticRun } from '../../src/main/synthetic/synthetic-run.js';
import { countingStore, type RowCounter } from '../support/counting-store.js';
import { tempDir } from '../support/fixtures.js';

const A = '01KCANCELRUNA0000000000001';
const B = '01KCANCELRUNB0000000000001';
const EVENTS = 60_000;

let url: string;
beforeAll(async () => {
  const file = path.join(tempDir(), 'cancel.db');
  url = `sqlite:///${file}`;
  const writer = await openDestination(url);
  await writer.begin();
  await writer.insertRun({ run_id: A, parent_run_id: null, forked_at_event_id: null, label: null, created_at: '2026-10-01T00:00:00Z', goal: 'cancel', frame_id: null });
  await writer.commit();
  await new SyntheticRun(A, { seed: 3, startTime: '2026-10-01T00:00:00Z' }).write(writer, EVENTS, 20_000);
  const events = [];
  for await (const chunk of scanEvents(writer.reader, A, { untilSeq: Number.MAX_SAFE_INTEGER })) events.push(...chunk);
  await forkRun(writer.reader, writer, A, events[EVENTS / 2 - 1]!.id, { newRunId: B, label: 'fork', createdAt: '2026-10-02T00:00:00Z' });
  const prefix = [];
  for await (const chunk of scanEvents(writer.reader, B)) prefix.push(...chunk);
  await new SyntheticRun(B, { seed: 4, counters: countersFromLog(prefix), startTime: prefix.at(-1)!.timestamp }).write(writer, EVENTS / 2, 20_000);
  await writer.close();
}, 120_000);

type Input = (storeId: string) => unknown;
/** The calls that read a whole run; `warm` is asked first (the status roll-up's own scan comes after the run's row index). */
const CALLS: [OperationName, Input, [OperationName, Input]?][] = [
  ['graphOverview', (storeId) => ({ storeId, runId: A })],
  ['spans', (storeId) => ({ storeId, runId: A, width: 1000 })],
  ['timelineWindow', (storeId) => ({ storeId, runId: A, filter: { search: 'no event says this' }, offset: 0, limit: 50 })],
  ['diff', (storeId) => ({ storeId, runA: A, runB: B })],
  ['statusExtras', (storeId) => ({ storeId, runId: A }), ['timelineWindow', (storeId) => ({ storeId, runId: A, offset: 0, limit: 50 })]],
];

async function call(service: InspectorService, op: OperationName, input: unknown, signal = new AbortController().signal) {
  return dispatch(service, op, input, signal);
}

function countedService(counter: RowCounter): ServiceOptions {
  return { demoStoreUrl: url, openStore: async (u) => countingStore(await openStore(u), counter) };
}

async function open(service: InspectorService): Promise<string> {
  const r = await dispatch(service, 'openStore', { url }, new AbortController().signal);
  if (!r.ok) throw new Error(r.error.summary);
  return (r.value as { storeId: string }).storeId;
}

/** The rows each call reads when it runs to its end (on a fresh host: nothing cached). */
const fullRows = new Map<OperationName, number>();
beforeAll(async () => {
  for (const [op, input, warm] of CALLS) {
    const counter: RowCounter = { rows: 0, onRead: null };
    const service = new InspectorService(countedService(counter));
    const storeId = await open(service);
    if (warm) await call(service, warm[0], warm[1](storeId));
    counter.rows = 0;
    const r = await call(service, op, input(storeId));
    if (!r.ok) throw new Error(r.error.summary);
    fullRows.set(op, counter.rows);
    await service.close();
  }
}, 120_000);

describe('a dropped call stops reading its run', () => {
  it('each call, run to its end, reads many chunks of the run (what makes the measure meaningful)', () => {
    for (const [op] of CALLS) expect(fullRows.get(op), op).toBeGreaterThan(EVENTS / 3);
  });

  it.each(CALLS)('%s, in the engine: the call ends cancelled, having read less than it reads whole', async (op, input, warm) => {
    const counter: RowCounter = { rows: 0, onRead: null };
    const service = new InspectorService(countedService(counter));
    const storeId = await open(service);
    if (warm) await call(service, warm[0], warm[1](storeId));
    const dropped = new AbortController();
    counter.rows = 0;
    counter.onRead = () => dropped.abort();
    const result = await call(service, op, input(storeId), dropped.signal);
    expect(result.ok ? 'answered' : result.error.className).toBe('CancelledError');
    expect(counter.rows).toBeLessThan(fullRows.get(op)!);
    await service.close();
  });

  it.each(CALLS)('%s, through the data host: a cancel on the wire stops the work in the host', async (op, input, warm) => {
    const counter: RowCounter = { rows: 0, onRead: null };
    const { port1, port2 } = new MessageChannel();
    const host = runHost({ post: (m) => port2.postMessage(m), onMessage: (l) => port2.on('message', (m: FrontMessage) => l(m)) }, countedService(counter));
    const client = new HostClient(() => ({
      port: { post: (m: FrontMessage) => port1.postMessage(m), onMessage: (l) => port1.on('message', (m: HostMessage) => l(m)) },
      exited: new Promise<string>(() => {}),
      kill: () => port1.close(),
    }));
    const opened = await client.call('openStore', { url });
    if (!opened.ok) throw new Error(opened.error.summary);
    const storeId = (opened.value as { storeId: string }).storeId;
    if (warm) await client.call(warm[0], warm[1](storeId));
    const dropped = new AbortController();
    counter.rows = 0;
    counter.onRead = () => dropped.abort();
    expect(await client.call(op, input(storeId), dropped.signal)).toMatchObject({ ok: false, error: { className: 'CancelledError' } });
    // The client answers at once; the host's work goes on until the cancel reaches it. Wait until
    // it has read nothing for many turns of the event loop (each chunk of a run yields one turn),
    // or until it has read the whole run: the measure is rows, not time.
    let still = 0;
    const whole = fullRows.get(op)!;
    for (let last = -1; still < 200 && counter.rows < whole; still = counter.rows === last ? still + 1 : 0) {
      last = counter.rows;
      await new Promise((r) => setImmediate(r));
    }
    expect(counter.rows).toBeLessThan(whole);
    await host.close();
    port1.close();
  });
});

describe('a dropped comparison stops computing', () => {
  it('what differs among runs, and the tally of a parent’s fork points, yield to the host while they work; a dropped one ends at its next step', async () => {
    const store = await openStore(url);
    const ends = [(await loadRun(store, A)).graph, (await loadRun(store, B)).graph];
    await store.close();
    const whole = await runDifferences(ends);
    expect(whole.length).toBeGreaterThan(0);
    const ctl = new AbortController();
    setImmediate(() => ctl.abort()); // runs only once the comparison yields
    await expect(runDifferences(ends, null, ctl.signal)).rejects.toThrow(/abort/i);
    // So does the pass over a parent's history that tallies its forks' fork points (the matrix).
    const cursor = new GraphCursor(await openStore(url), A);
    const { seq: endSeq } = await cursor.at();
    const points = [Math.floor(endSeq! / 4), Math.floor(endSeq! / 2)];
    expect((await cursor.forkPoints(points)).at(points[0]!).vsEnd.removed).toBeGreaterThan(0);
    const dropped = new AbortController();
    setImmediate(() => dropped.abort());
    await expect(cursor.forkPoints(points, dropped.signal)).rejects.toThrow(/abort/i);
  });
});

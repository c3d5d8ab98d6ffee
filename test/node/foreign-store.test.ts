/** ForeignStore: another runtime's runs, as its adapter maps them, read through Active Graph's layout. */
import { describe, expect, it } from 'vitest';
import { ForeignStore, isoUtc, type ForeignRun } from '../../src/main/store/formats/foreign-store.js';
import { parseStoreUrl } from '../../src/main/store/store-url.js';

const url = parseStoreUrl('sqlite:////tmp/other-runtime.db');
const event = (id: string, i: number) => ({
  id,
  type: 'step.completed',
  actor: 'exec',
  payload: { i, text: 'é' },
  frame_id: null,
  caused_by: null,
  timestamp: `2026-01-01T00:00:0${i}Z`,
});
const run = (events: ForeignRun['events']): ForeignRun => ({
  row: { run_id: 'r1', parent_run_id: null, forked_at_event_id: null, label: 'one', created_at: '2026-01-01T00:00:00Z', goal: null, frame_id: null },
  nativeStatus: 'failed',
  attributes: { steps: events.length },
  events,
});

describe('foreign store', () => {
  it('keeps the adapter’s order, payloads as Python writes them, and the runtime’s own status', async () => {
    const store = new ForeignStore(url, 'sqlite', 'NeuroCore', [run([event('s.1', 1), event('s.0', 2)])]);
    const [info] = await store.listRuns();
    expect(info).toMatchObject({ run_id: 'r1', event_count: 2, native_status: 'failed', attributes: { steps: 2 } });
    const rows = await store.eventsAfter('r1', -1, 10);
    expect(rows.map((r) => r.id)).toEqual(['s.1', 's.0']);
    expect(rows[0]!.payload).toBe('{"i": 1, "text": "é"}');
    await store.close();
  });

  it('refuses two events of a run with one id, saying which, instead of losing one', () => {
    expect(() => new ForeignStore(url, 'sqlite', 'NeuroCore', [run([event('s.1', 1), event('s.1', 2)])])).toThrow(
      expect.objectContaining({ className: 'StoreFormatError', whatFailed: expect.stringContaining('run r1 has two events with the id s.1') }),
    );
  });

  it('reads the lenient UTC timestamps other runtimes write as Active Graph’s', () => {
    expect(isoUtc('2026-05-15 10:32:01.5+00:00')).toBe('2026-05-15T10:32:01.5Z');
    expect(isoUtc('2026-05-15T12:32:01+02:00')).toBe('2026-05-15T10:32:01.000Z');
    expect(isoUtc(null)).toBe('');
  });
});

/** The migration content hash: equal across drivers' representations, sensitive to any change. */
import { describe, expect, it } from 'vitest';
import { RunHasher } from '../../src/main/engine/content-hash.js';

const digest = (events: { payload: string; timestamp?: string; id?: string }[]): string => {
  const h = new RunHasher();
  for (const [i, e] of events.entries())
    h.add({ id: e.id ?? `evt_${i}`, type: 't', actor: null, payload: e.payload, frame_id: null, caused_by: null, timestamp: e.timestamp ?? '2026-09-01T09:00:00Z' });
  return h.digest();
};

describe('RunHasher', () => {
  it('ignores what Postgres changes: key order, number forms, timestamp rendering', () => {
    const sqlite = digest([{ payload: '{"b": 1e-05, "a": {"y": [1, 2.5], "x": "é"}, "c": 12.0}', timestamp: '2026-09-01T09:00:00Z' }]);
    const postgres = digest([{ payload: '{"a": {"x": "é", "y": [1, 2.5]}, "b": 0.00001, "c": 12.0}', timestamp: '2026-09-01T09:00:00+00:00' }]);
    expect(postgres).toBe(sqlite);
  });

  it('changes with any value, key, order of events or list', () => {
    const base = digest([{ payload: '{"a": [1, 2], "b": "x"}' }, { payload: '{}' }]);
    for (const other of [
      digest([{ payload: '{"a": [2, 1], "b": "x"}' }, { payload: '{}' }]),
      digest([{ payload: '{"a": [1, 2], "b": "y"}' }, { payload: '{}' }]),
      digest([{ payload: '{"a": [1, 2], "c": "x"}' }, { payload: '{}' }]),
      digest([{ payload: '{"a": [1, 2], "b": "x", "d": null}' }, { payload: '{}' }]),
      digest([{ payload: '{}' }, { payload: '{"a": [1, 2], "b": "x"}' }]),
      digest([{ payload: '{"a": [1, 2], "b": "x"}', timestamp: '2026-09-01T09:00:01Z' }, { payload: '{}' }]),
      digest([{ payload: '{"a": [1, 2], "b": "x"}', id: 'evt_9' }, { payload: '{}' }]),
    ])
      expect(other).not.toBe(base);
  });
});

/** The migration content hash: equal across drivers' representations, sensitive to any change. */
import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import { HashPool, RunHasher, canonicalTimestamp, hashChunk } from '../../src/main/store/content-hash.js';
import { copyText } from '../../src/main/store/copy-text.js';
import { ROOT } from '../../src/main/paths.js';

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

describe('hashChunk', () => {
  const events = [
    { id: 'evt_1', type: 'a.b', actor: null, payload: '{"text": "tab\\there", "n": 1e-05}', frame_id: 'f\tx', caused_by: null, timestamp: '2026-09-01T09:00:00Z' },
    { id: 'evt_2', type: 'a.c', actor: 'back\\slash', payload: '{"x": [1, 2]}', frame_id: null, caused_by: 'evt_1', timestamp: '2026-09-01T09:00:01.250000+00:00' },
    { id: 'evt\b3', type: 'a.d', actor: 'line\nbreak', payload: '{"x": "\\u00e9"}', frame_id: null, caused_by: 'evt_2', timestamp: '2026-09-01T11:00:02+02:00' },
  ];

  it('gives the lines RunHasher.add gives, from our COPY text and from Postgres’ rendering of the same rows', () => {
    const one = new RunHasher();
    for (const e of events) one.add(e);
    const want = one.digest();
    const ours = hashChunk(copyText(events, 'run_1'));
    // What COPY TO prints for the same rows: JSONB key order and numbers, UTC timestamps, \b escaped.
    const postgres = hashChunk(
      [
        'evt_1\ta.b\t\\N\t{"n": 0.00001, "text": "tab\\\\there"}\tf\\tx\t\\N\t2026-09-01 09:00:00+00',
        'evt_2\ta.c\tback\\\\slash\t{"x": [1, 2]}\t\\N\tevt_1\t2026-09-01 09:00:01.25+00',
        'evt\\b3\ta.d\tline\\nbreak\t{"x": "é"}\t\\N\tevt_2\t2026-09-01 09:00:02+00',
      ].join('\n') + '\n',
    );
    for (const chunk of [ours, postgres]) {
      const h = new RunHasher();
      h.addLines(chunk.lines, chunk.count);
      expect([h.count, h.digest()]).toEqual([3, want]);
    }
  });

  it('reports rows whose payload is not JSON, without lines for them', () => {
    const chunk = hashChunk(copyText([events[0]!, { ...events[1]!, payload: '{"x": [1, 2' }, events[2]!], 'run_1'));
    expect([chunk.count, chunk.corrupt]).toEqual([2, [1]]);
  });
});

describe('canonicalTimestamp', () => {
  it('writes every rendering of an instant the same way, keeping sub-millisecond digits', () => {
    for (const ts of ['2026-09-01T09:00:00Z', '2026-09-01T09:00:00+00:00', '2026-09-01 09:00:00+00', '2026-09-01T11:00:00+02:00', '2026-09-01T04:30:00-0430'])
      expect(canonicalTimestamp(ts), ts).toBe('2026-09-01T09:00:00Z');
    expect(canonicalTimestamp('2026-09-01 09:00:00.123456+00')).toBe('2026-09-01T09:00:00.123456Z');
    expect(canonicalTimestamp('2026-09-01T10:00:00.123450+01:00')).toBe('2026-09-01T09:00:00.12345Z');
  });
});

describe('HashPool', () => {
  it('hashes on worker threads exactly as inline, strings and transferred bytes alike', async () => {
    expect(fs.existsSync(path.join(ROOT, 'out/main/hash-worker.js')), 'run `npm run build` first').toBe(true);
    const text = copyText(
      Array.from({ length: 3000 }, (_, i) => ({
        id: `evt_${i}`,
        type: 't',
        actor: null,
        payload: `{"i": ${i}, "s": "x\\ty"}`,
        frame_id: null,
        caused_by: null,
        timestamp: '2026-09-01T09:00:00Z',
      })),
      'run_1',
    );
    const inline = hashChunk(text);
    const pool = new HashPool(1_000_000);
    try {
      const [fromString, fromBytes] = await Promise.all([pool.hash(text), pool.hash(new Uint8Array(Buffer.from(text)))]);
      for (const r of [fromString, fromBytes]) expect([r.count, Buffer.from(r.lines).equals(Buffer.from(inline.lines))]).toEqual([3000, true]);
    } finally {
      pool.close();
    }
  });
});

/** COPY text: what bulk loads send and what the hashing workers read back. */
import { describe, expect, it } from 'vitest';
import { canonicalCopyField, copyField, copyText, unescapeCopyField } from '../../src/main/store/copy-text.js';

describe('COPY text fields', () => {
  it('round-trips every value, NULL included', () => {
    for (const v of ['', 'plain', 'tab\tnew\nline\rcr', 'back\\slash', '\\N as text', 'é 😀', null]) expect(unescapeCopyField(copyField(v))).toBe(v);
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N'); // the text "\N" is not NULL
  });

  it('reads Postgres’ own escapes (it also escapes \\b, \\f, \\v) and writes them our way', () => {
    expect(unescapeCopyField('a\\bb\\fc\\vd')).toBe('a\bb\fc\vd');
    expect(canonicalCopyField('a\\bb')).toBe(copyField('a\bb'));
    expect(canonicalCopyField('plain')).toBe('plain');
    expect(canonicalCopyField('\\N')).toBe('\\N');
  });
});

describe('copyText', () => {
  const events = [
    { id: 'evt_1', type: 't', actor: null, payload: '{"a": "x\\ty"}', frame_id: 'f', caused_by: null, timestamp: '2026-09-01T09:00:00Z' },
    { id: 'evt_2', type: 't', actor: 'me', payload: '{}', frame_id: null, caused_by: 'evt_1', timestamp: '2026-09-01T09:00:01Z' },
  ];

  it('writes one line per event, the run id last', () => {
    expect(copyText(events, 'run\t1')).toBe(
      'evt_1\tt\t\\N\t{"a": "x\\\\ty"}\tf\t\\N\t2026-09-01T09:00:00Z\trun\\t1\nevt_2\tt\tme\t{}\t\\N\tevt_1\t2026-09-01T09:00:01Z\trun\\t1\n',
    );
  });

  it('encodes a batch once per run, never serving one run’s text for another', () => {
    const first = copyText(events, 'r');
    expect(copyText(events, 'r')).toBe(first);
    expect(copyText(events, 'other')).toBe(first.replaceAll('\tr\n', '\tother\n'));
    expect(copyText(events.slice(), 'r')).toBe(first);
  });
});

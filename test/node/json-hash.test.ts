/** The structural JSON hash: the same for the same value however it is written, different otherwise. */
import { describe, expect, it } from 'vitest';
import { structuralHash } from '../../src/main/base/json-hash.js';

const h = (text: string) => structuralHash(JSON.parse(text)).join(':');

describe('structuralHash', () => {
  it('ignores key order, spacing and number forms (JSONB versus Python)', () => {
    expect(h('{"b": 1e-05, "a": {"y": [1, 2.5], "x": "é"}}')).toBe(h('{"a":{"x":"\\u00e9","y":[1,2.5]},"b":0.00001}'));
    expect(h('{"n": 12.0}')).toBe(h('{"n": 12}'));
  });

  it('tells apart every change of value, key, type, nesting or order in a list', () => {
    const texts = [
      '{"a": 1}',
      '{"a": "1"}',
      '{"b": 1}',
      '{"a": 1, "b": null}',
      '[1, 2]',
      '[2, 1]',
      '[[1], 2]',
      '[1, [2]]',
      '{"a": [1]}',
      '{"a": {"b": 1}}',
      '{"a": {}, "b": 1}',
      '{"ab": "c"}',
      '{"a": "bc"}',
      '""',
      '[]',
      '{}',
      'null',
      'true',
      'false',
      '0',
      '[null]',
      '[[]]',
      '{"": ""}',
    ];
    expect(new Set(texts.map(h)).size).toBe(texts.length);
  });

  it('returns two unsigned 32-bit lanes', () => {
    for (const [a, b] of ['{"x": [1, {"y": "z"}]}', '[]', '"s"'].map((t) => structuralHash(JSON.parse(t)))) {
      expect(Number.isInteger(a) && a >= 0 && a < 2 ** 32).toBe(true);
      expect(Number.isInteger(b) && b >= 0 && b < 2 ** 32).toBe(true);
    }
  });
});

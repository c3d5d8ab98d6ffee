import { describe, expect, it } from 'vitest';
import { PyFloat, pyCompareStrings, pyDumps, pyEqual, pyFloatRepr, pyParse, PyJsonDecodeError, pyRepr, pyStrRepr, pythonizeJsonbText } from '../../src/main/base/pyjson.js';

describe('pyjson', () => {
  it('prints floats the way Python repr does', () => {
    const cases: [number, string][] = [
      [0, '0.0'],
      [1.5, '1.5'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [1e16, '1e+16'],
      [1e15, '1000000000000000.0'],
      [123456789.125, '123456789.125'],
      [-2.5e-7, '-2.5e-07'],
      [0.662, '0.662'],
    ];
    for (const [x, s] of cases) expect(pyFloatRepr(x)).toBe(s);
  });

  it('keeps int/float identity and Python tokens through a round trip', () => {
    const text = '{"a": 0.0, "b": 12, "c": 1e-05, "d": NaN, "e": -Infinity, "f": [true, null, "x\\u00e9"], "g": 12345678901234567890}';
    const v = pyParse(text);
    expect((v as Record<string, unknown>).a).toBeInstanceOf(PyFloat);
    expect(pyDumps(v)).toBe('{"a": 0.0, "b": 12, "c": 1e-05, "d": NaN, "e": -Infinity, "f": [true, null, "x\\u00e9"], "g": 12345678901234567890}');
    expect(pyDumps(v, { ensureAscii: false })).toContain('"xé"');
  });

  it('escapes like ensure_ascii, including astral characters as surrogate pairs', () => {
    expect(pyDumps('😀\u007f\n')).toBe('"\\ud83d\\ude00\\u007f\\n"');
  });

  it('indents and sorts like json.dumps(indent=2, sort_keys=True)', () => {
    expect(pyDumps({ b: [], a: { c: 1 } }, { indent: 2, sortKeys: true })).toBe('{\n  "a": {\n    "c": 1\n  },\n  "b": []\n}');
  });

  it('sorts strings by code point, as Python does', () => {
    // U+1F600 is a surrogate pair in UTF-16, below U+FF5E there, above it by code point.
    const words = ['\uff5e', '\u{1f600}', 'b', 'ab', 'a', '', '\u00e9', '\u{1f600}x', '\ud7ff'];
    const byCodePoint = [...words].sort((x, y) => {
      const [cx, cy] = [[...x].map((c) => c.codePointAt(0)!), [...y].map((c) => c.codePointAt(0)!)];
      for (let i = 0; i < Math.min(cx.length, cy.length); i++) if (cx[i] !== cy[i]) return cx[i]! - cy[i]!;
      return cx.length - cy.length;
    });
    expect([...words].sort(pyCompareStrings)).toEqual(byCodePoint);
    expect(byCodePoint).toEqual(['', 'a', 'ab', 'b', '\u00e9', '\ud7ff', '\uff5e', '\u{1f600}', '\u{1f600}x']);
  });

  it("reports Python's messages and positions", () => {
    const at = (doc: string): [string, number, number] => {
      try {
        pyParse(doc);
      } catch (e) {
        const err = e as PyJsonDecodeError;
        return [err.msg, err.lineno, err.colno];
      }
      throw new Error('parsed');
    };
    expect(at('{"object": {"id": "question#2", "type": ')).toEqual(['Expecting value', 1, 41]);
    expect(at('{"patch": {"id": "patch_001"}} trailing')).toEqual(['Extra data', 1, 32]);
    expect(at('not json at all')).toEqual(['Expecting value', 1, 1]);
    expect(at('{"a" 1}')).toEqual(["Expecting ':' delimiter", 1, 6]);
  });

  it('compares like Python ==', () => {
    expect(pyEqual({ a: 1, b: [true] }, { b: [1.0], a: new PyFloat(1) })).toBe(true);
    expect(pyEqual({ a: 0 }, { a: false })).toBe(true);
    expect(pyEqual({ a: '1' }, { a: 1 })).toBe(false);
    expect(pyEqual([1, 2], [2, 1])).toBe(false);
  });

  it("turns Postgres' jsonb text into Python's default output", () => {
    const jsonb = '{"a": 0.00001, "b": 12.0, "c": 10000000000000000, "d": "x 0.00001 \\"q\\"", "é": [1.5, -2.50e3]}';
    const python = pyDumps(pyParse(jsonb), { ensureAscii: false });
    expect(pythonizeJsonbText(jsonb)).toBe(python);
    expect(python).toBe('{"a": 1e-05, "b": 12.0, "c": 10000000000000000, "d": "x 0.00001 \\"q\\"", "é": [1.5, -2500.0]}');
  });
});

describe("Python's repr of a str (the isprintable rule, spec §12)", () => {
  // Each pair as Python 3.11 prints repr(c): one or more characters of every category
  // str.isprintable() rejects (Cc, Cf, Cs, Co, Cn, Zl, Zp, Zs), then printable ones that stay.
  const cases: [string, string][] = [
    ['\x00', "'\\x00'"], // Cc
    ['\x1f', "'\\x1f'"],
    ['\x7f', "'\\x7f'"],
    ['\x85', "'\\x85'"],
    ['\x9f', "'\\x9f'"],
    ['\xad', "'\\xad'"], // Cf: soft hyphen
    ['\u061c', "'\\u061c'"],
    ['\u200b', "'\\u200b'"],
    ['\ufeff', "'\\ufeff'"],
    ['\u{1d173}', "'\\U0001d173'"],
    ['\u{e0001}', "'\\U000e0001'"],
    ['\ud800', "'\\ud800'"], // Cs: lone surrogates
    ['\udfff', "'\\udfff'"],
    ['\ue000', "'\\ue000'"], // Co: private use, in every plane that has it
    ['\uf8ff', "'\\uf8ff'"],
    ['\u{f0000}', "'\\U000f0000'"],
    ['\u{10fffd}', "'\\U0010fffd'"],
    ['\u0378', "'\\u0378'"], // Cn: unassigned and noncharacters
    ['\ufffe', "'\\ufffe'"],
    ['\u{e0080}', "'\\U000e0080'"],
    ['\u2028', "'\\u2028'"], // Zl
    ['\u2029', "'\\u2029'"], // Zp
    ['\xa0', "'\\xa0'"], // Zs, all but the ASCII space
    ['\u1680', "'\\u1680'"],
    ['\u2000', "'\\u2000'"],
    ['\u202f', "'\\u202f'"],
    ['\u205f', "'\\u205f'"],
    ['\u3000', "'\\u3000'"],
    [' ', "' '"], // printable: stays as it is
    ['é', "'é'"],
    ['中', "'中'"],
    ['😀', "'😀'"],
    ['e\u0301', "'e\u0301'"],
    ['ع', "'ع'"],
    ["a'b", `"a'b"`],
    [`a'"b`, `'a\\'"b'`],
    ['\\', "'\\\\'"],
    ['\t\n\r', "'\\t\\n\\r'"],
  ];
  it.each(cases)('repr(%j) is %s', (s, want) => expect(pyStrRepr(s)).toBe(want));

  it('escapes inside dicts and lists as well (repr of containers)', () => {
    expect(pyRepr({ 'k\xa0': ['a\u2028b'] })).toBe("{'k\\xa0': ['a\\u2028b']}");
  });
});

/** Output comparison as the issue defines it: JSON as values, JSONL line by line, text exactly. */
import { expect } from 'vitest';
import { pyParse, toPlain } from '../../src/main/base/pyjson.js';

const asValue = (s: string): unknown => toPlain(pyParse(s));

export function expectSameOutput(actual: string, expected: string): void {
  const trimmed = expected.trim();
  const lines = trimmed.split('\n');
  const looksJson = (l: string): boolean => {
    try {
      asValue(l);
      return true;
    } catch {
      return false;
    }
  };
  if (trimmed !== '' && lines.every(looksJson)) {
    const got = actual.trim().split('\n');
    expect(got.length).toBe(lines.length);
    lines.forEach((l, i) => expect(asValue(got[i]!)).toEqual(asValue(l)));
  } else {
    expect(actual).toBe(expected);
  }
}

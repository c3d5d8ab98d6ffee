/** Binary searches (base/sorted): the same index a scan of the list finds, duplicates and infinities included. */
import { describe, expect, it } from 'vitest';
import { firstAbove, firstAtLeast } from '../../src/main/base/sorted.js';

describe('binary searches over an ascending list', () => {
  it('find what a scan finds', () => {
    const lists = [[], [5], [1, 2, 2, 2, 3, 8], [-Infinity, 0, 0, 4, Infinity], Array.from({ length: 200 }, (_, i) => Math.floor(i / 3))];
    for (const list of lists)
      for (const x of [-Infinity, -1, 0, 1, 2, 2.5, 3, 4, 8, 66, 67, Infinity]) {
        expect(firstAtLeast(list, x), `${x} in ${list.length}`).toBe(list.findIndex((v) => v >= x) === -1 ? list.length : list.findIndex((v) => v >= x));
        expect(firstAbove(list, x), `${x} in ${list.length}`).toBe(list.findIndex((v) => v > x) === -1 ? list.length : list.findIndex((v) => v > x));
      }
  });
});

import { describe, expect, it } from 'vitest';
import { MAX_SCROLL_PX, rowAtScroll, scrollForRow, scrollSpace } from '../../src/renderer/src/features/timeline/scaled-scroll.js';

describe('scaled scroll', () => {
  it('is plain pixel math while the list fits', () => {
    const g = { total: 1000, rowHeight: 26, viewport: 520 };
    expect(scrollSpace(g)).toBe(26_000);
    expect(rowAtScroll(g, 26 * 40 + 5)).toEqual({ first: 40, shift: 5 });
    expect(scrollForRow(g, 40)).toBe(1040);
  });

  it('scales a million rows into the browser limit and reaches both ends', () => {
    const g = { total: 1_000_059, rowHeight: 26, viewport: 624 };
    expect(scrollSpace(g)).toBe(MAX_SCROLL_PX);
    expect(rowAtScroll(g, 0).first).toBe(0);
    const end = scrollSpace(g) - g.viewport;
    const last = rowAtScroll(g, end);
    expect(last.first + g.viewport / g.rowHeight).toBe(g.total); // the last row is the last visible
    for (const row of [1, 12_345, 500_000, 999_000]) expect(rowAtScroll(g, scrollForRow(g, row)).first).toBe(row);
  });
});
